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

/**
 * Zoom's OAuth endpoints under {@code {ZOOM_OAUTH_URL}/oauth}: Basic client authentication, tokens and codes only in the
 * form body (Zoom refuses them in the query string).
 */
@RegisterRestClient(configKey = "zoom-oauth")
@Path("/oauth")
@Consumes(MediaType.APPLICATION_FORM_URLENCODED)
@Produces(MediaType.APPLICATION_JSON)
public interface ZoomOAuthClient {

    @POST
    @Path("/token")
    Response refresh(@HeaderParam(HttpHeaders.AUTHORIZATION) String basicAuthorization,
            @FormParam("grant_type") String grantType,
            @FormParam("refresh_token") String refreshToken);

    @POST
    @Path("/token")
    Response accountCredentials(@HeaderParam(HttpHeaders.AUTHORIZATION) String basicAuthorization,
            @FormParam("grant_type") String grantType,
            @FormParam("account_id") String accountId);

    @POST
    @Path("/token")
    Response authorizationCode(@HeaderParam(HttpHeaders.AUTHORIZATION) String basicAuthorization,
            @FormParam("grant_type") String grantType,
            @FormParam("code") String code,
            @FormParam("redirect_uri") String redirectUri);

    @POST
    @Path("/revoke")
    Response revoke(@HeaderParam(HttpHeaders.AUTHORIZATION) String basicAuthorization, @FormParam("token") String token);
}
