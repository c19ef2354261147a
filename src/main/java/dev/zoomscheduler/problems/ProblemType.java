package dev.zoomscheduler.problems;

/**
 * Every kind of problem this function answers, with its status and title. The {@code type} URI of each is
 * {@code /problems/<slug>}; docs/http-api.md documents them.
 */
public enum ProblemType {
    INVALID_REQUEST("invalid-request", 400, "The request is invalid"),
    NOT_FOUND("not-found", 404, "No such resource"),
    METHOD_NOT_ALLOWED("method-not-allowed", 405, "Method not allowed"),
    NOT_ACCEPTABLE("not-acceptable", 406, "No acceptable representation"),
    PAYLOAD_TOO_LARGE("payload-too-large", 413, "The request body is too large"),
    UNSUPPORTED_MEDIA_TYPE("unsupported-media-type", 415, "The request body must be JSON"),
    IDEMPOTENCY_KEY_REUSED("idempotency-key-reused", 422, "The idempotency key was used for another request"),
    REQUEST_IN_PROGRESS("request-in-progress", 409, "The same request is still in progress"),
    REQUEST_NOT_FOUND("request-not-found", 404, "No request has this idempotency key"),
    CONNECTION_NOT_FOUND("connection-not-found", 404, "No such Zoom connection"),
    REAUTHORIZATION_REQUIRED("reauthorization-required", 409, "The Zoom connection must be authorised again"),
    CONNECTION_IS_SERVER_TO_SERVER("connection-is-server-to-server", 409, "The connection is a Server-to-Server OAuth connection"),
    INSTALL_STATE_INVALID("install-state-invalid", 400, "The installation link is invalid, expired or already used"),
    CONSENT_DENIED("consent-denied", 403, "The Zoom user did not authorise the app"),
    AUTHORIZATION_CODE_REFUSED("authorization-code-refused", 400, "Zoom refused the authorisation"),
    WEBHOOK_SIGNATURE_INVALID("webhook-signature-invalid", 401, "The webhook signature is missing, stale or wrong"),
    WEBHOOKS_NOT_CONFIGURED("webhooks-not-configured", 503, "Zoom webhooks are not configured"),
    ZOOM_REJECTED("zoom-rejected", 400, "Zoom refused the request"),
    ZOOM_NOT_FOUND("zoom-not-found", 404, "Zoom does not know this resource"),
    ZOOM_RATE_LIMITED("zoom-rate-limited", 429, "Zoom's rate limit was reached"),
    ZOOM_DAILY_LIMIT("zoom-daily-limit", 429, "Zoom's daily limit of meeting creates and updates for this user was reached"),
    ZOOM_UNAVAILABLE("zoom-unavailable", 502, "Zoom failed to answer"),
    ZOOM_TIMEOUT("zoom-timeout", 504, "Zoom did not answer in time"),
    CREATE_OUTCOME_UNKNOWN("create-outcome-unknown", 502, "Zoom may have created the meeting, and it cannot be told apart from others"),
    ZOOM_NOT_CONFIGURED("zoom-not-configured", 500, "The Zoom app credentials are missing or refused"),
    TOKEN_REFRESH_BUSY("token-refresh-busy", 503, "The Zoom access token is being refreshed; try again shortly"),
    INVOCATION_TIME_SHORT("invocation-time-short", 503, "Too little of the invocation's time is left to do this safely; try again"),
    SIGNED_REQUEST_REQUIRED("signed-request-required", 403, "This route takes only signed (IAM-authorised) requests"),
    TOKEN_STORE_UNAVAILABLE("token-store-unavailable", 503, "The token store is unavailable"),
    INTERNAL("internal-error", 500, "Internal error");

    private final String slug;
    private final int status;
    private final String title;

    ProblemType(String slug, int status, String title) {
        this.slug = slug;
        this.status = status;
        this.title = title;
    }

    /** The type of a problem document, by its {@code type} URI; {@link #INTERNAL} if unknown. */
    public static ProblemType fromUri(String uri) {
        for (ProblemType type : values()) {
            if (type.uri().equals(uri)) {
                return type;
            }
        }
        return INTERNAL;
    }

    public String uri() {
        return "/problems/" + slug;
    }

    /** The last part of {@link #uri()}, the problem's name (as a connection's last error names it). */
    public String slug() {
        return slug;
    }

    public int status() {
        return status;
    }

    public String title() {
        return title;
    }
}
