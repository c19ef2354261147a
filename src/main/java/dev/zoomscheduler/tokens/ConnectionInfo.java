package dev.zoomscheduler.tokens;

/**
 * What may be shown of a connection: everything but its tokens, which are never read for it.
 *
 * @param expiresAt epoch seconds at which the current access token expires (0: none yet)
 * @param refreshedAt epoch seconds of the last token request (0: never)
 * @param authorizedAt epoch seconds at which a user last installed the app for it (0: never, e.g. seeded by hand)
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
        long version) {
}
