package dev.zoomscheduler.meetings;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.zoomscheduler.testing.AuthorizedConnection;
import dev.zoomscheduler.testing.InDoubtPeriod;
import dev.zoomscheduler.testing.MotoServer;
import dev.zoomscheduler.testing.OutcomeEventBus;
import dev.zoomscheduler.testing.SqsEvents;
import dev.zoomscheduler.testing.ZoomAndAws;
import dev.zoomscheduler.testing.zoom.ZoomFake;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/**
 * One occurrence of a recurring meeting read, moved and deleted, over HTTP and through the queue, against the Zoom fake's
 * recurring meetings (type 8: weekly on Mondays, four occurrences): the series and the other occurrences stay as they were.
 */
@QuarkusTest
@QuarkusTestResource(ZoomAndAws.class)
class OccurrencesTest {

    static final String SERIES = """
            {"topic":"Weekly consultation","type":8,"start_time":"2027-01-04T09:00:00Z","duration":30,"timezone":"UTC",
             "recurrence":{"type":2,"repeat_interval":1,"weekly_days":"2","end_times":4}}""";

    @Inject
    InDoubtPeriod inDoubt;

    final ZoomFake zoom = ZoomAndAws.zoom();
    final ObjectMapper json = new ObjectMapper();
    final AuthorizedConnection connection = AuthorizedConnection.seed("occurrences");
    long meetingId;
    /** The occurrence ids, in order: the epoch milliseconds of each Monday. */
    List<String> occurrences;

    @BeforeEach
    void createSeries() {
        meetingId = asConnection().contentType("application/json").body(SERIES).post("/meetings").then().statusCode(201)
                .extract().jsonPath().getLong("id");
        occurrences = zoom.occurrences(meetingId).stream().map(o -> o.get("occurrence_id").asText()).toList();
        assertEquals(4, occurrences.size());
    }

    @Test
    void overHttpOneOccurrenceIsReadMovedAndDeletedAndTheSeriesStays() {
        String second = occurrences.get(1);
        asConnection().queryParam("occurrence_id", second).get("/meetings/" + meetingId).then().statusCode(200)
                .body("start_time", equalTo("2027-01-11T09:00:00Z")).body("occurrences[0].occurrence_id", equalTo(second));
        assertEquals("occurrence_id=" + second, lastApiRequest().query(), "Zoom is asked for that occurrence");
        asConnection().queryParam("show_previous_occurrences", "true").get("/meetings/" + meetingId).then().statusCode(200)
                .body("occurrences.size()", equalTo(4));
        assertEquals("show_previous_occurrences=true", lastApiRequest().query());

        asConnection().queryParam("occurrence_id", second).contentType("application/json")
                .body("{\"start_time\":\"2027-01-12T15:00:00Z\"}").patch("/meetings/" + meetingId).then().statusCode(204);
        assertEquals("2027-01-12T15:00:00Z", occurrence(second).get("start_time").asText());
        assertEquals("2027-01-04T09:00:00Z", zoom.meeting(meetingId).get("start_time").asText(), "the series keeps its start");

        String third = occurrences.get(2);
        asConnection().queryParam("occurrence_id", third).delete("/meetings/" + meetingId).then().statusCode(204);
        assertEquals("deleted", occurrence(third).get("status").asText());
        assertNotNull(zoom.meeting(meetingId), "the series stays");
        assertEquals(List.of("available", "available", "deleted", "available"),
                zoom.occurrences(meetingId).stream().map(o -> o.get("status").asText()).toList());
        asConnection().queryParam("occurrence_id", third).get("/meetings/" + meetingId).then().statusCode(404)
                .body("type", equalTo("/problems/zoom-not-found"));
    }

