package dev.zoomscheduler.meetings;

import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;

import dev.zoomscheduler.problems.Problem.FieldError;

/**
 * Zoom's rules for a meeting body, checked before Zoom is called so that a bad request costs no Zoom call and no rate
 * limit. Fields this class does not know pass through unchecked: Zoom has many more, and its documentation's examples
 * must work unchanged.
 */
public final class MeetingRules {

    static final Set<Integer> TYPES = Set.of(1, 2, 3, 8);
    private static final Set<Integer> RECURRING_TYPES = Set.of(3, 8);
    private static final int TOPIC_MAX = 200;
    private static final int AGENDA_MAX = 2000;
    private static final Pattern PASSWORD = Pattern.compile("[A-Za-z0-9@\\-_*]{1,10}");
    /** Zoom's two forms: UTC with {@code Z}, or local time in the {@code timezone} field's zone. */
    private static final Pattern START_TIME = Pattern.compile("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}Z?");
    private static final Pattern UTC_TIME = Pattern.compile("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}Z");
    private static final Pattern WEEKDAYS = Pattern.compile("[1-7](,[1-7])*");
    private static final Set<String> BOOLEAN_SETTINGS = Set.of("host_video", "participant_video", "join_before_host",
            "mute_upon_entry", "waiting_room", "watermark", "use_pmi", "cn_meeting", "in_meeting", "enforce_login",
            "registrants_email_notification", "registrants_confirmation_email", "meeting_authentication",
            "allow_multiple_devices", "email_notification", "private_meeting", "host_save_video_order",
            "recording_authentication", "close_registration", "show_share_button", "focus_mode");
    private static final Map<String, Set<Integer>> NUMBER_SETTINGS = Map.of(
            "approval_type", Set.of(0, 1, 2),
            "registration_type", Set.of(1, 2, 3),
            "jbh_time", Set.of(0, 5, 10, 15));
    private static final Map<String, Set<String>> TEXT_SETTINGS = Map.of(
            "audio", Set.of("both", "telephony", "voip", "thirdParty"),
            "auto_recording", Set.of("local", "cloud", "none"),
            "encryption_type", Set.of("enhanced_encryption", "e2ee"));
    /** Longest {@code repeat_interval} per recurrence type: 90 days, 12 weeks, 3 months. */
    private static final Map<Integer, Integer> MAX_REPEAT_INTERVAL = Map.of(1, 90, 2, 12, 3, 3);
    private static final int MAX_END_TIMES = 365;
    private static final int REPLACEMENT_CHARACTER = 0xFFFD;
    private static final Set<String> ZONES = Set.copyOf(ZoneId.getAvailableZoneIds());

    private MeetingRules() {
    }

    /** Problems of a new meeting's body; empty if Zoom may be called. */
    public static List<FieldError> forCreate(JsonNode meeting) {
        return check(meeting, false);
    }

    /** Problems of a meeting update (reschedule or any updatable field); empty if Zoom may be called. */
    public static List<FieldError> forUpdate(JsonNode changes) {
        return check(changes, true);
    }

    private static List<FieldError> check(JsonNode body, boolean update) {
        Checks checks = new Checks();
        if (update && body.isEmpty()) {
            checks.fail("body", "Name at least one field to change.");
            return checks.errors;
        }
        checks.text(body, "topic", TOPIC_MAX);
        checks.text(body, "agenda", AGENDA_MAX);
        checks.oneOf(body, "type", TYPES);
        checks.positive(body, "duration");
        checks.startTime(body);
        checks.timezone(body, "timezone");
        checks.pattern(body, "password", PASSWORD, "at most 10 characters of a-z, A-Z, 0-9, @, -, _ and *");
        checks.text(body, "schedule_for", 256);
        checks.text(body, "template_id", 256);
        checks.bool(body, "default_password");
        checks.bool(body, "pre_schedule");
        checks.settings(body.get("settings"));
        checks.recurrence(body, update);
        checks.trackingFields(body.get("tracking_fields"));
        return checks.errors;
    }

