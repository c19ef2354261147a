package dev.zoomscheduler.install;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

import io.smallrye.mutiny.Uni;

/** Zoom's {@code GET /users/me}: who authorised the app, so that Zoom's later events about that user find the connection. */
@RegisterRestClient(configKey = "zoom-api")
@Produces(MediaType.APPLICATION_JSON)
public interface ZoomUserClient {

    @GET
    @Path("/users/me")
    Uni<Response> me(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization);
}
