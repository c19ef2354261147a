package dev.zoomscheduler.problems;

import java.util.List;

/**
 * A header that must appear at most once, with one value. The framework splits a header at commas and would otherwise
 * quietly take the first part of {@code X-Zoom-Connection: a,b}; API Gateway also joins repeated headers with commas.
 */
public final class HeaderValues {

    private HeaderValues() {
    }

    /** The header's one value, or null if it is absent. */
    public static String single(List<String> values, String header) {
        if (values == null || values.isEmpty()) {
            return null;
        }
        if (values.size() > 1) {
            throw ProblemException.invalidRequest(header, "Give one value, once.");
        }
        return values.get(0);
    }
}
