package dev.zoomscheduler.meetings;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.zoomscheduler.testing.AuthorizedConnection;
import dev.zoomscheduler.testing.SqsEvents;
import dev.zoomscheduler.testing.TokenTable;
import dev.zoomscheduler.testing.ZoomAndAws;
import dev.zoomscheduler.testing.zoom.ZoomFake;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;

/** The meeting routes through the real Lambda poll loop (the mock event server), against the Zoom fake and moto_server. */
@QuarkusTest
@QuarkusTestResource(ZoomAndAws.class)
class MeetingResourceTest {

    /** The seed article's example, every field of it. */
    static final String SEED_MEETING = """
            {
              "topic": "Sample Meeting",
              "type": 2,
              "start_time": "2024-09-15T10:00:00",
              "duration": 30,
              "timezone": "Asia/Tokyo",
              "agenda": "This is a sample meeting",
              "settings": {
                "host_video": true,
                "participant_video": true,
                "join_before_host": false,
                "mute_upon_entry": true,
                "approval_type": 0,
                "audio": "voip",
                "auto_recording": "none",
                "recording_authentication": true
              }
            }""";

    final ZoomFake zoom = ZoomAndAws.zoom();
    final TokenTable table = TokenTable.shared();
    final ObjectMapper json = new ObjectMapper();
    final AuthorizedConnection connection = AuthorizedConnection.seed("meetings");

    @Test
    void createsTheSeedArticlesMeetingAndZoomReceivesTheBodyUnchanged() throws Exception {
        Response created = asConnection().contentType("application/json").body(SEED_MEETING).post("/meetings");

        created.then().statusCode(201).contentType("application/json")
                .body("id", notNullValue()).body("join_url", notNullValue()).body("start_url", notNullValue())
                .body("topic", equalTo("Sample Meeting")).body("start_time", equalTo("2024-09-15T01:00:00Z"));
        ZoomFake.RecordedRequest sent = lastApiRequest();
        assertEquals("POST", sent.method());
        assertEquals("/v2/users/me/meetings", sent.path());
        assertEquals(SEED_MEETING, sent.body(), "the body reaches Zoom byte for byte");
        assertEquals("Bearer " + connection.grant().accessToken(), sent.headers().get("authorization"));
    }

    /**
     * Since March 2026 a field left out of a create takes the user's account default at Zoom (passcode, waiting room, AI
     * summary, ...): the function must never add one, by either entry point.
     */
    @Test
    void zoomReceivesOnlyTheFieldsTheCallerSentAndNoSettingsItDidNotSend() throws Exception {
        String bare = "{\"topic\":\"Bare\",\"type\":2,\"start_time\":\"2026-12-22T10:00:00Z\",\"duration\":30}";

        asConnection().contentType("application/json").body(bare).post("/meetings").then().statusCode(201);
        ZoomFake.RecordedRequest byHttp = lastApiRequest();
        String queued = "{\"action\":\"create\",\"idempotencyKey\":\"bare-" + UUID.randomUUID() + "\",\"connectionId\":\"" + connection.id()
                + "\",\"meeting\":" + bare + "}";
        int callsBefore = zoom.apiCallCount();
        String answer = given().body(SqsEvents.batch(List.of(new SqsEvents.Message("bare", queued))))
                .post("/_lambda_").then().statusCode(200).extract().asString();
        assertEquals("[]", json.readTree(answer).path("batchItemFailures").toString(), "the queued create succeeded: " + answer);
        assertEquals(callsBefore + 1, zoom.apiCallCount(), "the queued create reached Zoom, in one call");
        ZoomFake.RecordedRequest byQueue = lastApiRequest();

        assertEquals(bare, byHttp.body(), "HTTP: the caller's bytes, nothing added");
        assertEquals("POST", byQueue.method());
        assertEquals(json.readTree(bare), json.readTree(byQueue.body()), "queue: the caller's fields, nothing added");
        for (ZoomFake.RecordedRequest sent : List.of(byHttp, byQueue)) {
            List<String> fields = new java.util.ArrayList<>();
            json.readTree(sent.body()).fieldNames().forEachRemaining(fields::add);
            assertEquals(List.of("topic", "type", "start_time", "duration"), fields, "no settings, password or other default");
        }
    }

    @Test
    void createsARecurringMeetingForAnotherUserWithItsRecurrenceUnchanged() throws Exception {
        zoom.addUser("colleague-1", "colleague@example.com");
        String recurring = """
                {"topic":"Weekly sync","type":8,"start_time":"2026-12-07T09:00:00Z","duration":45,"timezone":"Europe/Berlin",
                 "recurrence":{"type":2,"repeat_interval":1,"weekly_days":"2,4","end_times":10},
                 "settings":{"waiting_room":true,"auto_recording":"cloud"},"tracking_fields":[{"field":"team","value":"core"}]}""";

        asConnection().contentType("application/json").body(recurring).post("/users/colleague@example.com/meetings")
                .then().statusCode(201).body("recurrence.weekly_days", equalTo("2,4"));

        ZoomFake.RecordedRequest sent = lastApiRequest();
        assertEquals("/v2/users/colleague@example.com/meetings", sent.path());
        assertEquals(json.readTree(recurring), json.readTree(sent.body()));
    }

