package dev.zoomscheduler.webhooks;

import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.zoomscheduler.meetings.JsonBody;
import dev.zoomscheduler.problems.ProblemException;

/**
 * {@code POST /zoom/webhook}: Zoom's event notifications. The signature is checked on the raw bytes before anything is
 * parsed, for every request including the URL validation challenge: answering unsigned challenges would let anyone
 * obtain HMACs of chosen text under the secret token, and so forge signatures.
 */
@Path("/zoom/webhook")
public class WebhookResource {

    static final String URL_VALIDATION = "endpoint.url_validation";

    private final WebhookSignature signature;
    private final WebhookEvents events;
    private final ObjectMapper json;

    public WebhookResource(WebhookSignature signature, WebhookEvents events, ObjectMapper json) {
        this.signature = signature;
        this.events = events;
        this.json = json;
    }

    @POST
    public Response receive(@HeaderParam(WebhookSignature.TIMESTAMP_HEADER) String timestamp,
            @HeaderParam(WebhookSignature.SIGNATURE_HEADER) String signed, @HeaderParam(HttpHeaders.CONTENT_TYPE) String contentType,
            byte[] body) {
        signature.verify(timestamp, signed, body == null ? new byte[0] : body);
        JsonNode notification = JsonBody.object(contentType, body);
        String event = notification.path("event").asText("");
        if (URL_VALIDATION.equals(event)) {
            String plainToken = notification.path("payload").path("plainToken").asText("");
            if (plainToken.isEmpty() || plainToken.length() > 256) {
                throw ProblemException.invalidRequest("payload.plainToken", "Must be a string of 1 to 256 characters.");
            }
            String answer = json.createObjectNode().put("plainToken", plainToken)
                    .put("encryptedToken", signature.encrypt(plainToken)).toString();
            return Response.ok(answer, MediaType.APPLICATION_JSON).build();
        }
        events.handle(event, notification);
        return Response.noContent().build();
    }
}
