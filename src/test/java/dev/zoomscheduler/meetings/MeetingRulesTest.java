package dev.zoomscheduler.meetings;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.zoomscheduler.problems.Problem.FieldError;

/** Zoom's rules for a meeting body, checked without a server: what passes, what is refused, and the edges between. */
class MeetingRulesTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    @Test
    void aMeetingAsZoomDocumentsItPassesFieldsTheRulesDoNotKnowIncluded() throws Exception {
        JsonNode documented = JSON.readTree("""
                {"topic":"Weekly sync","type":8,"start_time":"2026-12-14T10:00:00","timezone":"Asia/Tokyo","duration":45,
                 "agenda":"Line one\\nLine two\\twith a tab","password":"a1@-_*","default_password":false,"pre_schedule":false,
                 "schedule_for":"someone@example.com","template_id":"tpl",
                 "settings":{"host_video":true,"approval_type":2,"registration_type":1,"jbh_time":10,"audio":"voip",
                             "auto_recording":"cloud","encryption_type":"e2ee","alternative_hosts":"a@example.com",
                             "breakout_room":{"enable":true}},
                 "recurrence":{"type":2,"repeat_interval":1,"weekly_days":"2,4","end_times":10},
                 "tracking_fields":[{"field":"project","value":"x"}],
                 "a_field_zoom_added_later":{"anything":1}}
                """);

        assertEquals(List.of(), MeetingRules.forCreate(documented));
        assertEquals(List.of(), MeetingRules.forCreate(meeting()));
    }

    @Test
    void everyRefusedFieldIsNamedInTheOneAnswer() {
        ObjectNode body = meeting().put("topic", "x".repeat(201)).put("type", 4).put("duration", 0).put("password", "elevenchars");

        List<FieldError> errors = MeetingRules.forCreate(body);

        assertEquals(List.of("topic", "type", "duration", "password"), errors.stream().map(FieldError::field).toList());
        assertEquals("Must have at most 200 characters.", errors.get(0).detail());
        assertEquals("Must be one of [1, 2, 3, 8].", errors.get(1).detail());
        assertEquals("Must be a whole number of at least 1.", errors.get(2).detail());
    }

    @Test
    void topicAndAgendaAreCountedInCharactersNotUtf16Units() {
        accepted(meeting().put("topic", "x".repeat(200)));
        accepted(meeting().put("topic", "\uD83D\uDE00".repeat(200))); // 200 emoji, 400 UTF-16 units
        refused("topic", meeting().put("topic", "\uD83D\uDE00".repeat(201)));
        accepted(meeting().put("agenda", "x".repeat(2000)));
        refused("agenda", meeting().put("agenda", "x".repeat(2001)));
        refused("topic", meeting().put("topic", 42));
    }

    @Test
    void textNoOneTypedIsRefusedAndLineBreaksAndTabsAreNot() {
        accepted(meeting().put("topic", "Line one\r\nLine two\tafter a tab"));
        for (String broken : List.of("nul \u0000", "escape \u001b[31m", "replacement \uFFFD", "lone surrogate \uD800", "delete \u007f")) {
            assertEquals(List.of(new FieldError("topic",
                    "Must be valid text: no control characters other than line breaks and tabs, no broken characters.")),
                    MeetingRules.forCreate(meeting().put("topic", broken)), broken);
        }
    }

    @Test
    void typeIsOneOfZoomsFourAsANumber() {
        for (int type : new int[] {1, 2, 3, 8}) {
            accepted(meeting().put("type", type));
        }
        refused("type", meeting().put("type", 0));
        refused("type", meeting().put("type", 4));
        refused("type", meeting().put("type", "2"));
        refused("type", meeting().put("type", 2.5));
    }

    @Test
    void durationIsAWholeNumberOfAtLeastOneMinute() {
        accepted(meeting().put("duration", 1));
        accepted(meeting().put("duration", Integer.MAX_VALUE));
        refused("duration", meeting().put("duration", 0));
        refused("duration", meeting().put("duration", -30));
        refused("duration", meeting().put("duration", Integer.MAX_VALUE + 1L));
        refused("duration", meeting().put("duration", 30.5));
        refused("duration", meeting().put("duration", "30"));
    }

    @Test
    void startTimeIsUtcWithZOrLocalTimeInTheTimezoneAndARealDate() {
        accepted(meeting().put("start_time", "2026-12-14T10:00:00Z"));
        accepted(meeting().put("start_time", "2028-02-29T23:59:59"));
        for (String wrong : List.of("2026-02-29T10:00:00Z", "2026-12-14T24:00:00Z", "2026-12-14T10:00Z", "2026-12-14T10:00:00+01:00",
                "2026-12-14 10:00:00Z", "2026-12-14T10:00:00.000Z", "tomorrow")) {
            refused("start_time", meeting().put("start_time", wrong));
        }
    }

    @Test
    void timezoneIsAnIanaZoneSpelledExactly() {
        accepted(meeting().put("timezone", "Asia/Tokyo"));
        accepted(meeting().put("timezone", "UTC"));
        refused("timezone", meeting().put("timezone", "asia/tokyo"));
        refused("timezone", meeting().put("timezone", "Mars/Olympus_Mons"));
        refused("timezone", meeting().put("timezone", 9));
    }

    @Test
    void passwordIsOneToTenOfZoomsCharacters() {
        accepted(meeting().put("password", "a"));
        accepted(meeting().put("password", "aZ09@-_*xy"));
        refused("password", meeting().put("password", "aZ09@-_*xyz"));
        refused("password", meeting().put("password", ""));
        refused("password", meeting().put("password", "pass word"));
        refused("password", meeting().put("password", "p\u00e4ss"));
    }

    @Test
    void settingsAreCheckedByNameUnderSettings() {
        refused("settings", meeting().put("settings", "on"));
        ObjectNode body = meeting();
        body.putObject("settings").put("host_video", "yes").put("approval_type", 3).put("jbh_time", 7).put("audio", "radio")
                .put("waiting_room", true).put("registration_type", 2);

        assertEquals(Set.of("settings.host_video", "settings.approval_type", "settings.jbh_time", "settings.audio"),
                Set.copyOf(fields(MeetingRules.forCreate(body))));
    }

    @Test
    void onlyRecurringTypesRecurAndARecurrenceNamesItsType() {
        refused("recurrence", recurring(2, r -> r.put("type", 1)));
        refused("recurrence", meeting().put("type", 8).put("recurrence", "weekly"));
        refused("recurrence", withRecurrence(meeting().without("type"), r -> r.put("type", 1)));
        refused("recurrence.type", recurring(8, r -> r.put("repeat_interval", 1)));
        refused("recurrence.type", recurring(8, r -> r.put("type", 4)));
        accepted(recurring(3, r -> r.put("type", 1)));
    }

    @Test
    void repeatIntervalIsAtMostNinetyDaysTwelveWeeksOrThreeMonths() {
        int[][] longest = {{1, 90}, {2, 12}, {3, 3}};
        for (int[] each : longest) {
            accepted(recurring(8, r -> r.put("type", each[0]).put("repeat_interval", each[1])));
            refused("recurrence.repeat_interval", recurring(8, r -> r.put("type", each[0]).put("repeat_interval", each[1] + 1)));
            refused("recurrence.repeat_interval", recurring(8, r -> r.put("type", each[0]).put("repeat_interval", 0)));
        }
    }

    @Test
    void theDaysOfARecurrenceAreInZoomsRanges() {
        accepted(recurring(8, r -> r.put("type", 2).put("weekly_days", "1,7")));
        for (String days : List.of("0", "8", "2,,4", "2, 4", "")) {
            refused("recurrence.weekly_days", recurring(8, r -> r.put("type", 2).put("weekly_days", days)));
        }
        accepted(recurring(8, r -> r.put("type", 3).put("monthly_day", 1)));
        accepted(recurring(8, r -> r.put("type", 3).put("monthly_day", 31)));
        refused("recurrence.monthly_day", recurring(8, r -> r.put("type", 3).put("monthly_day", 0)));
        refused("recurrence.monthly_day", recurring(8, r -> r.put("type", 3).put("monthly_day", 32)));
        accepted(recurring(8, r -> r.put("type", 3).put("monthly_week", -1).put("monthly_week_day", 7)));
        refused("recurrence.monthly_week", recurring(8, r -> r.put("type", 3).put("monthly_week", 0).put("monthly_week_day", 1)));
        refused("recurrence.monthly_week", recurring(8, r -> r.put("type", 3).put("monthly_week", 5).put("monthly_week_day", 1)));
        refused("recurrence.monthly_week_day", recurring(8, r -> r.put("type", 3).put("monthly_week", 1).put("monthly_week_day", 8)));
    }

    @Test
    void aRecurrenceEndsAfterOneTo365TimesOrAtAUtcTimeNotBoth() {
        accepted(recurring(8, r -> r.put("type", 1).put("end_times", 1)));
        accepted(recurring(8, r -> r.put("type", 1).put("end_times", 365)));
        refused("recurrence.end_times", recurring(8, r -> r.put("type", 1).put("end_times", 0)));
        refused("recurrence.end_times", recurring(8, r -> r.put("type", 1).put("end_times", 366)));
        accepted(recurring(8, r -> r.put("type", 1).put("end_date_time", "2027-01-31T10:00:00Z")));
        refused("recurrence.end_date_time", recurring(8, r -> r.put("type", 1).put("end_date_time", "2027-01-31T10:00:00")));
        refused("recurrence", recurring(8, r -> r.put("type", 1).put("end_times", 3).put("end_date_time", "2027-01-31T10:00:00Z")));
    }

    @Test
    void trackingFieldsAreObjectsWithAStringFieldEachNamedByItsIndex() {
        refused("tracking_fields", meeting().put("tracking_fields", "project"));
        ObjectNode body = meeting();
        body.putArray("tracking_fields").add(NODES.objectNode().put("field", "a")).add(NODES.objectNode().put("value", "b")).add("c");

        assertEquals(List.of("tracking_fields[1]", "tracking_fields[2]"), fields(MeetingRules.forCreate(body)));
    }

    @Test
    void anUpdateNamesAtLeastOneFieldAndIsCheckedByTheSameRules() {
        assertEquals(List.of(new FieldError("body", "Name at least one field to change.")), MeetingRules.forUpdate(NODES.objectNode()));
        assertEquals(List.of(), MeetingRules.forUpdate(NODES.objectNode().put("start_time", "2026-12-15T09:30:00Z")));
        assertEquals(List.of("duration"), fields(MeetingRules.forUpdate(NODES.objectNode().put("duration", 0))));
        // the meeting's type is Zoom's to know when an update does not name it
        assertEquals(List.of(), MeetingRules.forUpdate(withRecurrence(NODES.objectNode(), r -> r.put("type", 2).put("weekly_days", "3"))));
        assertEquals(List.of("recurrence"), fields(MeetingRules.forUpdate(withRecurrence(NODES.objectNode().put("type", 2),
                r -> r.put("type", 2)))));
    }

    /** A valid scheduled meeting, to change one field of. */
    static ObjectNode meeting() {
        return NODES.objectNode().put("topic", "Consultation").put("type", 2).put("start_time", "2026-12-14T10:00:00Z").put("duration", 30);
    }

    static ObjectNode recurring(int type, Consumer<ObjectNode> recurrence) {
        return withRecurrence(meeting().put("type", type), recurrence);
    }

    static ObjectNode withRecurrence(ObjectNode body, Consumer<ObjectNode> recurrence) {
        recurrence.accept(body.putObject("recurrence"));
        return body;
    }

    static void accepted(JsonNode body) {
        assertEquals(List.of(), MeetingRules.forCreate(body), body.toString());
    }

    /** Only {@code field} is refused. */
    static void refused(String field, JsonNode body) {
        assertEquals(List.of(field), fields(MeetingRules.forCreate(body)), body.toString());
    }

    static List<String> fields(List<FieldError> errors) {
        return errors.stream().map(FieldError::field).toList();
    }
}
