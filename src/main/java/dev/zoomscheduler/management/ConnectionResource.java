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
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.zoomscheduler.time.InvocationDeadline;
import dev.zoomscheduler.problems.Problem.FieldError;
import dev.zoomscheduler.problems.ProblemException;
import dev.zoomscheduler.problems.QueryValues;
import dev.zoomscheduler.connections.ConnectionError;
import dev.zoomscheduler.connections.ConnectionIds;
import dev.zoomscheduler.connections.ConnectionInfo;
import dev.zoomscheduler.connections.ConnectionKind;
import dev.zoomscheduler.connections.ConnectionStatus;
import dev.zoomscheduler.tokens.ConnectionStore;

/**
 * {@code GET /connections}, {@code GET /connections/{id}} and {@code DELETE /connections/{id}}: JSON in Zoom's snake_case, but
 * for {@code lastRefreshedAt}, {@code health} and {@code lastError} (docs/connecting-accounts.md, "Health").
 */
@Path("/connections")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "connections", description = "Zoom accounts connected to the function, never with their tokens")
public class ConnectionResource {

    private static final int DEFAULT_PAGE_SIZE = 30;

    private final Connections connections;
    private final ObjectMapper json;

    private final InvocationDeadline deadline;

    public ConnectionResource(Connections connections, ObjectMapper json, InvocationDeadline deadline) {
        this.connections = connections;
        this.deadline = deadline;
        this.json = json;
    }

    @Operation(summary = "List connections", description = "page_size 1 to 300 (default 30); next_page_token from the previous page.")
    @APIResponse(responseCode = "200", description = "A page of connections", content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(ref = "ConnectionPage")))
    @GET
    public String list(@QueryParam("page_size") String pageSize, @QueryParam("next_page_token") String nextPageToken) {
        ConnectionStore.Page page = connections.list(pageSize(pageSize), startAfter(nextPageToken));
        ObjectNode answer = json.createObjectNode();
        ArrayNode items = answer.putArray("connections");
        page.connections().forEach(info -> items.add(view(info)));
        answer.put("next_page_token", page.nextStartAfter() == null ? ""
                : Base64.getUrlEncoder().withoutPadding().encodeToString(page.nextStartAfter().getBytes(StandardCharsets.UTF_8)));
        return answer.toString();
    }

    @Operation(summary = "Describe a connection")
    @APIResponse(responseCode = "200", description = "The connection", content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(ref = "Connection")))
    @GET
    @Path("{connectionId}")
    public String get(@PathParam("connectionId") String connectionId) {
        return view(connections.describe(pathId(connectionId))).toString();
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

    private ObjectNode view(ConnectionInfo info) {
        ObjectNode view = json.createObjectNode()
                .put("id", info.connectionId())
                .put("kind", info.kind().attributeValue())
                .put("status", info.status().attributeValue());
        putIfPresent(view, "account_id", info.accountId());
        putIfPresent(view, "zoom_user_id", info.zoomUserId());
        putIfPresent(view, "zoom_account_id", info.zoomAccountId());
        putIfPresent(view, "scope", info.scope());
        putInstant(view, "expires_at", info.expiresAt());
        putInstant(view, "authorized_at", info.authorizedAt());
        if (info.refreshedAt() > 0) {
            view.put("lastRefreshedAt", Instant.ofEpochSecond(info.refreshedAt()).toString()); // absent: never refreshed here
        }
        view.put("health", info.health().wireName());
        ConnectionError error = info.lastError();
        if (error != null) {
            view.putObject("lastError").put("reason", error.reason()).put("detail", error.detail()).put("when", error.at().toString());
        }
        if (info.status() != ConnectionStatus.ACTIVE && info.kind() == ConnectionKind.USER) {
            view.put("reauthorize_url", "/oauth/install?connection=" + info.connectionId());
        }
        return view;
    }

    private static void putIfPresent(ObjectNode view, String field, String value) {
        if (value != null) {
            view.put(field, value);
        }
    }

    private static void putInstant(ObjectNode view, String field, long epochSeconds) {
        if (epochSeconds > 0) {
            view.put(field, Instant.ofEpochSecond(epochSeconds).toString());
        } else {
            view.putNull(field);
        }
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
