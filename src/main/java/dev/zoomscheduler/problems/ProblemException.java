package dev.zoomscheduler.problems;

import java.time.Duration;
import java.util.List;

/**
 * An error that is answered as a problem document. Its message is shown to callers, so it must never hold a token or secret.
 */
public class ProblemException extends RuntimeException {

    private final ProblemType type;
    private final int status;
    private final Integer zoomCode;
    private final List<Problem.FieldError> errors;
    private final Duration retryAfter;
    /** Whether nothing of the request reached Zoom (it failed on the way: no token, no connection): then Zoom did nothing. */
    private final boolean beforeZoom;

    public ProblemException(ProblemType type, String detail) {
        this(type, type.status(), detail, null, null, null);
    }

    public ProblemException(ProblemType type, int status, String detail, Integer zoomCode, List<Problem.FieldError> errors,
            Duration retryAfter) {
        this(type, status, detail, zoomCode, errors, retryAfter, false);
    }

    private ProblemException(ProblemType type, int status, String detail, Integer zoomCode, List<Problem.FieldError> errors,
            Duration retryAfter, boolean beforeZoom) {
        super(detail, null, false, false);
        this.type = type;
        this.status = status;
        this.zoomCode = zoomCode;
        this.errors = errors;
        this.retryAfter = retryAfter;
        this.beforeZoom = beforeZoom;
    }

    /** The same problem, known to have happened before any of the request reached Zoom. */
    public ProblemException beforeZoom() {
        return beforeZoom ? this : new ProblemException(type, status, getMessage(), zoomCode, errors, retryAfter, true);
    }

    /** The same problem, with another Retry-After. */
    public ProblemException retryAfter(Duration wait) {
        return new ProblemException(type, status, getMessage(), zoomCode, errors, wait, beforeZoom);
    }

    public boolean happenedBeforeZoom() {
        return beforeZoom;
    }

    /** DynamoDB unreachable or throttled past the SDK's retries: a passing condition, so 503 with a wait. */
    public static ProblemException storeUnavailable() {
        return new ProblemException(ProblemType.TOKEN_STORE_UNAVAILABLE, ProblemType.TOKEN_STORE_UNAVAILABLE.status(),
                "The token store did not answer; try again shortly.", null, null, Duration.ofSeconds(2));
    }

    /** Input refused before anything was sent or written, naming the field (a JSON field, header or parameter). */
    public static ProblemException invalidRequest(String field, String detail) {
        return invalidRequest(List.of(new Problem.FieldError(field, detail)));
    }

    public static ProblemException invalidRequest(List<Problem.FieldError> errors) {
        Problem.FieldError first = errors.get(0);
        String detail = errors.size() == 1 ? first.field() + ": " + first.detail()
                : errors.size() + " fields are invalid; first " + first.field() + ": " + first.detail();
        return new ProblemException(ProblemType.INVALID_REQUEST, 400, detail, null, List.copyOf(errors), null);
    }

    public ProblemType type() {
        return type;
    }

    public int status() {
        return status;
    }

    public Integer zoomCode() {
        return zoomCode;
    }

    /** How long a caller should wait before trying again, or null. */
    public Duration retryAfter() {
        return retryAfter;
    }

    public Problem toProblem() {
        return new Problem(type.uri(), type.title(), status, getMessage(), zoomCode, errors);
    }
}
