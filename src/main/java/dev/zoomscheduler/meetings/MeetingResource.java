package dev.zoomscheduler.meetings;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

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
import jakarta.ws.rs.core.UriInfo;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.ParameterIn;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import com.fasterxml.jackson.databind.JsonNode;

import dev.zoomscheduler.connections.ConnectionIds;
import dev.zoomscheduler.idempotency.Idempotency;
import dev.zoomscheduler.idempotency.IdempotencyKeys;
import dev.zoomscheduler.problems.HeaderValues;
import dev.zoomscheduler.problems.Problem.FieldError;
import dev.zoomscheduler.problems.ProblemException;
import dev.zoomscheduler.problems.QueryValues;
import dev.zoomscheduler.time.InvocationDeadline;
import dev.zoomscheduler.zoom.ZoomReply;

/**
 * The meeting routes of the HTTP API (docs/http-api.md). Each validates everything it was given, then makes one Zoom call,
 * and answers Zoom's own JSON. Bodies are taken as bytes (any content type) so that a wrong one gets a problem document.
 * A route that creates, changes or deletes refuses a query parameter it does not take: it never acts on more than was asked.
 * Zoom's JSON is described once, in META-INF/openapi.yaml: the routes name its request bodies and responses by reference.
 */
@Path("/")
@Tag(name = "meetings", description = "Zoom meetings, forwarded to Zoom's REST API")
public class MeetingResource {

    private static final String CONNECTION = ConnectionIds.HEADER;
    /** Set on an answer that an earlier request with the same Idempotency-Key got. */
    static final String REPLAYED = "Idempotent-Replayed";
    static final String OCCURRENCE_ID = "occurrence_id";
    private static final String SHOW_PREVIOUS_OCCURRENCES = "show_previous_occurrences";

    private final Meetings meetings;
    private final MeetingScheduler scheduler;
    private final InvocationDeadline deadline;

    public MeetingResource(Meetings meetings, MeetingScheduler scheduler, InvocationDeadline deadline) {
        this.meetings = meetings;
        this.scheduler = scheduler;
        this.deadline = deadline;
    }

    @Operation(summary = "Create a meeting for the connection's user", description = "Zoom: POST /users/me/meetings.")
    @RequestBody(ref = "newMeeting")
    @APIResponse(responseCode = "201", ref = "createdMeeting")
    @POST
    @Path("meetings")
    public Response createForMe(@Parameter(ref = "connection") @HeaderParam(CONNECTION) List<String> connection, @Parameter(ref = "idempotencyKey") @HeaderParam(IdempotencyKeys.HEADER) List<String> key,
            @Parameter(hidden = true) @HeaderParam(HttpHeaders.CONTENT_TYPE) String contentType, @Context UriInfo uri,
            @Context com.amazonaws.services.lambda.runtime.Context lambda, byte[] body) {
        QueryValues.onlyThese(uri.getQueryParameters(), Set.of());
        return create(connection, "me", key, contentType, body, lambda);
    }

    @Operation(summary = "Create a meeting for a user of the connection's account", description = "Zoom: POST /users/{userId}/meetings.")
    @RequestBody(ref = "newMeeting")
    @APIResponse(responseCode = "201", ref = "createdMeeting")
    @POST
    @Path("users/{userId}/meetings")
    public Response createForUser(@Parameter(ref = "connection") @HeaderParam(CONNECTION) List<String> connection, @PathParam("userId") String userId,
            @Parameter(ref = "idempotencyKey") @HeaderParam(IdempotencyKeys.HEADER) List<String> key, @Parameter(hidden = true) @HeaderParam(HttpHeaders.CONTENT_TYPE) String contentType,
            @Context UriInfo uri, @Context com.amazonaws.services.lambda.runtime.Context lambda, byte[] body) {
        QueryValues.onlyThese(uri.getQueryParameters(), Set.of());
        return create(connection, Identifiers.userId(userId, "userId"), key, contentType, body, lambda);
    }

    @Operation(summary = "Read a meeting", description = "Zoom: GET /meetings/{meetingId}; occurrence_id reads one occurrence of a"
            + " recurring meeting, show_previous_occurrences also lists those that have begun.")
    @APIResponse(responseCode = "200", ref = "zoomMeeting")
    @GET
    @Path("meetings/{meetingId}")
    @Parameter(name = OCCURRENCE_ID, in = ParameterIn.QUERY, ref = "occurrenceId")
    @Parameter(name = SHOW_PREVIOUS_OCCURRENCES, in = ParameterIn.QUERY, description = "true: Zoom also lists the occurrences that have begun",
            schema = @Schema(type = SchemaType.BOOLEAN))
    public Response get(@Parameter(ref = "connection") @HeaderParam(CONNECTION) List<String> connection, @PathParam("meetingId") String meetingId,
            @Context UriInfo uri, @Context com.amazonaws.services.lambda.runtime.Context lambda) {
        String id = Identifiers.meetingId(meetingId, "meetingId");
        String occurrence = occurrence(uri);
        List<FieldError> errors = new ArrayList<>();
        Boolean previous = QueryValues.bool(uri.getQueryParameters().getFirst(SHOW_PREVIOUS_OCCURRENCES), SHOW_PREVIOUS_OCCURRENCES, errors);
        requireValid(errors);
        return answer(meetings.get(connection(connection), id, occurrence, previous, deadline.of(lambda))).build();
    }

