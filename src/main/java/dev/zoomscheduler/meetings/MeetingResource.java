package dev.zoomscheduler.meetings;

import java.util.List;

import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import com.fasterxml.jackson.databind.JsonNode;

import dev.zoomscheduler.InvocationDeadline;
import dev.zoomscheduler.idempotency.Idempotency;
import dev.zoomscheduler.idempotency.IdempotencyKeys;
import dev.zoomscheduler.problems.HeaderValues;
import dev.zoomscheduler.problems.Problem.FieldError;
import dev.zoomscheduler.problems.ProblemException;
import dev.zoomscheduler.tokens.ConnectionIds;
import dev.zoomscheduler.zoom.ZoomReply;

/**
 * The meeting routes of the HTTP API (interface.md). Each validates everything it was given, then makes one Zoom call,
 * and answers Zoom's own JSON. Bodies are taken as bytes (any content type) so that a wrong one gets a problem document.
 */
@Path("/")
public class MeetingResource {

    private static final String CONNECTION = ConnectionIds.HEADER;
    /** Set on an answer that an earlier request with the same Idempotency-Key got. */
    static final String REPLAYED = "Idempotent-Replayed";

    private final Meetings meetings;
    private final MeetingScheduler scheduler;
    private final InvocationDeadline deadline;

    public MeetingResource(Meetings meetings, MeetingScheduler scheduler, InvocationDeadline deadline) {
        this.meetings = meetings;
        this.scheduler = scheduler;
        this.deadline = deadline;
    }

    @POST
    @Path("meetings")
    public Response createForMe(@HeaderParam(CONNECTION) List<String> connection, @HeaderParam(IdempotencyKeys.HEADER) List<String> key,
            @HeaderParam(HttpHeaders.CONTENT_TYPE) String contentType, @Context com.amazonaws.services.lambda.runtime.Context lambda,
            byte[] body) {
        return create(connection, "me", key, contentType, body, lambda);
    }

    @POST
    @Path("users/{userId}/meetings")
    public Response createForUser(@HeaderParam(CONNECTION) List<String> connection, @PathParam("userId") String userId,
            @HeaderParam(IdempotencyKeys.HEADER) List<String> key, @HeaderParam(HttpHeaders.CONTENT_TYPE) String contentType,
            @Context com.amazonaws.services.lambda.runtime.Context lambda, byte[] body) {
        return create(connection, Identifiers.userId(userId, "userId"), key, contentType, body, lambda);
    }

    @GET
    @Path("meetings/{meetingId}")
    public Response get(@HeaderParam(CONNECTION) List<String> connection, @PathParam("meetingId") String meetingId, @Context com.amazonaws.services.lambda.runtime.Context lambda) {
        String id = Identifiers.meetingId(meetingId, "meetingId");
        return answer(meetings.get(connection(connection), id, deadline.of(lambda))).build();
    }

    @PATCH
    @Path("meetings/{meetingId}")
    public Response update(@HeaderParam(CONNECTION) List<String> connection, @PathParam("meetingId") String meetingId,
            @HeaderParam(HttpHeaders.CONTENT_TYPE) String contentType, @Context com.amazonaws.services.lambda.runtime.Context lambda, byte[] body) {
        String id = Identifiers.meetingId(meetingId, "meetingId");
        String connectionId = connection(connection);
        requireValid(MeetingRules.forUpdate(JsonBody.object(contentType, body)));
        return answer(meetings.update(connectionId, id, body, deadline.of(lambda))).build();
    }

    @DELETE
    @Path("meetings/{meetingId}")
    public Response delete(@HeaderParam(CONNECTION) List<String> connection, @PathParam("meetingId") String meetingId, @Context com.amazonaws.services.lambda.runtime.Context lambda) {
        String id = Identifiers.meetingId(meetingId, "meetingId");
        return answer(meetings.delete(connection(connection), id, deadline.of(lambda))).build();
    }

    @GET
    @Path("meetings")
    public Response listMine(@HeaderParam(CONNECTION) List<String> connection, @QueryParam("type") String type,
            @QueryParam("page_size") String pageSize, @QueryParam("next_page_token") String nextPageToken,
            @QueryParam("from") String from, @QueryParam("to") String to, @Context com.amazonaws.services.lambda.runtime.Context lambda) {
        return list(connection, "me", ListQuery.of(type, pageSize, nextPageToken, from, to), lambda);
    }

    @GET
    @Path("users/{userId}/meetings")
    public Response listForUser(@HeaderParam(CONNECTION) List<String> connection, @PathParam("userId") String userId,
            @QueryParam("type") String type, @QueryParam("page_size") String pageSize,
            @QueryParam("next_page_token") String nextPageToken, @QueryParam("from") String from, @QueryParam("to") String to,
            @Context com.amazonaws.services.lambda.runtime.Context lambda) {
        return list(connection, Identifiers.userId(userId, "userId"), ListQuery.of(type, pageSize, nextPageToken, from, to), lambda);
    }

    private Response create(List<String> connection, String userId, List<String> key, String contentType, byte[] body,
            com.amazonaws.services.lambda.runtime.Context lambda) {
        String connectionId = connection(connection);
        String keyValue = HeaderValues.single(key, IdempotencyKeys.HEADER);
        String idempotencyKey = keyValue == null ? null : IdempotencyKeys.require(keyValue, IdempotencyKeys.HEADER);
        JsonNode meeting = JsonBody.object(contentType, body);
        requireValid(MeetingRules.forCreate(meeting));
        Idempotency.Outcome outcome = scheduler.schedule(idempotencyKey, MeetingCommand.create(connectionId, userId, meeting, body),
                deadline.of(lambda));
        Response.ResponseBuilder answer = answer(outcome.reply());
        return (outcome.replayed() ? answer.header(REPLAYED, "true") : answer).build();
    }

    private Response list(List<String> connection, String userId, ListQuery query, com.amazonaws.services.lambda.runtime.Context lambda) {
        return answer(meetings.list(connection(connection), userId, query, deadline.of(lambda))).build();
    }

    private static String connection(List<String> header) {
        return ConnectionIds.fromHeader(header);
    }

    private static void requireValid(List<FieldError> errors) {
        if (!errors.isEmpty()) {
            throw ProblemException.invalidRequest(errors);
        }
    }

    private static Response.ResponseBuilder answer(ZoomReply reply) {
        if (reply.body() == null || reply.body().isEmpty()) {
            return Response.status(reply.status());
        }
        return Response.status(reply.status()).entity(reply.body()).type(MediaType.APPLICATION_JSON_TYPE);
    }
}