    /** Collects every refused field, so one answer names them all. */
    private static final class Checks {
        final List<FieldError> errors = new ArrayList<>();

        void fail(String field, String detail) {
            errors.add(new FieldError(field, detail));
        }

        void text(JsonNode parent, String name, int maxCharacters) {
            text(parent, name, name, maxCharacters);
        }

        void text(JsonNode parent, String name, String field, int maxCharacters) {
            JsonNode value = parent.get(name);
            if (value == null) {
                return;
            }
            if (!value.isTextual()) {
                fail(field, "Must be a string.");
            } else if (value.textValue().codePointCount(0, value.textValue().length()) > maxCharacters) {
                fail(field, "Must have at most " + maxCharacters + " characters.");
            } else if (!isPlainText(value.textValue())) {
                fail(field, "Must be valid text: no control characters other than line breaks and tabs, no broken characters.");
            }
        }

        /**
         * Text a person could have typed: what a Zoom topic or agenda should hold. U+FFFD, the replacement character, is
         * what bytes that were not UTF-8 became on their way here.
         */
        private static boolean isPlainText(String text) {
            return text.codePoints().noneMatch(c -> (Character.isISOControl(c) && c != '\n' && c != '\r' && c != '\t')
                    || Character.getType(c) == Character.SURROGATE || c == REPLACEMENT_CHARACTER);
        }

        void oneOf(JsonNode parent, String name, Set<Integer> allowed) {
            oneOf(parent, name, name, allowed);
        }

        void oneOf(JsonNode parent, String name, String field, Set<Integer> allowed) {
            JsonNode value = parent.get(name);
            if (value != null && !(value.isIntegralNumber() && value.canConvertToInt() && allowed.contains(value.intValue()))) {
                fail(field, "Must be one of " + sorted(allowed) + ".");
            }
        }

        void textOneOf(JsonNode parent, String name, String field, Set<String> allowed) {
            JsonNode value = parent.get(name);
            if (value != null && !(value.isTextual() && allowed.contains(value.textValue()))) {
                fail(field, "Must be one of " + sorted(allowed) + ".");
            }
        }

        void positive(JsonNode parent, String name) {
            integerIn(parent, name, name, 1, Integer.MAX_VALUE);
        }

        void integerIn(JsonNode parent, String name, String field, int min, int max) {
            JsonNode value = parent.get(name);
            if (value != null && !(value.isIntegralNumber() && value.canConvertToInt() && value.intValue() >= min && value.intValue() <= max)) {
                fail(field, max == Integer.MAX_VALUE ? "Must be a whole number of at least " + min + "."
                        : "Must be a whole number from " + min + " to " + max + ".");
            }
        }

        void bool(JsonNode parent, String name) {
            bool(parent, name, name);
        }

        void bool(JsonNode parent, String name, String field) {
            JsonNode value = parent.get(name);
            if (value != null && !value.isBoolean()) {
                fail(field, "Must be true or false.");
            }
        }

        void pattern(JsonNode parent, String name, Pattern pattern, String rule) {
            JsonNode value = parent.get(name);
            if (value != null && !(value.isTextual() && pattern.matcher(value.textValue()).matches())) {
                fail(name, "Must be " + rule + ".");
            }
        }

        void startTime(JsonNode body) {
            JsonNode value = body.get("start_time");
            if (value != null && !(value.isTextual() && isDateTime(value.textValue(), START_TIME))) {
                fail("start_time", "Must be yyyy-MM-ddTHH:mm:ssZ (UTC) or yyyy-MM-ddTHH:mm:ss (in 'timezone').");
            }
        }

        void timezone(JsonNode parent, String name) {
            JsonNode value = parent.get(name);
            if (value != null && !(value.isTextual() && ZONES.contains(value.textValue()))) {
                fail(name, "Must be an IANA time zone such as 'Asia/Tokyo' or 'UTC'.");
            }
        }

