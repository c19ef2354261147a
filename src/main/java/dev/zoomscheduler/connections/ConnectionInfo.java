package dev.zoomscheduler.connections;

/**
 * What may be shown of a connection: everything but its tokens, which are never read for it.
 *
 * @param expiresAt epoch seconds at which the current access token expires (0: none yet)
 * @param refreshedAt epoch seconds of the last token request (0: never)
 * @param authorizedAt epoch seconds at which a user last installed the app for it (0: never, e.g. seeded by hand)
 * @param lastError why the last token request failed, or why the chain is gone; null if none failed since the last success
 * @param reauthorizationEventPending the {@code Connection Needs Reauthorization} event of the chain's end is not known to be
 *        published yet
 */
public record ConnectionInfo(
        String connectionId,
        ConnectionKind kind,
        ConnectionStatus status,
        String accountId,
        String scope,
        long expiresAt,
        long refreshedAt,
        long authorizedAt,
        String zoomUserId,
        String zoomAccountId,
        long version,
        ConnectionError lastError,
        boolean reauthorizationEventPending) {

    /** A Server-to-Server connection that has never been written. */
    public static ConnectionInfo newAccountConnection(String connectionId, String accountId) {
        return new ConnectionInfo(connectionId, ConnectionKind.ACCOUNT, ConnectionStatus.ACTIVE, accountId, null, 0, 0, 0, null, null, 0,
                null, false);
    }

    /** This connection described as a Server-to-Server connection of {@code account} (configuration overrides the item). */
    public ConnectionInfo asAccount(String account) {
        return new ConnectionInfo(connectionId, ConnectionKind.ACCOUNT, status, account, scope, expiresAt, refreshedAt, authorizedAt,
                zoomUserId, zoomAccountId, version, lastError, reauthorizationEventPending);
    }

    public ConnectionHealth health() {
        if (status != ConnectionStatus.ACTIVE) {
            return ConnectionHealth.REAUTHORIZATION_REQUIRED;
        }
        return lastError != null ? ConnectionHealth.REFRESH_FAILING : ConnectionHealth.OK;
    }
}
