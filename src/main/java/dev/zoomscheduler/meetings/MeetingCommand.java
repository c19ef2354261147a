package dev.zoomscheduler.meetings;

import java.util.Locale;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;

import dev.zoomscheduler.idempotency.RequestDescription;

/**
 * One validated meeting operation, whichever entry point it came by (an HTTP request or a queued message).
 *
 * @param userId the host of a new meeting ({@code me} by default); null otherwise
 * @param meetingId the meeting updated or deleted; null for a create
 * @param occurrenceId the one occurrence of a recurring meeting that is updated or deleted; null for the whole meeting
 * @param meeting the meeting fields (create, update); null for a delete
 * @param body {@code meeting} as it is sent to Zoom: the caller's own bytes where it sent them
 */
public record MeetingCommand(Action action, String connectionId, String userId, String meetingId, String occurrenceId, JsonNode meeting,
        byte[] body) {

    public enum Action {
        CREATE, UPDATE, DELETE;

        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** Sorted keys, so that the same fields in another order are the same request. */
    private static final ObjectMapper CANONICAL = JsonMapper.builder().enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS).build();

    public static MeetingCommand create(String connectionId, String userId, JsonNode meeting, byte[] body) {
        return new MeetingCommand(Action.CREATE, connectionId, userId, null, null, meeting, body);
    }

    /** @param occurrenceId one occurrence of a recurring meeting, or null for the meeting */
    public static MeetingCommand update(String connectionId, String meetingId, String occurrenceId, JsonNode changes, byte[] body) {
        return new MeetingCommand(Action.UPDATE, connectionId, null, meetingId, occurrenceId, changes, body);
    }

    /** @param occurrenceId one occurrence of a recurring meeting, or null for the meeting */
    public static MeetingCommand delete(String connectionId, String meetingId, String occurrenceId) {
        return new MeetingCommand(Action.DELETE, connectionId, null, meetingId, occurrenceId, null, null);
    }

    /** For the request record: equal for equal commands, whatever their field order or entry point. */
    public RequestDescription describe() {
        return new RequestDescription(fingerprint(), action.wireName(), connectionId, meetingId, occurrenceId);
    }

    /**
     * The occurrence is part of what a request is (a key reused for another occurrence is another request); it is added only
     * when there is one, so that a request without one keeps the fingerprint that records written before occurrences had.
     */
    private String fingerprint() {
        try {
            String canonical = String.join("\n", action.wireName(), connectionId, String.valueOf(userId), String.valueOf(meetingId),
                    meeting == null ? "" : CANONICAL.writeValueAsString(CANONICAL.convertValue(meeting, Object.class)))
                    + (occurrenceId == null ? "" : "\noccurrence " + occurrenceId);
            return RequestDescription.fingerprintOf(canonical);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("A request fingerprint could not be computed", e);
        }
    }
}
