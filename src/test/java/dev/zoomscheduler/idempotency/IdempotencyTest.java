package dev.zoomscheduler.idempotency;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

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
import dev.zoomscheduler.problems.ProblemType;
import dev.zoomscheduler.testing.AuthorizedConnection;
import dev.zoomscheduler.testing.AwsApiProxy;
import dev.zoomscheduler.testing.InDoubtPeriod;
import dev.zoomscheduler.testing.MotoServer;
import dev.zoomscheduler.testing.ZoomAndAws;
import dev.zoomscheduler.testing.zoom.ZoomFake;
import dev.zoomscheduler.time.Backoff;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/** Idempotency-Key on HTTP, against moto_server and the Zoom fake: repeats, reuse, concurrency, crashes, lost answers. */
@QuarkusTest
@QuarkusTestResource(ZoomAndAws.class)
class IdempotencyTest {

    static final String MEETING = "{\"topic\":\"Onboarding\",\"type\":2,\"start_time\":\"2026-12-10T09:00:00\",\"timezone\":\"Asia/Tokyo\",\"duration\":45}";

    @Inject
    InDoubtPeriod inDoubt;
    @Inject
    Meetings meetings;
    @Inject
    MeetingRecovery recovery;
    @Inject
    MeetingScheduler scheduler;
    @Inject
    IdempotencySettings settings;
    @Inject
    RequestStore requests;
    @Inject
    OutcomeBus outcomes;

    final ZoomFake zoom = ZoomAndAws.zoom();
    final AwsApiProxy dynamo = ZoomAndAws.dynamo();
    final ObjectMapper json = new ObjectMapper();
    final AuthorizedConnection connection = AuthorizedConnection.seed("idem");
    final String key = "booking-" + UUID.randomUUID();

    @Test
    void aRepeatGetsTheFirstAnswerAndCreatesNoSecondMeeting() {
        int before = zoom.meetingCount();
        Response first = post(key, MEETING);
        first.then().statusCode(201).header("Idempotent-Replayed", (String) null);
        Response repeat = post(key, MEETING.replace("\"duration\":45", "\"duration\": 45 "));

        repeat.then().statusCode(201).header("Idempotent-Replayed", "true");
        assertEquals(first.jsonPath().getLong("id"), repeat.jsonPath().getLong("id"));
        assertEquals(first.body().asString(), repeat.body().asString());
        assertEquals(before + 1, zoom.meetingCount());

        given().get("/requests/" + key).then().statusCode(200).contentType("application/json")
                .body("status", equalTo("completed")).body("operation", equalTo("create"))
                .body("meeting.id", equalTo(first.jsonPath().getLong("id"))).body("meeting.join_url", notNullValue())
                .body("meeting.start_time", equalTo("2026-12-10T00:00:00Z"));
    }

    @Test
    void theSameKeyForAnotherRequestIsRefused() {
        post(key, MEETING).then().statusCode(201);
        int calls = zoom.apiCallCount();

        post(key, MEETING.replace("Onboarding", "Offboarding")).then().statusCode(422).contentType("application/problem+json")
                .body("type", equalTo("/problems/idempotency-key-reused"));
        assertEquals(calls, zoom.apiCallCount());
    }

    @Test
    void aRefusalByZoomIsStoredAndRepeatedWhileAFailureBeforeZoomIsNot() {
        zoom.failNext("POST", "/v2/users/me/meetings", 1, 400, java.util.Map.of(), "{\"code\":300,\"message\":\"Invalid field.\"}");
        post(key, MEETING).then().statusCode(400).body("code", equalTo(300));
        post(key, MEETING).then().statusCode(400).body("code", equalTo(300));
        given().get("/requests/" + key).then().statusCode(200).body("status", equalTo("failed")).body("error.code", equalTo(300));

        String other = "other-" + key;
        zoom.failNext("POST", "/v2/users/me/meetings", 1, 429, java.util.Map.of("Retry-After", "30"), "{\"code\":429,\"message\":\"Too many\"}");
        post(other, MEETING).then().statusCode(429);
        given().get("/requests/" + other).then().statusCode(404).contentType("application/problem+json");
        post(other, MEETING).then().statusCode(201);
    }

    @Test
    void fiveAtOnceAcrossTwoInstancesMakeOneMeeting() throws Exception {
        List<MeetingScheduler> instances = List.of(scheduler, independentScheduler());
        MeetingCommand command = MeetingCommand.create(connection.id(), "me", json.readTree(MEETING), MEETING.getBytes(StandardCharsets.UTF_8));
        int before = zoom.meetingCount();
        ExecutorService pool = Executors.newFixedThreadPool(5);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<String>> answers = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            MeetingScheduler instance = instances.get(i % 2);
            answers.add(pool.submit(() -> {
                start.await();
                try {
                    return instance.schedule(key, command, Refusals.LEAVE_NO_TRACE, Instant.now().plusSeconds(30)).reply().body();
                } catch (ProblemException inProgress) {
                    return inProgress.type().name();
                }
            }));
        }
        start.countDown();
        Set<String> distinct = new HashSet<>();
        for (Future<String> answer : answers) {
            distinct.add(answer.get());
        }
        pool.shutdown();

