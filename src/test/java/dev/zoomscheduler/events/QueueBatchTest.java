package dev.zoomscheduler.events;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.zoomscheduler.testing.AuthorizedConnection;
import dev.zoomscheduler.testing.InDoubtPeriod;
import dev.zoomscheduler.testing.SqsEvents;
import dev.zoomscheduler.testing.SqsEvents.Message;
import dev.zoomscheduler.testing.ZoomAndAws;
import dev.zoomscheduler.testing.zoom.ZoomFake;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** SQS batches through the real Lambda poll loop: raw events posted to the mock event server's {@code /_lambda_}. */
@QuarkusTest
@QuarkusTestResource(ZoomAndAws.class)
class QueueBatchTest {

    @Inject
    InDoubtPeriod inDoubt;
    @Inject
    ObjectMapper mapper;

    final ZoomFake zoom = ZoomAndAws.zoom();
    final ObjectMapper json = new ObjectMapper();
    final AuthorizedConnection connection = AuthorizedConnection.seed("queue");

    @Test
    void aBatchOfTenReportsExactlyItsPassingFailuresAndCreatesNothingTwice() throws Exception {
        String flakyUser = "flaky-" + UUID.randomUUID();
        zoom.addUser(flakyUser, flakyUser + "@example.com");
        zoom.failNext("POST", "/v2/users/" + flakyUser + "/meetings", 2, 503, Map.of(), "{\"code\":503,\"message\":\"Service unavailable\"}");
        String run = UUID.randomUUID().toString();
        List<Message> messages = new ArrayList<>();
        for (int i = 1; i <= 5; i++) {
            messages.add(new Message("m" + i + "-" + run, create("booking-" + i + "-" + run, "me", "Booking " + i)));
        }
        messages.add(new Message("m6-" + run, create("booking-1-" + run, "me", "Booking 1")));
        messages.add(new Message("m7-" + run, SqsEvents.eventBridgeEnvelope(create("booking-7-" + run, "me", "Booking 7"))));
        messages.add(new Message("m8-" + run, "{\"action\":\"create\",\"connectionId\":\"" + connection.id() + "\",\"meeting\":{\"type\":9}}"));
        messages.add(new Message("m9-" + run, create("booking-9-" + run, flakyUser, "Booking 9")));
        messages.add(new Message("m10-" + run, create("booking-10-" + run, flakyUser, "Booking 10")));
        int meetingsBefore = zoom.meetingCount();

        JsonNode response = invoke(SqsEvents.batch(messages));

        assertEquals(Set.of("m9-" + run, "m10-" + run), failedIds(response), "only the two passing failures are retried");
        assertEquals(meetingsBefore + 6, zoom.meetingCount(), "bookings 1-5 and 7; the duplicate of 1 made nothing");

        inDoubt.passes(); // Zoom's 503 may have made them: nothing is sent again before that
        List<Message> redelivered = List.of(new Message("m9-" + run, messages.get(8).body(), 2),
                new Message("m10-" + run, messages.get(9).body(), 2));
        assertEquals(Set.of(), failedIds(invoke(SqsEvents.batch(redelivered))));
        assertEquals(meetingsBefore + 8, zoom.meetingCount(), "each failed one created once on redelivery");

        assertEquals(Set.of(), failedIds(invoke(SqsEvents.batch(redelivered))));
        assertEquals(meetingsBefore + 8, zoom.meetingCount(), "a second redelivery creates nothing");

        given().get("/requests/booking-9-" + run).then().statusCode(200)
                .body("status", equalTo("completed")).body("operation", equalTo("create"));
    }

