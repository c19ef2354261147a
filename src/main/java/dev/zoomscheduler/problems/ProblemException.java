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

    public ProblemException(ProblemType type, String detail) {
        this(type, type.status(), detail, null, null, null);
    }

    public ProblemException(ProblemType type, int status, String detail, Integer zoomCode, List<Problem.FieldError> errors,
            Duration retryAfter) {
        super(detail, null, false, false);
        this.type = type;
        this.status = status;
        this.zoomCode = zoomCode;
        this.errors = errors;
        this.retryAfter = retryAfter;
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
