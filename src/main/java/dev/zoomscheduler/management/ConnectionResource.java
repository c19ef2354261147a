package dev.zoomscheduler.management;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Set;

import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import dev.zoomscheduler.connections.ConnectionError;
import dev.zoomscheduler.connections.ConnectionIds;
import dev.zoomscheduler.connections.ConnectionInfo;
import dev.zoomscheduler.connections.ConnectionKind;
import dev.zoomscheduler.connections.ConnectionStatus;
import dev.zoomscheduler.problems.Problem.FieldError;
import dev.zoomscheduler.problems.ProblemException;
import dev.zoomscheduler.problems.QueryValues;
import dev.zoomscheduler.time.InvocationDeadline;
import dev.zoomscheduler.tokens.ConnectionStore;

/** {@code GET /connections}, {@code GET /connections/{id}} and {@code DELETE /connections/{id}}. */
@Path("/connections")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "connections", description = "Zoom accounts connected to the function, never with their tokens")
public class ConnectionResource {

    private static final int DEFAULT_PAGE_SIZE = 30;

    private final Connections connections;
    private final InvocationDeadline deadline;

    public ConnectionResource(Connections connections, InvocationDeadline deadline) {
        this.connections = connections;
        this.deadline = deadline;
    }

    @Operation(summary = "List connections", description = "page_size 1 to 300 (default 30); next_page_token from the previous page.")
    @APIResponse(responseCode = "200", description = "A page of connections")
    @GET
    public ConnectionPage list(@QueryParam("page_size") String pageSize, @QueryParam("next_page_token") String nextPageToken) {
        ConnectionStore.Page page = connections.list(pageSize(pageSize), startAfter(nextPageToken));
        return new ConnectionPage(page.connections().stream().map(ConnectionResource::view).toList(), nextPageToken(page.nextStartAfter()));
    }

    @Operation(summary = "Describe a connection")
    @APIResponse(responseCode = "200", description = "The connection")
    @GET
    @Path("{connectionId}")
    public ConnectionView get(@PathParam("connectionId") String connectionId) {
        return view(connections.describe(pathId(connectionId)));
    }

    @Operation(summary = "Revoke a connection at Zoom, then delete it")
    @APIResponse(responseCode = "204", description = "Revoked and deleted")
    @DELETE
    @Path("{connectionId}")
    public Response delete(@PathParam("connectionId") String connectionId, @Context UriInfo uri,
            @Context com.amazonaws.services.lambda.runtime.Context lambda) {
        QueryValues.onlyThese(uri.getQueryParameters(), Set.of()); // a route that deletes acts on nothing it was not asked
        connections.remove(pathId(connectionId), deadline.of(lambda));
        return Response.noContent().build();
    }

    private static ConnectionView view(ConnectionInfo info) {
        ConnectionError error = info.lastError();
        return new ConnectionView(info.connectionId(), info.kind().attributeValue(), info.status().attributeValue(), info.accountId(),
                info.zoomUserId(), info.zoomAccountId(), info.scope(), instant(info.expiresAt()), instant(info.authorizedAt()),
                instant(info.refreshedAt()), info.health().wireName(),
                error == null ? null : new ConnectionView.LastError(error.reason(), error.detail(), error.at()),
                info.status() != ConnectionStatus.ACTIVE && info.kind() == ConnectionKind.USER
                        ? "/oauth/install?connection=" + info.connectionId()
                        : null);
    }

    /** Epoch seconds as an instant; null for 0, which the item holds for "never" or "unknown". */
    private static Instant instant(long epochSeconds) {
        return epochSeconds > 0 ? Instant.ofEpochSecond(epochSeconds) : null;
    }

    private static String pathId(String connectionId) {
        return ConnectionIds.orDefault(connectionId, "connectionId");
    }

    private static int pageSize(String value) {
        List<FieldError> errors = new ArrayList<>();
        Integer size = QueryValues.pageSize(value, DEFAULT_PAGE_SIZE, errors);
        if (!errors.isEmpty()) {
            throw ProblemException.invalidRequest(errors);
        }
        return size;
    }

    /** The connection id the next page starts after, as base64url; empty on the last page. */
    private static String nextPageToken(String startAfter) {
        return startAfter == null ? "" : Base64.getUrlEncoder().withoutPadding().encodeToString(startAfter.getBytes(StandardCharsets.UTF_8));
    }

    private static String startAfter(String token) {
        if (token == null || token.isEmpty()) {
            return null;
        }
        try {
            String connectionId = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
            if (ConnectionIds.isValid(connectionId)) {
                return connectionId;
            }
        } catch (IllegalArgumentException e) {
            // answered below
        }
        throw ProblemException.invalidRequest("next_page_token", "Is not a token this API gave.");
    }
}
