package dev.zoomscheduler.connections;

/** What {@code GET /connections} says of a connection's chance of getting its next access token. */
public enum ConnectionHealth {
    /** Its last token request succeeded (or none failed since it was stored). */
    OK("ok"),
    /** Its last token request failed for a passing reason (Zoom unreachable, a rate limit, our client refused): it is tried again. */
    REFRESH_FAILING("refresh_failing"),
    /** Zoom refused its chain for good, or the user removed the app: only a new install revives it. */
    REAUTHORIZATION_REQUIRED("reauthorization_required");

    private final String wireName;

    ConnectionHealth(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }
}
