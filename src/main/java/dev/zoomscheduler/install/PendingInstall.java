package dev.zoomscheduler.install;

import java.time.Instant;

/**
 * An install that was started and not yet completed: what its {@code state} is bound to.
 *
 * @param stateHash SHA-256 of the state (hex); the state itself is stored nowhere, so a read of the table cannot forge a callback
 * @param redirectUri the {@code redirect_uri} sent to Zoom, which the code exchange must repeat
 */
public record PendingInstall(String stateHash, String connectionId, String redirectUri, Instant expiresAt) {
}
