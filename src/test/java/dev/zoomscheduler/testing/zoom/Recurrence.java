package dev.zoomscheduler.testing.zoom;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.HashSet;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The occurrences Zoom makes of a recurring meeting with a fixed time (type 8), as its meeting JSON shows them:
 * {@code {"occurrence_id": "<epoch milliseconds of its start>", "start_time", "duration", "status": "available"}}. Daily,
 * weekly ({@code weekly_days}, 1 = Sunday) and monthly ({@code monthly_day}) recurrences, every {@code repeat_interval},
 * in the meeting's time zone, until {@code end_times} (Zoom's default 1, at most 60) or {@code end_date_time}.
 */
final class Recurrence {

    /** Zoom's most occurrences of one meeting. */
    private static final int MOST = 60;

    private Recurrence() {
    }

    static ArrayNode occurrences(ObjectMapper json, JsonNode recurrence, Instant start, int duration, ZoneId zone) {
        ArrayNode occurrences = json.createArrayNode();
        int type = recurrence.path("type").asInt(1);
        int interval = Math.max(1, recurrence.path("repeat_interval").asInt(1));
        int count = recurrence.has("end_date_time") ? MOST : Math.min(MOST, Math.max(1, recurrence.path("end_times").asInt(1)));
        Instant until = recurrence.has("end_date_time") ? Instant.parse(recurrence.get("end_date_time").asText()) : Instant.MAX;
        Set<DayOfWeek> weekdays = weekdays(recurrence.path("weekly_days").asText(""), start.atZone(zone).getDayOfWeek());
        ZonedDateTime first = start.atZone(zone);
        if (type == 3 && recurrence.has("monthly_day")) {
            first = first.withDayOfMonth(Math.min(recurrence.get("monthly_day").asInt(), first.toLocalDate().lengthOfMonth()));
        }
        ZonedDateTime candidate = first;
        for (int step = 0; occurrences.size() < count && step < MOST * 400; step++) {
            if (candidate.toInstant().isAfter(until)) {
                break;
            }
            if (type != 2 || weekdays.contains(candidate.getDayOfWeek())) {
                if (!candidate.toInstant().isBefore(start)) {
                    occurrences.addObject().put("occurrence_id", Long.toString(candidate.toInstant().toEpochMilli()))
                            .put("start_time", candidate.toInstant().toString()).put("duration", duration).put("status", "available");
                }
            }
            candidate = next(candidate, first, type, interval);
        }
        return occurrences;
    }

    /** The occurrence of {@code meeting} with this id that Zoom still has (not deleted), or null. */
    static ObjectNode available(JsonNode meeting, String occurrenceId) {
        for (JsonNode occurrence : meeting.path("occurrences")) {
            if (occurrenceId.equals(occurrence.path("occurrence_id").asText()) && "available".equals(occurrence.path("status").asText())) {
                return (ObjectNode) occurrence;
            }
        }
        return null;
    }

    private static ZonedDateTime next(ZonedDateTime current, ZonedDateTime first, int type, int interval) {
        return switch (type) {
            case 2 -> {
                ZonedDateTime tomorrow = current.plusDays(1);
                // a new week (Sunday) skips the weeks between occurrences
                yield tomorrow.getDayOfWeek() == DayOfWeek.SUNDAY && interval > 1 ? tomorrow.plusWeeks(interval - 1L) : tomorrow;
            }
            case 3 -> first.plusMonths(monthsSince(first, current) + interval);
            default -> current.plusDays(interval);
        };
    }

    private static long monthsSince(ZonedDateTime first, ZonedDateTime current) {
        return (current.getYear() - first.getYear()) * 12L + current.getMonthValue() - first.getMonthValue();
    }

    /** Zoom's {@code weekly_days}, "1,3" (1 = Sunday ... 7 = Saturday); none: the start's own day. */
    private static Set<DayOfWeek> weekdays(String weeklyDays, DayOfWeek startDay) {
        Set<DayOfWeek> days = new HashSet<>();
        for (String day : weeklyDays.split(",")) {
            if (day.trim().matches("[1-7]")) {
                days.add(DayOfWeek.SUNDAY.plus(Integer.parseInt(day.trim()) - 1L));
            }
        }
        if (days.isEmpty()) {
            days.add(startDay);
        }
        return days;
    }
}
