package dev.zoomscheduler.zoom;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.zoomscheduler.meetings.Meetings;
import dev.zoomscheduler.problems.ProblemException;
import dev.zoomscheduler.problems.ProblemType;
import dev.zoomscheduler.testing.AuthorizedConnection;
import dev.zoomscheduler.testing.MotoServer;
import dev.zoomscheduler.testing.SqsEvents;
import dev.zoomscheduler.testing.ZoomAndAws;
import dev.zoomscheduler.testing.zoom.ZoomFake;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.specification.RequestSpecification;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;

/** Zoom misbehaving: rate limits in both Retry-After forms, the daily limit, 5xx, slow answers, dropped connections. */
@QuarkusTest
@QuarkusTestResource(ZoomAndAws.class)
class ZoomFaultsTest {

    static final String CREATE = "/v2/users/me/meetings";
    static final String TOO_MANY = "{\"code\":429,\"message\":\"You have reached the maximum per-second rate limit for this API.\"}";
    static final String DAILY = "{\"code\":429,\"message\":\"You have exceeded the daily rate limit (100) of Meeting Create/Update API"
            + " requests permitted for this particular user. You may resume these requests at GMT 00:00:00.\"}";
    static final String MEETING = "{\"topic\":\"Faults\",\"type\":2,\"start_time\":\"2026-12-14T10:00:00Z\",\"duration\":30}";

    @Inject
    Meetings meetings;

    final ZoomFake zoom = ZoomAndAws.zoom();
    final AuthorizedConnection connection = AuthorizedConnection.seed("faults");
    long meetingId;
    String meetingPath;

    @BeforeEach
    void createMeeting() {
        meetingId = as().contentType("application/json").body(MEETING).post("/meetings").then().statusCode(201)
                .extract().jsonPath().getLong("id");
        meetingPath = "/v2/meetings/" + meetingId;
    }

    @Test
    void aPerSecondRateLimitIsWaitedOutInBothRetryAfterForms() {
        zoom.failNext("GET", meetingPath, 1, 429, Map.of("Retry-After", "1"), TOO_MANY);
        int calls = zoom.apiCallCount();
        long started = System.nanoTime();
        as().get("/meetings/" + meetingId).then().statusCode(200);
        assertEquals(2, zoom.apiCallCount() - calls);
        assertTrue(Duration.ofNanos(System.nanoTime() - started).toMillis() >= 900, "waited Zoom's Retry-After");

        String inOneSecond = DateTimeFormatter.RFC_1123_DATE_TIME.format(ZonedDateTime.now(ZoneOffset.UTC).plusSeconds(1));
        zoom.failNext("GET", meetingPath, 1, 429, Map.of("Retry-After", inOneSecond), TOO_MANY);
        as().get("/meetings/" + meetingId).then().statusCode(200);

        zoom.failNext("POST", CREATE, 1, 429, Map.of(), TOO_MANY);
        int meetingsBefore = zoom.meetingCount();
        as().contentType("application/json").body(MEETING).post("/meetings").then().statusCode(201);
        assertEquals(meetingsBefore + 1, zoom.meetingCount(), "a refused create is safe to send again: Zoom did nothing");
    }

    @Test
    void aLongRetryAfterAndPersistentLimitsAreAnsweredNotWaited() {
        zoom.failNext("GET", meetingPath, 1, 429, Map.of("Retry-After", "30"), TOO_MANY);
        as().get("/meetings/" + meetingId).then().statusCode(429).header("Retry-After", "30");

        zoom.failNext("GET", meetingPath, 3, 429, Map.of(), TOO_MANY);
        int calls = zoom.apiCallCount();
        as().get("/meetings/" + meetingId).then().statusCode(429).header("Retry-After", "1");
        assertEquals(3, zoom.apiCallCount() - calls, "ZOOM_MAX_ATTEMPTS attempts, no more");
    }

