package dev.zoomscheduler.problems;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import dev.zoomscheduler.testing.AwsApiProxy;
import dev.zoomscheduler.testing.TokenTable;
import dev.zoomscheduler.testing.ZoomAndAws;
import dev.zoomscheduler.testing.zoom.ZoomFake;
import dev.zoomscheduler.testing.zoom.ZoomWebhooks;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;

/**
 * A corpus of malformed and hostile requests. Every one must be answered 4xx with a problem document, and none may
 * reach Zoom or write to DynamoDB (the proxy in front of moto_server counts the writes). Each is a test of its own, so
 * that one wrong answer does not hide the others.
 */
@QuarkusTest
@QuarkusTestResource(ZoomAndAws.class)
class HostileInputTest {

    static final String JSON = "application/json";
    static final String VALID = "{\"topic\":\"T\",\"type\":2,\"start_time\":\"2026-12-14T10:00:00Z\",\"duration\":30}";

    /** One hostile request. */
    record Case(String name, String method, String path, Map<String, String> headers, String contentType, byte[] body) {
    }

    final ZoomFake zoom = ZoomAndAws.zoom();
    final AwsApiProxy dynamo = ZoomAndAws.dynamo();
    final List<Case> corpus = new ArrayList<>();

    @TestFactory
    Stream<DynamicTest> everyHostileRequestIsRefusedWithAProblemAndChangesNothing() {
        TokenTable.shared().seed("default", zoom.authorize());
        badJson();
        wrongTypes();
        unknownValues();
        badDatesAndZones();
        oversized();
        oddUnicode();
        headerAbuse();
        wrongContentTypes();
        pathTricksAndUnknownRoutes();
        badQueries();
        connectionsInstallAndWebhookAbuse();
        assertTrue(corpus.size() >= 40, "a corpus of at least 40 cases");
        return corpus.stream()
                .map(hostile -> DynamicTest.dynamicTest(hostile.name(), () -> isRefusedWithAProblemAndChangesNothing(hostile)));
    }

    private void isRefusedWithAProblemAndChangesNothing(Case hostile) {
        int zoomCalls = zoomCalls();
        int writes = writes();

        Response response = send(hostile);

        int status = response.statusCode();
        String type = response.contentType();
        String answer = status + " " + type + " " + response.body().asString();
        assertTrue(status >= 400 && status < 500, answer);
        assertTrue(type != null && type.startsWith("application/problem+json"), answer);
        assertTrue(response.body().asString().contains("\"status\":" + status), answer);
        assertEquals(zoomCalls, zoomCalls(), "no call to Zoom");
        assertEquals(writes, writes(), "no write to DynamoDB");
    }

    /** The routes of issue 5: refused before any state is made, any token requested or anything revoked. */
    private void connectionsInstallAndWebhookAbuse() {
        Map<String, String> json = Map.of("Accept", JSON);
        corpus.add(new Case("install into a path", "GET", "/oauth/install?connection=..%2Fdefault", Map.of(), null, null));
        corpus.add(new Case("install into a long name", "GET", "/oauth/install?connection=" + "c".repeat(200), Map.of(), null, null));
        corpus.add(new Case("callback without anything", "GET", "/oauth/callback", json, null, null));
        corpus.add(new Case("callback with a short state", "GET", "/oauth/callback?code=abc&state=abc", json, null, null));
        corpus.add(new Case("callback with markup", "GET", "/oauth/callback?code=abc&state=%3Cb%3E", json, null, null));
        corpus.add(new Case("connections page 0", "GET", "/connections?page_size=0", Map.of(), null, null));
        corpus.add(new Case("connections page text", "GET", "/connections?page_size=many", Map.of(), null, null));
        corpus.add(new Case("connections forged token", "GET", "/connections?next_page_token=%25%25", Map.of(), null, null));
        corpus.add(new Case("connection with space", "GET", "/connections/a%20b", Map.of(), null, null));
        corpus.add(new Case("delete connection with accent", "DELETE", "/connections/d%C3%A9faut", Map.of(), null, null));
        corpus.add(new Case("unsigned webhook", "POST", "/zoom/webhook", Map.of(), JSON,
                bytes("{\"event\":\"app_deauthorized\",\"payload\":{\"user_id\":\"x\"}}")));
        corpus.add(new Case("webhook signed with a wrong secret", "POST", "/zoom/webhook",
                Map.of("x-zm-request-timestamp", "1", "x-zm-signature", "v0=00"), JSON, bytes("{}")));
        long now = System.currentTimeMillis() / 1000;
        String broken = "{\"event\": ";
        corpus.add(new Case("signed webhook, broken JSON", "POST", "/zoom/webhook", ZoomWebhooks.signedHeaders(broken, now), JSON,
                bytes(broken)));
        String noToken = "{\"event\":\"endpoint.url_validation\",\"payload\":{}}";
        corpus.add(new Case("signed challenge without a token", "POST", "/zoom/webhook", ZoomWebhooks.signedHeaders(noToken, now), JSON,
                bytes(noToken)));
    }