    @Test
    void anUnknownOrMalformedQueryParameterOnARouteThatChangesIsRefusedBeforeZoom() {
        int calls = zoom.apiCallCount();
        String path = "/meetings/" + meetingId;

        // as written with a typo, DELETE would otherwise have deleted the whole series
        refused(asConnection().queryParam("occurence_id", occurrences.get(0)).delete(path), "occurence_id");
        refused(asConnection().queryParam("occurrence_id", "next-monday").delete(path), "occurrence_id");
        refused(asConnection().queryParam("occurrence_id", "1".repeat(20)).delete(path), "occurrence_id");
        refused(asConnection().queryParam("occurrence_id", occurrences.get(0), occurrences.get(1)).delete(path), "occurrence_id");
        refused(asConnection().queryParam("scope", "single").contentType("application/json").body("{\"duration\":45}").patch(path),
                "scope");
        refused(asConnection().queryParam("notify", "true").contentType("application/json").body(SERIES).post("/meetings"), "notify");
        refused(asConnection().queryParam("occurrence_id", "x").get(path), "occurrence_id");
        refused(asConnection().queryParam("show_previous_occurrences", "yes").get(path), "show_previous_occurrences");
        refused(given().queryParam("force", "true").delete("/connections/" + connection.id()), "force");

        assertEquals(calls, zoom.apiCallCount(), "Zoom was never called");
        assertEquals(4, zoom.occurrences(meetingId).stream().filter(o -> o.get("status").asText().equals("available")).count());
        given().get("/connections/" + connection.id()).then().statusCode(200);
    }

    @Test
    void throughTheQueueAnOccurrenceIsMovedAndDeletedAndTheEventsNameIt() throws Exception {
        OutcomeEventBus.Subscriber subscriber = new OutcomeEventBus(MotoServer.shared().endpoint()).subscribe(connection.id());
        String first = occurrences.get(0);
        String last = occurrences.get(3);
        String move = "move-" + UUID.randomUUID();
        String cancel = "cancel-" + UUID.randomUUID();

        invoke(request("update", move, Long.parseLong(first), ",\"meeting\":{\"duration\":60}"));
        invoke(request("delete", cancel, last, ""));

        assertEquals(60, occurrence(first).get("duration").asInt());
        assertEquals(30, zoom.meeting(meetingId).get("duration").asInt(), "the series keeps its duration");
        assertEquals("deleted", occurrence(last).get("status").asText());
        given().get("/requests/" + cancel).then().statusCode(200).body("status", equalTo("completed"))
                .body("occurrenceId", equalTo(last));
        List<JsonNode> events = subscriber.await(2, Duration.ofSeconds(10));
        assertEquals(Map.of("Meeting Updated", first, "Meeting Deleted", last), Map.of(
                events.get(0).get("detail-type").asText(), events.get(0).at("/detail/occurrenceId").asText(),
                events.get(1).get("detail-type").asText(), events.get(1).at("/detail/occurrenceId").asText()));
    }

    @Test
    void aKeyReusedForAnotherOccurrenceIsAnotherRequestAndChangesNothing() throws Exception {
        String key = "cancel-" + UUID.randomUUID();
        invoke(request("delete", key, occurrences.get(0), ""));

        JsonNode answer = invoke(request("delete", key, occurrences.get(1), ""));

        assertEquals(0, answer.get("batchItemFailures").size(), "refused for good: not delivered again");
        assertEquals("deleted", occurrence(occurrences.get(0)).get("status").asText());
        assertEquals("available", occurrence(occurrences.get(1)).get("status").asText(), "the other occurrence was not deleted");
        given().get("/requests/" + key).then().statusCode(200).body("occurrenceId", equalTo(occurrences.get(0)));
    }

    @Test
    void aQueuedUpdateOrDeleteWithAFieldItDoesNotKnowIsRefusedNotRunOnTheWholeSeries() throws Exception {
        int calls = zoom.apiCallCount();
        String misspelt = "{\"action\":\"delete\",\"idempotencyKey\":\"typo-" + UUID.randomUUID() + "\",\"connectionId\":\"" + connection.id()
                + "\",\"meetingId\":\"" + meetingId + "\",\"occurenceId\":\"" + occurrences.get(0) + "\"}";

        assertEquals(0, invoke(misspelt).get("batchItemFailures").size(), "invalid: dropped, not retried");

        assertEquals(calls, zoom.apiCallCount());
        assertNotNull(zoom.meeting(meetingId));
    }

