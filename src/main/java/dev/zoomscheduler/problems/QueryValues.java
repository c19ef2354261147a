package dev.zoomscheduler.problems;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import jakarta.ws.rs.core.MultivaluedMap;

import dev.zoomscheduler.problems.Problem.FieldError;

/** Query parameters: those shared by the list routes (meetings, connections), and the rule of the routes that change. */
public final class QueryValues {

    public static final int MAX_PAGE_SIZE = 300;
    /** A refused parameter's name is shown in the problem; an absurdly long one is cut. */
    private static final int SHOWN_NAME = 64;

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

    /**
     * Refuses, on a route that creates, changes or deletes, every query parameter but {@code allowed}, and one given more
     * than once. Dropping a parameter the function does not know would act on more than was asked: {@code DELETE
     * /meetings/{id}?occurence_id=...} (misspelt) would delete the whole series.
     */
    public static void onlyThese(MultivaluedMap<String, String> query, Set<String> allowed) {
        List<FieldError> errors = new ArrayList<>();
        new TreeMap<>(query).forEach((name, values) -> {
            if (!allowed.contains(name)) {
                String shown = name.length() > SHOWN_NAME ? name.substring(0, SHOWN_NAME) + "..." : name;
                errors.add(new FieldError(shown, "Is not a query parameter of this route" + (allowed.isEmpty() ? " (it takes none)"
                        : " (it takes " + String.join(", ", new TreeSet<>(allowed)) + ")") + "; nothing was done."));
            } else if (values.size() > 1) {
                errors.add(new FieldError(name, "Must be given once."));
            }
        });
        if (!errors.isEmpty()) {
            throw ProblemException.invalidRequest(errors);
        }
    }

    /** {@code true} or {@code false}, or null if not given; anything else is an error added to {@code errors}. */
    public static Boolean bool(String raw, String field, List<FieldError> errors) {
        if (raw == null) {
            return null;
        }
        if (raw.equals("true") || raw.equals("false")) {
            return Boolean.valueOf(raw);
        }
        errors.add(new FieldError(field, "Must be true or false."));
        return null;
    }
}
