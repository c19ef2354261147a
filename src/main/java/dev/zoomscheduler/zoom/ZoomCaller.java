package dev.zoomscheduler.zoom;

import java.io.IOException;
import java.util.function.Function;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.ProcessingException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.zoomscheduler.tokens.TokenRotation;

/**
 * Sends one call to Zoom's REST API with a connection's access token. If Zoom refuses a token believed valid
 * (401, code 124), it asks for a replacement once and sends the call once more; any other error becomes a problem.
 */
@ApplicationScoped
public class ZoomCaller {

    private static final int INVALID_ACCESS_TOKEN = 124;

    private final TokenRotation tokens;
    private final ObjectMapper json;

    public ZoomCaller(TokenRotation tokens, ObjectMapper json) {
        this.tokens = tokens;
        this.json = json;
    }

    /**
     * @param call sends the request with the given {@code Authorization} header value
     */
    public ZoomReply call(String connectionId, Function<String, Response> call) {
        String accessToken = tokens.accessToken(connectionId);
        Answer answer = send(call, accessToken);
        if (answer.status() == 401 && (answer.code() == null || answer.code() == INVALID_ACCESS_TOKEN)) {
            answer = send(call, tokens.replaceRejected(connectionId, accessToken));
        }
        if (answer.status() >= 400) {
            throw ZoomFailures.fromStatus("Zoom", answer.status(), answer.retryAfter(), answer.code(), answer.message());
        }
        return new ZoomReply(answer.status(), answer.body());
    }

    private Answer send(Function<String, Response> call, String accessToken) {
        Response response;
        try {
            response = call.apply("Bearer " + accessToken);
        } catch (ProcessingException e) {
            throw ZoomFailures.unreachable("Zoom", e);
        }
        try (response) {
            String body = response.hasEntity() ? response.readEntity(String.class) : "";
            return Answer.of(response.getStatus(), body, response.getHeaderString(HttpHeaders.RETRY_AFTER), json);
        } catch (ProcessingException e) {
            throw ZoomFailures.unreachable("Zoom", e);
        }
    }

    /** Zoom's answer before it is judged; error bodies are {@code {"code": ..., "message": ...}}. */
    private record Answer(int status, String body, String retryAfter, Integer code, String message) {

        static Answer of(int status, String body, String retryAfter, ObjectMapper json) {
            if (status < 400) {
                return new Answer(status, body, retryAfter, null, null);
            }
            JsonNode error = errorBody(json, body);
            JsonNode code = error.path("code");
            JsonNode message = error.path("message");
            return new Answer(status, body, retryAfter, code.canConvertToInt() ? code.intValue() : null,
                    message.isTextual() ? message.textValue() : null);
        }

        private static JsonNode errorBody(ObjectMapper json, String body) {
            try {
                return body.isEmpty() ? json.missingNode() : json.readTree(body);
            } catch (IOException e) {
                return json.missingNode(); // not JSON (a proxy's page, say): judged by its status alone
            }
        }
    }
}
