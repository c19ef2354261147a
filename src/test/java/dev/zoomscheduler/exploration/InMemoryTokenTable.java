package dev.zoomscheduler.exploration;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import dev.zoomscheduler.connections.ConnectionError;
import dev.zoomscheduler.connections.ConnectionInfo;
import dev.zoomscheduler.connections.ConnectionKind;
import dev.zoomscheduler.connections.ConnectionStatus;
import dev.zoomscheduler.connections.ZoomIdentity;
import dev.zoomscheduler.tokens.ConnectionStore;
import dev.zoomscheduler.tokens.StoredToken;
import dev.zoomscheduler.tokens.TokenGrant;
import dev.zoomscheduler.tokens.TokenStore;

/**
 * The token table in memory, with DynamoDB's semantics as DynamoDbTokenStore uses them: each write is one conditional
 * update, evaluated and applied at once; a failed condition returns the item as it was ({@code ALL_OLD}); version 0 matches
 * an item without a version, or none. The conditions are those of DynamoDbTokenStore, written again here on purpose: the
 * explorer checks the protocols against the contract of {@link TokenStore}, the moto tests check the DynamoDB store.
 */
final class InMemoryTokenTable implements TokenStore, ConnectionStore {

    private final Map<String, Row> rows = new TreeMap<>();
    /** For each connection, how many times a write ended its usable chain: the occurrences that must each be announced. */
    private final Map<String, Integer> chainEnds = new TreeMap<>();
    /** For each connection, the instance whose write took the lease now in the item (null: a write that landed late). */
    private final Map<String, Object> leaseTakenBy = new TreeMap<>();
    private final Simulation sim;
    /** A negative control: with false, every lease write succeeds, whatever holds the item (the explorer must notice). */
    private final boolean leasesHonoured;
    /** A negative control: with false, no write keeps when the chain was refreshed (every keep-alive run finds it due). */
    private final boolean refreshTimesKept;

    InMemoryTokenTable(Simulation sim, boolean leasesHonoured, boolean refreshTimesKept) {
        this.sim = sim;
        this.leasesHonoured = leasesHonoured;
        this.refreshTimesKept = refreshTimesKept;
    }

    /**
     * Why a refresh of {@code refreshToken} sent now by {@code sender} is not covered by a lease that sender holds, or null if
     * it is: the item holding that token is leased, by the sender's own write, until after now (less the clock skew allowed).
     */
    synchronized String leaseProblem(String refreshToken, Object sender, long nowMillis) {
        Row row = rows.values().stream().filter(r -> refreshToken.equals(r.token().refreshToken())).findFirst().orElse(null);
        if (row == null) {
            return "and no connection holds that token";
        }
        StoredToken token = row.token();
        if (token.refreshLeaseOwner() == null || leaseTakenBy.get(token.connectionId()) != sender) {
            return "which does not hold the lease of " + token.connectionId();
        }
        return token.refreshLeaseUntil() + 2000 < nowMillis ? "after its lease ran out" : null;
    }

    synchronized int chainEnds(String connectionId) {
        return chainEnds.getOrDefault(connectionId, 0);
    }

    private void countEnd(Row row) {
        if (row.token().status() == ConnectionStatus.ACTIVE) {
            chainEnds.merge(row.token().connectionId(), 1, Integer::sum);
        }
    }

    /**
     * One item: the token as the protocol reads it, and what descriptions add.
     *
     * @param lastError the connection's last error (its health), null if none since the last success
     * @param eventPending whether the event of its chain's end is not published yet
     */
    private record Row(StoredToken token, String scope, long authorizedAt, String zoomAccountId, ConnectionError lastError,
            boolean eventPending) {

        Row with(StoredToken after) {
            return new Row(after, scope, authorizedAt, zoomAccountId, lastError, eventPending);
        }

        Row health(ConnectionError error, boolean pending) {
            return new Row(token, scope, authorizedAt, zoomAccountId, error, pending);
        }
    }

    synchronized void seed(StoredToken token) {
        rows.put(token.connectionId(), new Row(token, null, 0, null, null, false));
    }

    @Override
    public synchronized Optional<StoredToken> read(String connectionId) {
        return Optional.ofNullable(rows.get(connectionId)).map(Row::token);
    }

