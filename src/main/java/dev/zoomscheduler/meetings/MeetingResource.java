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
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

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

    private final Meetings meetings;

    public MeetingResource(Meetings meetings) {
        this.meetings = meetings;
    }

    @POST
    @Path("meetings")
    public Response createForMe(@HeaderParam(CONNECTION) String connection, @HeaderParam(HttpHeaders.CONTENT_TYPE) String contentType,
            byte[] body) {
        return create(connection, "me", contentType, body);
    }

    @POST
    @Path("users/{userId}/meetings")
    public Response createForUser(@HeaderParam(CONNECTION) String connection, @PathParam("userId") String userId,
            @HeaderParam(HttpHeaders.CONTENT_TYPE) String contentType, byte[] body) {
        return create(connection, Identifiers.userId(userId, "userId"), contentType, body);
    }

    @GET
    @Path("meetings/{meetingId}")
    public Response get(@HeaderParam(CONNECTION) String connection, @PathParam("meetingId") String meetingId) {
        String id = Identifiers.meetingId(meetingId, "meetingId");
        return answer(meetings.get(connection(connection), id));
    }

    @PATCH
    @Path("meetings/{meetingId}")
    public Response update(@HeaderParam(CONNECTION) String connection, @PathParam("meetingId") String meetingId,
            @HeaderParam(HttpHeaders.CONTENT_TYPE) String contentType, byte[] body) {
        String id = Identifiers.meetingId(meetingId, "meetingId");
        String connectionId = connection(connection);
        requireValid(MeetingRules.forUpdate(JsonBody.object(contentType, body)));
        return answer(meetings.update(connectionId, id, body));
    }

    @DELETE
    @Path("meetings/{meetingId}")
    public Response delete(@HeaderParam(CONNECTION) String connection, @PathParam("meetingId") String meetingId) {
        String id = Identifiers.meetingId(meetingId, "meetingId");
        return answer(meetings.delete(connection(connection), id));
    }

    @GET
    @Path("meetings")
    public Response listMine(@HeaderParam(CONNECTION) String connection, @QueryParam("type") String type,
            @QueryParam("page_size") String pageSize, @QueryParam("next_page_token") String nextPageToken,
            @QueryParam("from") String from, @QueryParam("to") String to) {
        return list(connection, "me", ListQuery.of(type, pageSize, nextPageToken, from, to));
    }

    @GET
    @Path("users/{userId}/meetings")
    public Response listForUser(@HeaderParam(CONNECTION) String connection, @PathParam("userId") String userId,
            @QueryParam("type") String type, @QueryParam("page_size") String pageSize,
            @QueryParam("next_page_token") String nextPageToken, @QueryParam("from") String from, @QueryParam("to") String to) {
        return list(connection, Identifiers.userId(userId, "userId"), ListQuery.of(type, pageSize, nextPageToken, from, to));
    }

    private Response create(String connection, String userId, String contentType, byte[] body) {
        String connectionId = connection(connection);
        requireValid(MeetingRules.forCreate(JsonBody.object(contentType, body)));
        return answer(meetings.create(connectionId, userId, body));
    }

    private Response list(String connection, String userId, ListQuery query) {
        return answer(meetings.list(connection(connection), userId, query));
    }

    private static String connection(String header) {
        return ConnectionIds.orDefault(header, CONNECTION);
    }

    private static void requireValid(List<FieldError> errors) {
        if (!errors.isEmpty()) {
            throw ProblemException.invalidRequest(errors);
        }
    }

    private static Response answer(ZoomReply reply) {
        if (reply.body().isEmpty()) {
            return Response.status(reply.status()).build();
        }
        return Response.status(reply.status()).entity(reply.body()).type(MediaType.APPLICATION_JSON_TYPE).build();
    }
}
