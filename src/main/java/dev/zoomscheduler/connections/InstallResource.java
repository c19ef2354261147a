package dev.zoomscheduler.connections;

import java.net.URI;
import java.util.Optional;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import dev.zoomscheduler.problems.ProblemException;
import dev.zoomscheduler.tokens.ConnectionIds;

/**
 * The two public routes of the install flow (interface.md, "Connecting accounts"). The callback is opened by a browser, so
 * it answers a short HTML page, also for its errors, unless the caller asks for JSON (then problem+json, like every other route).
 */
@Path("/oauth")
public class InstallResource {

    private final Installation installation;
    private final Optional<String> configuredRedirectUri;

    public InstallResource(Installation installation, @ConfigProperty(name = "zoom.redirect-uri") Optional<String> configuredRedirectUri) {
        this.installation = installation;
        this.configuredRedirectUri = configuredRedirectUri.map(String::trim).filter(uri -> !uri.isEmpty());
    }

    @GET
    @Path("install")
    public Response install(@QueryParam("connection") String connection, @HeaderParam("X-Forwarded-Proto") String forwardedProto,
            @HeaderParam(HttpHeaders.HOST) String host, @Context UriInfo uri) {
        String connectionId = ConnectionIds.orDefault(connection, "connection");
        String redirectUri = configuredRedirectUri.orElseGet(() -> derivedRedirectUri(forwardedProto, host, uri));
        return Response.status(Response.Status.FOUND)
                .location(installation.begin(connectionId, redirectUri))
                .header(HttpHeaders.CACHE_CONTROL, "no-store")
                .header("Referrer-Policy", "no-referrer")
                .build();
    }

    @GET
    @Path("callback")
    public Response callback(@QueryParam("state") String state, @QueryParam("code") String code, @QueryParam("error") String error,
            @HeaderParam(HttpHeaders.ACCEPT) String accept) {
        try {
            String connectionId = installation.complete(state, code, error);
            return ResultPage.of(200, "Zoom account connected", "The Zoom account is now connected as connection '" + connectionId
                    + "'. Requests with the header X-Zoom-Connection: " + connectionId + " act on it. You can close this page.");
        } catch (ProblemException e) {
            if (accept != null && accept.contains("json")) {
                throw e;
            }
            return ResultPage.of(e.status(), e.type().title(), e.getMessage());
        }
    }

    /**
     * The callback beside this route, as the caller reached it: API Gateway gives the public host and scheme. Zoom
     * accepts only redirect URIs registered with the app, so a forged Host header gains nothing; set ZOOM_REDIRECT_URI
     * when the function sits behind a path-mapped custom domain.
     */
    private static String derivedRedirectUri(String forwardedProto, String host, UriInfo uri) {
        URI request = uri.getRequestUri();
        String scheme = forwardedProto != null && !forwardedProto.isBlank() ? forwardedProto.split(",")[0].trim() : request.getScheme();
        String authority = host != null && !host.isBlank() ? host.trim() : request.getRawAuthority();
        String path = request.getRawPath();
        String base = path.substring(0, path.length() - "install".length());
        return scheme + "://" + authority + base + "callback";
    }
}
