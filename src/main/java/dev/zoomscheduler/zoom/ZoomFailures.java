package dev.zoomscheduler.zoom;

import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;

import dev.zoomscheduler.problems.ProblemException;
import dev.zoomscheduler.problems.ProblemType;

/** Turns Zoom's failures (no answer, or an error status) into the problems this function answers. */
public final class ZoomFailures {

    /** Used when Zoom answers 429 without a usable {@code Retry-After}: its per-second limits clear within a second. */
    private static final Duration DEFAULT_RATE_LIMIT_WAIT = Duration.ofSeconds(1);
    private static final Duration UNAVAILABLE_WAIT = Duration.ofSeconds(5);
    /**
     * The wordings of Zoom's daily meeting create/update limit seen so far: "You have exceeded the daily rate limit (100) of
     * Meeting Create/Update API requests ...", "Reached the maximum daily rate limit for this API ...", and the older "A
     * maximum of 100 meetings can be created/updated for a single user in one day." Its body's code is 429, as the per-second
     * limit's is: Zoom has no code of its own for it, so the message is what tells them apart.
     */
    private static final Pattern DAILY_LIMIT = Pattern.compile("\\b(daily|per day|in one day)\\b", Pattern.CASE_INSENSITIVE);

    private ZoomFailures() {
    }

    /**
     * Zoom could not be reached, or did not answer in time. The cause is not kept: its text may name the request. A connection
     * that was never made (refused, no such host) sent nothing.
     */
    public static ProblemException unreachable(String what, Throwable failure) {
        if (isTimeout(failure)) {
            return new ProblemException(ProblemType.ZOOM_TIMEOUT, ProblemType.ZOOM_TIMEOUT.status(),
                    what + " did not answer in time.", null, null, UNAVAILABLE_WAIT);
        }
        ProblemException unavailable = new ProblemException(ProblemType.ZOOM_UNAVAILABLE, ProblemType.ZOOM_UNAVAILABLE.status(),
                what + " could not be reached.", null, null, UNAVAILABLE_WAIT);
        return neverConnected(failure) ? unavailable.beforeZoom() : unavailable;
    }

    private static boolean neverConnected(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof ConnectException || cause instanceof UnknownHostException) {
                return true;
            }
        }
        return false;
    }

    /**
     * The problem for an error answer of Zoom's.
     *
     * @param zoomCode Zoom's {@code code}, if its body had one
     * @param zoomMessage Zoom's {@code message} (or OAuth {@code reason}), shown to the caller
     */
    public static ProblemException fromStatus(String what, int status, String retryAfterHeader, Integer zoomCode, String zoomMessage) {
        return fromStatus(what, status, retryAfterHeader, null, zoomCode, zoomMessage);
    }

    /** As above, with Zoom's {@code X-RateLimit-Type} header (API calls; the token endpoint has no daily limit). */
    public static ProblemException fromStatus(String what, int status, String retryAfterHeader, String rateLimitType, Integer zoomCode,
            String zoomMessage) {
        String detail = what + " answered " + status + (zoomMessage == null || zoomMessage.isBlank() ? "." : ": " + zoomMessage);
        if (status == 429 && isDailyLimit(rateLimitType, zoomMessage)) {
            return new ProblemException(ProblemType.ZOOM_DAILY_LIMIT, 429, detail, zoomCode, null,
                    RetryAfter.untilNextUtcMidnight(Instant.now()));
        }
        if (status == 429) {
            return new ProblemException(ProblemType.ZOOM_RATE_LIMITED, 429, detail, zoomCode, null,
                    RetryAfter.parse(retryAfterHeader, Instant.now()).orElse(DEFAULT_RATE_LIMIT_WAIT));
        }
        if (status >= 500) {
            return new ProblemException(ProblemType.ZOOM_UNAVAILABLE, 502, detail, zoomCode, null, UNAVAILABLE_WAIT);
        }
        if (status == 404) {
            return new ProblemException(ProblemType.ZOOM_NOT_FOUND, 404, detail, zoomCode, null, null);
        }
        if (status == 401) {
            // Zoom refused an access token that was just issued or refreshed: nothing the caller can change.
            return new ProblemException(ProblemType.ZOOM_REJECTED, 502, detail, zoomCode, null, null);
        }
        return new ProblemException(ProblemType.ZOOM_REJECTED, status >= 400 ? status : 502, detail, zoomCode, null, null);
    }

    /**
     * Whether Zoom's 429 is the daily meeting create/update limit, which no retry before 00:00 UTC can pass: said by
     * its {@code X-RateLimit-Type: Daily-limit} header or by its message (either may come without the other, and without
     * {@code Retry-After}).
     */
    private static boolean isDailyLimit(String rateLimitType, String zoomMessage) {
        return "daily-limit".equalsIgnoreCase(rateLimitType == null ? null : rateLimitType.trim())
                || zoomMessage != null && DAILY_LIMIT.matcher(zoomMessage).find();
    }

    private static boolean isTimeout(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof SocketTimeoutException || cause instanceof TimeoutException
                    || cause.getClass().getSimpleName().contains("Timeout")) {
                return true;
            }
        }
        return false;
    }
}
