package dev.zoomscheduler.idempotency;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.zoomscheduler.idempotency.Idempotency.Refusals;
import dev.zoomscheduler.meetings.MeetingCommand;
import dev.zoomscheduler.meetings.MeetingRecovery;
import dev.zoomscheduler.meetings.MeetingScheduler;
import dev.zoomscheduler.meetings.Meetings;
import dev.zoomscheduler.outcomes.Outbox;
import dev.zoomscheduler.outcomes.OutcomeBus;
import dev.zoomscheduler.problems.ProblemException;
import dev.zoomscheduler.testing.AuthorizedConnection;
import dev.zoomscheduler.testing.InDoubtPeriod;
import dev.zoomscheduler.testing.MotoServer;
import dev.zoomscheduler.testing.SqsEvents;
import dev.zoomscheduler.testing.TestClock;
import dev.zoomscheduler.testing.TokenTable;
import dev.zoomscheduler.testing.ZoomAndAws;
import dev.zoomscheduler.testing.zoom.ZoomFake;
import dev.zoomscheduler.time.Backoff;
import dev.zoomscheduler.tokens.TokenRotation;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/**
 * At most one meeting per key whatever fails between attempts (issue 11): a lost answer followed by a failed look-up,
 * attempts spread over time, passing failures, a lost DELETE or PATCH answer; over HTTP and SQS redelivery.
 */
@QuarkusTest
@QuarkusTestResource(ZoomAndAws.class)
class PartialFailureTest {

    static final String CREATE = "/v2/users/me/meetings";

    @Inject
    Meetings meetings;
    @Inject
    MeetingRecovery recovery;
    @Inject
    IdempotencySettings settings;
    @Inject
    RequestStore requests;
    @Inject
    OutcomeBus outcomes;
    @Inject
    TokenRotation tokens;
    @Inject
    TestClock clock;
    @Inject
    InDoubtPeriod inDoubt;

    final ZoomFake zoom = ZoomAndAws.zoom();
    final TokenTable table = TokenTable.shared();
    final ObjectMapper json = new ObjectMapper();
    final AuthorizedConnection connection = AuthorizedConnection.seed("partial");
    final String key = "booking-" + UUID.randomUUID();
    final String topic = "Partial " + UUID.randomUUID();

    /** What can make attempt 2's look-up fail, how to bring it about and undo it, and what the caller is answered. */
    enum LookUpFailure {
        RATE_LIMITED_FOR_LONG(429, "/problems/zoom-rate-limited"),
        ZOOM_5XX(502, "/problems/zoom-unavailable"),
        TOKEN_REFRESH_BUSY(503, "/problems/token-refresh-busy"),
        REAUTHORIZATION_REQUIRED(409, "/problems/reauthorization-required");

        final int status;
        final String type;

        LookUpFailure(int status, String type) {
            this.status = status;
            this.type = type;
        }
    }

    @ParameterizedTest
    @EnumSource(LookUpFailure.class)
    void aFailedReconciliationForgetsNothingAndTheNextOneAdopts(LookUpFailure failure) {
        zoom.loseAnswerNext("POST", CREATE, 1);
        post().then().statusCode(502);
        assertEquals(1, meetingsOfTopic(), "attempt 1 made it; its answer was lost");
        String firstStart = outcome().path("startedAt").asText();
        inDoubt.passes();

        bringAbout(failure);
        Response second = post();
        second.then().statusCode(failure.status).contentType("application/problem+json").body("type", equalTo(failure.type));
        if (failure != LookUpFailure.REAUTHORIZATION_REQUIRED) {
            assertNotNull(second.header("Retry-After"), "says when to try again");
        }
        JsonNode record = outcome();
        assertEquals("abandoned", record.path("status").asText(), record.toString());
        assertEquals(firstStart, record.path("startedAt").asText(), "still the first attempt's");
        assertEquals(2, record.path("attempts").asInt());
        assertTrue(Instant.parse(record.path("lastAttemptAt").asText()).isAfter(Instant.parse(firstStart)), record.toString());
        undo(failure);

        Response third = post();
        third.then().statusCode(201);
        assertEquals(1, meetingsOfTopic(), "adopted, not made twice");
        assertEquals(zoomMeetingOfTopic().path("id").asLong(), third.jsonPath().getLong("id"));
        assertEquals("completed", outcome().path("status").asText());
        assertEquals(3, outcome().path("attempts").asInt());
    }

