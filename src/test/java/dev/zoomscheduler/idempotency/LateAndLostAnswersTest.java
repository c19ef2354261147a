package dev.zoomscheduler.idempotency;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.zoomscheduler.testing.AuthorizedConnection;
import dev.zoomscheduler.testing.Await;
import dev.zoomscheduler.testing.AwsApiProxy;
import dev.zoomscheduler.testing.InDoubtPeriod;
import dev.zoomscheduler.testing.SqsEvents;
import dev.zoomscheduler.testing.TestClock;
import dev.zoomscheduler.testing.ZoomAndAws;
import dev.zoomscheduler.testing.zoom.ZoomFake;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/**
 * What lies between the steps of a keyed request: a Zoom create carried out after the function stopped waiting, two keys
 * asking for identical meetings while one answer is lost, a completion DynamoDB cancels, and records read back whatever
 * their key or meeting id. Each of these broke a promise before (two meetings for one key, a key adopting another key's
 * meeting, a finished request left in progress, a record that could not be read).
 */
@QuarkusTest
@QuarkusTestResource(ZoomAndAws.class)
class LateAndLostAnswersTest {

    static final String CREATE = "/v2/users/me/meetings";

    @Inject
    InDoubtPeriod inDoubt;
    @Inject
    TestClock clock;
    @Inject
    IdempotencySettings settings;

    final ZoomFake zoom = ZoomAndAws.zoom();
    final AwsApiProxy dynamo = ZoomAndAws.dynamo();
    final ObjectMapper json = new ObjectMapper();
    final AuthorizedConnection connection = AuthorizedConnection.seed("late");
    final String topic = "Consultation " + UUID.randomUUID();

    @Test
    void aCreateZoomCarriesOutAfterTheTimeoutStaysInDoubtAndIsAdoptedNotMadeAgain() {
        String key = "slow-" + UUID.randomUUID();
        // Zoom is slow, not failing: it creates the meeting 3.5 s after the request came, the function waits 2 s (test timeout)
        zoom.delayNext("POST", CREATE, 1, Duration.ofMillis(3500));
        CompletableFuture<Response> first = CompletableFuture.supplyAsync(() -> post(key));
        Await.until("the first attempt's create reached Zoom", Duration.ofSeconds(10), () -> zoom.apiRequests().stream()
                .anyMatch(r -> r.method().equals("POST") && r.path().equals(CREATE) && r.body().contains(topic)));
        Response waiting = post(key); // a double submit: it waits for the first attempt, which then gives up

        first.join().then().statusCode(504).body("type", equalTo("/problems/zoom-timeout"));
        waiting.then().statusCode(409).body("type", equalTo("/problems/request-in-progress"));
        long retryAfter = Long.parseLong(waiting.header("Retry-After"));
        assertTrue(retryAfter >= 2 && retryAfter <= settings.inDoubt().toSeconds() + 4, "until the in-doubt period ends: " + retryAfter);
        assertEquals("in_doubt", record(key).path("status").asText());

        awaitMeetingsOfTopic(1); // Zoom's own work lands
        clock.advance(Duration.ofSeconds(retryAfter));
        Response retry = post(key);

        retry.then().statusCode(201);
        assertEquals(1, meetingsOfTopic(), "one meeting for the key: adopted, not made again");
        assertEquals(onlyMeetingOfTopic().path("id").asLong(), retry.jsonPath().getLong("id"));
    }