    @Test
    void theDailyLimitIsNeverRetriedAndPointsAtMidnight() {
        zoom.failNext("POST", CREATE, 1, 429, Map.of(), DAILY);
        int calls = zoom.apiCallCount();
        String wait = as().contentType("application/json").body(MEETING).post("/meetings").then().statusCode(429)
                .body("type", equalTo("/problems/zoom-daily-limit")).extract().header("Retry-After");
        assertEquals(1, zoom.apiCallCount() - calls);
        long untilMidnight = Duration.between(Instant.now(), Instant.now().atZone(ZoneOffset.UTC).toLocalDate().plusDays(1)
                .atStartOfDay(ZoneOffset.UTC)).toSeconds();
        assertTrue(Math.abs(Long.parseLong(wait) - untilMidnight) <= 5, wait + " vs " + untilMidnight);
    }

    @Test
    void theDailyLimitWithoutAnyHeaderIsRecognisedByItsMessageInEveryWordingSeenAndAPerSecondLimitIsNot() {
        // Zoom's body says "code": 429 for the per-second limit too: its message is what tells the daily limit apart
        for (String message : List.of("A maximum of 100 meetings can be created/updated for a single user in one day.",
                "Reached the maximum daily rate limit for this API. Retry at 00:00 UTC.")) {
            zoom.failNext("PATCH", meetingPath, 1, 429, Map.of(), "{\"code\":429,\"message\":\"" + message + "\"}");
            int calls = zoom.apiCallCount();
            as().contentType("application/json").body("{\"duration\":50}").patch("/meetings/" + meetingId).then().statusCode(429)
                    .body("type", equalTo("/problems/zoom-daily-limit")).body("code", equalTo(429));
            assertEquals(1, zoom.apiCallCount() - calls, message + ": never retried");
        }
        zoom.failNext("PATCH", meetingPath, 1, 429, Map.of(), "{\"code\":429,\"message\":\"You have reached the maximum per-second rate limit for this API. Try again later.\"}");
        as().contentType("application/json").body("{\"duration\":50}").patch("/meetings/" + meetingId).then().statusCode(204);
        assertEquals(50, zoom.meeting(meetingId).get("duration").asInt(), "the per-second limit is retried, and passes");
    }

    @Test
    void theDailyLimitIsAlsoRecognisedByItsRateLimitTypeHeader() {
        zoom.failNext("POST", CREATE, 1, 429, Map.of("X-RateLimit-Type", "Daily-limit", "Retry-After", "1"),
                "{\"code\":429,\"message\":\"Too many requests. Please try again later.\"}");
        int calls = zoom.apiCallCount();
        String wait = as().contentType("application/json").body(MEETING).post("/meetings").then().statusCode(429)
                .body("type", equalTo("/problems/zoom-daily-limit")).extract().header("Retry-After");
        assertEquals(1, zoom.apiCallCount() - calls, "not retried after its Retry-After of 1 s");
        assertTrue(Long.parseLong(wait) > 1 || Instant.now().atZone(ZoneOffset.UTC).getHour() == 23, "until midnight: " + wait);
    }

    @Test
    void serverErrorsAreRetriedForReadsUpdatesAndDeletesButNotForCreates() {
        zoom.failNext("GET", meetingPath, 1, 500, Map.of(), "{\"code\":500,\"message\":\"Internal error\"}");
        as().get("/meetings/" + meetingId).then().statusCode(200);
        zoom.failNext("PATCH", meetingPath, 2, 503, Map.of(), "");
        as().contentType("application/json").body("{\"duration\":60}").patch("/meetings/" + meetingId).then().statusCode(204);
        assertEquals(60, zoom.meeting(meetingId).get("duration").asInt());

        zoom.failNext("POST", CREATE, 1, 503, Map.of(), "{\"code\":503,\"message\":\"Service unavailable\"}");
        int calls = zoom.apiCallCount();
        as().contentType("application/json").body(MEETING).post("/meetings").then().statusCode(502).body("code", equalTo(503));
        assertEquals(1, zoom.apiCallCount() - calls, "no blind second POST");

        zoom.failNext("DELETE", meetingPath, 1, 502, Map.of(), "<html>Bad gateway</html>");
        as().delete("/meetings/" + meetingId).then().statusCode(204);
    }

