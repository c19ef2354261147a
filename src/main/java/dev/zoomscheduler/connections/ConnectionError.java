package dev.zoomscheduler.connections;

import java.time.Instant;
import java.time.temporal.ChronoUnit;

import dev.zoomscheduler.problems.ProblemException;
import dev.zoomscheduler.problems.ProblemType;

/**
 * Why a connection's last token request failed, and when; kept in its item until a token request succeeds. Never a token:
 * the detail is in this function's own words.
 *
 * @param reason for a refresh that failed for a passing reason (health {@code refresh_failing}), the name of the problem it
 *        was (such as {@code zoom-unavailable}); for a chain that is gone (health {@code reauthorization_required}),
 *        {@link #REFRESH_TOKEN_REFUSED} or {@link #APP_DEAUTHORIZED}
 * @param at when it happened, to the millisecond (as it is stored: whoever reads it back tells the same time)
 */
public record ConnectionError(String reason, String detail, Instant at) {

    public ConnectionError {
        at = at.truncatedTo(ChronoUnit.MILLIS);
    }

    /** Zoom refused the refresh token for good ({@code invalid_grant}: used, revoked or expired). */
    public static final String REFRESH_TOKEN_REFUSED = "refresh_token_refused";
    /** The Zoom user removed the app ({@code app_deauthorized}). */
    public static final String APP_DEAUTHORIZED = "app_deauthorized";

    /** A token request that failed for a passing reason: its problem's name and message (which never hold a token). */
    public static ConnectionError passing(RuntimeException failure, Instant at) {
        if (failure instanceof ProblemException problem) {
            return new ConnectionError(problem.type().slug(), problem.getMessage(), at);
        }
        return new ConnectionError(ProblemType.INTERNAL.slug(), "The token request failed: " + failure.getClass().getSimpleName() + ".", at);
    }

    public static ConnectionError refreshTokenRefused(Instant at) {
        return new ConnectionError(REFRESH_TOKEN_REFUSED, "Zoom refused the refresh token (invalid_grant): the app must be"
                + " authorised again.", at);
    }

    public static ConnectionError appDeauthorized(Instant at) {
        return new ConnectionError(APP_DEAUTHORIZED, "The Zoom user removed the app (app_deauthorized): it must be installed again.", at);
    }
}
