package dev.zoomscheduler.outcomes;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.zoomscheduler.testing.AuthorizedConnection;
import dev.zoomscheduler.testing.AwsApiProxy;
import dev.zoomscheduler.testing.MotoServer;
import dev.zoomscheduler.testing.OutcomeEventBus;
import dev.zoomscheduler.testing.SqsEvents;
import dev.zoomscheduler.testing.SqsEvents.Message;
import dev.zoomscheduler.testing.ZoomAndAws;
import dev.zoomscheduler.testing.zoom.ZoomFake;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Outcome events on EventBridge (moto_server): a rule routes one connection's events to an SQS queue, read as a
 * subscriber would. Publishes are failed at the proxy in front of moto's EventBridge.
 */
@QuarkusTest
@QuarkusTestResource(ZoomAndAws.class)
class OutcomeEventsTest {

    private static final Duration PATIENCE = Duration.ofSeconds(10);
    /** How long to keep looking for an event that must not come. */
    private static final Duration QUIET = Duration.ofMillis(1500);

    @Inject
    OutcomeBus outcomes;

    final ZoomFake zoom = ZoomAndAws.zoom();
    final AwsApiProxy eventBridge = ZoomAndAws.eventBridge();
    final OutcomeEventBus bus = new OutcomeEventBus(MotoServer.shared().endpoint());
    final ObjectMapper json = new ObjectMapper();
    /** Each test's own connection, whose events only its subscriber receives. */
    final AuthorizedConnection connection = AuthorizedConnection.seed("outcomes");
    OutcomeEventBus.Subscriber subscriber;

    @BeforeEach
    void subscribe() {
        subscriber = bus.subscribe(connection.id());
    }

    @Test
    void everyKeyedOutcomeIsAnnouncedOnceWithItsDetailAndNeverTheStartUrl() throws Exception {
        String run = UUID.randomUUID().toString();
        String httpKey = "http-" + run;
        JsonNode created = json.readTree(post(httpKey, meeting("By HTTP")).then().statusCode(201).extract().asString());
        post(httpKey, meeting("By HTTP")).then().statusCode(201).header("Idempotent-Replayed", "true");
        long unkeyed = given().header("X-Zoom-Connection", connection.id()).contentType("application/json").body(meeting("No key"))
                .post("/meetings").then().statusCode(201).extract().jsonPath().getLong("id");
        given().header("X-Zoom-Connection", connection.id()).contentType("application/json").body("{\"duration\":50}")
                .patch("/meetings/" + unkeyed).then().statusCode(204);

        List<Message> batch = List.of(
                new Message("c-" + run, SqsEvents.eventBridgeEnvelope(request("create", "create-" + run, null, meeting("Queued")))),
                new Message("u-" + run, request("update", "update-" + run, created.get("id").asText(),
                        "{\"start_time\":\"2026-12-21T09:00:00Z\",\"timezone\":\"Europe/Paris\",\"agenda\":\"moved\"}")),
                new Message("d-" + run, request("delete", "delete-" + run, Long.toString(unkeyed), null)),
                new Message("f-" + run, request("create", "failed-" + run, null, meeting("Nobody")).replace("\"userId\":\"me\"",
                        "\"userId\":\"nobody-" + run + "@example.com\"")));
        assertEquals(0, invoke(batch).get("batchItemFailures").size());
        assertEquals(0, invoke(batch).get("batchItemFailures").size(), "a redelivered batch replays: no second event");

        List<JsonNode> events = subscriber.await(5, PATIENCE);
        subscriber.await(6, QUIET);
        assertEquals(5, subscriber.raw().size(), "one event per outcome: " + subscriber.raw());
        Map<String, JsonNode> byKey = new HashMap<>();
        Set<String> eventIds = new HashSet<>();
        for (JsonNode event : subscriber.await(5, Duration.ZERO)) {
            assertEquals(OutcomeEventBus.SOURCE, event.get("source").asText());
            assertEquals(connection.id(), event.at("/detail/connectionId").asText());
            byKey.put(event.at("/detail/idempotencyKey").asText(), event);
            eventIds.add(event.at("/detail/eventId").asText());
        }
        assertEquals(5, events.size());
        assertEquals(5, eventIds.size(), "each outcome has its own eventId");
        subscriber.raw().forEach(raw -> assertFalse(raw.contains("start_url") || raw.contains("zak"), "never the start URL: " + raw));

        JsonNode scheduled = byKey.get(httpKey);
        assertEquals("Meeting Scheduled", scheduled.get("detail-type").asText());
        assertEquals("create", scheduled.at("/detail/action").asText());
        for (String field : List.of("id", "topic", "start_time", "timezone", "duration", "join_url")) {
            assertEquals(created.get(field), scheduled.at("/detail/meeting/" + field), field);
        }
        assertEquals(6, scheduled.at("/detail/meeting").size(), "only the six fields: " + scheduled);
        UUID.fromString(scheduled.at("/detail/eventId").asText());

        assertEquals("Meeting Scheduled", byKey.get("create-" + run).get("detail-type").asText());
        assertEquals("Queued", byKey.get("create-" + run).at("/detail/meeting/topic").asText());

        JsonNode updated = byKey.get("update-" + run);
        assertEquals("Meeting Updated", updated.get("detail-type").asText());
        assertEquals(created.get("id"), updated.at("/detail/meeting/id"));
        assertEquals("2026-12-21T09:00:00Z", updated.at("/detail/meeting/start_time").asText());
        assertEquals("Europe/Paris", updated.at("/detail/meeting/timezone").asText());
        assertTrue(updated.at("/detail/meeting/agenda").isMissingNode(), "only the listed fields");

        JsonNode deleted = byKey.get("delete-" + run);
        assertEquals("Meeting Deleted", deleted.get("detail-type").asText());
        assertEquals(unkeyed, deleted.at("/detail/meeting/id").asLong());

        JsonNode failed = byKey.get("failed-" + run);
        assertEquals("Scheduling Failed", failed.get("detail-type").asText());
        assertEquals("create", failed.at("/detail/action").asText());
        assertEquals(404, failed.at("/detail/problem/status").asInt());
        assertEquals(1001, failed.at("/detail/problem/code").asInt());
        assertTrue(failed.at("/detail/problem/type").asText().startsWith("/problems/"), failed.toString());
        assertTrue(failed.at("/detail/meeting").isMissingNode());
    }

