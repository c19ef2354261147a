package dev.zoomscheduler.webhooks;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import io.quarkus.runtime.annotations.RegisterForReflection;

/** The answer to Zoom's {@code endpoint.url_validation} challenge, in the names Zoom expects. */
@RegisterForReflection
public record UrlValidationAnswer(
        @Schema(required = true) String plainToken,
        @Schema(required = true, description = "hex(HMAC-SHA256(secret token, plainToken))") String encryptedToken) {
}