        assertEquals(before + 1, zoom.meetingCount(), "one meeting");
        assertEquals(1, distinct.size(), "all five got the same meeting: " + distinct);
    }

    @Test
    void aRetryAfterAKilledAttemptAdoptsTheMeetingItMade() throws Exception {
        long madeBeforeTheCrash = given().header("X-Zoom-Connection", connection.id()).contentType("application/json").body(MEETING)
                .post("/meetings").then().statusCode(201).extract().jsonPath().getLong("id");
        MeetingCommand command = MeetingCommand.create(connection.id(), "me", json.readTree(MEETING), MEETING.getBytes(StandardCharsets.UTF_8));
        long now = System.currentTimeMillis();
        // killed long enough ago that whatever it began at Zoom has landed: no in-doubt period left
        RequestRecord leftBehind = RequestRecord.firstAttempt(key, command.describe(), "killed-attempt", now - 10_000, now - 1_000, 0,
                now / 1000 + 3600);
        assertTrue(requests.begin(leftBehind, now - 10_000).began());
        int before = zoom.meetingCount();

        // the crashed attempt said nothing of having sent it: an identical request of another key may own what Zoom shows
        post(key, MEETING).then().statusCode(409).body("type", equalTo("/problems/request-in-progress"));
        inDoubt.passes();
        Response retry = post(key, MEETING);

        retry.then().statusCode(201);
        assertEquals(madeBeforeTheCrash, retry.jsonPath().getLong("id"));
        assertEquals(before, zoom.meetingCount(), "adopted, not created again");
    }

    @Test
    void aCreateWhoseAnswerWasLostIsAdoptedByItsRetry() {
        zoom.loseAnswerNext("POST", "/v2/users/me/meetings", 1);
        int before = zoom.meetingCount();

        post(key, MEETING).then().statusCode(502).body("type", equalTo("/problems/zoom-unavailable"));
        assertEquals(before + 1, zoom.meetingCount(), "Zoom made it; its answer was lost");
        given().get("/requests/" + key).then().statusCode(200).body("status", equalTo("in_doubt")).body("attempts", equalTo(1));
        inDoubt.passes();
        given().get("/requests/" + key).then().statusCode(200).body("status", equalTo("abandoned"));

        Response retry = post(key, MEETING);
        retry.then().statusCode(201);
        assertEquals(before + 1, zoom.meetingCount());
        JsonNode made = zoom.meetings().get(zoom.meetings().size() - 1);
        assertEquals(made.get("id").asLong(), retry.jsonPath().getLong("id"));
    }

    @Test
    void badKeysAreRefused() {
        post("has space", MEETING).then().statusCode(400).body("errors[0].field", equalTo("Idempotency-Key"));
        post("x".repeat(256), MEETING).then().statusCode(400).body("errors[0].field", equalTo("Idempotency-Key"));
        given().get("/requests/" + "x".repeat(256)).then().statusCode(400);
        given().get("/requests/never-used-" + UUID.randomUUID()).then().statusCode(404).body("type", equalTo("/problems/request-not-found"));
    }

    @Test
    void aRepeatWaitingForTheSameRequestAnswersWithTimeLeftInItsInvocation() throws Exception {
        MeetingCommand command = MeetingCommand.create(connection.id(), "me", json.readTree(MEETING), MEETING.getBytes(StandardCharsets.UTF_8));
        long now = System.currentTimeMillis();
        // another attempt of the key is running, its invocation far from over
        assertTrue(requests.begin(RequestRecord.firstAttempt(key, command.describe(), "running", now, now + 60_000, 0, now / 1000 + 3600),
                now).began());
        Instant deadline = Instant.now().plusMillis(2500); // an SQS batch near its end, say

        ProblemException busy = assertThrows(ProblemException.class,
                () -> scheduler.schedule(key, command, Refusals.END_THE_REQUEST, deadline));

        assertEquals(ProblemType.REQUEST_IN_PROGRESS, busy.type());
        assertTrue(Instant.now().isBefore(deadline.minusMillis(500)), "answered with time to spare, not at the deadline");
    }

    private Response post(String idempotencyKey, String body) {
        return given().header("X-Zoom-Connection", connection.id()).header("Idempotency-Key", idempotencyKey)
                .contentType("application/json").body(body).post("/meetings");
    }

    /** A second "instance": its own DynamoDB client and request store, sharing only the table and Zoom. */
    private MeetingScheduler independentScheduler() {
        DynamoDbClient client = MotoServer.clientOf(dynamo.endpoint());
        DynamoDbRequestStore store = new DynamoDbRequestStore(client, settings);
        Idempotency idempotency = new Idempotency(store, Clock.systemUTC(), settings,
                new Outbox(outcomes, store, Clock.systemUTC()), new Backoff(Clock.systemUTC()));
        return new MeetingScheduler(meetings, idempotency, recovery, json);
    }
}
