package dev.zoomscheduler.outcomes;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.zoomscheduler.problems.Problem;

/**
 * Makes the outcome events of docs/events-and-idempotency.md ("Outcome events"), and the event of a connection that needs a
 * human. The meeting is copied field by field from a short list, so
 * {@code start_url} (it carries the host's ZAK, a credential) and anything else Zoom adds never reach an event. The
 * JSON is built as a tree: nothing is serialised by reflection.
 */
public final class OutcomeEvents {

    public static final String SCHEDULED = "Meeting Scheduled";
    public static final String UPDATED = "Meeting Updated";
    public static final String DELETED = "Meeting Deleted";
    public static final String FAILED = "Scheduling Failed";
    public static final String NEEDS_REAUTHORIZATION = "Connection Needs Reauthorization";

    /** The meeting's fields an event carries; nothing else of Zoom's answer. */
    static final List<String> MEETING_FIELDS = List.of("id", "topic", "start_time", "timezone", "duration", "join_url");

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private OutcomeEvents() {
    }

    /**
     * The request an event is the outcome of.
     *
     * @param action {@code create}, {@code update} or {@code delete}
     * @param occurrenceId the one occurrence of a recurring meeting it acted on, or null
     */
    public record Request(String idempotencyKey, String connectionId, String action, String occurrenceId) {
    }

    /**
     * @param meeting what is known of the meeting: Zoom's answer to a create, the changed fields of an update, with
     *        {@code id}
     */
    public static OutcomeEvent succeeded(Request request, JsonNode meeting) {
        String detailType = switch (request.action()) {
            case "create" -> SCHEDULED;
            case "update" -> UPDATED;
            case "delete" -> DELETED;
            default -> throw new IllegalArgumentException("Unknown action " + request.action());
        };
        ObjectNode shown = JSON.objectNode();
        for (String field : MEETING_FIELDS) {
            if (meeting != null && meeting.hasNonNull(field)) {
                shown.set(field, meeting.get(field));
            }
        }
        ObjectNode detail = common(request, detailType, shown.path("id").asText());
        detail.set("meeting", shown);
        return new OutcomeEvent(detailType, detail.toString());
    }

    /** A request that failed for good, with the problem document it was answered. */
    public static OutcomeEvent failed(Request request, Problem problem) {
        ObjectNode detail = common(request, FAILED, problem.type());
        ObjectNode document = detail.putObject("problem")
                .put("type", problem.type())
                .put("title", problem.title())
                .put("status", problem.status())
                .put("detail", problem.detail());
        if (problem.code() != null) {
            document.put("code", problem.code());
        }
        return new OutcomeEvent(FAILED, detail.toString());
    }

    /**
     * A connection came to need a human: Zoom refused its chain for good, or the user removed the app. {@code eventId}
     * follows the occurrence (connection, reason, when), so a publish of it again carries the same id.
     *
     * @param reason {@code refresh_token_refused} or {@code app_deauthorized}
     */
    public static OutcomeEvent needsReauthorization(String connectionId, String reason, Instant when) {
        ObjectNode detail = JSON.objectNode()
                .put("eventId", eventId(connectionId, NEEDS_REAUTHORIZATION, reason, Long.toString(when.toEpochMilli())))
                .put("connectionId", connectionId)
                .put("reason", reason)
                .put("when", when.toString());
        return new OutcomeEvent(NEEDS_REAUTHORIZATION, detail.toString());
    }

    /**
     * The fields of every event. {@code eventId} is derived from what the outcome is (key, kind, meeting or problem),
     * so every publish of the same outcome, by whichever attempt or instance, carries the same id. The occurrence needs no
     * part in it: a key means one request, occurrence included.
     */
    private static ObjectNode common(Request request, String detailType, String subject) {
        ObjectNode detail = JSON.objectNode()
                .put("eventId", eventId(request.idempotencyKey(), detailType, subject))
                .put("idempotencyKey", request.idempotencyKey())
                .put("connectionId", request.connectionId())
                .put("action", request.action());
        if (request.occurrenceId() != null) {
            detail.put("occurrenceId", request.occurrenceId());
        }
        return detail;
    }

    private static String eventId(String... identity) {
        return UUID.nameUUIDFromBytes(String.join("\n", identity).getBytes(StandardCharsets.UTF_8)).toString();
    }
}
