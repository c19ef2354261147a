package dev.zoomscheduler.meetings;

import java.util.regex.Pattern;

import dev.zoomscheduler.problems.ProblemException;

/** Meeting and user ids as Zoom writes them; anything else (path tricks included) is refused before Zoom is called. */
public final class Identifiers {

    private static final Pattern MEETING_ID = Pattern.compile("[0-9]{1,19}");
    /** Zoom's occurrence ids are the occurrence's start in epoch milliseconds (13 digits now): digits, bounded like a meeting id. */
    private static final Pattern OCCURRENCE_ID = MEETING_ID;
    /** {@code me}, a Zoom user id, or an email address. */
    private static final Pattern USER_ID = Pattern.compile("[A-Za-z0-9._%+@-]{1,128}");

    private Identifiers() {
    }

    public static boolean isMeetingId(String value) {
        return value != null && MEETING_ID.matcher(value).matches();
    }

    public static String meetingId(String value, String field) {
        if (!isMeetingId(value)) {
            throw ProblemException.invalidRequest(field, "Must be a numeric Zoom meeting id.");
        }
        return value;
    }

    public static boolean isOccurrenceId(String value) {
        return value != null && OCCURRENCE_ID.matcher(value).matches();
    }

    /** One occurrence of a recurring meeting, or null if {@code value} is null (the whole meeting). */
    public static String occurrenceId(String value, String field) {
        if (value != null && !isOccurrenceId(value)) {
            throw ProblemException.invalidRequest(field, "Must be the numeric id of an occurrence (Zoom's occurrence_id), 1 to 19 digits.");
        }
        return value;
    }

    public static String userId(String value, String field) {
        if (value == null || !USER_ID.matcher(value).matches() || value.startsWith(".")) {
            throw ProblemException.invalidRequest(field, "Must be 'me', a Zoom user id or an email address.");
        }
        return value;
    }
}
