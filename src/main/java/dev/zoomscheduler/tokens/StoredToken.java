package dev.zoomscheduler.tokens;

import java.time.Instant;

import dev.zoomscheduler.connections.ConnectionKind;
import dev.zoomscheduler.connections.ConnectionStatus;

/**
 * One item of the token table: a connection's tokens as last written, with its version and refresh lease.
 *
 * @param expiresAt epoch seconds at which {@code accessToken} expires (0 forces a refresh)
 * @param version the item's version; 0 for a Server-to-Server connection that has no item yet
 * @param accountId the Zoom account of an {@link ConnectionKind#ACCOUNT} connection
 * @param refreshLeaseOwner instance that holds the refresh lease, or null
 * @param refreshLeaseUntil epoch milliseconds at which that lease runs out
 * @param zoomUserId the Zoom user who authorised the app (null if unknown, or a Server-to-Server connection)
 * @param writeId names the write that made this version of the item: a write that meets its own earlier attempt (its answer
 *        was lost and it was sent again) knows it by this id
 * @param authorizationId names the install that stored the chain; refreshes keep it, a new install replaces it (null if
 *        the chain was seeded by hand)
 * @param refreshedAt epoch seconds of the last token request that the item holds the result of (0: none here, seeded by hand)
 */
public record StoredToken(
        String connectionId,
        String accessToken,
        String refreshToken,
        long expiresAt,
        long version,
        ConnectionStatus status,
        ConnectionKind kind,
        String accountId,
        String refreshLeaseOwner,
        long refreshLeaseUntil,
        String zoomUserId,
        String writeId,
        String authorizationId,
        long refreshedAt) {

    /** A Server-to-Server connection that has never been written: its first write creates the item. */
    public static StoredToken newAccountConnection(String connectionId, String accountId) {
        return new StoredToken(connectionId, null, null, 0, 0, ConnectionStatus.ACTIVE, ConnectionKind.ACCOUNT, accountId, null, 0, null, null, null, 0);
    }

    /** This item read as a Server-to-Server connection of {@code account} (configuration overrides what was stored). */
    public StoredToken asAccount(String account) {
        return new StoredToken(connectionId, accessToken, refreshToken, expiresAt, version, status, ConnectionKind.ACCOUNT, account,
                refreshLeaseOwner, refreshLeaseUntil, zoomUserId, writeId, authorizationId, refreshedAt);
    }

    /** True if the access token is still valid at {@code instant}. */
    public boolean validAt(Instant instant) {
        return accessToken != null && !accessToken.isEmpty() && expiresAt > instant.getEpochSecond();
    }

    public boolean leasedAt(Instant now) {
        return refreshLeaseOwner != null && refreshLeaseUntil > now.toEpochMilli();
    }

    /** Whether the item holds a token request made at {@code epochSecond} or later. */
    public boolean refreshedSince(long epochSecond) {
        return refreshedAt >= epochSecond;
    }

    /** Whether the item needs a new authorisation before it can be used. */
    public boolean unusable() {
        return status != ConnectionStatus.ACTIVE;
    }

    public boolean sameRefreshToken(StoredToken other) {
        return other != null && refreshToken != null && refreshToken.equals(other.refreshToken);
    }

    /** Whether this item holds the tokens of {@code grant} (its refresh token; an account's access token). */
    public boolean holds(TokenGrant grant) {
        return grant.refreshToken() != null ? grant.refreshToken().equals(refreshToken) : grant.accessToken().equals(accessToken);
    }

    /** Whether this item holds the chain that the install {@code authorizationId} stored (refreshed since, or not). */
    public boolean fromInstall(String authorizationId) {
        return authorizationId != null && authorizationId.equals(this.authorizationId);
    }

    /** Never print the tokens: records would otherwise put them in every log line and exception that mentions one. */
    @Override
    public String toString() {
        return "StoredToken[connectionId=" + connectionId + ", kind=" + kind + ", version=" + version + ", status=" + status
                + ", expiresAt=" + expiresAt + ", leased=" + (refreshLeaseOwner != null) + "]";
    }
}