    @Test
    void readsReschedulesAndCancelsAMeeting() {
        long id = createMeeting("Planning");

        asConnection().get("/meetings/" + id).then().statusCode(200).body("id", equalTo(id)).body("topic", equalTo("Planning"));

        asConnection().contentType("application/json").body("{\"start_time\":\"2026-12-21T12:00:00Z\",\"timezone\":\"Asia/Tokyo\"}")
                .patch("/meetings/" + id).then().statusCode(204);
        assertEquals("2026-12-21T12:00:00Z", zoom.meeting(id).get("start_time").asText());
        assertEquals("PATCH", lastApiRequest().method());

        asConnection().delete("/meetings/" + id).then().statusCode(204);
        assertEquals(null, zoom.meeting(id));
        asConnection().get("/meetings/" + id).then().statusCode(404).contentType("application/problem+json")
                .body("code", equalTo(3001)).body("type", equalTo("/problems/zoom-not-found"));
    }

    @Test
    void listsMeetingsPageByPageWithZoomsPaginationPassedThrough() {
        for (int i = 0; i < 5; i++) {
            createMeeting("Listed " + i);
        }
        Response first = asConnection().queryParam("page_size", 2).get("/meetings");
        first.then().statusCode(200).body("meetings", hasSize(2)).body("page_size", equalTo(2));
        String next = first.jsonPath().getString("next_page_token");
        assertTrue(next != null && !next.isEmpty());
        assertEquals("page_size=2", lastApiRequest().query());

        asConnection().queryParam("page_size", 2).queryParam("next_page_token", next).get("/meetings")
                .then().statusCode(200).body("meetings", hasSize(2));
        assertEquals("/v2/users/me/meetings", lastApiRequest().path());
        assertTrue(lastApiRequest().query().contains("next_page_token=" + next));

        asConnection().get("/users/me/meetings").then().statusCode(200).body("total_records", equalTo(5));
    }

    @Test
    void anAccessTokenZoomRefusesIsReplacedOnceAndTheCallRetriedOnce() {
        long id = createMeeting("Retried");
        zoom.invalidateAccessTokens(connection.grant().chainId());
        int calls = zoom.apiCallCount();

        asConnection().get("/meetings/" + id).then().statusCode(200);

        assertEquals(2, zoom.apiCallCount() - calls, "the refused call and its one retry");
        assertEquals(1, zoom.refreshCount(connection.grant().chainId()));
        assertEquals(zoom.currentRefreshToken(connection.grant().chainId()), table.string(connection.id(), "refreshToken"));
    }

    @Test
    void aConnectionThatDoesNotExistIsNotFoundWithoutCallingZoom() {
        int calls = zoom.apiCallCount() + zoom.tokenRequestCount();
        given().header("X-Zoom-Connection", "no-such-connection").contentType("application/json").body(SEED_MEETING)
                .post("/meetings").then().statusCode(404).contentType("application/problem+json")
                .body("type", equalTo("/problems/connection-not-found")).body("status", equalTo(404));
        assertEquals(calls, zoom.apiCallCount() + zoom.tokenRequestCount());
    }

    @Test
    void aConnectionNeedingReauthorisationIsADistinctProblem() {
        table.seedExpired(connection.id(), connection.grant());
        zoom.revoke(connection.grant().chainId());
        for (int i = 0; i < 3; i++) {
            asConnection().get("/meetings/1234567890").then().statusCode(409).contentType("application/problem+json")
                    .body("type", equalTo("/problems/reauthorization-required"));
        }
        assertEquals(0, zoom.apiRequests().stream().filter(r -> r.headers().getOrDefault("authorization", "")
                .contains(connection.grant().accessToken())).count());
    }

