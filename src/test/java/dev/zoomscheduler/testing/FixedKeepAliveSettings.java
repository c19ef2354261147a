package dev.zoomscheduler.testing;

import dev.zoomscheduler.management.KeepAliveSettings;

/** Keep-alive settings given in code, for tests that build the keep-alive run themselves. */
public record FixedKeepAliveSettings(int afterDays, int maxConnections) implements KeepAliveSettings {

    /** The application's defaults: KEEPALIVE_AFTER_DAYS 7, KEEPALIVE_MAX_CONNECTIONS 100. */
    public static FixedKeepAliveSettings defaults() {
        return new FixedKeepAliveSettings(7, 100);
    }
}
