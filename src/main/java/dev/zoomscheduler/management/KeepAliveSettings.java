package dev.zoomscheduler.management;

import io.smallrye.config.ConfigMapping;

/** Settings of the keep-alive run (application.properties, overridable by environment variables). */
@ConfigMapping(prefix = "keepalive")
public interface KeepAliveSettings {

    /** A user connection whose last token request is older than this many days is refreshed ({@code KEEPALIVE_AFTER_DAYS}). */
    int afterDays();

    /** The most connections one run refreshes ({@code KEEPALIVE_MAX_CONNECTIONS}); the rest are the next run's. */
    int maxConnections();
}