    @Test
    void anOutcomeNotPublishedIsKeptInItsRecordAndPublishedAtTheNextInvocation() throws Exception {
        String key = "queued-" + UUID.randomUUID();
        eventBridge.failNext("PutEvents", 1, 400, "AccessDeniedException");

        List<Message> batch = List.of(new Message(UUID.randomUUID().toString(), request("create", key, null, meeting("Unannounced"))));
        assertEquals(0, invoke(batch).get("batchItemFailures").size(), "the request succeeds all the same");
        assertEquals(0, subscriber.await(1, QUIET).size());
        assertTrue(record(key).containsKey("outcomeEvent"), "the record notes the event unpublished");

        given().get("/requests/" + key).then().statusCode(200); // any later invocation of the instance

        List<JsonNode> events = subscriber.await(1, PATIENCE);
        assertEquals(1, events.size());
        assertEquals("Meeting Scheduled", events.get(0).get("detail-type").asText());
        assertFalse(record(key).containsKey("outcomeEvent"), "noted published");
        given().get("/requests/" + key).then().statusCode(200);
        assertEquals(1, subscriber.await(2, QUIET).size(), "published once");
    }

    @Test
    void aRepeatOfTheKeyPublishesWhatTheFirstAttemptCouldNot() throws Exception {
        String key = "repeat-" + UUID.randomUUID();
        // the publish of the first attempt, then this instance's own retry at the repeat's start
        eventBridge.failNext("PutEvents", 2, 400, "AccessDeniedException");

        JsonNode first = json.readTree(post(key, meeting("Repeated")).then().statusCode(201).extract().asString());
        assertEquals(0, subscriber.await(1, QUIET).size());
        JsonNode again = json.readTree(post(key, meeting("Repeated")).then().statusCode(201).extract().asString());
        assertEquals(first.get("id"), again.get("id"), "the same meeting");

        List<JsonNode> events = subscriber.await(1, PATIENCE);
        assertEquals(1, events.size());
        assertEquals(first.get("id"), events.get(0).at("/detail/meeting/id"));
        assertFalse(record(key).containsKey("outcomeEvent"));
        post(key, meeting("Repeated")).then().statusCode(201);
        assertEquals(1, subscriber.await(2, QUIET).size(), "a meeting created once is announced once");
    }

    @Test
    void anOutcomeRidesInItsEndingsWriteAndIsNotedPublishedByOneUpdate() throws Exception {
        AwsApiProxy dynamo = ZoomAndAws.dynamo();
        post("warm-" + UUID.randomUUID(), meeting("Warm")).then().statusCode(201); // the connection's token is read once
        dynamo.resetCounts();
        eventBridge.resetCounts();
        post("published-" + UUID.randomUUID(), meeting("Published")).then().statusCode(201);
        Map<String, Integer> published = dynamo.counts();
        assertEquals(1, eventBridge.count("PutEvents"));

        dynamo.resetCounts();
        eventBridge.failNext("PutEvents", 1, 400, "AccessDeniedException");
        post("unpublished-" + UUID.randomUUID(), meeting("Unpublished")).then().statusCode(201);
        Map<String, Integer> unpublished = dynamo.counts();
        dynamo.resetCounts();
        given().get("/requests/none-" + UUID.randomUUID()).then().statusCode(404); // the next invocation publishes it
        System.out.printf("outcome events: DynamoDB calls of a keyed create, published %s, not published %s, then %s%n",
                published, unpublished, dynamo.counts());
        assertEquals(Integer.valueOf(1), published.get("TransactWriteItems"), "the event rides in the completion's own write");
        assertEquals(Integer.valueOf(1), published.get("UpdateItem"), "then one update notes it published");
        assertEquals(null, unpublished.get("UpdateItem"), "not published: nothing to note yet");
        assertEquals(published.get("TransactWriteItems"), unpublished.get("TransactWriteItems"));
        assertEquals(Integer.valueOf(1), dynamo.counts().get("UpdateItem"), "noting it published later is one update");

        long[] millis = new long[50];
        OutcomeEvent event = OutcomeEvents.succeeded(new OutcomeEvents.Request("timing-" + UUID.randomUUID(), "timing",
                "create", null), json.createObjectNode().put("id", 1L));
        for (int i = 0; i < millis.length; i++) {
            long start = System.nanoTime();
            assertTrue(outcomes.publish(event, outcomes.callTimeout()));
            millis[i] = (System.nanoTime() - start) / 1_000;
        }
        java.util.Arrays.sort(millis);
        System.out.printf("outcome events: PutEvents to moto_server through the proxy, median %d us, p90 %d us%n",
                millis[millis.length / 2], millis[millis.length * 9 / 10]);
    }