    private void badJson() {
        create("truncated JSON", "{\"topic\":\"T\"");
        create("trailing comma", "{\"topic\":\"T\",}");
        create("comment", "{/* hi */\"topic\":\"T\"}");
        create("NaN", "{\"duration\":NaN}");
        create("single quotes", "{'topic':'T'}");
        create("duplicate key", "{\"topic\":\"T\",\"topic\":\"U\"}");
        create("trailing data", VALID + "{}");
        create("array body", "[" + VALID + "]");
        create("string body", "\"meeting\"");
        create("null body", "null");
        create("empty body", "");
        create("whitespace body", "   ");
        create("nested too deep", "{\"settings\":" + "{\"a\":".repeat(40) + "1" + "}".repeat(41));
    }

    private void wrongTypes() {
        create("type as string", "{\"type\":\"2\"}");
        create("type as fraction", "{\"type\":2.5}");
        create("type as boolean", "{\"type\":true}");
        create("duration as string", "{\"duration\":\"30\"}");
        create("negative duration", "{\"duration\":-5}");
        create("zero duration", "{\"duration\":0}");
        create("topic as number", "{\"topic\":123}");
        create("topic null", "{\"topic\":null}");
        create("settings as string", "{\"settings\":\"none\"}");
        create("setting as string", "{\"settings\":{\"host_video\":\"yes\"}}");
        create("recurrence as array", "{\"type\":8,\"recurrence\":[]}");
        create("tracking fields as object", "{\"tracking_fields\":{\"field\":\"x\"}}");
    }

    private void unknownValues() {
        create("unknown meeting type", "{\"type\":4}");
        create("unknown audio", "{\"settings\":{\"audio\":\"radio\"}}");
        create("unknown recording", "{\"settings\":{\"auto_recording\":\"tape\"}}");
        create("unknown approval type", "{\"settings\":{\"approval_type\":9}}");
        create("unknown recurrence type", "{\"type\":8,\"recurrence\":{\"type\":7}}");
        create("recurrence for a scheduled meeting", "{\"type\":2,\"recurrence\":{\"type\":1}}");
        create("weekly days out of range", "{\"type\":8,\"recurrence\":{\"type\":2,\"weekly_days\":\"0,8\"}}");
        create("both recurrence ends", "{\"type\":8,\"recurrence\":{\"type\":1,\"end_times\":2,\"end_date_time\":\"2027-01-01T00:00:00Z\"}}");
    }

