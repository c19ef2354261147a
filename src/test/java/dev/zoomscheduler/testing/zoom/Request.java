package dev.zoomscheduler.testing.zoom;

import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;

/** One request to the fake, its body read: the raw path and query, as Zoom sees them. */
final class Request {

    private static final ObjectMapper JSON = new ObjectMapper();

    final String method;
    final String path;
    final String query;
    final byte[] body;
    private final HttpExchange exchange;

    Request(HttpExchange exchange, byte[] body) {
        this.exchange = exchange;
        this.method = exchange.getRequestMethod();
        this.path = exchange.getRequestURI().getRawPath();
        String rawQuery = exchange.getRequestURI().getRawQuery();
        this.query = rawQuery == null ? "" : rawQuery;
        this.body = body;
    }

    String header(String name) {
        return exchange.getRequestHeaders().getFirst(name);
    }

    String contentType() {
        String type = header("Content-Type");
        return type == null ? "" : type.toLowerCase(Locale.ROOT);
    }

    String text() {
        return new String(body, StandardCharsets.UTF_8);
    }

    /** Header names lower-case, repeated values joined with commas. */
    Map<String, String> headers() {
        Map<String, String> headers = new HashMap<>();
        exchange.getRequestHeaders().forEach((name, values) -> headers.put(name.toLowerCase(Locale.ROOT), String.join(",", values)));
        return headers;
    }

    Map<String, String> queryParameters() {
        return parseForm(query);
    }

    Map<String, String> form() {
        return parseForm(text());
    }

    /** The body as a JSON object, or null unless it is one sent as {@code application/json}. */
    ObjectNode jsonObject() {
        if (!contentType().startsWith("application/json")) {
            return null;
        }
        try {
            JsonNode node = JSON.readTree(body);
            return node != null && node.isObject() ? (ObjectNode) node : null;
        } catch (IOException e) {
            return null;
        }
    }

    static String decode(String value) {
        return URLDecoder.decode(value, StandardCharsets.UTF_8);
    }

    private static Map<String, String> parseForm(String encoded) {
        Map<String, String> values = new HashMap<>();
        if (encoded == null || encoded.isEmpty()) {
            return values;
        }
        for (String pair : encoded.split("&")) {
            int equals = pair.indexOf('=');
            String name = decode(equals < 0 ? pair : pair.substring(0, equals));
            values.put(name, equals < 0 ? "" : decode(pair.substring(equals + 1)));
        }
        return values;
    }
}
