package dev.zoomscheduler.tokens;

import java.time.Instant;
import java.util.Optional;

import dev.zoomscheduler.connections.ConnectionError;

/**
 * Persistence of connections' tokens, for the rotation protocol (docs/token-refresh.md). Every write is conditional: at least on the
 * {@code version} of the item it was computed from (an item without {@code version} counts as version 0, and version 0
 * also matches an item that does not exist yet), and on what each method adds below; it increments the version. A write
 * whose condition fails changes nothing and returns the item as the condition found it.
 *
 * <p>Every write carries a {@code writeId} and leaves it in the item. A write whose answer was lost is sent again (by the
 * AWS SDK, or by the protocol with the same id); its repeat then fails its condition on the write's own result. Such a
 * repeat counts as applied ({@link WriteOutcome#conditionFailed}), so that no protocol mistakes its own write for another
 * instance's and undoes it (step 12).
 */
public interface TokenStore {

    /** Strongly consistent read of a connection's item. */
    Optional<StoredToken> read(String connectionId);

    /**
     * Takes the refresh lease until {@code leaseUntil}: if the item is still at {@code seen.version()} and holds no lease that
     * runs past {@code now} (by this instance's clock). Creates the item of a Server-to-Server connection that has none.
     */
    WriteOutcome acquireRefreshLease(StoredToken seen, String owner, Instant leaseUntil, Instant now, String writeId);

    /**
     * Stores the tokens that Zoom issued for {@code seen.refreshToken()} and drops the lease (whoever holds it), and any error
     * recorded before and pending event (the connection is healthy again). The condition is the version and, for a user connection, that the
     * item still holds that refresh token; the lease is not checked, so the protocol retries on the version found when another
     * instance took over a lapsed lease but stored nothing.
     */
    WriteOutcome storeRefreshed(StoredToken seen, TokenGrant grant, String writeId);

    /**
     * Gives the lease back after a refresh that failed for a passing reason, so others need not wait for it to run out, and
     * records that failure as the connection's last error (its health): the one write that the failure costs anyway
     * (version only).
     */
    WriteOutcome releaseRefreshLease(StoredToken seen, ConnectionError failure, String writeId);

    /**
     * Records that Zoom refused {@code seen.refreshToken()} for good, and why and when: if the version and that refresh token are
     * unchanged. With {@code eventPending}, the item also says that the {@code Connection Needs Reauthorization} event of this
     * occurrence is not published yet, until {@link ConnectionStore#noteReauthorizationAnnounced} removes it.
     */
    WriteOutcome markReauthorizationRequired(StoredToken seen, ConnectionError why, boolean eventPending, String writeId);

    /**
     * Result of a conditional write.
     *
     * @param applied whether the write happened (an earlier attempt of the same write included)
     * @param item the item after the write if applied, otherwise the item as the failed condition found it (null if it no longer exists)
     */
    record WriteOutcome(boolean applied, StoredToken item) {

        /** A failed condition: applied after all if what it found is this very write's earlier attempt. */
        public static WriteOutcome conditionFailed(StoredToken found, String writeId) {
            return new WriteOutcome(found != null && writeId.equals(found.writeId()), found);
        }
    }
}