    @Test
    void invalidRequestsAreRefusedNamingTheFieldWithoutCallingZoomOrWriting() {
        Map<String, String> cases = Map.ofEntries(
                Map.entry("{\"topic\":\"" + "x".repeat(201) + "\"}", "topic"),
                Map.entry("{\"agenda\":\"" + "x".repeat(2001) + "\"}", "agenda"),
                Map.entry("{\"type\":5}", "type"),
                Map.entry("{\"type\":\"2\"}", "type"),
                Map.entry("{\"duration\":0}", "duration"),
                Map.entry("{\"duration\":30.5}", "duration"),
                Map.entry("{\"start_time\":\"2024-02-30T10:00:00\"}", "start_time"),
                Map.entry("{\"start_time\":\"tomorrow\"}", "start_time"),
                Map.entry("{\"timezone\":\"Mars/Olympus\"}", "timezone"),
                Map.entry("{\"password\":\"has space\"}", "password"),
                Map.entry("{\"password\":\"elevenchars\"}", "password"),
                Map.entry("{\"settings\":{\"host_video\":\"yes\"}}", "settings.host_video"),
                Map.entry("{\"settings\":{\"approval_type\":7}}", "settings.approval_type"),
                Map.entry("{\"settings\":{\"auto_recording\":\"tape\"}}", "settings.auto_recording"),
                Map.entry("{\"type\":2,\"recurrence\":{\"type\":1}}", "recurrence"),
                Map.entry("{\"type\":8,\"recurrence\":{\"type\":1,\"repeat_interval\":91}}", "recurrence.repeat_interval"),
                Map.entry("{\"type\":8,\"recurrence\":{\"type\":2,\"end_times\":3,\"end_date_time\":\"2027-01-01T00:00:00Z\"}}", "recurrence"),
                Map.entry("{\"topic\":\"a\",\"topic\":\"b\"}", "body"),
                Map.entry("{\"topic\":\"a\"} {}", "body"),
                Map.entry("[1,2]", "body"),
                Map.entry("{\"topic\":", "body"));
        int calls = zoom.apiCallCount() + zoom.tokenRequestCount();
        long version = table.number(connection.id(), "version");

        cases.forEach((body, field) -> asConnection().contentType("application/json").body(body).post("/meetings")
                .then().statusCode(400).contentType("application/problem+json")
                .body("type", equalTo("/problems/invalid-request")).body("errors[0].field", equalTo(field)));

        asConnection().contentType("application/json").body("{}").patch("/meetings/123").then().statusCode(400);
        asConnection().get("/meetings/12ab").then().statusCode(400).body("errors[0].field", equalTo("meetingId"));
        asConnection().queryParam("page_size", 301).get("/meetings").then().statusCode(400).body("errors[0].field", equalTo("page_size"));
        given().header("X-Zoom-Connection", "bad id!").get("/meetings").then().statusCode(400)
                .body("errors[0].field", equalTo("X-Zoom-Connection"));
        asConnection().contentType("text/plain").body(SEED_MEETING).post("/meetings").then().statusCode(415)
                .contentType("application/problem+json");
        asConnection().contentType("application/json").body("{\"agenda\":\"" + "x".repeat(70_000) + "\"}").post("/meetings")
                .then().statusCode(413).contentType("application/problem+json");

        assertEquals(calls, zoom.apiCallCount() + zoom.tokenRequestCount(), "nothing reached Zoom");
        assertEquals(version, table.number(connection.id(), "version"), "nothing was written");
    }

    @Test
    void zoomsErrorsBecomeProblemsWithZoomsCodeAndAFittingStatus() {
        long id = createMeeting("Failing");
        String path = "/v2/meetings/" + id;

        zoom.failNext("GET", path, 1, 429, Map.of("Retry-After", "7"), "{\"code\":429,\"message\":\"Too many requests\"}");
        asConnection().get("/meetings/" + id).then().statusCode(429).header("Retry-After", "7")
                .contentType("application/problem+json").body("code", equalTo(429)).body("type", equalTo("/problems/zoom-rate-limited"));

        String inOneMinute = DateTimeFormatter.RFC_1123_DATE_TIME.format(ZonedDateTime.now(ZoneOffset.UTC).plusSeconds(60));
        zoom.failNext("GET", path, 1, 429, Map.of("Retry-After", inOneMinute), "{\"code\":429,\"message\":\"Too many requests\"}");
        String wait = asConnection().get("/meetings/" + id).then().statusCode(429).extract().header("Retry-After");
        assertTrue(Integer.parseInt(wait) >= 55 && Integer.parseInt(wait) <= 61, wait);

        zoom.failNext("GET", path, 3, 503, Map.of(), "{\"code\":503,\"message\":\"Service unavailable\"}");
        asConnection().get("/meetings/" + id).then().statusCode(502).body("code", equalTo(503))
                .body("type", equalTo("/problems/zoom-unavailable"));

        zoom.failNext("POST", "/v2/users/me/meetings", 1, 429, Map.of(), "{\"code\":429,\"message\":\"You have exceeded the daily "
                + "rate limit (100) of Meeting Create/Update API requests permitted for this particular user.\"}");
        String untilMidnight = asConnection().contentType("application/json").body(SEED_MEETING).post("/meetings")
                .then().statusCode(429).body("type", equalTo("/problems/zoom-daily-limit")).extract().header("Retry-After");
        long expected = java.time.Duration.between(ZonedDateTime.now(ZoneOffset.UTC),
                ZonedDateTime.now(ZoneOffset.UTC).toLocalDate().plusDays(1).atStartOfDay(ZoneOffset.UTC)).getSeconds();
        assertTrue(Math.abs(Long.parseLong(untilMidnight) - expected) <= 5, untilMidnight + " vs " + expected);
    }

    private long createMeeting(String topic) {
        return asConnection().contentType("application/json")
                .body("{\"topic\":\"" + topic + "\",\"type\":2,\"start_time\":\"2026-12-14T10:00:00Z\",\"duration\":30}")
                .post("/meetings").then().statusCode(201).extract().jsonPath().getLong("id");
    }

    private RequestSpecification asConnection() {
        return given().header("X-Zoom-Connection", connection.id());
    }

    private ZoomFake.RecordedRequest lastApiRequest() {
        List<ZoomFake.RecordedRequest> requests = zoom.apiRequests();
        return requests.get(requests.size() - 1);
    }
}
