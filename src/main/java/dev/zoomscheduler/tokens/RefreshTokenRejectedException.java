package dev.zoomscheduler.tokens;

/** Zoom answered {@code invalid_grant}: the refresh token is dead (used already, revoked, or expired). */
public class RefreshTokenRejectedException extends Exception {

    public RefreshTokenRejectedException() {
        super("Zoom refused the refresh token (invalid_grant)", null, false, false);
    }
}
