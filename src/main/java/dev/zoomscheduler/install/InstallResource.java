package dev.zoomscheduler.install;

import java.net.URI;
import java.util.Optional;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;

import dev.zoomscheduler.connections.ConnectionIds;
import dev.zoomscheduler.problems.ProblemException;
import dev.zoomscheduler.problems.ProblemType;
import dev.zoomscheduler.time.InvocationDeadline;

/**
 * The install flow (docs/connecting-accounts.md, "A user connects"). Starting it names a connection, so only a signed caller may: API
 * Gateway's IAM authorisation checks the signature, and the route refuses an event that carries no authorizer (a route left
 * public by mistake), so that no unauthenticated caller can choose which Zoom user a connection acts as. The callback is
 * public, opened by a browser, so it answers a short HTML page, also for its errors, unless the caller asks for JSON (then
 * problem+json, like every other route).
 */
@Path("/oauth")
@Tag(name = "install", description = "Connecting a Zoom account: a signed start, then the browser's public callback")
public class InstallResource {

    private final Installation installation;
    private final Optional<String> configuredRedirectUri;
    private final InvocationDeadline deadline;

    public InstallResource(Installation installation, @ConfigProperty(name = "zoom.redirect-uri") Optional<String> configuredRedirectUri,
            InvocationDeadline deadline) {
        this.installation = installation;
        this.deadline = deadline;
        this.configuredRedirectUri = configuredRedirectUri.map(String::trim).filter(uri -> !uri.isEmpty());
    }

    @Operation(summary = "Start installing the app", description = "Signed (IAM) callers only. Redirects to Zoom's authorise page"
            + " with a single-use, expiring state, and gives the same URL in the body for a backend to hand to its user's browser.")
    @APIResponse(responseCode = "302", description = "To {ZOOM_OAUTH_URL}/oauth/authorize?response_type=code&client_id=...&redirect_uri=...&state=...",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = Installation.InstallLink.class)))
    @APIResponse(responseCode = "403", description = "The request was not signed (no IAM authorizer in the event)")
    @GET
    @Path("install")
    public Response install(@QueryParam("connection") String connection, @Parameter(hidden = true) @HeaderParam("X-Forwarded-Proto") String forwardedProto,
            @Parameter(hidden = true) @HeaderParam(HttpHeaders.HOST) String host, @Context UriInfo uri, @Context APIGatewayV2HTTPEvent event) {
        if (!SignedCaller.of(event)) {
            throw new ProblemException(ProblemType.SIGNED_REQUEST_REQUIRED, "Starting an install names a connection: only a signed"
                    + " (IAM-authorised) caller may do it. The operator's backend calls this route and hands install_url to the user.");
        }
        String connectionId = ConnectionIds.orDefault(connection, "connection");
        String redirectUri = configuredRedirectUri.orElseGet(() -> derivedRedirectUri(forwardedProto, host, uri));
        Installation.InstallLink link = installation.begin(connectionId, redirectUri);
        return Response.status(Response.Status.FOUND)
                .location(link.url())
                .type(MediaType.APPLICATION_JSON_TYPE)
                .entity(link)
                .header(HttpHeaders.CACHE_CONTROL, "no-store")
                .header("Referrer-Policy", "no-referrer")
                .build();
    }

    @Operation(summary = "Zoom's redirect after consent", description = "Consumes the state, exchanges the code, stores the connection.")
    @APIResponse(responseCode = "200", description = "A short HTML page: the account is connected", content = @Content(mediaType = "text/html"))
    @APIResponse(responseCode = "400", description = "Bad, expired or used state, or a code Zoom refused (HTML, or problem+json if Accept asks for JSON)")
    @APIResponse(responseCode = "403", description = "The user declined at Zoom (error=access_denied)")
    @GET
    @Path("callback")
    public Response callback(@QueryParam("state") String state, @QueryParam("code") String code, @QueryParam("error") String error,
            @Parameter(hidden = true) @HeaderParam(HttpHeaders.ACCEPT) String accept, @Context com.amazonaws.services.lambda.runtime.Context lambda) {
        try {
            String connectionId = installation.complete(state, code, error, deadline.of(lambda));
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
