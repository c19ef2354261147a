package dev.zoomscheduler.tokens;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

/** Zoom's OAuth token endpoint ({@code {ZOOM_OAUTH_URL}/oauth/token}): Basic client authentication, tokens only in the form body. */
@RegisterRestClient(configKey = "zoom-oauth")
@Path("/oauth")
public interface ZoomOAuthClient {

    @POST
    @Path("/token")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Produces(MediaType.APPLICATION_JSON)
    Response refresh(@HeaderParam(HttpHeaders.AUTHORIZATION) String basicAuthorization,
            @FormParam("grant_type") String grantType,
            @FormParam("refresh_token") String refreshToken);
}
