package dev.zoomscheduler.tokens;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import dev.zoomscheduler.connections.ConnectionError;
import dev.zoomscheduler.connections.ConnectionHealth;
import dev.zoomscheduler.connections.ConnectionKind;
import dev.zoomscheduler.connections.ConnectionStatus;
import dev.zoomscheduler.observability.Metrics;
import dev.zoomscheduler.problems.ProblemException;
import dev.zoomscheduler.problems.ProblemType;
import dev.zoomscheduler.time.Backoff;
import dev.zoomscheduler.tokens.TokenStore.WriteOutcome;
import dev.zoomscheduler.zoom.AccessTokens;

/**
 * Hands out a connection's Zoom access token and refreshes it so that the refresh-token chain survives any number of
 * concurrent instances: Zoom rotates the refresh token on every refresh and the old one dies at once, so exactly one
 * refresh may happen per expiry, and its result must be stored. The protocol is the numbered list of
 * docs/token-refresh.md; the comments below name the steps each method implements. The keep-alive run
 * ({@link #keepAlive}) goes through the same steps, with "refreshed lately" in place of "a usable access token" as what
 * step 3 looks for.
 */
@ApplicationScoped
public class TokenRotation implements AccessTokens {

    private static final Logger LOG = Logger.getLogger(TokenRotation.class);
    /** Zoom's access tokens live an hour: a larger margin would refresh on every request. */
    private static final Duration MAX_MARGIN = Duration.ofMinutes(30);
    /** How far apart two instances' clocks may be: a lapsed lease's holder may still be at work this long. */
    private static final Duration CLOCK_SKEW = Duration.ofSeconds(2);

    private final TokenStore store;
    private final DefaultAccountConnection defaultAccount;
    private final ZoomTokenEndpoint zoom;
    private final Clock clock;
    private final Metrics metrics;
    private final ReauthorizationAlerts alerts;
    private final RefreshBudget budget;
    private final Backoff backoff;
    private final Duration margin;
    private final Duration waitTimeout;
    /** Names this instance as lease owner; only for operators reading the table. */
    private final String instanceId = UUID.randomUUID().toString();
    private final Map<String, StoredToken> held = new ConcurrentHashMap<>();
    private final Map<String, ReentrantLock> refreshLocks = new ConcurrentHashMap<>();
    /** Refreshed pairs that DynamoDB did not take: the only copy of a live refresh token, stored again at the next request. */
    private final Map<String, PendingSave> unsaved = new ConcurrentHashMap<>();

    public TokenRotation(TokenStore store, DefaultAccountConnection defaultAccount, ZoomTokenEndpoint zoom, Clock clock,
            TokenSettings settings, RefreshBudget budget, Metrics metrics, ReauthorizationAlerts alerts, Backoff backoff) {
        this.store = store;
        this.alerts = alerts;
        this.backoff = backoff;
        this.defaultAccount = defaultAccount;
        this.zoom = zoom;
        this.clock = clock;
        this.metrics = metrics;
        this.budget = budget;
        this.margin = settings.refreshMargin().compareTo(MAX_MARGIN) > 0 ? MAX_MARGIN : settings.refreshMargin();
        this.waitTimeout = settings.waitTimeout();
    }

    /** Step 1, else the rest from step 2. */
    @Override
    public String accessToken(String connectionId, Instant deadline) {
        StoredToken token = held.get(connectionId);
        if (token != null && usable(token, null) && !unsaved.containsKey(connectionId)) {
            return token.accessToken();
        }
        return singleFlight(connectionId, new UsableToken(null), deadline).accessToken();
    }

    /** Step 10. */
    @Override
    public String replaceRejected(String connectionId, String rejectedAccessToken, Instant deadline) {
        return singleFlight(connectionId, new UsableToken(rejectedAccessToken), deadline).accessToken();
    }

    /** What a keep-alive call did with a connection. */
    public enum KeepAlive {
        /** This call took the lease and refreshed the chain (or, refused by Zoom, found that another had just done it). */
        REFRESHED,
        /** Its chain was refreshed lately enough already (by another run or a request, perhaps meanwhile), or it has none (Server-to-Server). */
        FRESH
    }