        void settings(JsonNode settings) {
            if (settings == null) {
                return;
            }
            if (!settings.isObject()) {
                fail("settings", "Must be an object.");
                return;
            }
            for (String name : BOOLEAN_SETTINGS) {
                bool(settings, name, "settings." + name);
            }
            NUMBER_SETTINGS.forEach((name, allowed) -> oneOf(settings, name, "settings." + name, allowed));
            TEXT_SETTINGS.forEach((name, allowed) -> textOneOf(settings, name, "settings." + name, allowed));
            text(settings, "alternative_hosts", "settings.alternative_hosts", 1024);
        }

        void recurrence(JsonNode body, boolean update) {
            JsonNode recurrence = body.get("recurrence");
            if (recurrence == null) {
                return;
            }
            JsonNode type = body.get("type");
            boolean recurringType = type != null && type.canConvertToInt() && RECURRING_TYPES.contains(type.intValue());
            if (!recurrence.isObject()) {
                fail("recurrence", "Must be an object.");
                return;
            }
            if (!recurringType && !(update && type == null)) {
                fail("recurrence", "Only meetings of type 3 or 8 recur.");
                return;
            }
            JsonNode recurrenceType = recurrence.get("type");
            if (recurrenceType == null) {
                fail("recurrence.type", "Required: 1 (daily), 2 (weekly) or 3 (monthly).");
            } else {
                oneOf(recurrence, "type", "recurrence.type", MAX_REPEAT_INTERVAL.keySet());
            }
            if (recurrenceType != null && recurrenceType.canConvertToInt() && MAX_REPEAT_INTERVAL.containsKey(recurrenceType.intValue())) {
                integerIn(recurrence, "repeat_interval", "recurrence.repeat_interval", 1, MAX_REPEAT_INTERVAL.get(recurrenceType.intValue()));
            }
            JsonNode weeklyDays = recurrence.get("weekly_days");
            if (weeklyDays != null && !(weeklyDays.isTextual() && WEEKDAYS.matcher(weeklyDays.textValue()).matches())) {
                fail("recurrence.weekly_days", "Must be days 1 (Sunday) to 7 (Saturday), separated by commas, such as \"2,4\".");
            }
            integerIn(recurrence, "monthly_day", "recurrence.monthly_day", 1, 31);
            oneOf(recurrence, "monthly_week", "recurrence.monthly_week", Set.of(-1, 1, 2, 3, 4));
            integerIn(recurrence, "monthly_week_day", "recurrence.monthly_week_day", 1, 7);
            integerIn(recurrence, "end_times", "recurrence.end_times", 1, MAX_END_TIMES);
            JsonNode endDateTime = recurrence.get("end_date_time");
            if (endDateTime != null && !(endDateTime.isTextual() && isDateTime(endDateTime.textValue(), UTC_TIME))) {
                fail("recurrence.end_date_time", "Must be yyyy-MM-ddTHH:mm:ssZ (UTC).");
            }
            if (endDateTime != null && recurrence.has("end_times")) {
                fail("recurrence", "Give end_times or end_date_time, not both.");
            }
        }

        void trackingFields(JsonNode fields) {
            if (fields == null) {
                return;
            }
            if (!fields.isArray()) {
                fail("tracking_fields", "Must be an array of {\"field\", \"value\"} objects.");
                return;
            }
            Iterator<JsonNode> each = fields.elements();
            for (int index = 0; each.hasNext(); index++) {
                JsonNode field = each.next();
                if (!field.isObject() || !field.path("field").isTextual()) {
                    fail("tracking_fields[" + index + "]", "Must be an object with a string 'field'.");
                }
            }
        }

        private static boolean isDateTime(String value, Pattern form) {
            if (!form.matcher(value).matches()) {
                return false;
            }
            try {
                LocalDateTime.parse(value.endsWith("Z") ? value.substring(0, value.length() - 1) : value);
                return true;
            } catch (DateTimeParseException e) {
                return false;
            }
        }

        private static <T extends Comparable<T>> List<T> sorted(Set<T> values) {
            return values.stream().sorted().toList();
        }
    }
}