    @Test
    void theSearchWindowStartsWithTheFirstAttemptNotTheLatest() throws Exception {
        Duration tenMinutesAgo = Duration.ofMinutes(-10);
        zoom.clockOffset(tenMinutesAgo);
        zoom.loseAnswerNext("POST", CREATE, 1);
        try {
            assertThrows(ProblemException.class, () -> schedulerWithClock(Clock.offset(Clock.systemUTC(), tenMinutesAgo))
                    .schedule(key, createCommand(), Refusals.LEAVE_NO_TRACE, Instant.now().plusSeconds(20)));
        } finally {
            zoom.clockOffset(Duration.ZERO);
        }
        assertEquals(1, meetingsOfTopic(), "attempt 1, ten minutes ago, made it");

        zoom.failNext("GET", CREATE, 3, 503, Map.of(), "{\"code\":503,\"message\":\"Service unavailable\"}");
        post().then().statusCode(502);
        Response third = post(); // attempt 2 sent nothing: attempt 3 need not wait

        third.then().statusCode(201);
        assertEquals(1, meetingsOfTopic(), "found although made long before attempts 2 and 3 began");
        assertEquals(zoomMeetingOfTopic().path("id").asLong(), third.jsonPath().getLong("id"));
        Instant began = Instant.parse(outcome().path("startedAt").asText());
        assertTrue(began.isBefore(Instant.now().minus(Duration.ofMinutes(9))), "the first attempt's start: " + began);
    }

    @Test
    void zoomsClockBehindTheFunctionsIsAllowedFor() {
        zoom.clockOffset(Duration.ofSeconds(-45));
        zoom.loseAnswerNext("POST", CREATE, 1);
        try {
            post().then().statusCode(502);
        } finally {
            zoom.clockOffset(Duration.ZERO);
        }
        inDoubt.passes();
        post().then().statusCode(201);
        assertEquals(1, meetingsOfTopic());
    }

    /** Passing failures of attempt 1: each leaves the key retryable, and the retry makes exactly one meeting. */
    enum PassingFailure {
        ZOOM_502(502), ZOOM_503(502), ZOOM_504(502), FRESH_TOKEN_REFUSED(502), DAILY_LIMIT(429), TOKEN_REFRESH_BUSY(503);

        final int answered;

        PassingFailure(int answered) {
            this.answered = answered;
        }
    }

    @ParameterizedTest
    @EnumSource(PassingFailure.class)
    void onlyFinalAnswersAreStored(PassingFailure failure) {
        switch (failure) {
            case ZOOM_502 -> zoom.failNext("POST", CREATE, 1, 502, Map.of(), "{\"code\":502,\"message\":\"Bad gateway\"}");
            case ZOOM_503 -> zoom.failNext("POST", CREATE, 1, 503, Map.of(), "{\"code\":503,\"message\":\"Service unavailable\"}");
            case ZOOM_504 -> zoom.failNext("POST", CREATE, 1, 504, Map.of(), "{\"code\":504,\"message\":\"Gateway timeout\"}");
            case FRESH_TOKEN_REFUSED -> zoom.failNext("POST", CREATE, 2, 401, Map.of(), "{\"code\":124,\"message\":\"Invalid access token.\"}");
            case DAILY_LIMIT -> zoom.failNext("POST", CREATE, 1, 429, Map.of(),
                    "{\"code\":429,\"message\":\"You have exceeded the daily rate limit (100) of Meeting Create/Update API requests\"}");
            case TOKEN_REFRESH_BUSY -> bringAbout(LookUpFailure.TOKEN_REFRESH_BUSY);
        }
        post().then().statusCode(failure.answered);
        assertTrue(requests.read(key).map(r -> r.status() != RequestStatus.FAILED).orElse(true), "not stored as final");
        if (failure == PassingFailure.TOKEN_REFRESH_BUSY) {
            undo(LookUpFailure.TOKEN_REFRESH_BUSY);
        }
        inDoubt.passes(); // Zoom's 5xx may have done it: in doubt until then; the others sent nothing

        post().then().statusCode(201).header("Idempotent-Replayed", (String) null);
        assertEquals(1, meetingsOfTopic());
        post().then().statusCode(201).header("Idempotent-Replayed", "true");
    }

    @Test
    void zoomsVerdictOnTheRequestIsStoredAndReplayed() {
        zoom.failNext("POST", CREATE, 1, 400, Map.of(), "{\"code\":300,\"message\":\"Invalid field.\"}");
        post().then().statusCode(400).body("code", equalTo(300));
        post().then().statusCode(400).body("code", equalTo(300));
        assertEquals("failed", outcome().path("status").asText());
        assertEquals(0, meetingsOfTopic());
    }

