package dev.zoomscheduler.webhooks;

import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import com.fasterxml.jackson.databind.JsonNode;

import dev.zoomscheduler.meetings.JsonBody;
import dev.zoomscheduler.problems.ProblemException;
import dev.zoomscheduler.time.InvocationDeadline;

/**
 * {@code POST /zoom/webhook}: Zoom's event notifications. The signature is checked on the raw bytes before anything is
 * parsed, for every request including the URL validation challenge: answering unsigned challenges would let anyone
 * obtain HMACs of chosen text under the secret token, and so forge signatures.
 */
@Path("/zoom/webhook")
@Tag(name = "webhooks", description = "Zoom's event notifications (public route, x-zm-signature checked)")
public class WebhookResource {

    static final String URL_VALIDATION = "endpoint.url_validation";

    private final WebhookSignature signature;
    private final WebhookEvents events;
    private final InvocationDeadline deadline;

    public WebhookResource(WebhookSignature signature, WebhookEvents events, InvocationDeadline deadline) {
        this.signature = signature;
        this.events = events;
        this.deadline = deadline;
    }

    @Operation(summary = "Receive a Zoom event", description = "x-zm-signature = v0=hex(HMAC-SHA256(secret token, \"v0:{x-zm-request-timestamp}:{body}\")).")
    @RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(ref = "ZoomEvent")))
    @APIResponse(responseCode = "200", description = "The URL validation challenge answered", content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = UrlValidationAnswer.class)))
    @APIResponse(responseCode = "204", description = "Event handled (or ignored)")
    @POST
    public Response receive(@HeaderParam(WebhookSignature.TIMESTAMP_HEADER) String timestamp,
            @HeaderParam(WebhookSignature.SIGNATURE_HEADER) String signed, @Parameter(hidden = true) @HeaderParam(HttpHeaders.CONTENT_TYPE) String contentType,
            @Context com.amazonaws.services.lambda.runtime.Context lambda, byte[] body) {
        signature.verify(timestamp, signed, body == null ? new byte[0] : body);
        JsonNode notification = JsonBody.object(contentType, body);
        String event = notification.path("event").asText("");
        if (URL_VALIDATION.equals(event)) {
            String plainToken = notification.path("payload").path("plainToken").asText("");
            if (plainToken.isEmpty() || plainToken.length() > 256) {
                throw ProblemException.invalidRequest("payload.plainToken", "Must be a string of 1 to 256 characters.");
            }
            return Response.ok(new UrlValidationAnswer(plainToken, signature.encrypt(plainToken)), MediaType.APPLICATION_JSON).build();
        }
        events.handle(event, notification, deadline.of(lambda));
        return Response.noContent().build();
    }
}