    @Operation(summary = "Reschedule or change a meeting", description = "Zoom: PATCH /meetings/{meetingId}; any updatable field."
            + " occurrence_id changes one occurrence of a recurring meeting; the series stays as it is.")
    @RequestBody(ref = "meetingChange")
    @APIResponse(responseCode = "204", description = "Changed")
    @PATCH
    @Path("meetings/{meetingId}")
    @Parameter(name = OCCURRENCE_ID, in = ParameterIn.QUERY, ref = "occurrenceId")
    public Response update(@Parameter(ref = "connection") @HeaderParam(CONNECTION) List<String> connection, @PathParam("meetingId") String meetingId,
            @Context UriInfo uri, @Parameter(hidden = true) @HeaderParam(HttpHeaders.CONTENT_TYPE) String contentType,
            @Context com.amazonaws.services.lambda.runtime.Context lambda, byte[] body) {
        QueryValues.onlyThese(uri.getQueryParameters(), Set.of(OCCURRENCE_ID));
        String id = Identifiers.meetingId(meetingId, "meetingId");
        String occurrence = occurrence(uri);
        String connectionId = connection(connection);
        requireValid(MeetingRules.forUpdate(JsonBody.object(contentType, body)));
        return answer(meetings.update(connectionId, id, occurrence, body, deadline.of(lambda))).build();
    }

    @Operation(summary = "Cancel a meeting", description = "Zoom: DELETE /meetings/{meetingId}. occurrence_id deletes one occurrence"
            + " of a recurring meeting; the series stays.")
    @APIResponse(responseCode = "204", description = "Deleted")
    @DELETE
    @Path("meetings/{meetingId}")
    @Parameter(name = OCCURRENCE_ID, in = ParameterIn.QUERY, ref = "occurrenceId")
    public Response delete(@Parameter(ref = "connection") @HeaderParam(CONNECTION) List<String> connection, @PathParam("meetingId") String meetingId,
            @Context UriInfo uri, @Context com.amazonaws.services.lambda.runtime.Context lambda) {
        QueryValues.onlyThese(uri.getQueryParameters(), Set.of(OCCURRENCE_ID));
        String id = Identifiers.meetingId(meetingId, "meetingId");
        String occurrence = occurrence(uri);
        return answer(meetings.delete(connection(connection), id, occurrence, deadline.of(lambda))).build();
    }

    @Operation(summary = "List the connection user's meetings", description = "Zoom: GET /users/me/meetings; page_size and next_page_token pass through.")
    @APIResponse(responseCode = "200", ref = "meetingPage")
    @GET
    @Path("meetings")
    public Response listMine(@Parameter(ref = "connection") @HeaderParam(CONNECTION) List<String> connection, @QueryParam("type") String type,
            @QueryParam("page_size") String pageSize, @QueryParam("next_page_token") String nextPageToken,
            @QueryParam("from") String from, @QueryParam("to") String to, @Context com.amazonaws.services.lambda.runtime.Context lambda) {
        return list(connection, "me", ListQuery.of(type, pageSize, nextPageToken, from, to), lambda);
    }

    @Operation(summary = "List a user's meetings", description = "Zoom: GET /users/{userId}/meetings; page_size and next_page_token pass through.")
    @APIResponse(responseCode = "200", ref = "meetingPage")
    @GET
    @Path("users/{userId}/meetings")
    public Response listForUser(@Parameter(ref = "connection") @HeaderParam(CONNECTION) List<String> connection, @PathParam("userId") String userId,
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
                Idempotency.Refusals.LEAVE_NO_TRACE, deadline.of(lambda));
        Response.ResponseBuilder answer = answer(outcome.reply().status(), outcome.reply().body());
        return (outcome.replayed() ? answer.header(REPLAYED, "true") : answer).build();
    }

    private Response list(List<String> connection, String userId, ListQuery query, com.amazonaws.services.lambda.runtime.Context lambda) {
        return answer(meetings.list(connection(connection), userId, query, deadline.of(lambda))).build();
    }

    /**
     * {@code occurrence_id} as the query has it (read from the query itself: an empty value is a malformed id, never taken for
     * none, which would act on the whole series); null if not given.
     */
    private static String occurrence(UriInfo uri) {
        return Identifiers.occurrenceId(uri.getQueryParameters().getFirst(OCCURRENCE_ID), OCCURRENCE_ID);
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
        return answer(reply.status(), reply.body());
    }

    /** Zoom's status and body as they are: JSON, or nothing. */
    private static Response.ResponseBuilder answer(int status, String body) {
        if (body == null || body.isEmpty()) {
            return Response.status(status);
        }
        return Response.status(status).entity(body).type(MediaType.APPLICATION_JSON_TYPE);
    }
}