    @Test
    void slowAnswersAndDroppedConnectionsAreRetriedWhereSafe() {
        zoom.delayNext("GET", meetingPath, 1, Duration.ofSeconds(3));
        as().get("/meetings/" + meetingId).then().statusCode(200);
        zoom.dropNext("GET", meetingPath, 1);
        as().get("/meetings/" + meetingId).then().statusCode(200);

        zoom.dropNext("POST", CREATE, 1);
        int calls = zoom.apiCallCount();
        as().contentType("application/json").body(MEETING).post("/meetings").then().statusCode(502)
                .body("type", equalTo("/problems/zoom-unavailable"));
        zoom.delayNext("POST", CREATE, 1, Duration.ofSeconds(3));
        as().contentType("application/json").body(MEETING).post("/meetings").then().statusCode(504)
                .body("type", equalTo("/problems/zoom-timeout"));
        assertEquals(2, zoom.apiCallCount() - calls, "one attempt each");
    }

    @Test
    void noCallOutlivesTheInvocationsDeadline() {
        zoom.delayNext("GET", meetingPath, 1, Duration.ofSeconds(5));
        long started = System.nanoTime();
        ProblemException timeout = assertThrows(ProblemException.class,
                () -> meetings.get(connection.id(), Long.toString(meetingId), null, null, Instant.now().plusMillis(2500)));
        long took = Duration.ofNanos(System.nanoTime() - started).toMillis();
        assertEquals(ProblemType.ZOOM_TIMEOUT, timeout.type());
        assertTrue(took < 2000, "answered before the deadline less its margin: " + took + " ms");
    }

    @Test
    void aQueuedRequestAtTheDailyLimitIsHeldBackUntilAfterMidnight() throws Exception {
        try (SqsClient sqs = SqsClient.builder().endpointOverride(java.net.URI.create(MotoServer.shared().endpoint()))
                .httpClient(UrlConnectionHttpClient.create()).build()) {
            String queueName = "held-" + UUID.randomUUID();
            String queueUrl = sqs.createQueue(r -> r.queueName(queueName)).queueUrl();
            String arn = sqs.getQueueAttributes(r -> r.queueUrl(queueUrl).attributeNamesWithStrings("QueueArn")).attributesAsStrings()
                    .get("QueueArn");
            String request = "{\"action\":\"create\",\"idempotencyKey\":\"daily-" + UUID.randomUUID() + "\",\"connectionId\":\"" + connection.id()
                    + "\",\"meeting\":" + MEETING + "}";
            sqs.sendMessage(r -> r.queueUrl(queueUrl).messageBody(request));
            Message received = sqs.receiveMessage(r -> r.queueUrl(queueUrl).visibilityTimeout(1).waitTimeSeconds(2)
                    .messageSystemAttributeNamesWithStrings("All")).messages().get(0);
            zoom.failNext("POST", CREATE, 1, 429, Map.of(), DAILY);

            String event = SqsEvents.received(List.of(received), arn);
            String answer = given().body(event).post("/_lambda_").then().statusCode(200).extract().asString();

            assertEquals(received.messageId(), new ObjectMapper().readTree(answer).get("batchItemFailures").get(0).get("itemIdentifier").asText());
            // a long poll that lasts past the end of the 1 s visibility it was received with: had it not been held back, it
            // would be received again within it
            assertEquals(List.of(), sqs.receiveMessage(r -> r.queueUrl(queueUrl).waitTimeSeconds(2)).messages(),
                    "still hidden: held back until after 00:00 UTC, not retried into the dead-letter queue");
        }
    }

    private RequestSpecification as() {
        return given().header("X-Zoom-Connection", connection.id());
    }
}