    @Test
    void theSameOutcomePublishedTwiceCarriesTheSameEventId() {
        JsonNode meeting = json.createObjectNode().put("id", 81234567890L).put("topic", "t").put("start_url", "https://zoom.us/s/1?zak=x");
        OutcomeEvent one = OutcomeEvents.succeeded(new OutcomeEvents.Request("k", "c", "create", null), meeting);
        OutcomeEvent two = OutcomeEvents.succeeded(new OutcomeEvents.Request("k", "c", "create", null), meeting.deepCopy());
        assertEquals(one, two);
        assertFalse(one.detail().contains("start_url"));
        assertNotEquals(one, OutcomeEvents.succeeded(new OutcomeEvents.Request("other", "c", "create", null), meeting));
    }

    @Test
    void aQueuedRequestRefusedBeforeZoomEndsWithItsSchedulingFailedEvent() throws Exception {
        String run = UUID.randomUUID().toString();
        String nobody = "nobody-" + run;
        OutcomeEventBus.Subscriber ofNobody = bus.subscribe(nobody);
        String unknownConnection = request("create", "unknown-" + run, null, meeting("Nowhere")).replace(connection.id(), nobody);
        String invalidMeeting = request("create", "invalid-" + run, null, "{\"topic\":\"Bad\",\"type\":2,\"duration\":-5}");
        int calls = zoom.apiCallCount();

        List<Message> batch = List.of(new Message("n-" + run, unknownConnection), new Message("i-" + run, invalidMeeting));
        assertEquals(0, invoke(batch).get("batchItemFailures").size(), "failed for good: not delivered again");
        assertEquals(0, invoke(batch).get("batchItemFailures").size());

        assertEquals(calls, zoom.apiCallCount(), "refused before Zoom");
        JsonNode unknown = ofNobody.await(1, PATIENCE).get(0);
        assertEquals("Scheduling Failed", unknown.get("detail-type").asText());
        assertEquals("unknown-" + run, unknown.at("/detail/idempotencyKey").asText());
        assertEquals("/problems/connection-not-found", unknown.at("/detail/problem/type").asText());
        JsonNode invalid = subscriber.await(1, PATIENCE).get(0);
        assertEquals("Scheduling Failed", invalid.get("detail-type").asText());
        assertEquals("invalid-" + run, invalid.at("/detail/idempotencyKey").asText());
        assertEquals("/problems/invalid-request", invalid.at("/detail/problem/type").asText());
        assertEquals(1, ofNobody.await(2, QUIET).size(), "once, though the batch came twice");
        assertEquals(1, subscriber.await(2, QUIET).size());
        given().get("/requests/unknown-" + run).then().statusCode(200).body("status", org.hamcrest.Matchers.equalTo("failed"))
                .body("error.type", org.hamcrest.Matchers.equalTo("/problems/connection-not-found"));
    }

    private Map<String, AttributeValue> record(String key) {
        return MotoServer.shared().client().getItem(r -> r.tableName(MotoServer.REQUEST_TABLE)
                .key(Map.of("idempotencyKey", AttributeValue.fromS(key))).consistentRead(true)).item();
    }

    private Response post(String key, String body) {
        return given().header("X-Zoom-Connection", connection.id()).header("Idempotency-Key", key).contentType("application/json")
                .body(body).post("/meetings");
    }

    private static String meeting(String topic) {
        return "{\"topic\":\"" + topic + "\",\"type\":2,\"start_time\":\"2026-12-14T10:00:00Z\",\"duration\":30,\"timezone\":\"UTC\"}";
    }

    private String request(String action, String key, String meetingId, String meeting) {
        return "{\"action\":\"" + action + "\",\"idempotencyKey\":\"" + key + "\",\"connectionId\":\"" + connection.id() + "\""
                + (meetingId != null ? ",\"meetingId\":\"" + meetingId + "\"" : ",\"userId\":\"me\"")
                + (meeting != null ? ",\"meeting\":" + meeting : "") + "}";
    }

    private JsonNode invoke(List<Message> messages) throws Exception {
        return json.readTree(given().body(SqsEvents.batch(messages)).post("/_lambda_").then().statusCode(200).extract().asString());
    }
}
