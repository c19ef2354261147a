package dev.zoomscheduler.meetings;

import java.io.IOException;
import java.util.Locale;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

import dev.zoomscheduler.problems.ProblemException;
import dev.zoomscheduler.problems.ProblemType;

/**
 * Reads a request body strictly: JSON media type, bounded size and depth, one value, no duplicate keys, valid UTF-8.
 * Whatever it refuses is answered before anything is sent or written.
 */
public final class JsonBody {

    /** Far above any real meeting request (Zoom's own largest is a few kilobytes). */
    public static final int MAX_BYTES = 64 * 1024;
    private static final int MAX_DEPTH = 16;

    private static final ObjectMapper STRICT = JsonMapper.builder(JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(MAX_DEPTH).maxStringLength(MAX_BYTES).build())
            .disable(StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION)
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build())
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    private JsonBody() {
    }

    /** The body as a JSON object, or a problem saying why it is not one. */
    public static JsonNode object(String contentType, byte[] body) {
        requireJsonMediaType(contentType);
        return parseObject(body, "body");
    }

    /** Bytes that must hold one JSON object (a request body or a queued message), or a problem naming {@code field}. */
    public static JsonNode parseObject(byte[] body, String field) {
        if (body == null || body.length == 0) {
            throw ProblemException.invalidRequest(field, "A JSON object is required.");
        }
        if (body.length > MAX_BYTES) {
            throw new ProblemException(ProblemType.PAYLOAD_TOO_LARGE,
                    "The " + field + " has " + body.length + " bytes; at most " + MAX_BYTES + " are accepted.");
        }
        JsonNode node;
        try {
            node = STRICT.readTree(body);
        } catch (JsonProcessingException e) {
            throw ProblemException.invalidRequest(field, "Not valid JSON: " + e.getOriginalMessage()
                    + (e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")"));
        } catch (IOException e) {
            throw ProblemException.invalidRequest(field, "Could not be read.");
        }
        if (node == null || !node.isObject()) {
            throw ProblemException.invalidRequest(field, "Must be a JSON object.");
        }
        return node;
    }

    private static void requireJsonMediaType(String contentType) {
        String type = contentType == null ? "" : contentType.toLowerCase(Locale.ROOT);
        int parameters = type.indexOf(';');
        String essence = (parameters < 0 ? type : type.substring(0, parameters)).trim();
        String charset = parameters < 0 ? "" : type.substring(parameters + 1).replace(" ", "");
        if (!essence.equals("application/json") || !(charset.isEmpty() || charset.equals("charset=utf-8"))) {
            throw new ProblemException(ProblemType.UNSUPPORTED_MEDIA_TYPE,
                    "Send the body as 'Content-Type: application/json' (UTF-8); got '" + printable(contentType) + "'.");
        }
    }

    /** A caller's value, safe to repeat in an error: short, and without control characters. */
    static String printable(String value) {
        if (value == null) {
            return "";
        }
        String cut = value.length() > 64 ? value.substring(0, 64) + "…" : value;
        return cut.replaceAll("\\p{Cntrl}", "?");
    }
}