    @Test
    void updatesAndDeletesFromTheQueue() throws Exception {
        long id = given().header("X-Zoom-Connection", connection.id()).contentType("application/json")
                .body("{\"topic\":\"Queued\",\"type\":2,\"start_time\":\"2026-12-14T10:00:00Z\",\"duration\":30}")
                .post("/meetings").then().statusCode(201).extract().jsonPath().getLong("id");
        String update = "{\"action\":\"update\",\"connectionId\":\"" + connection.id() + "\",\"meetingId\":\"" + id
                + "\",\"meeting\":{\"start_time\":\"2026-12-15T10:00:00Z\"}}";
        String delete = "{\"action\":\"delete\",\"connectionId\":\"" + connection.id() + "\",\"meetingId\":" + id + "}";

        assertEquals(Set.of(), failedIds(invoke(SqsEvents.batch(List.of(new Message(UUID.randomUUID().toString(), update))))));
        assertEquals("2026-12-15T10:00:00Z", zoom.meeting(id).get("start_time").asText());
        assertEquals(Set.of(), failedIds(invoke(SqsEvents.batch(List.of(new Message(UUID.randomUUID().toString(), delete))))));
        assertEquals(null, zoom.meeting(id));
    }

    @Test
    void invalidMessagesAreDroppedNotRetried() throws Exception {
        List<Message> invalid = List.of(
                new Message("not-json", "hello"),
                new Message("no-action", "{\"meeting\":{}}"),
                new Message("bad-action", "{\"action\":\"cancel\"}"),
                new Message("no-meeting-id", "{\"action\":\"delete\"}"),
                new Message("bad-meeting-id", "{\"action\":\"delete\",\"meetingId\":\"../1\"}"),
                new Message("bad-topic", "{\"action\":\"create\",\"meeting\":{\"topic\":" + "\"" + "x".repeat(201) + "\"}}"),
                new Message("bad-key", "{\"action\":\"create\",\"idempotencyKey\":\"has space\",\"meeting\":{}}"),
                new Message("keep-alive-and-more", "{\"action\":\"keep-alive\",\"connectionId\":\"default\"}"),
                new Message("unknown-connection", create("k-" + UUID.randomUUID(), "me", "x").replace(connection.id(), "nobody-" + UUID.randomUUID())));
        int calls = zoom.apiCallCount();

        assertEquals(Set.of(), failedIds(invoke(SqsEvents.batch(invalid))));
        assertEquals(calls, zoom.apiCallCount());
    }

    @Test
    void anHttpRequestToTheBatchPathNeverReachesTheQueueCode() {
        given().contentType("application/json").body(SqsEvents.batch(List.of(new Message("x", create("k", "me", "x")))))
                .post(QueueBatchResource.PATH).then().statusCode(404).contentType("application/problem+json");
    }

    @Test
    void anSqsInvocationThatEndsWithoutABatchResponseFailsInsteadOfClaimingSuccess() throws Exception {
        APIGatewayV2HTTPResponse error = APIGatewayV2HTTPResponse.builder().withStatusCode(500).withBody("{}").build();
        mapper.readerFor(com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent.class)
                .readValue(SqsEvents.batch(List.of(new Message("x", "{}"))));

        assertThrows(com.fasterxml.jackson.databind.JsonMappingException.class,
                () -> mapper.writerFor(APIGatewayV2HTTPResponse.class).writeValue(new ByteArrayOutputStream(), error));
        String http = mapper.writerFor(APIGatewayV2HTTPResponse.class).writeValueAsString(error);
        assertTrue(http.contains("\"statusCode\":500"), "an HTTP invocation's response is written as it is: " + http);
    }

    private String create(String key, String userId, String topic) {
        return "{\"action\":\"create\",\"idempotencyKey\":\"" + key + "\",\"connectionId\":\"" + connection.id() + "\",\"userId\":\"" + userId
                + "\",\"meeting\":{\"topic\":\"" + topic + "\",\"type\":2,\"start_time\":\"2026-12-14T10:00:00Z\",\"duration\":30,"
                + "\"timezone\":\"UTC\"}}";
    }

    private JsonNode invoke(String event) throws Exception {
        String answer = given().body(event).post("/_lambda_").then().statusCode(200).extract().asString();
        JsonNode response = json.readTree(answer);
        assertTrue(response.has("batchItemFailures"), "an SQS batch response: " + answer);
        return response;
    }

    private static Set<String> failedIds(JsonNode response) {
        List<String> ids = new ArrayList<>();
        response.get("batchItemFailures").forEach(failure -> ids.add(failure.get("itemIdentifier").asText()));
        return ids.stream().collect(Collectors.toSet());
    }
}