    private void badDatesAndZones() {
        create("month 13", "{\"start_time\":\"2024-13-01T10:00:00\"}");
        create("February 30", "{\"start_time\":\"2024-02-30T10:00:00\"}");
        create("space instead of T", "{\"start_time\":\"2024-09-15 10:00:00\"}");
        create("hour 25", "{\"start_time\":\"2024-09-15T25:00:00Z\"}");
        create("offset", "{\"start_time\":\"2024-09-15T10:00:00+09:00\"}");
        create("words", "{\"start_time\":\"tomorrow\"}");
        create("misspelt zone", "{\"timezone\":\"Asia/Tokio\"}");
        create("offset as zone", "{\"timezone\":\"+09:00\"}");
        create("empty zone", "{\"timezone\":\"\"}");
        create("local recurrence end", "{\"type\":8,\"recurrence\":{\"type\":1,\"end_date_time\":\"2027-01-01T00:00:00\"}}");
    }

    private void oversized() {
        create("body over 64 KiB", "{\"agenda\":\"" + "a".repeat(70_000) + "\"}");
        create("topic of 201", "{\"topic\":\"" + "t".repeat(201) + "\"}");
        create("agenda of 2001", "{\"agenda\":\"" + "a".repeat(2001) + "\"}");
        create("password of 11", "{\"password\":\"abcdefghijk\"}");
        create("password with space", "{\"password\":\"abc def\"}");
    }

    private void oddUnicode() {
        create("201 emoji", "{\"topic\":\"" + "\uD83D\uDE00".repeat(201) + "\"}");
        create("NUL in topic", "{\"topic\":\"a\\u0000b\"}");
        create("escape in topic", "{\"topic\":\"a\\u001bb\"}");
        create("lone surrogate", "{\"topic\":\"a\\ud800b\"}");
        corpus.add(new Case("invalid UTF-8", "POST", "/meetings", Map.of(), JSON,
                new byte[] { '{', '"', 't', 'o', 'p', 'i', 'c', '"', ':', '"', (byte) 0xC3, (byte) 0x28, '"', '}' }));
        corpus.add(new Case("overlong UTF-8 slash", "POST", "/meetings", Map.of(), JSON,
                new byte[] { '{', '"', 't', 'o', 'p', 'i', 'c', '"', ':', '"', (byte) 0xC0, (byte) 0xAF, '"', '}' }));
    }

    private void headerAbuse() {
        corpus.add(new Case("connection too long", "POST", "/meetings", Map.of("X-Zoom-Connection", "c".repeat(200)), JSON, bytes(VALID)));
        corpus.add(new Case("connection with slash", "POST", "/meetings", Map.of("X-Zoom-Connection", "../default"), JSON, bytes(VALID)));
        corpus.add(new Case("connection with accent", "GET", "/meetings", Map.of("X-Zoom-Connection", "d\u00e9faut"), null, null));
        corpus.add(new Case("two connections", "GET", "/meetings", Map.of("X-Zoom-Connection", "default,other"), null, null));
        corpus.add(new Case("connection with a wildcard", "GET", "/meetings/123", Map.of("X-Zoom-Connection", "def*ault"), null, null));
        corpus.add(new Case("two keys", "POST", "/meetings", Map.of("Idempotency-Key", "a,b"), JSON, bytes(VALID)));
        corpus.add(new Case("key too long", "POST", "/meetings", Map.of("Idempotency-Key", "k".repeat(300)), JSON, bytes(VALID)));
        corpus.add(new Case("key with space", "POST", "/meetings", Map.of("Idempotency-Key", "a b"), JSON, bytes(VALID)));
    }

    private void wrongContentTypes() {
        corpus.add(new Case("text/plain", "POST", "/meetings", Map.of(), "text/plain", bytes(VALID)));
        corpus.add(new Case("form", "POST", "/meetings", Map.of(), "application/x-www-form-urlencoded", bytes("topic=T")));
        corpus.add(new Case("latin-1 JSON", "PATCH", "/meetings/123", Map.of(), "application/json; charset=ISO-8859-1", bytes(VALID)));
        corpus.add(new Case("text/json", "POST", "/users/me/meetings", Map.of(), "text/json", bytes(VALID)));
        corpus.add(new Case("no content type", "POST", "/meetings", Map.of(), null, bytes(VALID)));
    }