    @Override
    public synchronized WriteOutcome acquireRefreshLease(StoredToken seen, String owner, Instant leaseUntil, Instant now, String writeId) {
        Row row = rows.get(seen.connectionId());
        boolean free = row == null || row.token().refreshLeaseOwner() == null || row.token().refreshLeaseUntil() <= now.toEpochMilli();
        if (leasesHonoured && (!atVersion(row, seen.version()) || !free)) {
            return failed(row, writeId);
        }
        StoredToken base = row != null ? row.token() : StoredToken.newAccountConnection(seen.connectionId(), seen.accountId());
        StoredToken leased = new StoredToken(base.connectionId(), base.accessToken(), base.refreshToken(), base.expiresAt(),
                base.version() + 1, base.status(), seen.kind() == ConnectionKind.ACCOUNT ? ConnectionKind.ACCOUNT : base.kind(),
                seen.kind() == ConnectionKind.ACCOUNT ? seen.accountId() : base.accountId(), owner, leaseUntil.toEpochMilli(),
                base.zoomUserId(), writeId, base.authorizationId(), base.refreshedAt());
        Simulation.Actor actor = sim.current();
        leaseTakenBy.put(seen.connectionId(), actor == null ? null : actor.instance);
        return applied(row, leased);
    }

    @Override
    public synchronized WriteOutcome storeRefreshed(StoredToken seen, TokenGrant grant, String writeId) {
        Row row = rows.get(seen.connectionId());
        boolean account = seen.kind() == ConnectionKind.ACCOUNT;
        if (!atVersion(row, seen.version()) || !account && (row == null || !seen.refreshToken().equals(row.token().refreshToken()))) {
            return failed(row, writeId);
        }
        StoredToken base = row != null ? row.token() : StoredToken.newAccountConnection(seen.connectionId(), seen.accountId());
        StoredToken stored = new StoredToken(base.connectionId(), grant.accessToken(), account ? base.refreshToken() : grant.refreshToken(),
                grant.expiresAt(), base.version() + 1, ConnectionStatus.ACTIVE, account ? ConnectionKind.ACCOUNT : base.kind(),
                account ? seen.accountId() : base.accountId(), null, 0, base.zoomUserId(), writeId, base.authorizationId(),
                refreshTimesKept ? grant.issuedAt().getEpochSecond() : 0);
        // healthy again: no error, and no pending event of an end that is over
        rows.put(seen.connectionId(), new Row(stored, grant.scope() != null || row == null ? grant.scope() : row.scope(),
                row == null ? 0 : row.authorizedAt(), row == null ? null : row.zoomAccountId(), null, false));
        return new WriteOutcome(true, stored);
    }

    @Override
    public synchronized WriteOutcome releaseRefreshLease(StoredToken seen, ConnectionError failure, String writeId) {
        Row row = rows.get(seen.connectionId());
        if (!atVersion(row, seen.version()) || row == null) {
            return failed(row, writeId);
        }
        StoredToken t = row.token();
        return applied(row.health(failure, row.eventPending()), new StoredToken(t.connectionId(), t.accessToken(), t.refreshToken(),
                t.expiresAt(), t.version() + 1, t.status(), t.kind(), t.accountId(), null, 0, t.zoomUserId(), writeId, t.authorizationId(),
                t.refreshedAt()));
    }

    @Override
    public synchronized WriteOutcome markReauthorizationRequired(StoredToken seen, ConnectionError why, boolean eventPending, String writeId) {
        Row row = rows.get(seen.connectionId());
        if (!atVersion(row, seen.version()) || row == null || !seen.refreshToken().equals(row.token().refreshToken())) {
            return failed(row, writeId);
        }
        StoredToken t = row.token();
        countEnd(row);
        return applied(row.health(why, eventPending || row.eventPending()), new StoredToken(t.connectionId(), t.accessToken(),
                t.refreshToken(), t.expiresAt(), t.version() + 1, ConnectionStatus.REAUTHORIZATION_REQUIRED, t.kind(), t.accountId(), null,
                0, t.zoomUserId(), writeId, t.authorizationId(), t.refreshedAt()));
    }

    @Override
    public synchronized WriteOutcome storeAuthorized(String connectionId, long seenVersion, TokenGrant grant, ZoomIdentity identity,
            String authorizationId) {
        Row row = rows.get(connectionId);
        if (!atVersion(row, seenVersion)) {
            return failed(row, authorizationId);
        }
        long version = row == null ? 1 : row.token().version() + 1;
        long at = grant.issuedAt().getEpochSecond();
        StoredToken stored = new StoredToken(connectionId, grant.accessToken(), grant.refreshToken(), grant.expiresAt(), version,
                ConnectionStatus.ACTIVE, ConnectionKind.USER, null, null, 0, identity.userId(), authorizationId, authorizationId,
                refreshTimesKept ? at : 0);
        rows.put(connectionId, new Row(stored, grant.scope(), at, identity.accountId(), null, false));
        return new WriteOutcome(true, stored);
    }

