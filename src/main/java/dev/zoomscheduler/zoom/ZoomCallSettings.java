package dev.zoomscheduler.zoom;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;

/** How calls to Zoom's REST API are timed and retried (application.properties, overridable by environment variables). */
@ConfigMapping(prefix = "zoom.calls")
public interface ZoomCallSettings {

    /** Longest wait for one answer ({@code ZOOM_READ_TIMEOUT_MS}); shorter when the invocation has less time left. */
    Duration timeout();

    /** Attempts of a call that may be repeated, the first included ({@code ZOOM_MAX_ATTEMPTS}). */
    int maxAttempts();

    /** A rate limit whose Retry-After is longer than this is answered to the caller rather than waited out. */
    Duration longestRetryWait();

    /** Kept free before the invocation's deadline to answer (and to record the outcome) after the last attempt. */
    Duration answerMargin();
}