    private void pathTricksAndUnknownRoutes() {
        for (String path : List.of("/meetings/..%2F..%2Fusers", "/meetings/123%2F456", "/meetings/-1", "/meetings/1.5",
                "/meetings/%20123", "/meetings/12345678901234567890123", "/meetings/0x1F", "/users/..%2Fadmin/meetings",
                "/users/me%00/meetings", "/users/.me/meetings", "/requests/a%20b", "/admin", "/meetings/123/recordings",
                "/v2/users/me/meetings", "/meetings/123/../../admin")) {
            corpus.add(new Case("GET " + path, "GET", path, Map.of(), null, null));
        }
        corpus.add(new Case("PUT a meeting", "PUT", "/meetings/123", Map.of(), JSON, bytes(VALID)));
        corpus.add(new Case("POST to a meeting", "POST", "/meetings/123", Map.of(), JSON, bytes(VALID)));
        corpus.add(new Case("DELETE the collection", "DELETE", "/meetings", Map.of(), null, null));
        corpus.add(new Case("PATCH nothing", "PATCH", "/meetings/123", Map.of(), JSON, bytes("{}")));
        corpus.add(new Case("DELETE a name", "DELETE", "/meetings/abc", Map.of(), null, null));
    }

    private void badQueries() {
        for (String query : List.of("page_size=0", "page_size=abc", "page_size=301", "next_page_token=a%20b", "next_page_token=%00",
                "from=2024-13-01", "to=yesterday", "type=future")) {
            corpus.add(new Case("list " + query, "GET", "/meetings?" + query, Map.of(), null, null));
        }
        // one occurrence of a recurring meeting: digits only, once; a route that changes takes no parameter it does not know
        for (String query : List.of("occurrence_id=", "occurrence_id=-1", "occurrence_id=1e3", "occurrence_id=" + "9".repeat(20),
                "occurrence_id=1%0A2", "occurrence_id=1&occurrence_id=2", "occurence_id=1", "occurrence_id=1&cascade=true")) {
            corpus.add(new Case("delete " + query, "DELETE", "/meetings/86220627999?" + query, Map.of(), null, null));
            corpus.add(new Case("reschedule " + query, "PATCH", "/meetings/86220627999?" + query, Map.of(), JSON,
                    bytes("{\"duration\":45}")));
        }
        corpus.add(new Case("read occurrence_id=x", "GET", "/meetings/86220627999?occurrence_id=x", Map.of(), null, null));
        corpus.add(new Case("read show_previous_occurrences=1", "GET", "/meetings/86220627999?show_previous_occurrences=1", Map.of(),
                null, null));
        corpus.add(new Case("create with a query", "POST", "/meetings?occurrence_id=1", Map.of(), JSON, bytes(VALID)));
        corpus.add(new Case("create for a user with a query", "POST", "/users/me/meetings?dry_run=true", Map.of(), JSON, bytes(VALID)));
        corpus.add(new Case("delete connection with a query", "DELETE", "/connections/default?force=true", Map.of(), null, null));
    }

    private void create(String name, String body) {
        corpus.add(new Case(name, "POST", "/meetings", Map.of(), JSON, bytes(body)));
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private Response send(Case hostile) {
        RequestSpecification request = given().urlEncodingEnabled(false);
        hostile.headers().forEach(request::header);
        if (hostile.contentType() != null) {
            request.contentType(hostile.contentType());
        }
        if (hostile.body() != null && "application/x-www-form-urlencoded".equals(hostile.contentType())) {
            request.body(new String(hostile.body(), StandardCharsets.UTF_8)); // rest-assured encodes forms only from text
        } else if (hostile.body() != null) {
            request.body(hostile.body());
        }
        return request.request(hostile.method(), hostile.path());
    }

    private int zoomCalls() {
        return zoom.apiCallCount() + zoom.tokenRequestCount();
    }

    private int writes() {
        return dynamo.count("UpdateItem") + dynamo.count("PutItem") + dynamo.count("DeleteItem");
    }
}
