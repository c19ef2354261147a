package dev.zoomscheduler.meetings;

import java.io.IOException;
import java.math.BigInteger;
import java.time.Clock;
import java.time.Instant;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.zoomscheduler.idempotency.IdempotencyKeys;
import dev.zoomscheduler.idempotency.RequestRecord;
import dev.zoomscheduler.idempotency.RequestStatus;
import dev.zoomscheduler.idempotency.RequestStore;
import dev.zoomscheduler.problems.ProblemException;
import dev.zoomscheduler.problems.ProblemType;

/** {@code GET /requests/{idempotencyKey}}: what became of a request, for callers that queued it or lost the answer. */
@Path("/requests")
@Tag(name = "requests", description = "What became of requests with an idempotency key")
public class RequestOutcomeResource {

    /** The status of a request whose last attempt ended without an outcome; its next attempt takes over. */
    static final String ABANDONED = "abandoned";
    /** The status of a request whose last attempt ended without knowing what Zoom did; nothing is done until that can land. */
    static final String IN_DOUBT = "in_doubt";

    private final RequestStore store;
    private final MeetingRecords meetings;
    private final ObjectMapper json;
    private final Clock clock;

    public RequestOutcomeResource(RequestStore store, MeetingRecords meetings, ObjectMapper json, Clock clock) {
        this.store = store;
        this.meetings = meetings;
        this.json = json;
        this.clock = clock;
    }

    @Operation(summary = "What became of a request", description = "For callers that queued a request or lost the answer.")
    @APIResponse(responseCode = "200", description = "The request's record", content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(ref = "RequestOutcome")))
    @GET
    @Path("{idempotencyKey: .+}") // keys may hold '/' (base64 keys): API Gateway's route is greedy too
    @Produces(MediaType.APPLICATION_JSON)
    public String outcome(@PathParam("idempotencyKey") String key) {
        RequestRecord record = store.read(IdempotencyKeys.require(key, "idempotencyKey"))
                .orElseThrow(() -> new ProblemException(ProblemType.REQUEST_NOT_FOUND,
                        "No request with idempotency key '" + key + "' is on record (records expire after their TTL)."));
        ObjectNode outcome = json.createObjectNode()
                .put("idempotencyKey", record.key())
                .put("status", status(record, clock.millis()))
                .put("operation", record.operation())
                .put("connectionId", record.connectionId())
                .put("startedAt", Instant.ofEpochMilli(record.requestStartedAt()).toString())
                .put("attempts", record.attemptCount());
        if (record.occurrenceId() != null) {
            outcome.put("occurrenceId", record.occurrenceId());
        }
        if (record.attemptCount() > 1) {
            outcome.put("lastAttemptAt", Instant.ofEpochMilli(record.startedAt()).toString());
        }
        if (record.completedAt() > 0) {
            outcome.put("completedAt", Instant.ofEpochMilli(record.completedAt()).toString());
        }
        JsonNode meeting = meetingOf(record);
        if (meeting != null) {
            outcome.set("meeting", meeting);
        }
        if (record.status() == RequestStatus.COMPLETED) {
            // Zoom's later events about the meeting (webhooks): "updated" (the meeting above shows the change) or "deleted"
            meetings.eventsOf(record.key()).ifPresent(events -> outcome.put("meetingState", events.state())
                    .put("meetingEventAt", Instant.ofEpochMilli(events.latestAt()).toString()));
        }
        if (record.problem() != null) {
            RequestRecord.StoredProblem problem = record.problem();
            ObjectNode error = outcome.putObject("error")
                    .put("type", problem.type())
                    .put("title", ProblemType.fromUri(problem.type()).title())
                    .put("status", problem.status())
                    .put("detail", problem.detail());
            if (problem.code() != null) {
                error.put("code", problem.code());
            }
        }
        return outcome.toString();
    }

    /** The meeting's id, join_url and start_time from Zoom's answer, or just the id the request named. */
    private JsonNode meetingOf(RequestRecord record) {
        ObjectNode meeting = json.createObjectNode();
        JsonNode answer = parse(record.resultBody());
        for (String field : new String[] { "id", "join_url", "start_time" }) {
            if (answer.has(field)) {
                meeting.set(field, answer.get(field));
            }
        }
        if (!meeting.has("id") && record.meetingId() != null) {
            meeting.put("id", new BigInteger(record.meetingId())); // Zoom's ids are digits, some beyond a long
        }
        return meeting.isEmpty() ? null : meeting;
    }

    private static String status(RequestRecord record, long now) {
        if (record.abandonedAt(now)) {
            return ABANDONED;
        }
        return record.inDoubtAt(now) ? IN_DOUBT : record.status().attributeValue();
    }

    private JsonNode parse(String body) {
        try {
            return body == null || body.isEmpty() ? json.missingNode() : json.readTree(body);
        } catch (IOException e) {
            return json.missingNode();
        }
    }
}