    @Test
    void anAttemptThatLostZoomsAnswerIsInDoubtThenAbandonedNeverInProgress() {
        zoom.loseAnswerNext("POST", CREATE, 1);
        Instant before = Instant.now();
        Response lost = post();
        lost.then().statusCode(502);

        assertTrue(Long.parseLong(lost.header("Retry-After")) > settings.inDoubt().toSeconds(), "retry once it is no longer in doubt");
        assertEquals("in_doubt", outcome().path("status").asText());
        post().then().statusCode(409).body("type", equalTo("/problems/request-in-progress"));
        inDoubt.passes();
        JsonNode record = outcome();
        assertEquals("abandoned", record.path("status").asText(), record.toString());
        assertEquals(1, record.path("attempts").asInt());
        Instant began = Instant.parse(record.path("startedAt").asText());
        assertTrue(!began.isBefore(before.minusMillis(1)) && !began.isAfter(Instant.now()), began.toString());
    }

    @Test
    void aDeleteWhoseAnswerWasLostAndWhoseRetryGets404HasSucceeded() {
        long id = createWithoutKey();
        zoom.loseAnswerNext("DELETE", "/v2/meetings/" + id, 1);

        given().header("X-Zoom-Connection", connection.id()).delete("/meetings/" + id).then().statusCode(204);
        assertNull(zoom.meeting(id));
        assertEquals(2, zoom.apiRequests().stream().filter(r -> r.method().equals("DELETE") && r.path().endsWith("/" + id)).count(),
                "the lost one and its retry");
    }

    @Test
    void aQueuedDeleteWhoseAnswerWasLostIsDoneOnRedelivery() throws Exception {
        long id = createWithoutKey();
        zoom.loseAnswerNext("DELETE", "/v2/meetings/" + id, 1);
        zoom.dropNext("DELETE", "/v2/meetings/" + id, 2);
        String delete = "{\"action\":\"delete\",\"idempotencyKey\":\"" + key + "\",\"connectionId\":\"" + connection.id() + "\",\"meetingId\":" + id + "}";

        assertEquals(List.of("d1"), failedIds(batch(new SqsEvents.Message("d1", delete))), "its outcome is unknown: delivered again");
        assertNull(zoom.meeting(id), "the first try deleted it");
        inDoubt.passes();
        assertEquals(List.of(), failedIds(batch(new SqsEvents.Message("d1", delete, 2))));

        JsonNode record = outcome();
        assertEquals("completed", record.path("status").asText(), "done, not failed with Zoom's 404: " + record);
        assertEquals(List.of(), failedIds(batch(new SqsEvents.Message("d1", delete, 3))));
    }

    @Test
    void aDeleteWhoseAnswerWasLostAndWhoseRetryIsRateLimitedStaysToBeReconciled() throws Exception {
        long id = createWithoutKey();
        zoom.loseAnswerNext("DELETE", "/v2/meetings/" + id, 1);
        zoom.failNext("DELETE", "/v2/meetings/" + id, 1, 429, Map.of("Retry-After", "120"), "{\"code\":429,\"message\":\"Too many requests.\"}");
        String delete = "{\"action\":\"delete\",\"idempotencyKey\":\"" + key + "\",\"connectionId\":\"" + connection.id() + "\",\"meetingId\":" + id + "}";

        assertEquals(List.of("d2"), failedIds(batch(new SqsEvents.Message("d2", delete))));
        assertEquals("in_doubt", outcome().path("status").asText(), "the 429 says nothing of the lost try: kept");
        inDoubt.passes();
        assertEquals(List.of(), failedIds(batch(new SqsEvents.Message("d2", delete, 2))));
        assertEquals("completed", outcome().path("status").asText());
    }

    @Test
    void aQueuedUpdateThatZoomAppliedIsNotAppliedAgain() throws Exception {
        long id = createWithoutKey();
        zoom.loseAnswerNext("PATCH", "/v2/meetings/" + id, 1);
        zoom.dropNext("PATCH", "/v2/meetings/" + id, 2);
        String update = "{\"action\":\"update\",\"idempotencyKey\":\"" + key + "\",\"connectionId\":\"" + connection.id() + "\",\"meetingId\":\""
                + id + "\",\"meeting\":{\"start_time\":\"2026-12-15T19:30:00\",\"timezone\":\"Asia/Tokyo\",\"duration\":50,"
                + "\"settings\":{\"waiting_room\":true}}}";

        assertEquals(List.of("u1"), failedIds(batch(new SqsEvents.Message("u1", update))));
        assertEquals("2026-12-15T10:30:00Z", zoom.meeting(id).get("start_time").asText(), "the first try applied it");
        long patches = patchesOf(id);
        inDoubt.passes();
        assertEquals(List.of(), failedIds(batch(new SqsEvents.Message("u1", update, 2))));

        assertEquals(patches, patchesOf(id), "told applied by reading the meeting: no second PATCH");
        assertEquals("completed", outcome().path("status").asText());
    }

