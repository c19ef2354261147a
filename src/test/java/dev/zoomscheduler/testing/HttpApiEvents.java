package dev.zoomscheduler.testing;

import java.net.URLDecoder;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Builds API Gateway HTTP API events (payload format 2.0, {@code $default} route and stage) the way API Gateway
 * sends them to Lambda, and reads the function's answer the way API Gateway interprets it.
 *
 * <p>What API Gateway does and this copies: header names lower-case, repeated headers joined with commas, Cookie
 * headers moved out of {@code headers} into {@code cookies}, {@code queryStringParameters} decoded (repeats joined
 * with commas) while {@code rawQueryString} stays raw, host / x-forwarded-* / x-amzn-trace-id headers added, no
 * {@code pathParameters} for {@code $default}, and the body base64-encoded unless the content type is text or JSON.
 */
public final class HttpApiEvents {

    public static final String ACCOUNT_ID = "000000000000";
    public static final String API_ID = "local0api1";
    public static final String DOMAIN_NAME = API_ID + ".execute-api.us-east-1.amazonaws.com";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss Z", Locale.ENGLISH)
            .withZone(ZoneOffset.UTC);

    private HttpApiEvents() {
    }

    /** What API Gateway returns to the client. {@code cookies} become one Set-Cookie header each. */
    public record Response(int statusCode, Map<String, String> headers, String body, List<String> cookies, byte[] bodyBytes) {
        public Response(int statusCode, Map<String, String> headers, String body) {
            this(statusCode, headers, body, List.of(), body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8));
        }

