package dev.zoomscheduler.idempotency;

import java.util.regex.Pattern;

import dev.zoomscheduler.problems.ProblemException;

/** Idempotency keys: chosen by callers ({@code Idempotency-Key}, {@code idempotencyKey}) or an SQS message id. */
public final class IdempotencyKeys {

    public static final String HEADER = "Idempotency-Key";
    private static final Pattern VALID = Pattern.compile("[A-Za-z0-9._:@/+=-]{1,255}");

    private IdempotencyKeys() {
    }

    public static boolean isValid(String key) {
        return key != null && VALID.matcher(key).matches();
    }

    /** The key, or a problem naming {@code field}. */
    public static String require(String key, String field) {
        if (!isValid(key)) {
            throw ProblemException.invalidRequest(field,
                    "Must be 1 to 255 characters of letters, digits and . _ : @ / + = -");
        }
        return key;
    }
}
