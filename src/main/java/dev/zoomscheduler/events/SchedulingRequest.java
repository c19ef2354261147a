package dev.zoomscheduler.events;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.zoomscheduler.connections.ConnectionIds;
import dev.zoomscheduler.idempotency.IdempotencyKeys;
import dev.zoomscheduler.idempotency.RequestDescription;
import dev.zoomscheduler.meetings.Identifiers;
import dev.zoomscheduler.meetings.JsonBody;
import dev.zoomscheduler.meetings.MeetingCommand;
import dev.zoomscheduler.meetings.MeetingRules;
import dev.zoomscheduler.problems.Problem.FieldError;
import dev.zoomscheduler.problems.ProblemException;

/**
 * A queued scheduling request (docs/events-and-idempotency.md, "Events"), read from an SQS message body: the request itself, or an
 * EventBridge event (from a rule or a Scheduler schedule) whose {@code detail} is the request.
 *
 * @param idempotencyKey the request's own key, or null (the SQS message id then stands in)
 */
public record SchedulingRequest(String idempotencyKey, MeetingCommand command) {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> ACTIONS = Set.of("create", "update", "delete");
    /** The message of the keep-alive schedule (template.yaml): {@code {"action": "keep-alive"}}, nothing else. */
    public static final String KEEP_ALIVE = "keep-alive";
    /**
     * The fields of a request that changes or deletes a meeting: any other is refused, never ignored (a misspelt
     * {@code occurrenceId} would otherwise delete the whole series).
     */
    private static final Set<String> CHANGE_FIELDS = Set.of("action", "idempotencyKey", "connectionId", "meetingId", "occurrenceId",
            "meeting");

    /**
     * The request a message body holds: the body's JSON object, or an EventBridge event's {@code detail} (which
     * {@link #parse} checks); a problem if the body is no JSON object.
     */
    public static JsonNode requestIn(String messageBody) {
        JsonNode message = JsonBody.parseObject(messageBody.getBytes(StandardCharsets.UTF_8), "message");
        return isEventBridgeEvent(message) ? message.get("detail") : message;
    }

    /** Whether a message body is the keep-alive run's (as it is, or as an EventBridge event's detail). */
    public static boolean isKeepAlive(String messageBody) {
        try {
            return isKeepAlive(requestIn(messageBody));
        } catch (ProblemException notJson) {
            return false;
        }
    }

    /** Whether a message's request is the keep-alive run's: its action and nothing else. */
    public static boolean isKeepAlive(JsonNode request) {
        return request.isObject() && request.size() == 1 && KEEP_ALIVE.equals(request.path("action").textValue());
    }

    /** The request of a message ({@link #requestIn}), or a problem saying why there is none (a permanent failure). */
    public static SchedulingRequest parse(JsonNode request) {
        if (!request.isObject()) {
            throw ProblemException.invalidRequest("detail", "The EventBridge event's detail must be a scheduling request object.");
        }
        List<FieldError> errors = new ArrayList<>();
        String action = text(request, "action");
        if (action == null || !ACTIONS.contains(action)) {
            throw ProblemException.invalidRequest("action", "Must be \"create\", \"update\" or \"delete\" (or \"keep-alive\","
                    + " alone in its message).");
        }
        String key = text(request, "idempotencyKey");
        String connectionId = ConnectionIds.orDefault(text(request, "connectionId"), "connectionId");
        if (key != null) {
            IdempotencyKeys.require(key, "idempotencyKey");
        }
        MeetingCommand command = switch (action) {
            case "create" -> {
                if (request.has("occurrenceId")) {
                    throw ProblemException.invalidRequest("occurrenceId", "Only update and delete act on one occurrence.");
                }
                String userId = Identifiers.userId(request.has("userId") ? text(request, "userId") : "me", "userId");
                JsonNode meeting = meeting(request, errors, false);
                yield MeetingCommand.create(connectionId, userId, meeting, bytes(meeting));
            }
            case "update" -> {
                onlyChangeFields(request);
                String meetingId = meetingId(request);
                JsonNode changes = meeting(request, errors, true);
                yield MeetingCommand.update(connectionId, meetingId, occurrenceId(request), changes, bytes(changes));
            }
            default -> {
                onlyChangeFields(request);
                yield MeetingCommand.delete(connectionId, meetingId(request), occurrenceId(request));
            }
        };
        if (!errors.isEmpty()) {
            throw ProblemException.invalidRequest(errors);
        }
        return new SchedulingRequest(key, command);
    }

