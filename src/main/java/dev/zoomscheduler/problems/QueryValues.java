package dev.zoomscheduler.problems;

import java.util.List;

import dev.zoomscheduler.problems.Problem.FieldError;

/** Query parameters shared by the list routes (meetings, connections). */
public final class QueryValues {

    public static final int MAX_PAGE_SIZE = 300;

    private QueryValues() {
    }

    /** {@code page_size} as a number from 1 to 300, or {@code absent} if not given; an error is added to {@code errors}. */
    public static Integer pageSize(String raw, Integer absent, List<FieldError> errors) {
        if (raw == null) {
            return absent;
        }
        try {
            int size = Integer.parseInt(raw);
            if (size >= 1 && size <= MAX_PAGE_SIZE) {
                return size;
            }
        } catch (NumberFormatException e) {
            // added to errors below
        }
        errors.add(new FieldError("page_size", "Must be a whole number from 1 to " + MAX_PAGE_SIZE + "."));
        return absent;
    }
}
