package dev.zoomscheduler.tokens;

import java.time.Instant;
import java.util.Optional;

/**
 * Persistence of connections' tokens, for the rotation protocol. Every write is conditional: at least on the
 * {@code version} of the item it was computed from (an item without {@code version} counts as version 0, and version 0
 * also matches an item that does not exist yet), and on what each method adds below; it increments the version. A write
 * whose condition fails changes nothing and returns the item as the condition found it.
 */
public interface TokenStore {

    /** Strongly consistent read of a connection's item. */
    Optional<StoredToken> read(String connectionId);

    /**
     * Takes the refresh lease until {@code leaseUntil}: if the item is still at {@code seen.version()} and holds no lease that
     * runs past {@code now} (by this instance's clock). Creates the item of a Server-to-Server connection that has none.
     */
    WriteOutcome acquireRefreshLease(StoredToken seen, String owner, Instant leaseUntil, Instant now);

    /**
     * Stores the tokens that Zoom issued for {@code seen.refreshToken()} and drops the lease (whoever holds it). The condition
     * is the version and, for a user connection, that the item still holds that refresh token; the lease is not checked, so
     * the protocol retries on the version found when another instance took over a lapsed lease but stored nothing.
     */
    WriteOutcome storeRefreshed(StoredToken seen, TokenGrant grant);

    /** Gives the lease back after a refresh that did not happen, so others need not wait for it to run out (version only). */
    WriteOutcome releaseRefreshLease(StoredToken seen);

    /** Records that Zoom refused {@code seen.refreshToken()} for good: if the version and that refresh token are unchanged. */
    WriteOutcome markReauthorizationRequired(StoredToken seen);

    /**
     * Result of a conditional write.
     *
     * @param applied whether the write happened
     * @param item the item after the write if applied, otherwise the item as the failed condition found it (null if it no longer exists)
     */
    record WriteOutcome(boolean applied, StoredToken item) {
    }
}
