package dev.zoomscheduler.problems;

/**
 * What a failure says of its request: whether a retry of the same request can change the answer, and whether Zoom may
 * have acted. The one place that sorts problems so (docs/events-and-idempotency.md, "Idempotency"): only {@link #FINAL} answers are stored
 * for an idempotency key and replayed; every other failure leaves the key retryable. A type not named here is
 * {@link #PASSING}: never stored, always retried, which is the safe side.
 */
public enum Finality {

    /** Zoom's verdict on the request itself (its 4xx): a retry gets the same. Stored and replayed; a queued request is dropped. */
    FINAL(false),
    /** Refused here, before Zoom was called, for what the request says: nothing was done, so nothing is stored; not retried. */
    REFUSED(false),
    /** Nothing was done at Zoom, and a later retry may succeed: not stored; retried. */
    PASSING(true),
    /** Zoom may or may not have acted (no answer, a 5xx): not stored; the next attempt looks at Zoom before it acts. */
    OUTCOME_UNKNOWN(true);

    private final boolean retryable;

    Finality(boolean retryable) {
        this.retryable = retryable;
    }

    /** Whether trying the same request again later may succeed (SQS delivers such a message again). */
    public boolean retryable() {
        return retryable;
    }

    public static Finality of(ProblemException problem) {
        Finality finality = byType(problem);
        // Zoom cannot have acted on what never reached it (no access token, a refused connection)
        return finality == OUTCOME_UNKNOWN && problem.happenedBeforeZoom() ? PASSING : finality;
    }

    private static Finality byType(ProblemException problem) {
        return switch (problem.type()) {
            // A 4xx about the request; a 502 is Zoom refusing an access token just issued (ZoomFailures), a 408 its own timeout.
            case ZOOM_REJECTED -> problem.status() < 500 && problem.status() != 408 ? FINAL : PASSING;
            case ZOOM_NOT_FOUND, CREATE_OUTCOME_UNKNOWN -> FINAL;
            case ZOOM_UNAVAILABLE, ZOOM_TIMEOUT, INTERNAL -> OUTCOME_UNKNOWN;
            case INVALID_REQUEST, PAYLOAD_TOO_LARGE, UNSUPPORTED_MEDIA_TYPE, NOT_FOUND, METHOD_NOT_ALLOWED, NOT_ACCEPTABLE,
                    IDEMPOTENCY_KEY_REUSED, CONNECTION_NOT_FOUND, CONNECTION_IS_SERVER_TO_SERVER -> REFUSED;
            // Rate and daily limits, token refresh busy or refused, token store down, the same request in progress,
            // re-authorisation required, app credentials missing: each can pass.
            default -> PASSING;
        };
    }
}