    @Override
    public synchronized WriteOutcome markRevoked(String connectionId, long seenVersion, ConnectionError why, boolean eventPending,
            String writeId) {
        Row row = rows.get(connectionId);
        if (!atVersion(row, seenVersion) || row == null) {
            return failed(row, writeId);
        }
        StoredToken t = row.token();
        countEnd(row);
        return applied(row.health(why != null ? why : row.lastError(), eventPending || row.eventPending()), new StoredToken(connectionId,
                null, null, 0, t.version() + 1, ConnectionStatus.REVOKED, t.kind(), t.accountId(), null, 0, t.zoomUserId(), writeId,
                t.authorizationId(), t.refreshedAt()));
    }

    @Override
    public synchronized WriteOutcome noteReauthorizationAnnounced(String connectionId, long seenVersion, String writeId) {
        Row row = rows.get(connectionId);
        if (!atVersion(row, seenVersion) || row == null) {
            return failed(row, writeId);
        }
        StoredToken t = row.token();
        return applied(row.health(row.lastError(), false), new StoredToken(t.connectionId(), t.accessToken(), t.refreshToken(),
                t.expiresAt(), t.version() + 1, t.status(), t.kind(), t.accountId(), t.refreshLeaseOwner(), t.refreshLeaseUntil(),
                t.zoomUserId(), writeId, t.authorizationId(), t.refreshedAt()));
    }

    @Override
    public synchronized List<ConnectionInfo> keepAliveCandidates(long refreshedBefore) {
        return rows.values().stream().filter(row -> row.eventPending() || row.token().kind() == ConnectionKind.USER
                && row.token().status() == ConnectionStatus.ACTIVE && row.token().refreshedAt() < refreshedBefore)
                .map(InMemoryTokenTable::info).toList();
    }

    @Override
    public synchronized Deletion delete(StoredToken seen) {
        Row row = rows.get(seen.connectionId());
        if (!atVersion(row, seen.version())) {
            return row != null ? Deletion.CHANGED : Deletion.GONE;
        }
        rows.remove(seen.connectionId());
        return Deletion.DELETED;
    }

    @Override
    public synchronized Optional<ConnectionInfo> describe(String connectionId) {
        return Optional.ofNullable(rows.get(connectionId)).map(InMemoryTokenTable::info);
    }

    @Override
    public synchronized Page list(int pageSize, String startAfter) {
        List<ConnectionInfo> page = new ArrayList<>();
        for (Row row : (startAfter == null ? rows : ((TreeMap<String, Row>) rows).tailMap(startAfter, false)).values()) {
            if (page.size() == pageSize) {
                return new Page(page, page.get(page.size() - 1).connectionId());
            }
            page.add(info(row));
        }
        return new Page(page, null);
    }

    @Override
    public synchronized List<ConnectionInfo> authorizedBy(String zoomUserId) {
        return rows.values().stream().filter(row -> zoomUserId.equals(row.token().zoomUserId())).map(InMemoryTokenTable::info).toList();
    }

    private static ConnectionInfo info(Row row) {
        StoredToken t = row.token();
        return new ConnectionInfo(t.connectionId(), t.kind(), t.status(), t.accountId(), row.scope(), t.expiresAt(), t.refreshedAt(),
                row.authorizedAt(), t.zoomUserId(), row.zoomAccountId(), t.version(), row.lastError(), row.eventPending());
    }

    /** DynamoDbTokenStore's version condition: version 0 stands for an item without one, or none at all. */
    private static boolean atVersion(Row row, long seenVersion) {
        long version = row == null ? 0 : row.token().version();
        return version == seenVersion;
    }

    /** A write of {@code after} over {@code row} (null: none yet), which keeps what descriptions add. */
    private WriteOutcome applied(Row row, StoredToken after) {
        rows.put(after.connectionId(), row == null ? new Row(after, null, 0, null, null, false) : row.with(after));
        return new WriteOutcome(true, after);
    }

    private static WriteOutcome failed(Row row, String writeId) {
        return WriteOutcome.conditionFailed(row == null ? null : row.token(), writeId);
    }
}
