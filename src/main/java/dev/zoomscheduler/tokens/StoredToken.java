package dev.zoomscheduler.tokens;

import java.time.Instant;

/**
 * One item of the token table: a connection's tokens as last written, with its version and refresh lease.
 *
 * @param expiresAt epoch seconds at which {@code accessToken} expires (0 forces a refresh)
 * @param refreshLeaseOwner instance that holds the refresh lease, or null
 * @param refreshLeaseUntil epoch milliseconds at which that lease runs out
 */
public record StoredToken(
        String connectionId,
        String accessToken,
        String refreshToken,
        long expiresAt,
        long version,
        ConnectionStatus status,
        String refreshLeaseOwner,
        long refreshLeaseUntil) {

    /** True if the access token is still valid at {@code instant}. */
    public boolean validAt(Instant instant) {
        return accessToken != null && !accessToken.isEmpty() && expiresAt > instant.getEpochSecond();
    }

    public boolean leasedAt(Instant now) {
        return refreshLeaseOwner != null && refreshLeaseUntil > now.toEpochMilli();
    }

    public boolean sameRefreshToken(StoredToken other) {
        return other != null && refreshToken != null && refreshToken.equals(other.refreshToken);
    }

    /** Never print the tokens: records would otherwise put them in every log line and exception that mentions one. */
    @Override
    public String toString() {
        return "StoredToken[connectionId=" + connectionId + ", version=" + version + ", status=" + status
                + ", expiresAt=" + expiresAt + ", leased=" + (refreshLeaseOwner != null) + "]";
    }
}