    @Test
    void aRetryNeverAdoptsTheMeetingOfAnotherKeyWithTheSameRequest() {
        String lost = "booking-a-" + UUID.randomUUID();
        String other = "booking-b-" + UUID.randomUUID();
        zoom.loseAnswerNext("POST", CREATE, 1);
        post(lost).then().statusCode(502);
        long lostKeysMeeting = onlyMeetingOfTopic().path("id").asLong();
        zoom.clockOffset(Duration.ofSeconds(5)); // the other booking's meeting is the later one
        long othersMeeting = post(other).then().statusCode(201).extract().jsonPath().getLong("id");
        assertEquals(2, meetingsOfTopic());

        inDoubt.passes();
        Response retry = post(lost);

        retry.then().statusCode(201);
        assertEquals(lostKeysMeeting, retry.jsonPath().getLong("id"), "its own meeting, not the other key's");
        assertNotEquals(othersMeeting, retry.jsonPath().getLong("id"));
        assertEquals(2, meetingsOfTopic(), "nothing made again, nothing orphaned");
        assertEquals(othersMeeting, post(other).then().statusCode(201).extract().jsonPath().getLong("id"), "the other key keeps its own");
    }

    @Test
    void aCompletionThatDynamoDbCancelsIsWrittenAgainNotLeftInProgress() {
        String key = "conflict-" + UUID.randomUUID();
        dynamo.cancelNextTransaction(key, 1, "TransactionConflict", "None");

        long id = post(key).then().statusCode(201).extract().jsonPath().getLong("id");

        JsonNode record = record(key);
        assertEquals("completed", record.path("status").asText(), record.toString());
        assertEquals(id, record.path("meeting").path("id").asLong());
    }

    @Test
    void aRecordIsReadBackWhateverItsKeyAndMeetingId() throws Exception {
        String slashed = "orders/" + UUID.randomUUID() + "/booking";
        String create = "{\"action\":\"create\",\"idempotencyKey\":\"" + slashed + "\",\"connectionId\":\"" + connection.id()
                + "\",\"meeting\":{\"topic\":\"" + topic + "\",\"type\":2,\"start_time\":\"2026-12-20T10:00:00Z\",\"duration\":30}}";
        String beyondALong = "9999999999999999999";
        String update = "{\"action\":\"update\",\"idempotencyKey\":\"huge-" + UUID.randomUUID() + "\",\"connectionId\":\"" + connection.id()
                + "\",\"meetingId\":\"" + beyondALong + "\",\"meeting\":{\"duration\":45}}";
        String updateKey = json.readTree(update).path("idempotencyKey").asText();
        invoke(List.of(new SqsEvents.Message("m1", create), new SqsEvents.Message("m2", update)));

        given().get("/requests/" + slashed).then().statusCode(200).body("idempotencyKey", equalTo(slashed))
                .body("status", equalTo("completed"));
        Response huge = given().get("/requests/" + updateKey);
        huge.then().statusCode(200).body("status", equalTo("failed"));
        assertEquals(new BigInteger(beyondALong), json.readTree(huge.asString()).path("meeting").path("id").bigIntegerValue());
    }

    private Response post(String key) {
        return given().header("X-Zoom-Connection", connection.id()).header("Idempotency-Key", key).contentType("application/json")
                .body("{\"topic\":\"" + topic + "\",\"type\":2,\"start_time\":\"2026-12-15T01:00:00Z\",\"duration\":30}")
                .post("/meetings");
    }

    private JsonNode record(String key) {
        try {
            return json.readTree(given().get("/requests/" + key).then().statusCode(200).extract().asString());
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private void invoke(List<SqsEvents.Message> messages) {
        given().body(SqsEvents.batch(messages)).post("/_lambda_").then().statusCode(200);
    }

    private long meetingsOfTopic() {
        return zoom.meetings().stream().filter(m -> topic.equals(m.path("topic").asText())).count();
    }

    private JsonNode onlyMeetingOfTopic() {
        List<JsonNode> found = zoom.meetings().stream().filter(m -> topic.equals(m.path("topic").asText())).map(JsonNode.class::cast).toList();
        assertEquals(1, found.size(), found.toString());
        return found.get(0);
    }

    private void awaitMeetingsOfTopic(long count) {
        assertEquals(count, Await.until("Zoom has " + count + " meetings of the topic", Duration.ofSeconds(10), this::meetingsOfTopic,
                found -> found >= count));
    }
}
