package dev.zoomscheduler.connections;

import java.util.Locale;

/** What {@code GET /connections} says of a connection's chance of getting its next access token. */
public enum ConnectionHealth {
    /** Its last token request succeeded (or none failed since it was stored). */
    OK,
    /** Its last token request failed for a passing reason (Zoom unreachable, a rate limit, our client refused): it is tried again. */
    REFRESH_FAILING,
    /** Zoom refused its chain for good, or the user removed the app: only a new install revives it. */
    REAUTHORIZATION_REQUIRED;

    /** As {@code GET /connections} and the metric's dimension write it: the name in lower case. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
