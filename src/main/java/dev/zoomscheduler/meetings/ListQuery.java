package dev.zoomscheduler.meetings;

import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

import dev.zoomscheduler.problems.Problem.FieldError;
import dev.zoomscheduler.problems.ProblemException;
import dev.zoomscheduler.problems.QueryValues;

/** The query of a meeting list, passed to Zoom as given once it is known to be valid; absent values are null. */
public record ListQuery(String type, Integer pageSize, String nextPageToken, String from, String to) {

    private static final Set<String> TYPES = Set.of("scheduled", "live", "upcoming", "upcoming_meetings", "previous_meetings");
    private static final Pattern PAGE_TOKEN = Pattern.compile("[A-Za-z0-9._~+/=-]{1,512}");

    /** Validates the raw query parameters. */
    public static ListQuery of(String type, String pageSize, String nextPageToken, String from, String to) {
        List<FieldError> errors = new ArrayList<>();
        if (type != null && !TYPES.contains(type)) {
            errors.add(new FieldError("type", "Must be one of " + TYPES.stream().sorted().toList() + "."));
        }
        Integer size = QueryValues.pageSize(pageSize, null, errors);
        if (nextPageToken != null && !nextPageToken.isEmpty() && !PAGE_TOKEN.matcher(nextPageToken).matches()) {
            errors.add(new FieldError("next_page_token", "Must be a token from an earlier page."));
        }
        checkDate(from, "from", errors);
        checkDate(to, "to", errors);
        if (!errors.isEmpty()) {
            throw ProblemException.invalidRequest(errors);
        }
        return new ListQuery(type, size, nextPageToken == null || nextPageToken.isEmpty() ? null : nextPageToken, from, to);
    }

    private static void checkDate(String value, String field, List<FieldError> errors) {
        if (value == null) {
            return;
        }
        try {
            LocalDate.parse(value);
        } catch (DateTimeParseException e) {
            errors.add(new FieldError(field, "Must be a date as yyyy-MM-dd."));
        }
    }
}
