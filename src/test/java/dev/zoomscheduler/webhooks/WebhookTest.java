package dev.zoomscheduler.webhooks;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.zoomscheduler.testing.AuthorizedConnection;
import dev.zoomscheduler.testing.AwsApiProxy;
import dev.zoomscheduler.testing.MotoServer;
import dev.zoomscheduler.testing.OutcomeEventBus;
import dev.zoomscheduler.testing.SqsEvents;
import dev.zoomscheduler.testing.TokenTable;
import dev.zoomscheduler.testing.ZoomAndAws;
import dev.zoomscheduler.testing.zoom.ZoomFake;
import dev.zoomscheduler.testing.zoom.ZoomWebhooks;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/** {@code POST /zoom/webhook}: Zoom's signature scheme, its URL validation challenge, and what its events change. */
@QuarkusTest
@QuarkusTestResource(ZoomAndAws.class)
class WebhookTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    WebhookEvents webhookEvents;

    final ZoomFake zoom = ZoomAndAws.zoom();
    final TokenTable table = TokenTable.shared();

    @Test
    void answersZoomsUrlValidationChallenge() {
        String body = "{\"payload\":{\"plainToken\":\"qgg8vlvZRS6UYooatFL8Aw\"},\"event_ts\":" + now() + ",\"event\":\"endpoint.url_validation\"}";

        signed(body, nowSeconds()).post("/zoom/webhook").then().statusCode(200).contentType("application/json")
                .body("plainToken", equalTo("qgg8vlvZRS6UYooatFL8Aw"))
                .body("encryptedToken", equalTo(ZoomWebhooks.encryptedToken("qgg8vlvZRS6UYooatFL8Aw")));
    }

    @Test
    void unsignedForgedAndStaleRequestsAreRefusedWithoutEffect() {
        String connection = authorizedConnection();
        String body = deauthorization(table.string(connection, "zoomUserId"));

        given().contentType("application/json").body(body).post("/zoom/webhook").then().statusCode(401)
                .contentType("application/problem+json").body("type", equalTo("/problems/webhook-signature-invalid"));
        Map<String, String> headers = ZoomWebhooks.signedHeaders(body, nowSeconds());
        given().headers(headers).contentType("application/json").body(body.replace("app_deauthorized", "app_deauthorizeD"))
                .post("/zoom/webhook").then().statusCode(401);
        given().headers(Map.of("x-zm-request-timestamp", headers.get("x-zm-request-timestamp"), "x-zm-signature", "v0=" + "0".repeat(64)))
                .contentType("application/json").body(body).post("/zoom/webhook").then().statusCode(401);
        signed(body, nowSeconds() - 600).post("/zoom/webhook").then().statusCode(401);
        String challenge = "{\"payload\":{\"plainToken\":\"v0:1:x\"},\"event\":\"endpoint.url_validation\"}";
        given().contentType("application/json").body(challenge).post("/zoom/webhook").then().statusCode(401);

        assertNull(table.string(connection, "status"), "still as seeded: active");
        given().header("X-Zoom-Connection", connection).get("/meetings").then().statusCode(200);
    }

    @Test
    void appDeauthorizedRevokesTheUsersConnectionDeletesItsTokensAndSaysOnceThatItNeedsAHuman() {
        String connection = authorizedConnection();
        OutcomeEventBus.Subscriber subscriber = new OutcomeEventBus(MotoServer.shared().endpoint()).subscribe(connection);
        long eventTs = now();
        String deauthorization = deauthorization(table.string(connection, "zoomUserId"), eventTs);

        signed(deauthorization, nowSeconds()).post("/zoom/webhook").then().statusCode(204);
        signed(deauthorization, nowSeconds()).post("/zoom/webhook").then().statusCode(204); // Zoom delivers it again

        assertEquals("revoked", table.string(connection, "status"));
        assertNull(table.string(connection, "accessToken"));
        assertNull(table.string(connection, "refreshToken"));
        given().header("X-Zoom-Connection", connection).get("/meetings").then().statusCode(409)
                .body("type", equalTo("/problems/reauthorization-required"));
        String when = Instant.ofEpochMilli(eventTs).toString();
        given().get("/connections/" + connection).then().body("status", equalTo("revoked"))
                .body("health", equalTo("reauthorization_required")).body("lastError.reason", equalTo("app_deauthorized"))
                .body("lastError.when", equalTo(when)).body("reauthorize_url", equalTo("/oauth/install?connection=" + connection));
        List<JsonNode> events = subscriber.await(2, Duration.ofSeconds(3)); // a second one must not come
        assertEquals(1, events.size(), events.toString());
        assertEquals("Connection Needs Reauthorization", events.get(0).get("detail-type").asText());
        assertEquals("app_deauthorized", events.get(0).at("/detail/reason").asText());
        assertEquals(when, events.get(0).at("/detail/when").asText(), "when the user removed the app");
    }

    @Test
    void anAppDeauthorizedWhoseLookUpFailsAnswersAnErrorChangesNothingAndZoomsRedeliveryRevokes() {
        String connection = authorizedConnection();
        String body = deauthorization(table.string(connection, "zoomUserId"));
        AwsApiProxy dynamo = ZoomAndAws.dynamo();
        dynamo.failNext("Query", 1000, 500, "InternalServerError"); // the index that names the user's connections
        try {
            signed(body, nowSeconds()).post("/zoom/webhook").then().statusCode(503).contentType("application/problem+json");
        } finally {
            dynamo.clearFaults();
        }
        assertNull(table.string(connection, "status"), "still active: nothing was decided");

        signed(body, nowSeconds()).post("/zoom/webhook").then().statusCode(204); // Zoom delivers it again
        assertEquals("revoked", table.string(connection, "status"));
    }

    @Test
    void meetingEventsUpdateTheStoredOutcomeInOrder() {
        String connection = authorizedConnection();
        String key = "webhook-" + UUID.randomUUID();
        long id = createMeeting(connection, key).jsonPath().getLong("id");
        long at = now();

        signed(meetingEvent("meeting.updated", id, at, ",\"start_time\":\"2026-12-11T15:00:00Z\",\"settings\":{\"waiting_room\":true}"),
                nowSeconds()).post("/zoom/webhook").then().statusCode(204);
        given().get("/requests/" + key).then().statusCode(200).body("meetingState", equalTo("updated"))
                .body("meeting.start_time", equalTo("2026-12-11T15:00:00Z"));
        signed(meetingEvent("meeting.deleted", id, at - 1000, ""), nowSeconds()).post("/zoom/webhook").then().statusCode(204);
        given().get("/requests/" + key).then().body("meetingState", equalTo("updated"));

        signed(meetingEvent("meeting.deleted", id, at + 1000, ""), nowSeconds()).post("/zoom/webhook").then().statusCode(204);

        given().get("/requests/" + key).then().body("meetingState", equalTo("deleted"));
        createMeeting(connection, key).then().body("start_time", equalTo("2026-12-11T15:00:00Z")).body("settings.waiting_room", equalTo(true));
    }

    @Test
    void aLateAppDeauthorizedDoesNotUndoAReinstallThatCameAfterIt() {
        String connection = authorizedConnection();
        String formerUser = table.string(connection, "zoomUserId");
        long deauthorizedAt = now() - 5000; // the user removed the app, then installed it again; Zoom's delivery is late
        ZoomFake.Grant reinstall = zoom.authorize(formerUser);
        table.seed(connection, reinstall);
        table.setString(connection, "zoomUserId", formerUser);
        table.setNumber(connection, "authorizedAt", nowSeconds());
        long version = table.number(connection, "version");

        signed(deauthorization(formerUser, deauthorizedAt), nowSeconds()).post("/zoom/webhook").then().statusCode(204);

        assertNull(table.string(connection, "status"), "still active");
        assertEquals(reinstall.refreshToken(), table.string(connection, "refreshToken"));
        assertEquals(version, table.number(connection, "version"), "not even written");
        given().header("X-Zoom-Connection", connection).get("/meetings").then().statusCode(200);
    }

    @Test
    void aRepeatedAppDeauthorizedChangesNothing() {
        String connection = authorizedConnection();
        String body = deauthorization(table.string(connection, "zoomUserId"), now());
        signed(body, nowSeconds()).post("/zoom/webhook").then().statusCode(204);
        long version = table.number(connection, "version");
        String updatedAt = table.item(connection).get("updatedAt").n();

        signed(body, nowSeconds()).post("/zoom/webhook").then().statusCode(204); // Zoom's retry: a fresh signature, the same event

        assertEquals("revoked", table.string(connection, "status"));
        assertEquals(version, table.number(connection, "version"));
        assertEquals(updatedAt, table.item(connection).get("updatedAt").n());
    }

    @Test
    void concurrentMeetingUpdatesEndWithTheNewestAndARepeatChangesNothing() throws Exception {
        String connection = authorizedConnection();
        String key = "webhook-race-" + UUID.randomUUID();
        long id = createMeeting(connection, key).jsonPath().getLong("id");
        long first = now();
        int events = 12;
        ExecutorService instances = Executors.newFixedThreadPool(6); // several Lambda instances receive Zoom's deliveries
        List<Future<?>> done = new ArrayList<>();
        for (int i = 0; i < events; i++) {
            long eventTs = first + i;
            String fields = ",\"topic\":\"Review v" + i + "\",\"agenda\":\"set by event " + i + "\"";
            JsonNode notification = JSON.readTree(meetingEvent("meeting.updated", id, eventTs, fields));
            done.add(instances.submit(() -> webhookEvents.handle("meeting.updated", notification, Instant.now().plusSeconds(30))));
        }
        for (Future<?> each : done) {
            each.get();
        }
        instances.shutdown();

        given().get("/requests/" + key).then().statusCode(200).body("meetingState", equalTo("updated"));
        createMeeting(connection, key).then().body("topic", equalTo("Review v" + (events - 1)))
                .body("agenda", equalTo("set by event " + (events - 1)));
        signed(meetingEvent("meeting.updated", id, first + 3, ",\"topic\":\"Review v3\""), nowSeconds()).post("/zoom/webhook")
                .then().statusCode(204);
        createMeeting(connection, key).then().body("topic", equalTo("Review v" + (events - 1)));
    }

    @Test
    void aLateOlderUpdateStillBringsTheFieldsItAloneChanged() {
        String connection = authorizedConnection();
        String key = "webhook-late-" + UUID.randomUUID();
        long id = createMeeting(connection, key).jsonPath().getLong("id");
        long first = now();
        // Zoom's meeting.updated carries only the changed fields: the agenda changed first, the topic later
        String older = meetingEvent("meeting.updated", id, first, ",\"agenda\":\"Bring the contract\",\"topic\":\"Review (draft)\"");
        String newer = meetingEvent("meeting.updated", id, first + 1000, ",\"topic\":\"Review, final\"");

        signed(newer, nowSeconds()).post("/zoom/webhook").then().statusCode(204);
        signed(older, nowSeconds()).post("/zoom/webhook").then().statusCode(204); // delivered late

        createMeeting(connection, key).then().body("topic", equalTo("Review, final")).body("agenda", equalTo("Bring the contract"));
        given().get("/requests/" + key).then().statusCode(200).body("meetingState", equalTo("updated"))
                .body("meetingEventAt", equalTo(Instant.ofEpochMilli(first + 1000).toString()));
        signed(older, nowSeconds()).post("/zoom/webhook").then().statusCode(204); // and again: nothing changes
        createMeeting(connection, key).then().body("topic", equalTo("Review, final")).body("agenda", equalTo("Bring the contract"));
    }

    @Test
    void eventsOfOccurrencesChangeThoseOccurrencesInTheStoredSeriesAndOnlyTheRequestsOnThem() throws Exception {
        String connection = authorizedConnection();
        String key = "webhook-series-" + UUID.randomUUID();
        String series = "{\"topic\":\"Weekly\",\"type\":8,\"start_time\":\"2027-02-01T09:00:00Z\",\"duration\":30,\"timezone\":\"UTC\","
                + "\"recurrence\":{\"type\":2,\"repeat_interval\":1,\"weekly_days\":\"2\",\"end_times\":3}}";
        long id = given().header("X-Zoom-Connection", connection).header("Idempotency-Key", key).contentType("application/json")
                .body(series).post("/meetings").then().statusCode(201).extract().jsonPath().getLong("id");
        List<String> occurrences = zoom.occurrences(id).stream().map(o -> o.get("occurrence_id").asText()).toList();
        String first = occurrences.get(0);
        String second = occurrences.get(1);
        String moveFirst = "webhook-move-" + UUID.randomUUID();
        String moveSecond = "webhook-move-" + UUID.randomUUID();
        for (String[] move : List.of(new String[] { moveFirst, first }, new String[] { moveSecond, second })) {
            String request = "{\"action\":\"update\",\"idempotencyKey\":\"" + move[0] + "\",\"connectionId\":\"" + connection
                    + "\",\"meetingId\":\"" + id + "\",\"occurrenceId\":\"" + move[1] + "\",\"meeting\":{\"duration\":45}}";
            given().body(SqsEvents.batch(List.of(new SqsEvents.Message(
                    UUID.randomUUID().toString(), request)))).post("/_lambda_").then().statusCode(200);
        }
        long at = now();

        // Zoom moves the second occurrence; the event lists it: a change of that occurrence alone
        signed(occurrenceEvent("meeting.updated", id, at, "single", second, ",\"start_time\":\"2027-02-08T16:00:00Z\""), nowSeconds())
                .post("/zoom/webhook").then().statusCode(204);
        // an older move of the same occurrence, delivered late, changes nothing
        signed(occurrenceEvent("meeting.updated", id, at - 500, "single", second, ",\"start_time\":\"2027-02-08T12:00:00Z\""),
                nowSeconds()).post("/zoom/webhook").then().statusCode(204);
        // then the first occurrence is deleted: the series stays
        signed(occurrenceEvent("meeting.deleted", id, at + 1000, "single", first, ""), nowSeconds()).post("/zoom/webhook")
                .then().statusCode(204);

        JsonNode stored = JSON.readTree(given().header("X-Zoom-Connection", connection).header("Idempotency-Key", key)
                .contentType("application/json").body(series).post("/meetings").then().statusCode(201).extract().asString());
        JsonNode listed = stored.get("occurrences");
        assertEquals(3, listed.size(), "every occurrence is still listed: " + listed);
        assertEquals("deleted", listed.get(0).get("status").asText());
        assertEquals("2027-02-08T16:00:00Z", listed.get(1).get("start_time").asText());
        assertEquals("available", listed.get(2).get("status").asText());
        assertEquals("2027-02-01T09:00:00Z", stored.get("start_time").asText(), "the series keeps its own start");
        given().get("/requests/" + key).then().body("meetingState", equalTo("updated"));
        given().get("/requests/" + moveFirst).then().body("meetingState", equalTo("deleted")).body("occurrenceId", equalTo(first));
        given().get("/requests/" + moveSecond).then().body("meetingState", equalTo("updated"))
                .body("meetingEventAt", equalTo(Instant.ofEpochMilli(at).toString()));
    }

    /** Creates the test's meeting with an idempotency key; a repeat gets the stored answer, with what Zoom's events changed. */
    private static Response createMeeting(String connection, String key) {
        Response created = given().header("X-Zoom-Connection", connection).header("Idempotency-Key", key).contentType("application/json")
                .body("{\"topic\":\"Review\",\"type\":2,\"start_time\":\"2026-12-10T10:00:00Z\",\"duration\":30}").post("/meetings");
        created.then().statusCode(201);
        return created;
    }

    @Test
    void otherEventsAreAcceptedAndIgnored() {
        signed("{\"event\":\"recording.completed\",\"event_ts\":" + now() + ",\"payload\":{}}", nowSeconds()).post("/zoom/webhook")
                .then().statusCode(204);
    }

    /** A connection as an install leaves it: with the Zoom user who authorised it. */
    private String authorizedConnection() {
        AuthorizedConnection connection = AuthorizedConnection.seed("hooked");
        table.setString(connection.id(), "zoomUserId", connection.grant().userId());
        return connection.id();
    }

    private static String deauthorization(String userId) {
        return deauthorization(userId, now());
    }

    private static String deauthorization(String userId, long eventTs) {
        return "{\"event\":\"app_deauthorized\",\"event_ts\":" + eventTs + ",\"payload\":{\"account_id\":\"" + ZoomFake.USER_ACCOUNT_ID
                + "\",\"user_id\":\"" + userId + "\",\"signature\":\"unused\",\"deauthorization_time\":\"2026-11-28T10:00:00Z\",\"client_id\":\""
                + ZoomFake.CLIENT_ID + "\"}}";
    }

    private static String meetingEvent(String event, long id, long eventTs, String fields) {
        return "{\"event\":\"" + event + "\",\"event_ts\":" + eventTs + ",\"payload\":{\"account_id\":\"" + ZoomFake.USER_ACCOUNT_ID
                + "\",\"object\":{\"id\":" + id + ",\"uuid\":\"abc==\"" + fields + "}}}";
    }

    /** An event of Zoom's about occurrences of a recurring meeting: their ids (and changed fields) in {@code object.occurrences}. */
    private static String occurrenceEvent(String event, long id, long eventTs, String scope, String occurrenceId, String fields) {
        return "{\"event\":\"" + event + "\",\"event_ts\":" + eventTs + ",\"payload\":{\"account_id\":\"" + ZoomFake.USER_ACCOUNT_ID
                + "\",\"scope\":\"" + scope + "\",\"object\":{\"id\":" + id + ",\"uuid\":\"abc==\",\"occurrences\":[{\"occurrence_id\":\""
                + occurrenceId + "\"" + fields + "}]}}}";
    }

    private static io.restassured.specification.RequestSpecification signed(String body, long timestamp) {
        return given().headers(ZoomWebhooks.signedHeaders(body, timestamp)).contentType("application/json").body(body);
    }

    private static long now() {
        return System.currentTimeMillis();
    }

    private static long nowSeconds() {
        return now() / 1000;
    }
}