    @Test
    void overHttpALostAnswerToAnOccurrenceDeleteIsDoneWhenTheRetryGets404AndOnlyThatOccurrenceIsGone() {
        String first = occurrences.get(0);
        zoom.loseAnswerNext("DELETE", "/v2/meetings/" + meetingId, 1);
        int deletes = deletesSent();

        asConnection().queryParam("occurrence_id", first).delete("/meetings/" + meetingId).then().statusCode(204);

        assertEquals(2, deletesSent() - deletes, "the lost one and its retry, which got 404");
        assertEquals("deleted", occurrence(first).get("status").asText());
        assertEquals(3, available(), "the series and the other occurrences stay");
    }

    @Test
    void aLostAnswerToAnOccurrenceDeleteIsDoneWhenTheRetryWithinTheCallGets404() throws Exception {
        String second = occurrences.get(1);
        String key = "lost-" + UUID.randomUUID();
        zoom.loseAnswerNext("DELETE", "/v2/meetings/" + meetingId, 1);

        assertEquals(0, invoke(request("delete", key, second, "")).get("batchItemFailures").size());

        assertEquals("deleted", occurrence(second).get("status").asText());
        assertEquals(3, available(), "only that occurrence: the series and the others stay");
        given().get("/requests/" + key).then().statusCode(200).body("status", equalTo("completed"));
    }

    @Test
    void aLostAnswerToAnOccurrenceDeleteIsFoundDoneByTheNextAttemptAfterTheInDoubtPeriod() throws Exception {
        String third = occurrences.get(2);
        String key = "lost-then-5xx-" + UUID.randomUUID();
        String path = "/v2/meetings/" + meetingId;
        zoom.loseAnswerNext("DELETE", path, 1);
        zoom.failNext("DELETE", path, 2, 503, Map.of(), "{\"code\":503,\"message\":\"Service unavailable\"}");
        String message = request("delete", key, third, "");

        assertEquals(1, invoke(message).get("batchItemFailures").size(), "unknown at Zoom: delivered again");
        assertEquals("deleted", occurrence(third).get("status").asText(), "the first try did it");
        inDoubt.passes();
        int deletes = deletesSent();

        assertEquals(0, invoke(message).get("batchItemFailures").size());

        assertEquals(deletes, deletesSent(), "found done (GET of the occurrence: 404), not sent again");
        assertEquals(3, available());
        given().get("/requests/" + key).then().statusCode(200).body("status", equalTo("completed")).body("attempts", equalTo(2));
    }

    private String request(String action, String key, Object occurrenceId, String more) {
        String id = occurrenceId instanceof String text ? "\"" + text + "\"" : occurrenceId.toString();
        return "{\"action\":\"" + action + "\",\"idempotencyKey\":\"" + key + "\",\"connectionId\":\"" + connection.id() + "\",\"meetingId\":\""
                + meetingId + "\",\"occurrenceId\":" + id + more + "}";
    }

    private JsonNode invoke(String body) throws Exception {
        String event = SqsEvents.batch(List.of(new SqsEvents.Message(UUID.randomUUID().toString(), body)));
        return json.readTree(given().body(event).post("/_lambda_").then().statusCode(200).extract().asString());
    }

    private void refused(Response response, String field) {
        response.then().statusCode(400).contentType("application/problem+json").body("type", equalTo("/problems/invalid-request"))
                .body("errors[0].field", equalTo(field));
    }

    private ObjectNode occurrence(String occurrenceId) {
        return zoom.occurrences(meetingId).stream().filter(o -> o.get("occurrence_id").asText().equals(occurrenceId)).findFirst()
                .orElseThrow();
    }

    private long available() {
        return zoom.occurrences(meetingId).stream().filter(o -> o.get("status").asText().equals("available")).count();
    }

    private int deletesSent() {
        return (int) zoom.apiRequests().stream().filter(r -> r.method().equals("DELETE")).count();
    }

    private ZoomFake.RecordedRequest lastApiRequest() {
        List<ZoomFake.RecordedRequest> sent = zoom.apiRequests();
        assertTrue(!sent.isEmpty());
        return sent.get(sent.size() - 1);
    }

    private io.restassured.specification.RequestSpecification asConnection() {
        return given().header("X-Zoom-Connection", connection.id());
    }
}
