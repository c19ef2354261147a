package dev.zoomscheduler.testing.zoom;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;

/** What the fake answers a request, in Zoom's forms: API errors {@code {"code", "message"}}, OAuth errors {@code {"reason", "error"}}. */
record Answer(int status, Map<String, String> headers, String body) {

    private static final ObjectMapper JSON = new ObjectMapper();

    static Answer json(int status, JsonNode body) {
        return new Answer(status, Map.of("Content-Type", "application/json;charset=UTF-8"), body.toString());
    }

    static Answer noContent() {
        return new Answer(204, Map.of(), "");
    }

    static Answer error(int status, int code, String message) {
        return json(status, JSON.createObjectNode().put("code", code).put("message", message));
    }

    static Answer oauthError(int status, String error, String reason) {
        return json(status, JSON.createObjectNode().put("reason", reason).put("error", error));
    }

    static Answer notFound() {
        return error(404, 404, "Not found");
    }

    static Answer notAllowed() {
        return error(405, 405, "Method not allowed");
    }

    void send(HttpExchange exchange) throws IOException {
        headers.forEach((name, value) -> exchange.getResponseHeaders().set(name, value));
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
    }
}
