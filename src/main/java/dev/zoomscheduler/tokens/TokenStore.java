package dev.zoomscheduler.tokens;

import java.time.Instant;
import java.util.Optional;

/**
 * Persistence of connections' tokens. Every write is conditional on the {@code version} of the item it was
 * computed from and increments it; a write whose condition fails changes nothing and returns the item as it is now.
 */
public interface TokenStore {

    /** Strongly consistent read of a connection's item. */
    Optional<StoredToken> read(String connectionId);

    /** Takes the refresh lease if the item is still at {@code seen.version()} and no unexpired lease is held. */
    WriteOutcome acquireRefreshLease(StoredToken seen, String owner, Instant leaseUntil, Instant now);

    /**
     * Stores the tokens that Zoom issued for {@code seen.refreshToken()} and drops the lease. The condition is the version
     * and that refresh token, so it also succeeds after another instance took over an expired lease but stored nothing.
     */
    WriteOutcome storeRefreshed(StoredToken seen, TokenGrant grant);

    /** Gives the lease back after a refresh that did not happen, so others need not wait for it to run out. */
    WriteOutcome releaseRefreshLease(StoredToken seen);

    /** Records that Zoom refused {@code seen.refreshToken()} for good. */
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
