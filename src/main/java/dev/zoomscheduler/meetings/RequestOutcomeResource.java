package dev.zoomscheduler.meetings;

import java.io.IOException;
import java.math.BigInteger;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.zoomscheduler.idempotency.IdempotencyKeys;
import dev.zoomscheduler.idempotency.RequestRecord;
import dev.zoomscheduler.idempotency.RequestStatus;
import dev.zoomscheduler.problems.Problem;
import dev.zoomscheduler.problems.ProblemException;
import dev.zoomscheduler.problems.ProblemType;

/** {@code GET /requests/{idempotencyKey}}: what became of a request, for callers that queued it or lost the answer. */
@Path("/requests")
@Tag(name = "requests", description = "What became of requests with an idempotency key")
public class RequestOutcomeResource {

    private final MeetingRecords meetings;
    private final ObjectMapper json;
    private final Clock clock;

    public RequestOutcomeResource(MeetingRecords meetings, ObjectMapper json, Clock clock) {
        this.meetings = meetings;
        this.json = json;
        this.clock = clock;
    }

    @Operation(summary = "What became of a request", description = "For callers that queued a request or lost the answer.")
    @APIResponse(responseCode = "200", description = "The request's record")
    @GET
    @Path("{idempotencyKey: .+}") // keys may hold '/' (base64 keys): API Gateway's route is greedy too
    @Produces(MediaType.APPLICATION_JSON)
    public RequestOutcome outcome(@PathParam("idempotencyKey") String key) {
        MeetingRecords.StoredRequest stored = meetings.request(IdempotencyKeys.require(key, "idempotencyKey"))
                .orElseThrow(() -> new ProblemException(ProblemType.REQUEST_NOT_FOUND,
                        "No request with idempotency key '" + key + "' is on record (records expire after their TTL)."));
        RequestRecord record = stored.record();
        // Zoom's later events about the meeting (webhooks): "updated" (the meeting shows the change) or "deleted"
        Optional<MeetingEvents> events = Optional.ofNullable(record.status() == RequestStatus.COMPLETED ? stored.events() : null);
        return new RequestOutcome(record.key(), status(record, clock.millis()), record.operation(), record.connectionId(),
                Instant.ofEpochMilli(record.requestStartedAt()), record.attemptCount(), record.occurrenceId(),
                record.attemptCount() > 1 ? Instant.ofEpochMilli(record.startedAt()) : null,
                record.completedAt() > 0 ? Instant.ofEpochMilli(record.completedAt()) : null,
                meetingOf(record),
                events.map(MeetingEvents::state).orElse(null),
                events.map(found -> Instant.ofEpochMilli(found.latestAt())).orElse(null),
                errorOf(record.problem()));
    }

    /** The meeting's id, join_url and start_time from Zoom's answer, or just the id the request named; null if neither. */
    private RequestOutcome.MeetingSummary meetingOf(RequestRecord record) {
        JsonNode answer = parse(record.resultBody());
        JsonNode id = answer.get("id");
        if (id == null && record.meetingId() != null) {
            id = json.getNodeFactory().numberNode(new BigInteger(record.meetingId())); // Zoom's ids are digits, some beyond a long
        }
        JsonNode joinUrl = answer.get("join_url");
        JsonNode startTime = answer.get("start_time");
        return id == null && joinUrl == null && startTime == null ? null : new RequestOutcome.MeetingSummary(id, joinUrl, startTime);
    }

    /** A failed request's problem, as it was answered. */
    private static Problem errorOf(RequestRecord.StoredProblem problem) {
        return problem == null ? null
                : new Problem(problem.type(), ProblemType.fromUri(problem.type()).title(), problem.status(), problem.detail(), problem.code(), null);
    }

    private static String status(RequestRecord record, long now) {
        if (record.abandonedAt(now)) {
            return RequestOutcome.ABANDONED;
        }
        return record.inDoubtAt(now) ? RequestOutcome.IN_DOUBT : record.status().attributeValue();
    }

    private JsonNode parse(String body) {
        try {
            return body == null || body.isEmpty() ? json.missingNode() : json.readTree(body);
        } catch (IOException e) {
            return json.missingNode();
        }
    }
}