    /**
     * Refreshes the connection's chain unless its last token request was at {@code refreshedBefore} (epoch seconds) or later,
     * by the protocol's steps 2 to 9 and 11: under its lease, once however many runs and requests meet on it. A refresh that fails
     * throws its problem (recorded as the connection's health); a refused chain, {@code reauthorization-required}; too little
     * time left, {@code invocation-time-short}, before Zoom is called.
     */
    public KeepAlive keepAlive(String connectionId, long refreshedBefore, Instant deadline) {
        RefreshedLately goal = new RefreshedLately(refreshedBefore);
        singleFlight(connectionId, goal, deadline);
        return goal.refreshedHere ? KeepAlive.REFRESHED : KeepAlive.FRESH;
    }

    /** Forgets what this instance holds of a connection (after it was deleted, revoked or authorised again). */
    public void forget(String connectionId) {
        held.remove(connectionId);
        unsaved.remove(connectionId);
    }

    /**
     * Forgets the access tokens held of every connection (SnapStart: none may be in a snapshot). Pending saves stay:
     * each is the only copy of a live refresh token, and there are none before a first invocation anyway.
     */
    public void forgetAll() {
        held.clear();
    }

    /** Step 2, and step 11's pending store before anything else. */
    private StoredToken singleFlight(String connectionId, Goal goal, Instant deadline) {
        Instant waitLimit = earliest(clock.instant().plus(waitTimeout), budget.waitLimit(deadline));
        ReentrantLock lock = refreshLocks.computeIfAbsent(connectionId, id -> new ReentrantLock());
        try {
            long millis = Duration.between(clock.instant(), waitLimit).toMillis();
            if (!lock.tryLock(Math.max(0, millis), TimeUnit.MILLISECONDS)) {
                throw busy(connectionId);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw busy(connectionId);
        }
        try {
            savePending(connectionId, deadline);
            StoredToken token = held.get(connectionId);
            if (token == null || !goal.reached(token)) {
                token = obtain(connectionId, token, goal, new Limits(deadline, waitLimit));
                held.put(connectionId, token);
            }
            return token;
        } finally {
            lock.unlock();
        }
    }

    /** Steps 3 to 8: from what this instance knows of the item (null: nothing) to an item that serves the goal. */
    private StoredToken obtain(String connectionId, StoredToken known, Goal goal, Limits limits) {
        StoredToken item = known != null ? known : read(connectionId);
        for (int round = 0;; round++) {
            if (item.unusable()) {
                held.remove(connectionId);
                throw reauthorizationRequired(item);
            }
            if (goal.reached(item)) {
                return item;
            }
            Instant now = clock.instant();
            if (now.isAfter(limits.waitUntil())) {
                throw busy(connectionId);
            }
            if (item.leasedAt(now)) { // step 4
                pause(round, limits.waitUntil());
                metrics.millis("LeaseWait", Duration.between(now, clock.instant()).toMillis(), "Protocol", "refresh");
                item = read(connectionId);
                continue;
            }
            if (!budget.fits(now, limits.deadline(), budget.refresh())) { // step 5
                return goal.withoutRefresh(item);
            }
            // a lapsed lease: its holder may still be at work until its lease end
            Instant formerLeaseEnd = item.refreshLeaseOwner() == null ? null : Instant.ofEpochMilli(item.refreshLeaseUntil());
            WriteOutcome lease = store.acquireRefreshLease(item, instanceId, now.plus(budget.lease()), now, newWriteId()); // step 6
            if (!lease.applied()) {
                item = existing(connectionId, lease.item());
                continue;
            }
            item = refreshUnderLease(lease.item(), formerLeaseEnd, limits.deadline());
            if (goal.reachedByRefresh(item)) {
                return item;
            }
        }
    }

    /** What a caller needs of a connection's item, and what it does when there is no time to refresh it. */
    private interface Goal {

        boolean reached(StoredToken item);

        /** Step 5: too little time is left to refresh; the item as it is serves, or a problem. */
        StoredToken withoutRefresh(StoredToken item);

        /** Whether the item that this instance's refresh left serves. */
        boolean reachedByRefresh(StoredToken item);
    }

    /** A request: an access token valid beyond the margin, and not the one Zoom just refused ({@code rejected}, or null). */
    private final class UsableToken implements Goal {
        private final String rejected;

        UsableToken(String rejected) {
            this.rejected = rejected;
        }

        @Override
        public boolean reached(StoredToken item) {
            return usable(item, rejected);
        }

        /** A token that is still valid serves this request; otherwise 503. */
        @Override
        public StoredToken withoutRefresh(StoredToken item) {
            if (item.validAt(clock.instant()) && !Objects.equals(item.accessToken(), rejected)) {
                return item;
            }
            metrics.count("TokenRefreshes", "Result", "deferred");
            throw timeShort("Too little of this invocation's time is left to refresh the Zoom access token of connection '"
                    + item.connectionId() + "' safely; try again.");
        }

        /** Just refreshed: valid even if Zoom issued a token shorter-lived than the margin. */
        @Override
        public boolean reachedByRefresh(StoredToken item) {
            return item.status() == ConnectionStatus.ACTIVE && item.validAt(clock.instant()) && !Objects.equals(item.accessToken(), rejected);
        }
    }

    /** The keep-alive: a chain refreshed at {@code refreshedBefore} or later; a Server-to-Server connection has none to keep. */
    private final class RefreshedLately implements Goal {
        private final long refreshedBefore;
        /** Whether this call's own refresh left the item as it is. */
        private boolean refreshedHere;

        RefreshedLately(long refreshedBefore) {
            this.refreshedBefore = refreshedBefore;
        }

        @Override
        public boolean reached(StoredToken item) {
            return item.kind() == ConnectionKind.ACCOUNT || item.refreshedSince(refreshedBefore);
        }

        @Override
        public StoredToken withoutRefresh(StoredToken item) {
            throw timeShort("Too little of this invocation's time is left to refresh the chain of connection '" + item.connectionId()
                    + "' safely; the next keep-alive run does.");
        }

        /** Refreshed by this call: done, whatever the item says of the time (never a second refresh in one call). */
        @Override
        public boolean reachedByRefresh(StoredToken item) {
            refreshedHere = item.status() == ConnectionStatus.ACTIVE;
            return refreshedHere;
        }
    }

    /** Steps 7 to 9; returns the item as it is afterwards. */
    private StoredToken refreshUnderLease(StoredToken leased, Instant formerLeaseEnd, Instant deadline) {
        TokenGrant grant;
        try {
            grant = leased.kind() == ConnectionKind.ACCOUNT ? accountToken(leased) : zoom.refresh(leased.refreshToken());
        } catch (RefreshTokenRejectedException e) {
            return afterRejectedRefresh(leased, formerLeaseEnd, deadline);
        } catch (RuntimeException e) {
            releaseLease(leased, ConnectionError.passing(e, clock.instant()));
            throw e;
        }
        return storeRefreshed(leased, grant, deadline);
    }

    private TokenGrant accountToken(StoredToken leased) {
        if (leased.accountId() == null || leased.accountId().isBlank()) {
            throw new ProblemException(ProblemType.ZOOM_NOT_CONFIGURED, "Connection '" + leased.connectionId()
                    + "' is of kind account but names no accountId.");
        }
        return zoom.accountToken(leased.accountId());
    }

    /** Step 7's write, and step 11 if DynamoDB will not take it. */
    private StoredToken storeRefreshed(StoredToken leased, TokenGrant grant, Instant deadline) {
        PendingSave refreshed = new PendingSave(leased, grant, newWriteId());
        StoredToken after;
        try {
            after = save(refreshed);
        } catch (RuntimeException e) {
            unsaved.put(leased.connectionId(), refreshed);
            metrics.count("TokenRefreshes", "Result", "unsaved");
            LOG.errorf("Could not store the refreshed tokens of connection %s (%s); they are kept in memory and stored again"
                    + " at this instance's next request", leased.connectionId(), e.getClass().getSimpleName());
            return new StoredToken(leased.connectionId(), grant.accessToken(), grant.refreshToken(), grant.expiresAt(),
                    leased.version(), ConnectionStatus.ACTIVE, leased.kind(), leased.accountId(), null, 0, leased.zoomUserId(),
                    refreshed.writeId(), leased.authorizationId(), grant.issuedAt().getEpochSecond());
        }
        return afterStore(leased.connectionId(), grant, after, deadline);
    }

    /** A stored pair is the item now; one the item did not take is revoked, and the item as found (if any) wins. */
    private StoredToken afterStore(String connectionId, TokenGrant grant, StoredToken after, Instant deadline) {
        if (after != null && after.holds(grant)) {
            return after;
        }
        discard(connectionId, grant, deadline);
        return existing(connectionId, after);
    }

    /**
     * Stores a refreshed pair on the item as last seen; returns the item afterwards, or as another writer left it (null:
     * deleted). A lost condition is retried on the version found as long as the item still holds the refresh token that was
     * used; DynamoDB's failures a few times, all with the same write id (an attempt that failed may have taken effect).
     */
    private StoredToken save(PendingSave pending) {
        StoredToken seen = pending.seen();
        TokenGrant grant = pending.grant();
        StoredToken basis = seen;
        for (int attempt = 0;; attempt++) {
            WriteOutcome outcome;
            try {
                outcome = store.storeRefreshed(basis, grant, pending.writeId());
            } catch (RuntimeException e) {
                // The new pair exists only here now, and the old refresh token is dead: keep trying.
                LOG.warnf("Storing the refreshed tokens of connection %s failed (attempt %d): %s", seen.connectionId(),
                        attempt + 1, e.getClass().getSimpleName());
                if (attempt + 1 >= RefreshBudget.STORE_ATTEMPTS) {
                    throw e;
                }
                sleep(RefreshBudget.FIRST_STORE_RETRY.multipliedBy(1L << attempt));
                continue;
            }
            if (outcome.applied()) {
                metrics.count("TokenRefreshes", "Result", "stored");
                LOG.infof("Stored the refreshed Zoom tokens of connection %s (version %d)", seen.connectionId(), outcome.item().version());
                return outcome.item();
            }
            StoredToken current = defaultAccount.resolve(seen.connectionId(), Optional.ofNullable(outcome.item())).orElse(null);
            if (current == null || !current.sameRefreshToken(basis)) {
                return current; // deleted, or another chain stored meanwhile (a new authorisation, a revocation): it wins
            }
            basis = current; // same chain, but the version moved on (our lease had run out): ours is the only live pair
        }
    }

    /** A refreshed pair that no item holds is revoked at Zoom (if time allows): a live grant must not be left dangling. */
    private void discard(String connectionId, TokenGrant grant, Instant deadline) {
        forget(connectionId);
        String token = grant.refreshToken() != null ? grant.refreshToken() : grant.accessToken();
        if (!budget.fits(clock.instant(), deadline, budget.tokenCall())) {
            LOG.warnf("Connection %s changed while its tokens were refreshed; too little time was left to revoke the new ones", connectionId);
            return;
        }
        try {
            zoom.revoke(token);
            metrics.count("TokenRefreshes", "Result", "discarded");
            LOG.infof("Connection %s was deleted or authorised anew while its tokens were refreshed; the new ones were revoked", connectionId);
        } catch (RuntimeException e) {
            LOG.warnf("Could not revoke the discarded tokens of connection %s: %s", connectionId, e.getClass().getSimpleName());
        }
    }

    /** Step 11: stores a pair that DynamoDB would not take earlier; until then this instance keeps using it. */
    private void savePending(String connectionId, Instant deadline) {
        PendingSave pending = unsaved.get(connectionId);
        if (pending == null || !budget.fits(clock.instant(), deadline, budget.store())) {
            return;
        }
        StoredToken after;
        try {
            after = save(pending);
        } catch (RuntimeException stillFailing) {
            LOG.errorf("The refreshed tokens of connection %s are still not stored (%s)", connectionId,
                    stillFailing.getClass().getSimpleName());
            return;
        }
        unsaved.remove(connectionId);
        held.put(connectionId, afterStore(connectionId, pending.grant(), after, deadline));
    }

    /**
     * Step 8. If this instance took over a lapsed lease, the former holder may have refreshed and not yet stored: the
     * connection is not declared lost before that holder's worst case (its lease) has passed, plus clock skew.
     */
    private StoredToken afterRejectedRefresh(StoredToken leased, Instant formerLeaseEnd, Instant deadline) {
        StoredToken current = read(leased.connectionId());
        if (formerLeaseEnd != null) {
            Instant formerDone = formerLeaseEnd.plus(CLOCK_SKEW);
            Instant until = earliest(formerDone, budget.waitLimit(deadline));
            for (int round = 0; current.sameRefreshToken(leased) && clock.instant().isBefore(until); round++) {
                pause(round, until);
                current = read(leased.connectionId());
            }
            if (current.sameRefreshToken(leased) && clock.instant().isBefore(formerDone)) {
                // keep the lease: whoever takes it over next waits for this one's end, long after the former holder's
                throw timeShort("Zoom refused the refresh token of connection '" + leased.connectionId()
                        + "' while an earlier refresh may still be storing its result; try again.");
            }
        }
        if (!current.sameRefreshToken(leased)) {
            return current; // another instance refreshed meanwhile: that explains the refusal
        }
        ConnectionError why = ConnectionError.refreshTokenRefused(clock.instant());
        WriteOutcome marked = store.markReauthorizationRequired(current, why, alerts.announces(), newWriteId());
        if (marked.applied()) {
            metrics.count("TokenRefreshes", "Result", "reauthorization_required");
            LOG.warnf("Zoom refused the refresh token of connection %s; it must be authorised again", leased.connectionId());
            alerts.cameToNeedAHuman(leased.connectionId(), why, marked.item().version(), deadline);
        }
        return existing(leased.connectionId(), marked.item());
    }

    /** Step 9, with the failure recorded as the connection's health in the same write. */
    private void releaseLease(StoredToken leased, ConnectionError failure) {
        metrics.count("ConnectionHealth", "Health", ConnectionHealth.REFRESH_FAILING.wireName());
        try {
            store.releaseRefreshLease(leased, failure, newWriteId());
        } catch (RuntimeException e) {
            LOG.warnf("Could not release the refresh lease of connection %s; it runs out by itself: %s",
                    leased.connectionId(), e.getClass().getSimpleName());
        }
    }

    private boolean usable(StoredToken token, String rejected) {
        return token.status() == ConnectionStatus.ACTIVE
                && token.validAt(clock.instant().plus(margin))
                && !Objects.equals(token.accessToken(), rejected);
    }

    private StoredToken read(String connectionId) {
        return defaultAccount.resolve(connectionId, store.read(connectionId)).orElseThrow(() -> connectionNotFound(connectionId));
    }

    /** The item a write found, as the protocol sees it; a problem if the connection no longer exists. */
    private StoredToken existing(String connectionId, StoredToken item) {
        return defaultAccount.resolve(connectionId, Optional.ofNullable(item)).orElseThrow(() -> {
            held.remove(connectionId);
            return connectionNotFound(connectionId);
        });
    }

    /** The two limits of one request's wait: the invocation's end, and how long it may wait for others. */
    private record Limits(Instant deadline, Instant waitUntil) {
    }

    /** A refreshed pair to store over {@code seen}, with the id that every attempt at storing it carries. */
    private record PendingSave(StoredToken seen, TokenGrant grant, String writeId) {
    }

    private static String newWriteId() {
        return UUID.randomUUID().toString();
    }

    private static Instant earliest(Instant one, Instant other) {
        return one.isBefore(other) ? one : other;
    }

    private void pause(int round, Instant until) {
        if (!backoff.pause(round, until)) {
            throw interrupted();
        }
    }

    private void sleep(Duration duration) {
        if (!backoff.sleep(duration)) {
            throw interrupted();
        }
    }

    private static ProblemException interrupted() {
        return new ProblemException(ProblemType.TOKEN_REFRESH_BUSY, "Interrupted while waiting for a token refresh.");
    }

    static ProblemException connectionNotFound(String connectionId) {
        return new ProblemException(ProblemType.CONNECTION_NOT_FOUND, "No Zoom connection '" + connectionId + "' exists.");
    }

    private static ProblemException reauthorizationRequired(StoredToken item) {
        String why = item.status() == ConnectionStatus.REVOKED ? "The app was removed from the Zoom account of connection '"
                : "Zoom refused the refresh token of connection '";
        return new ProblemException(ProblemType.REAUTHORIZATION_REQUIRED, why + item.connectionId()
                + "'. Authorise the app again (GET /oauth/install?connection=" + item.connectionId()
                + "); until then no call is sent to Zoom.");
    }

    private static ProblemException timeShort(String detail) {
        return new ProblemException(ProblemType.INVOCATION_TIME_SHORT, 503, detail, null, null, Duration.ofSeconds(1));
    }

    private static ProblemException busy(String connectionId) {
        return new ProblemException(ProblemType.TOKEN_REFRESH_BUSY, 503, "The Zoom access token of connection '" + connectionId
                + "' is being refreshed by another request; try again shortly.", null, null, Duration.ofSeconds(1));
    }
}