    @Test
    void aQueuedUpdateThatNeverReachedZoomIsSentOnRedelivery() throws Exception {
        long id = createWithoutKey();
        zoom.dropNext("PATCH", "/v2/meetings/" + id, 3);
        String update = "{\"action\":\"update\",\"idempotencyKey\":\"" + key + "\",\"connectionId\":\"" + connection.id() + "\",\"meetingId\":\""
                + id + "\",\"meeting\":{\"duration\":50,\"settings\":{\"waiting_room\":true}}}";

        assertEquals(List.of("u2"), failedIds(batch(new SqsEvents.Message("u2", update))));
        assertEquals(45, zoom.meeting(id).get("duration").asInt(), "not applied");
        long patches = patchesOf(id);
        inDoubt.passes(); // a dropped connection: Zoom may have got it, as far as the function can tell
        assertEquals(List.of(), failedIds(batch(new SqsEvents.Message("u2", update, 2))));

        assertEquals(patches + 1, patchesOf(id), "the meeting did not show it: sent again");
        assertEquals(50, zoom.meeting(id).get("duration").asInt());
        assertTrue(zoom.meeting(id).get("settings").get("waiting_room").asBoolean());
    }

    @Test
    void aQueuedCreateThroughLostAnswerAndFailedLookUpMakesOneMeeting() throws Exception {
        String message = "{\"action\":\"create\",\"idempotencyKey\":\"" + key + "\",\"connectionId\":\"" + connection.id()
                + "\",\"userId\":\"me\",\"meeting\":" + meeting() + "}";
        zoom.loseAnswerNext("POST", CREATE, 1);
        assertEquals(List.of("c1"), failedIds(batch(new SqsEvents.Message("c1", message))));
        inDoubt.passes();
        zoom.failNext("GET", CREATE, 1, 429, Map.of("Retry-After", "120"), "{\"code\":429,\"message\":\"Too many requests.\"}");
        assertEquals(List.of("c1"), failedIds(batch(new SqsEvents.Message("c1", message, 2))));
        assertEquals(List.of(), failedIds(batch(new SqsEvents.Message("c1", message, 3))));

        assertEquals(1, meetingsOfTopic());
        Response overHttp = post();
        overHttp.then().statusCode(201).header("Idempotent-Replayed", "true");
        assertEquals(zoomMeetingOfTopic().path("id").asLong(), overHttp.jsonPath().getLong("id"), "the same key over HTTP: the same request");
    }

    @Test
    void anHttpAttemptWhoseAnswerWasLostIsAdoptedByTheQueuedRequestOfTheSameKey() throws Exception {
        zoom.loseAnswerNext("POST", CREATE, 1);
        post().then().statusCode(502);
        inDoubt.passes();
        String message = "{\"action\":\"create\",\"idempotencyKey\":\"" + key + "\",\"connectionId\":\"" + connection.id()
                + "\",\"userId\":\"me\",\"meeting\":" + meeting() + "}";

        assertEquals(List.of(), failedIds(batch(new SqsEvents.Message("h1", message))));
        assertEquals(1, meetingsOfTopic());
        assertEquals(zoomMeetingOfTopic().path("id").asLong(), outcome().path("meeting").path("id").asLong());
    }

    @Test
    void attemptsOnTwoInstancesInTurnMakeOneMeeting() throws Exception {
        MeetingScheduler other = schedulerWithClock(clock);
        zoom.loseAnswerNext("POST", CREATE, 1);
        post().then().statusCode(502);
        inDoubt.passes();
        zoom.failNext("GET", CREATE, 1, 429, Map.of("Retry-After", "120"), "{\"code\":429,\"message\":\"Too many requests.\"}");
        assertThrows(ProblemException.class, () -> other.schedule(key, createCommand(), Refusals.LEAVE_NO_TRACE, Instant.now().plusSeconds(20)));
        post().then().statusCode(201);
        assertEquals(1, meetingsOfTopic());
    }

