package dev.zoomscheduler.meetings;

import java.io.IOException;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.zoomscheduler.idempotency.Idempotency.Recovery;
import dev.zoomscheduler.idempotency.Reply;
import dev.zoomscheduler.problems.ProblemException;
import dev.zoomscheduler.problems.ProblemType;

/**
 * Finds what abandoned attempts of a request (crashed, or with Zoom's answer lost) did at Zoom, so that the next one
 * adopts it instead of doing it twice (docs/events-and-idempotency.md, "Idempotency"):
 * <ul>
 * <li>A create: among the host's scheduled meetings created since the first attempt began (less a minute of clock skew
 * between Lambda and Zoom), those that show every field Zoom's list shows of what the request set (topic, type, start
 * time, duration, timezone, agenda), and its {@code settings.custom_keys} if it set them (read per candidate), and that
 * no other idempotency key holds. One is adopted; of several, the earliest created, once their owners have had an
 * in-doubt period to claim theirs. Instant meetings (type 1), recurring meetings without a fixed time (type 3) and
 * meetings scheduled for another user ({@code schedule_for}) cannot be told apart so: their unknown outcome is final.</li>
 * <li>A delete: done if Zoom no longer has the meeting (of one occurrence: that occurrence).</li>
 * <li>An update: done if the meeting (of one occurrence: the meeting as that occurrence shows it) already shows every field
 * it sets; where that cannot be told (a field Zoom shows otherwise, or not at all), it is sent again, which Zoom applies the
 * same way.</li>
 * </ul>
 */
@ApplicationScoped
public class MeetingRecovery {

    private static final Logger LOG = Logger.getLogger(MeetingRecovery.class);
    private static final Duration CLOCK_SKEW = Duration.ofMinutes(1);
    private static final int PAGE_SIZE = 300;
    private static final int MAX_PAGES = 5;
    /** What Zoom's list shows of a meeting that a create sets; compared when the create set it. */
    private static final List<String> LISTED_FIELDS = List.of("topic", "duration", "timezone", "agenda");
    /** Zoom's answer to a done update or delete. */
    private static final Reply NO_CONTENT = new Reply(204, "");

    private final Meetings meetings;
    private final MeetingRecords records;
    private final ObjectMapper json;

    public MeetingRecovery(Meetings meetings, MeetingRecords records, ObjectMapper json) {
        this.meetings = meetings;
        this.records = records;
        this.json = json;
    }

    /**
     * The meeting that an earlier attempt of {@code create} made, as Zoom's answer to the create.
     *
     * @param chooseAmongSeveral take the earliest of several candidates rather than answer {@link Recovery#AMBIGUOUS}
     */
    public Recovery find(MeetingCommand create, Instant firstStartedAt, boolean chooseAmongSeveral, Instant deadline) {
        JsonNode wanted = create.meeting();
        int type = wanted.path("type").asInt(2);
        if ((type != 2 && type != 8) || wanted.has("schedule_for")) {
            throw new ProblemException(ProblemType.CREATE_OUTCOME_UNKNOWN, "An earlier attempt of this create ended without Zoom's"
                    + " answer, and a meeting of type " + type + (wanted.has("schedule_for") ? " scheduled for another user" : "")
                    + " cannot be told apart from others in Zoom's list: look for it in Zoom before creating it again with a new key.");
        }
        Optional<Instant> start = startOf(wanted);
        Instant createdFrom = firstStartedAt.minus(CLOCK_SKEW);
        List<JsonNode> candidates = new ArrayList<>();
        String pageToken = null;
        for (int page = 0; page < MAX_PAGES; page++) {
            JsonNode list = parse(meetings.list(create.connectionId(), create.userId(),
                    new ListQuery(null, PAGE_SIZE, pageToken, null, null), deadline).body());
            for (JsonNode candidate : list.path("meetings")) {
                if (shownAsListed(wanted, type, start, candidate)
                        && instant(candidate.path("created_at").asText(null)).filter(at -> !at.isBefore(createdFrom)).isPresent()) {
                    candidates.add(candidate);
                }
            }
            pageToken = list.path("next_page_token").asText("");
            if (pageToken.isEmpty()) {
                break;
            }
        }
        candidates.removeIf(candidate -> records.holder(candidate.path("id").asText()).isPresent());
        candidates.sort(Comparator.comparing(candidate -> instant(candidate.path("created_at").asText(null)).orElse(Instant.MAX)));
        List<JsonNode> matching = new ArrayList<>();
        for (JsonNode candidate : candidates) {
            Optional<JsonNode> found = current(create.connectionId(), candidate.path("id").asText(), null, deadline);
            JsonNode meeting = found.orElse(null);
            if (meeting != null && sameCustomKeys(wanted, meeting)) {
                matching.add(meeting);
                if (!wanted.path("settings").has("custom_keys") && matching.size() > 1) {
                    break; // two are enough to know there are several
                }
            }
        }
        if (matching.isEmpty()) {
            return Recovery.NOTHING;
        }
        if (matching.size() > 1 && !chooseAmongSeveral) {
            LOG.infof("Zoom shows %d meetings that an abandoned attempt of the same create may have made", matching.size());
            return Recovery.AMBIGUOUS;
        }
        JsonNode adopted = matching.get(0);
        LOG.infof("Adopting meeting %s, made by an abandoned attempt of the same create", adopted.path("id").asText());
        return Recovery.guessed(new Reply(201, adopted.toString()));
    }

    /** Whether Zoom's list entry shows what the create set, as far as the list shows it. */
    private static boolean shownAsListed(JsonNode wanted, int type, Optional<Instant> start, JsonNode candidate) {
        if (candidate.path("type").asInt(2) != type) {
            return false;
        }
        if (start.isPresent() && !start.equals(instant(candidate.path("start_time").asText(null)))) {
            return false;
        }
        for (String field : LISTED_FIELDS) {
            if (wanted.has(field) && candidate.has(field) && !shows(candidate.get(field), wanted.get(field))) {
                return false;
            }
        }
        return true;
    }

    /** The caller's own {@code settings.custom_keys}, if it set them, are the meeting's: a key of its own, matched exactly. */
    private static boolean sameCustomKeys(JsonNode wanted, JsonNode meeting) {
        JsonNode keys = wanted.path("settings").get("custom_keys");
        return keys == null || keys.equals(meeting.path("settings").get("custom_keys"));
    }

    /** A delete is done if Zoom no longer has the meeting, or the occurrence it deletes. */
    public Optional<Reply> deleted(MeetingCommand delete, Instant deadline) {
        if (current(delete, deadline).isPresent()) {
            return Optional.empty();
        }
        LOG.infof("Meeting %s%s is gone: an abandoned attempt of the same delete deleted it", delete.meetingId(),
                delete.occurrenceId() == null ? "" : ", occurrence " + delete.occurrenceId() + ",");
        return Optional.of(NO_CONTENT);
    }

    /** An update is done if the meeting shows every field it sets; a meeting Zoom does not know gets the update's own 404. */
    public Optional<Reply> applied(MeetingCommand update, Instant deadline) {
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

    /** The command's meeting (or occurrence) as Zoom has it now; empty if Zoom does not know it (404). */
    private Optional<JsonNode> current(MeetingCommand command, Instant deadline) {
        return current(command.connectionId(), command.meetingId(), command.occurrenceId(), deadline);
    }

    private Optional<JsonNode> current(String connectionId, String meetingId, String occurrenceId, Instant deadline) {
        try {
            return Optional.of(parse(meetings.get(connectionId, meetingId, occurrenceId, null, deadline).body()));
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
