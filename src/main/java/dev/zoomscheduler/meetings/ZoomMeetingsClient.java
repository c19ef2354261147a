package dev.zoomscheduler.meetings;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

import io.smallrye.mutiny.Uni;

/**
 * Zoom's meetings API ({@code ZOOM_API_URL}). Bodies go out and come back as bytes and text, unchanged, so every field
 * Zoom knows reaches it and every field it answers reaches the caller. Calls are lazy ({@link Uni}) so that each can be
 * given its own deadline, from the time the invocation has left.
 */
@RegisterRestClient(configKey = "zoom-api")
@Produces(MediaType.APPLICATION_JSON)
public interface ZoomMeetingsClient {

    @POST
    @Path("/users/{userId}/meetings")
    @Consumes(MediaType.APPLICATION_JSON)
    Uni<Response> create(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization, @PathParam("userId") String userId, byte[] meeting);

    /** A null query parameter is not sent: without {@code occurrenceId}, the whole meeting. */
    @GET
    @Path("/meetings/{meetingId}")
    Uni<Response> get(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization, @PathParam("meetingId") String meetingId,
            @QueryParam("occurrence_id") String occurrenceId, @QueryParam("show_previous_occurrences") Boolean showPreviousOccurrences);

    @PATCH
    @Path("/meetings/{meetingId}")
    @Consumes(MediaType.APPLICATION_JSON)
    Uni<Response> update(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization, @PathParam("meetingId") String meetingId,
            @QueryParam("occurrence_id") String occurrenceId, byte[] changes);

    @DELETE
    @Path("/meetings/{meetingId}")
    Uni<Response> delete(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization, @PathParam("meetingId") String meetingId,
            @QueryParam("occurrence_id") String occurrenceId);

    @GET
    @Path("/users/{userId}/meetings")
    Uni<Response> list(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization, @PathParam("userId") String userId,
            @QueryParam("type") String type, @QueryParam("page_size") Integer pageSize,
            @QueryParam("next_page_token") String nextPageToken, @QueryParam("from") String from, @QueryParam("to") String to);
}