    @Test
    void aRecordWrittenWhoseAnswerWasLostIsFoundOwnByTheSdksRetry() {
        ZoomAndAws.dynamo().loseAnswerNextMatching("PutItem", key, 1);

        post().then().statusCode(201).header("Idempotent-Replayed", (String) null);
        assertEquals(1, meetingsOfTopic());
        assertEquals("completed", outcome().path("status").asText());
    }

    @Test
    void badInputWritesNoRecord() {
        given().header("X-Zoom-Connection", connection.id()).header("Idempotency-Key", key).contentType("application/json")
                .body("{\"topic\":\"" + topic + "\",\"type\":2,\"duration\":-5}").post("/meetings")
                .then().statusCode(400).contentType("application/problem+json");
        given().header("X-Zoom-Connection", connection.id()).header("Idempotency-Key", key).contentType("text/plain").body("x")
                .post("/meetings").then().statusCode(415).contentType("application/problem+json");
        assertTrue(requests.read(key).isEmpty());
    }

    private void bringAbout(LookUpFailure failure) {
        switch (failure) {
            case RATE_LIMITED_FOR_LONG -> zoom.failNext("GET", CREATE, 1, 429, Map.of("Retry-After", "120"),
                    "{\"code\":429,\"message\":\"Too many requests.\"}");
            case ZOOM_5XX -> zoom.failNext("GET", CREATE, 3, 503, Map.of(), "{\"code\":503,\"message\":\"Service unavailable\"}");
            case TOKEN_REFRESH_BUSY -> {
                table.seedExpired(connection.id(), connection.grant());
                table.leaveLease(connection.id(), "another-instance", System.currentTimeMillis() + 120_000);
                tokens.forget(connection.id());
            }
            case REAUTHORIZATION_REQUIRED -> {
                table.setStatus(connection.id(), "reauthorization_required");
                tokens.forget(connection.id());
            }
        }
    }

    private void undo(LookUpFailure failure) {
        if (failure == LookUpFailure.TOKEN_REFRESH_BUSY || failure == LookUpFailure.REAUTHORIZATION_REQUIRED) {
            table.seed(connection.id(), connection.grant());
            tokens.forget(connection.id());
        }
    }

    private String meeting() {
        return "{\"topic\":\"" + topic + "\",\"type\":2,\"start_time\":\"2026-12-10T09:00:00\",\"timezone\":\"Asia/Tokyo\",\"duration\":45}";
    }

    private MeetingCommand createCommand() throws Exception {
        return MeetingCommand.create(connection.id(), "me", json.readTree(meeting()), meeting().getBytes(StandardCharsets.UTF_8));
    }

    /** Another instance of the function: its own request store client and clock, sharing the table and Zoom. */
    private MeetingScheduler schedulerWithClock(Clock clock) {
        RequestStore own = new DynamoDbRequestStore(MotoServer.clientOf(ZoomAndAws.dynamo().endpoint()), settings);
        return new MeetingScheduler(meetings, new Idempotency(own, clock, settings, new Outbox(outcomes, own, clock), new Backoff(clock)), recovery, json);
    }

    private Response post() {
        return given().header("X-Zoom-Connection", connection.id()).header("Idempotency-Key", key)
                .contentType("application/json").body(meeting()).post("/meetings");
    }

    private long createWithoutKey() {
        return given().header("X-Zoom-Connection", connection.id()).contentType("application/json").body(meeting())
                .post("/meetings").then().statusCode(201).extract().jsonPath().getLong("id");
    }

    private JsonNode outcome() {
        try {
            return json.readTree(given().get("/requests/" + key).then().statusCode(200).extract().asString());
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private long meetingsOfTopic() {
        return zoom.meetings().stream().filter(m -> topic.equals(m.path("topic").asText())).count();
    }

    private JsonNode zoomMeetingOfTopic() {
        return zoom.meetings().stream().filter(m -> topic.equals(m.path("topic").asText())).findFirst().orElseThrow();
    }

    private long patchesOf(long id) {
        return zoom.apiRequests().stream().filter(r -> r.method().equals("PATCH") && r.path().endsWith("/" + id)).count();
    }

    private JsonNode batch(SqsEvents.Message message) throws Exception {
        return json.readTree(given().body(SqsEvents.batch(List.of(message))).post("/_lambda_").then().statusCode(200).extract().asString());
    }

    private static List<String> failedIds(JsonNode response) {
        assertTrue(response.has("batchItemFailures"), response.toString());
        return response.get("batchItemFailures").findValuesAsText("itemIdentifier");
    }
}