        /** A header by (case-insensitive) name, or null. */
        public String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }
    }

    public static String request(String method, String pathAndQuery) {
        return request(method, pathAndQuery, Map.of());
    }

    public static String request(String method, String pathAndQuery, Map<String, String> headers) {
        return fromHttp(method, pathAndQuery, multi(headers), null, "198.51.100.7", true);
    }

    public static String request(String method, String pathAndQuery, Map<String, String> headers, String body) {
        return fromHttp(method, pathAndQuery, multi(headers), body == null ? null : body.getBytes(StandardCharsets.UTF_8), "198.51.100.7", true);
    }

    public static String request(String method, String pathAndQuery, Map<String, String> headers, byte[] body) {
        return fromHttp(method, pathAndQuery, multi(headers), body, "198.51.100.7", true);
    }

    /** A request as a public route delivers it: no authorizer (an unsigned caller, a browser, Zoom). */
    public static String unsigned(String method, String pathAndQuery) {
        return fromHttp(method, pathAndQuery, Map.of(), null, "198.51.100.7", false);
    }

    /**
     * The general form, used by {@link LocalHttpApi}: headers as received (any case, repeats allowed), body bytes
     * or null, the client's IP address, and whether API Gateway's IAM authorizer accepted the caller's signature (then
     * {@code requestContext.authorizer.iam} names the signer, as API Gateway does).
     */
    public static String fromHttp(String method, String pathAndQuery, Map<String, List<String>> headers, byte[] body, String sourceIp,
            boolean signed) {
        int q = pathAndQuery.indexOf('?');
        String rawPath = q < 0 ? pathAndQuery : pathAndQuery.substring(0, q);
        String rawQuery = q < 0 ? "" : pathAndQuery.substring(q + 1);
        Instant now = Instant.now();
        String requestId = requestId();

        // Lower-case names, repeats joined with commas; Cookie headers go to "cookies" instead.
        Map<String, String> joined = new LinkedHashMap<>();
        List<String> cookies = new ArrayList<>();
        headers.forEach((name, values) -> {
            String key = name.toLowerCase(Locale.ROOT);
            if (key.equals("cookie")) {
                values.forEach(v -> {
                    for (String c : v.split(";")) {
                        if (!c.isBlank()) {
                            cookies.add(c.trim());
                        }
                    }
                });
            } else if (!values.isEmpty()) {
                joined.merge(key, String.join(",", values), (a, b) -> a + "," + b);
            }
        });
        boolean hasBody = body != null && body.length > 0;
        joined.putIfAbsent("host", DOMAIN_NAME);
        joined.remove("content-length");
        if (hasBody) {
            joined.put("content-length", Integer.toString(body.length));
        }
        joined.put("x-amzn-trace-id", "Root=1-" + Long.toHexString(now.getEpochSecond()) + "-" + hex(12));
        joined.put("x-forwarded-for", sourceIp);
        joined.put("x-forwarded-port", "443");
        joined.put("x-forwarded-proto", "https");

        ObjectNode event = JSON.createObjectNode();
        event.put("version", "2.0");
        event.put("routeKey", "$default");
        event.put("rawPath", rawPath);
        event.put("rawQueryString", rawQuery);
        if (!cookies.isEmpty()) {
            cookies.forEach(event.putArray("cookies")::add);
        }
        ObjectNode headersNode = event.putObject("headers");
        joined.forEach(headersNode::put);
        if (!rawQuery.isEmpty()) {
            ObjectNode params = event.putObject("queryStringParameters");
            queryParameters(rawQuery).forEach(params::put);
        }

        ObjectNode context = event.putObject("requestContext");
        context.put("accountId", ACCOUNT_ID);
        context.put("apiId", API_ID);
        String domainName = joined.get("host").replaceFirst(":\\d+$", "");
        context.put("domainName", domainName);
        context.put("domainPrefix", domainName.split("\\.")[0]);
        ObjectNode http = context.putObject("http");
        http.put("method", method.toUpperCase(Locale.ROOT));
        http.put("path", rawPath);
        http.put("protocol", "HTTP/1.1");
        http.put("sourceIp", sourceIp);
        http.put("userAgent", joined.getOrDefault("user-agent", ""));
        if (signed) {
            ObjectNode iam = context.putObject("authorizer").putObject("iam");
            iam.put("accessKey", "AKIAEXAMPLEOPERATOR1");
            iam.put("accountId", ACCOUNT_ID);
            iam.put("callerId", "AIDAEXAMPLEOPERATOR1");
            iam.putNull("cognitoIdentity");
            iam.putNull("principalOrgId");
            iam.put("userArn", "arn:aws:iam::" + ACCOUNT_ID + ":user/operator");
            iam.put("userId", "AIDAEXAMPLEOPERATOR1");
        }
        context.put("requestId", requestId);
        context.put("routeKey", "$default");
        context.put("stage", "$default");
        context.put("time", TIME.format(now));
        context.put("timeEpoch", now.toEpochMilli());

        if (hasBody) {
            boolean text = isText(joined.get("content-type")) && isUtf8(body);
            event.put("body", text ? new String(body, StandardCharsets.UTF_8) : Base64.getEncoder().encodeToString(body));
            event.put("isBase64Encoded", !text);
        } else {
            event.put("isBase64Encoded", false);
        }
        return event.toString();
    }

    /**
     * Reads a payload-2.0 answer as API Gateway does: statusCode, headers (names lower-cased; multiValueHeaders
     * joined with commas), cookies, and the body (base64-decoded if isBase64Encoded). An answer without statusCode
     * is taken as a 200 whose body is the whole JSON.
     */
    public static Response parseResponse(String json) {
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("the function's answer is not JSON: " + json, e);
        }
        if (root == null || !root.isObject() || !root.has("statusCode")) {
            return new Response(200, Map.of("content-type", "application/json"), json);
        }
        Map<String, String> headers = new LinkedHashMap<>();
        root.path("headers").properties().forEach(e -> headers.put(e.getKey().toLowerCase(Locale.ROOT), e.getValue().asText()));
        root.path("multiValueHeaders").properties().forEach(e -> {
            List<String> values = new ArrayList<>();
            e.getValue().forEach(v -> values.add(v.asText()));
            headers.merge(e.getKey().toLowerCase(Locale.ROOT), String.join(",", values), (a, b) -> a + "," + b);
        });
        List<String> cookies = new ArrayList<>();
        root.path("cookies").forEach(c -> cookies.add(c.asText()));
        JsonNode bodyNode = root.get("body");
        String rawBody = bodyNode == null || bodyNode.isNull() ? "" : bodyNode.asText();
        byte[] bytes = root.path("isBase64Encoded").asBoolean(false)
                ? Base64.getDecoder().decode(rawBody)
                : rawBody.getBytes(StandardCharsets.UTF_8);
        return new Response(root.get("statusCode").asInt(), Collections.unmodifiableMap(headers),
                new String(bytes, StandardCharsets.UTF_8), List.copyOf(cookies), bytes);
    }

    private static Map<String, List<String>> multi(Map<String, String> headers) {
        Map<String, List<String>> multi = new LinkedHashMap<>();
        headers.forEach((k, v) -> multi.computeIfAbsent(k, x -> new ArrayList<>()).add(v));
        return multi;
    }

    /** The decoded query parameters of a URI (a repeated one's values joined by commas, as API Gateway joins them). */
    public static Map<String, String> queryOf(java.net.URI uri) {
        return queryParameters(uri.getRawQuery() == null ? "" : uri.getRawQuery());
    }

    private static Map<String, String> queryParameters(String rawQuery) {
        Map<String, String> params = new LinkedHashMap<>();
        for (String pair : rawQuery.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            params.merge(name, value, (a, b) -> a + "," + b);
        }
        return params;
    }

    /** HTTP APIs pass text and JSON bodies as they are and base64-encode everything else (no content type included). */
    private static boolean isText(String contentType) {
        if (contentType == null) {
            return false;
        }
        String ct = contentType.toLowerCase(Locale.ROOT).split(";")[0].trim();
        return ct.startsWith("text/") || ct.equals("application/json") || ct.endsWith("+json");
    }

    private static boolean isUtf8(byte[] bytes) {
        try {
            StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes));
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }

    private static String requestId() {
        byte[] id = new byte[10];
        ThreadLocalRandom.current().nextBytes(id);
        return Base64.getEncoder().encodeToString(id).replace('/', 'a').replace('+', 'b');
    }

    private static String hex(int bytes) {
        byte[] b = new byte[bytes];
        ThreadLocalRandom.current().nextBytes(b);
        return HexFormat.of().formatHex(b);
    }
}