    /**
     * What a message that is not a valid request asked, so that its refusal ends its request for good (recorded and
     * announced like any ending): under its own idempotency key if it names a valid one, else under {@code messageId}.
     */
    public static Refused refused(JsonNode request, String messageId) {
        String key = validOrNull(request.path("idempotencyKey").textValue(), IdempotencyKeys::isValid);
        String action = request.path("action").textValue();
        String connectionId = request.has("connectionId") ? validOrNull(request.path("connectionId").textValue(), ConnectionIds::isValid)
                : ConnectionIds.DEFAULT;
        String meetingId = validOrNull(request.path("meetingId").asText(null), Identifiers::isMeetingId);
        String occurrenceId = validOrNull(request.path("occurrenceId").asText(null), Identifiers::isOccurrenceId);
        return new Refused(key != null ? key : messageId, new RequestDescription(fingerprint(request),
                action != null && ACTIONS.contains(action) ? action : "unknown", connectionId, meetingId, occurrenceId));
    }

    /** A refused message's key and what it asked. */
    public record Refused(String idempotencyKey, RequestDescription request) {
    }

    private static String validOrNull(String value, java.util.function.Predicate<String> valid) {
        return value != null && valid.test(value) ? value : null;
    }

    /** Of an invalid request: never equal to a valid command's fingerprint, equal for the same message sent again. */
    private static String fingerprint(JsonNode request) {
        return RequestDescription.fingerprintOf("refused\n" + request);
    }

    /** An EventBridge event as a rule delivers it (a Scheduler schedule delivers its input, the request, as it is). */
    private static boolean isEventBridgeEvent(JsonNode message) {
        return message.has("detail") && message.has("detail-type") && message.has("source");
    }

    private static JsonNode meeting(JsonNode request, List<FieldError> errors, boolean update) {
        JsonNode meeting = request.get("meeting");
        if (meeting == null || !meeting.isObject()) {
            throw ProblemException.invalidRequest("meeting", "Must be an object of Zoom's meeting fields.");
        }
        for (FieldError error : update ? MeetingRules.forUpdate(meeting) : MeetingRules.forCreate(meeting)) {
            errors.add(new FieldError("meeting." + error.field(), error.detail()));
        }
        return meeting;
    }

    private static void onlyChangeFields(JsonNode request) {
        request.fieldNames().forEachRemaining(field -> {
            if (!CHANGE_FIELDS.contains(field)) {
                throw ProblemException.invalidRequest(field, "Is not a field of an update or delete request; nothing was done.");
            }
        });
    }

    /** Zoom's occurrence id (a string or a number, as the meeting id), or null: the whole meeting. */
    private static String occurrenceId(JsonNode request) {
        JsonNode id = request.get("occurrenceId");
        if (id == null || id.isNull()) {
            return null;
        }
        String value = id.isTextual() || id.isIntegralNumber() ? id.asText() : "";
        return Identifiers.occurrenceId(value, "occurrenceId");
    }

    private static String meetingId(JsonNode request) {
        JsonNode id = request.get("meetingId");
        String value = id != null && (id.isTextual() || id.isIntegralNumber()) ? id.asText() : null;
        return Identifiers.meetingId(value, "meetingId");
    }

    /** A string field; a field of another type is refused. */
    private static String text(JsonNode request, String field) {
        JsonNode value = request.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isTextual()) {
            throw ProblemException.invalidRequest(field, "Must be a string.");
        }
        return value.textValue();
    }

    private static byte[] bytes(JsonNode meeting) {
        try {
            return JSON.writeValueAsBytes(meeting);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("A parsed meeting could not be written", e);
        }
    }
}
