package dev.zoomscheduler.management;

import java.time.Instant;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonInclude.Include;
import com.fasterxml.jackson.annotation.JsonProperty;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * A connection as {@code GET /connections} describes it, never with its tokens: Zoom's snake_case, but for
 * {@code lastRefreshedAt}, {@code health} and {@code lastError} (docs/connecting-accounts.md, "Health"). The times of the
 * access token are null when unknown; the other fields are left out when they do not apply.
 */
@RegisterForReflection
@Schema(name = "Connection", description = "A connection, never with its tokens.", example = """
        {"id": "alice", "kind": "user", "status": "active", "zoom_user_id": "KDcuGIm1QgePTO8WbOqwIQ",
         "zoom_account_id": "Mn7YmR5xS1CWCo2IQKBPqA", "scope": "meeting:read meeting:write user:read",
         "expires_at": "2026-11-28T10:15:00Z", "authorized_at": "2026-11-20T08:00:00Z",
         "lastRefreshedAt": "2026-11-28T09:15:00Z", "health": "ok"}""")
public record ConnectionView(
        @Schema(required = true) String id,
        @Schema(required = true, enumeration = { "user", "account" }) String kind,
        @Schema(required = true, enumeration = { "active", "reauthorization_required", "revoked" }) String status,
        @JsonProperty("account_id") @JsonInclude(Include.NON_NULL) @Schema(description = "Server-to-Server connections: the Zoom account")
        String accountId,
        @JsonProperty("zoom_user_id") @JsonInclude(Include.NON_NULL) String zoomUserId,
        @JsonProperty("zoom_account_id") @JsonInclude(Include.NON_NULL) String zoomAccountId,
        @JsonInclude(Include.NON_NULL) String scope,
        @JsonProperty("expires_at") @Schema(required = true, nullable = true, description = "when the current access token expires")
        Instant expiresAt,
        @JsonProperty("authorized_at") @Schema(required = true, nullable = true) Instant authorizedAt,
        @JsonInclude(Include.NON_NULL) @Schema(description = "the last token request whose result it holds (ISO-8601 UTC); absent if none here")
        Instant lastRefreshedAt,
        @Schema(required = true, enumeration = { "ok", "refresh_failing", "reauthorization_required" },
                description = "refresh_failing: the last token request failed for a passing reason (tried again);"
                        + " reauthorization_required: Zoom refused the chain for good, or the user removed the app") String health,
        @JsonInclude(Include.NON_NULL) @Schema(description = "why, with refresh_failing or reauthorization_required") LastError lastError,
        @JsonProperty("reauthorize_url") @JsonInclude(Include.NON_NULL) @Schema(description = "present when the app must be installed again")
        String reauthorizeUrl) {

    /** Why the connection's last token request failed, or why its chain is gone, and when. */
    @RegisterForReflection
    @Schema(name = "ConnectionError")
    public record LastError(
            @Schema(required = true, description = "a problem's name (zoom-unavailable, ...), refresh_token_refused or app_deauthorized")
            String reason,
            @Schema(required = true) String detail,
            @Schema(required = true) Instant when) {
    }
}
