package dev.zoomscheduler.meetings;

import java.io.IOException;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.Map;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.zoomscheduler.problems.ProblemException;
import dev.zoomscheduler.problems.ProblemType;
import dev.zoomscheduler.zoom.ZoomReply;

/**
 * Finds what abandoned attempts of a request (crashed, or with Zoom's answer lost) did at Zoom, so that the next one
 * adopts it instead of doing it twice.
 * <ul>
 * <li>A create: among the host's scheduled meetings, one with the same topic and, where the request names one, the
 * same start time, created after the first attempt began (less a minute of clock skew between Lambda and Zoom); the
 * most recently created wins. Its limits (docs/events-and-idempotency.md): a request without a topic is never matched; only the first pages
 * of the host's list are searched; a same-topic, same-time meeting made by someone else in that window would be
 * adopted.</li>
 * <li>A delete: done if Zoom no longer has the meeting.</li>
 * <li>An update: done if the meeting already shows every field it sets; where that cannot be told (a field Zoom shows
 * otherwise, or not at all), it is sent again, which Zoom applies the same way.</li>
 * </ul>
 */
@ApplicationScoped
public class MeetingAdoption {

    private static final Logger LOG = Logger.getLogger(MeetingAdoption.class);
    private static final Duration CLOCK_SKEW = Duration.ofMinutes(1);
    private static final int PAGE_SIZE = 300;
    private static final int MAX_PAGES = 5;
    /** Zoom's answer to a done update or delete. */
    private static final ZoomReply NO_CONTENT = new ZoomReply(204, "");

    private final Meetings meetings;
    private final ObjectMapper json;

    public MeetingAdoption(Meetings meetings, ObjectMapper json) {
        this.meetings = meetings;
        this.json = json;
    }

    public Optional<ZoomReply> find(MeetingCommand create, Instant firstStartedAt, Instant deadline) {
        JsonNode topic = create.meeting().get("topic");
        if (topic == null || !topic.isTextual()) {
            return Optional.empty();
        }
        Optional<Instant> start = startOf(create.meeting());
        Instant createdFrom = firstStartedAt.minus(CLOCK_SKEW);
        JsonNode match = null;
        String pageToken = null;
        for (int page = 0; page < MAX_PAGES; page++) {
            JsonNode list = parse(meetings.list(create.connectionId(), create.userId(),
                    new ListQuery(null, PAGE_SIZE, pageToken, null, null), deadline).body());
            for (JsonNode candidate : list.path("meetings")) {
                if (topic.textValue().equals(candidate.path("topic").asText(null))
                        && (start.isEmpty() || start.equals(instant(candidate.path("start_time").asText(null))))
                        && instant(candidate.path("created_at").asText(null)).filter(at -> !at.isBefore(createdFrom)).isPresent()
                        && (match == null || candidate.path("created_at").asText().compareTo(match.path("created_at").asText()) > 0)) {
                    match = candidate;
                }
            }
            pageToken = list.path("next_page_token").asText("");
            if (pageToken.isEmpty()) {
                break;
            }
        }
        if (match == null) {
            return Optional.empty();
        }
        LOG.infof("Adopting meeting %s, made by an abandoned attempt of the same create", match.path("id").asText());
        return Optional.of(new ZoomReply(201, meetings.get(create.connectionId(), match.path("id").asText(), deadline).body()));
    }

    /** A delete is done if Zoom no longer has the meeting. */
    public Optional<ZoomReply> deleted(MeetingCommand delete, Instant deadline) {
        if (current(delete, deadline).isPresent()) {
            return Optional.empty();
        }
        LOG.infof("Meeting %s is gone: an abandoned attempt of the same delete deleted it", delete.meetingId());
        return Optional.of(NO_CONTENT);
    }

    /** An update is done if the meeting shows every field it sets; a meeting Zoom does not know gets the update's own 404. */
    public Optional<ZoomReply> applied(MeetingCommand update, Instant deadline) {
        Optional<JsonNode> meeting = current(update, deadline);
        if (meeting.isEmpty()) {
            return Optional.empty();
        }
        for (Map.Entry<String, JsonNode> change : update.meeting().properties()) {
            boolean shown = change.getKey().equals("start_time") ? sameStart(update.meeting(), meeting.get())
                    : shows(meeting.get().get(change.getKey()), change.getValue());
            if (!shown) {
                return Optional.empty();
            }
        }
        LOG.infof("Meeting %s shows the update already: an abandoned attempt of it applied it", update.meetingId());
        return Optional.of(NO_CONTENT);
    }

    /** The command's meeting as Zoom has it now; empty if Zoom does not know it (404). */
    private Optional<JsonNode> current(MeetingCommand command, Instant deadline) {
        try {
            return Optional.of(parse(meetings.get(command.connectionId(), command.meetingId(), deadline).body()));
        } catch (ProblemException e) {
            if (e.type() != ProblemType.ZOOM_NOT_FOUND) {
                throw e;
            }
            return Optional.empty();
        }
    }

    /** Whether the changes' start (in their timezone, else the meeting's) is the meeting's start. */
    private static boolean sameStart(JsonNode changes, JsonNode meeting) {
        ObjectNode zoned = changes.deepCopy();
        if (!zoned.has("timezone") && meeting.has("timezone")) {
            zoned.set("timezone", meeting.get("timezone"));
        }
        Optional<Instant> start = startOf(zoned);
        return start.isPresent() && start.equals(instant(meeting.path("start_time").asText(null)));
    }

    /** Whether {@code value} holds {@code wanted}: the same value, or for an object every field of it (settings). */
    private static boolean shows(JsonNode value, JsonNode wanted) {
        if (value == null) {
            return false;
        }
        if (wanted.isObject()) {
            for (Map.Entry<String, JsonNode> field : wanted.properties()) {
                if (!shows(value.get(field.getKey()), field.getValue())) {
                    return false;
                }
            }
            return value.isObject();
        }
        if (wanted.isNumber() && value.isNumber()) {
            return wanted.decimalValue().compareTo(value.decimalValue()) == 0;
        }
        return wanted.equals(value);
    }

    /** The request's start as an instant: UTC with {@code Z}, else in its {@code timezone}; empty if it cannot be known. */
    private static Optional<Instant> startOf(JsonNode meeting) {
        String start = meeting.path("start_time").asText(null);
        if (start == null) {
            return Optional.empty();
        }
        if (start.endsWith("Z")) {
            return instant(start);
        }
        String zone = meeting.path("timezone").asText(null);
        try {
            return zone == null ? Optional.empty() : Optional.of(LocalDateTime.parse(start).atZone(ZoneId.of(zone)).toInstant());
        } catch (DateTimeException e) {
            return Optional.empty();
        }
    }

    private static Optional<Instant> instant(String value) {
        try {
            return value == null ? Optional.empty() : Optional.of(Instant.parse(value));
        } catch (DateTimeException e) {
            return Optional.empty();
        }
    }

    private JsonNode parse(String body) {
        try {
            return json.readTree(body);
        } catch (IOException e) {
            return json.missingNode();
        }
    }
}
