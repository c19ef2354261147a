package dev.zoomscheduler.tokens;

import java.time.Instant;

/** Tokens that Zoom's token endpoint issued, with their absolute expiry. */
public record TokenGrant(String accessToken, String refreshToken, long expiresAt, String scope, Instant issuedAt) {

    @Override
    public String toString() {
        return "TokenGrant[expiresAt=" + expiresAt + ", scope=" + scope + "]";
    }
}
