package dev.zoomscheduler.packaged;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.zoomscheduler.testing.Await;
import dev.zoomscheduler.testing.AwsApiProxy;
import dev.zoomscheduler.testing.FunctionEnvironment;
import dev.zoomscheduler.testing.FunctionProcess;
import dev.zoomscheduler.testing.HttpApiEvents;
import dev.zoomscheduler.testing.LambdaRuntimeEmulator;
import dev.zoomscheduler.testing.LocalHttpApi;
import dev.zoomscheduler.testing.MotoServer;
import dev.zoomscheduler.testing.OutcomeEventBus;
import dev.zoomscheduler.testing.SqsEvents;
import dev.zoomscheduler.testing.TemplateRoutes;
import dev.zoomscheduler.testing.TokenTable;
import dev.zoomscheduler.testing.zoom.ZoomFake;

/**
 * The packaged artifact as Lambda runs it: {@code target/function.zip} under AWS's runtime interface client, polling a
 * Runtime API emulator, fed the sample events of {@code events/} (the ones for {@code sam local invoke}), talking to
 * moto_server and the Zoom fake. Two function processes share one table to prove the refresh protocol across processes.
 */
class FunctionZipIT {

    static final Duration TIMEOUT = Duration.ofSeconds(30);
    static final String SAMPLE_MEETING_ID = "86220627999";
    static final Path TARGET = Path.of(System.getProperty("project.build.directory", "target"));
    static final Path EVENTS = TARGET.getParent().resolve("events");
    /** The sample messages of the queue, one message an event as the template's event source mapping sends them. */
    static final List<String> QUEUED_REQUESTS = List.of("sqs-create-request.json", "sqs-update-request.json", "sqs-delete-request.json");

    static final ObjectMapper JSON = new ObjectMapper();
    static ZoomFake zoom;
    static AwsApiProxy dynamo;
    static LambdaRuntimeEmulator runtime;
    static final List<FunctionProcess> functions = new ArrayList<>();
    static final TokenTable table = TokenTable.shared();
    static OutcomeEventBus outcomes;

    @BeforeAll
    static void start() {
        zoom = ZoomFake.start();
        dynamo = AwsApiProxy.start(MotoServer.shared().endpoint());
        outcomes = new OutcomeEventBus(MotoServer.shared().endpoint()).create();
        runtime = LambdaRuntimeEmulator.start();
        functions.add(FunctionProcess.start(TARGET, runtime.address(), environment().variables(), List.of()));
        functions.add(FunctionProcess.start(TARGET, runtime.address(), environment().variables(), List.of()));
        runtime.awaitPollers(2, Duration.ofSeconds(60));
    }

    @AfterAll
    static void stop() {
        functions.forEach(FunctionProcess::close);
        runtime.close();
        dynamo.close();
        zoom.close();
    }

    static FunctionEnvironment environment() {
        String moto = MotoServer.shared().endpoint();
        return FunctionEnvironment.onTables(dynamo.endpoint()).zoom(zoom).sqs(moto).outcomeEvents(moto)
                .with("IDEMPOTENCY_IN_DOUBT_SECONDS", "1"); // short, so that a test waits out an in-doubt period in seconds
    }

    @AfterEach
    void clearFaults() {
        zoom.clearFaults();
        dynamo.clearFaults();
    }

    @Test
    void theSampleEventsCreateReadRescheduleListAndCancelAMeeting() throws IOException {
        String connection = "samples-http";
        table.seedExpired(connection, zoom.authorize());

        HttpApiEvents.Response created = invoke(sample("http-create-meeting.json", SAMPLE_MEETING_ID, connection));
        assertEquals(201, created.statusCode(), created.body());
        JsonNode meeting = JSON.readTree(created.body());
        String id = meeting.get("id").asText();
        assertFalse(meeting.get("join_url").asText().isEmpty());

        HttpApiEvents.Response read = invoke(sample("http-get-meeting.json", id, connection));
        assertEquals(200, read.statusCode(), read.body());
        assertEquals("Sample Meeting", JSON.readTree(read.body()).get("topic").asText());

        HttpApiEvents.Response rescheduled = invoke(sample("http-reschedule-meeting.json", id, connection));
        assertEquals(204, rescheduled.statusCode(), rescheduled.body());
        assertEquals("2026-12-16T12:00:00Z", zoom.meeting(Long.parseLong(id)).get("start_time").asText());

        HttpApiEvents.Response listed = invoke(sample("http-list-meetings.json", id, connection));
        assertEquals(200, listed.statusCode(), listed.body());
        assertTrue(JSON.readTree(listed.body()).get("meetings").size() >= 1);

        HttpApiEvents.Response deleted = invoke(sample("http-delete-meeting.json", id, connection));
        assertEquals(204, deleted.statusCode(), deleted.body());
        assertEquals(null, zoom.meeting(Long.parseLong(id)));

        HttpApiEvents.Response unknown = invoke(HttpApiEvents.request("GET", "/no/such/route"));
        assertEquals(404, unknown.statusCode());
        assertEquals("application/problem+json", unknown.header("content-type"));
    }

    @Test
    void twoFunctionProcessesRacingOnAnExpiredTokenRefreshItOnce() throws Exception {
        ZoomFake.Grant grant = zoom.authorize();
        table.seedExpired("shared", grant);
        dynamo.resetCounts();
        String event = HttpApiEvents.request("GET", "/meetings?page_size=5", Map.of("x-zoom-connection", "shared"));

        List<CompletableFuture<LambdaRuntimeEmulator.Result>> results = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            results.add(runtime.submit(event, TIMEOUT));
        }
        for (CompletableFuture<LambdaRuntimeEmulator.Result> result : results) {
            HttpApiEvents.Response response = HttpApiEvents.parseResponse(result.get().body());
            assertEquals(200, response.statusCode(), response.body());
        }

        System.out.printf("packaged race: 12 requests, 2 processes -> %d Zoom refresh(es), DynamoDB calls %s%n",
                zoom.refreshCount(grant.chainId()), dynamo.counts());
        assertEquals(1, zoom.refreshCount(grant.chainId()));
        assertEquals(zoom.currentRefreshToken(grant.chainId()), table.string("shared", "refreshToken"));

        dynamo.resetCounts();
        for (int i = 0; i < 6; i++) {
            assertEquals(200, invoke(event).statusCode());
        }
        assertEquals(0, dynamo.total(), "warm invocations make no DynamoDB call");
    }

    @Test
    void theSampleQueueEventsScheduleThroughTheSameFunction() throws IOException {
        String connection = "samples-queue";
        table.seed(connection, zoom.authorize());
        OutcomeEventBus.Subscriber subscriber = outcomes.subscribe(connection);
        HttpApiEvents.Response created = invoke(sample("http-create-meeting.json", SAMPLE_MEETING_ID, connection));
        String id = JSON.readTree(created.body()).get("id").asText();
        int meetings = zoom.meetingCount();

        for (String request : QUEUED_REQUESTS) {
            JsonNode batch = invokeBatch(sample(request, id, connection));
            assertEquals(0, batch.get("batchItemFailures").size(), request + ": " + batch);
        }
        assertEquals(meetings + 1 - 1, zoom.meetingCount(), "booking 42 created, the sample meeting moved and then deleted");
        assertEquals(null, zoom.meeting(Long.parseLong(id)));

        for (String request : QUEUED_REQUESTS) {
            JsonNode again = invokeBatch(sample(request, id, connection));
            assertEquals(0, again.get("batchItemFailures").size(), "a redelivered message replays its stored result: " + again);
        }
        assertEquals(meetings, zoom.meetingCount(), "and creates nothing twice");

        JsonNode envelope = invokeBatch(sample("sqs-eventbridge-booking.json", id, connection));
        assertEquals(0, envelope.get("batchItemFailures").size(), envelope.toString());
        HttpApiEvents.Response outcome = invoke(HttpApiEvents.request("GET", "/requests/booking-43"));
        assertEquals(200, outcome.statusCode(), outcome.body());
        assertEquals("completed", JSON.readTree(outcome.body()).get("status").asText());
        assertEquals("Consultation for booking 43",
                zoom.meeting(JSON.readTree(outcome.body()).get("meeting").get("id").asLong()).get("topic").asText());

        // The keyed requests (every queued one; the HTTP sample has no Idempotency-Key) each announced their outcome once.
        List<JsonNode> events = subscriber.await(4, TIMEOUT);
        subscriber.await(5, Duration.ofSeconds(1));
        Map<String, String> announced = new HashMap<>();
        events.forEach(event -> announced.put(event.at("/detail/idempotencyKey").asText(), event.get("detail-type").asText()));
        assertEquals(Map.of("booking-42", "Meeting Scheduled", "booking-41-moved", "Meeting Updated",
                "booking-40-cancelled", "Meeting Deleted", "booking-43", "Meeting Scheduled"), announced);
        assertEquals(4, subscriber.raw().size(), "one event per outcome: " + subscriber.raw());
        subscriber.raw().forEach(raw -> assertFalse(raw.contains("start_url"), raw));
    }

    @Test
    void theSameIdempotencyKeyFiveTimesAtOnceOnTwoProcessesMakesOneMeeting() throws Exception {
        table.seed("default", zoom.authorize()); // the first use of "default" in this run
        String body = JSON.readTree(Files.readString(EVENTS.resolve("http-create-meeting.json"))).get("body").asText();
        String event = HttpApiEvents.request("POST", "/meetings",
                Map.of("content-type", "application/json", "idempotency-key", "packaged-" + System.nanoTime()), body);
        int meetings = zoom.meetingCount();

        List<CompletableFuture<LambdaRuntimeEmulator.Result>> results = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            results.add(runtime.submit(event, TIMEOUT));
        }
        java.util.Set<String> ids = new java.util.HashSet<>();
        for (CompletableFuture<LambdaRuntimeEmulator.Result> result : results) {
            HttpApiEvents.Response response = HttpApiEvents.parseResponse(result.get().body());
            assertEquals(201, response.statusCode(), response.body());
            ids.add(JSON.readTree(response.body()).get("id").asText());
        }
        assertEquals(1, ids.size());
        assertEquals(meetings + 1, zoom.meetingCount());
    }

    @Test
    void aLostCreateAnswerThenAFailedLookUpOnTwoProcessesMakeOneMeetingOverHttpAndSqs() throws Exception {
        String connection = "packaged-partial";
        table.seed(connection, zoom.authorize());
        String key = "packaged-partial-" + System.nanoTime();
        String topic = "Partial failure " + key;
        String meeting = "{\"topic\":\"" + topic + "\",\"type\":2,\"start_time\":\"2026-12-20T09:00:00Z\",\"duration\":30}";
        String post = HttpApiEvents.request("POST", "/meetings",
                Map.of("content-type", "application/json", "idempotency-key", key, "x-zoom-connection", connection), meeting);
        String message = "{\"action\":\"create\",\"idempotencyKey\":\"" + key + "\",\"connectionId\":\"" + connection
                + "\",\"userId\":\"me\",\"meeting\":" + meeting + "}";
        // Each attempt on a process of its own choosing: one runtime emulator per process.
        Map<String, String> env = environment().variables();
        try (LambdaRuntimeEmulator first = LambdaRuntimeEmulator.start(); LambdaRuntimeEmulator second = LambdaRuntimeEmulator.start();
                FunctionProcess a = FunctionProcess.start(TARGET, first.address(), env, List.of());
                FunctionProcess b = FunctionProcess.start(TARGET, second.address(), env, List.of())) {
            first.awaitPollers(1, Duration.ofSeconds(60));
            second.awaitPollers(1, Duration.ofSeconds(60));

            zoom.loseAnswerNext("POST", "/v2/users/me/meetings", 1);
            assertEquals(502, on(first, post).statusCode(), "process A: Zoom made it, its answer was lost");
            assertEquals(409, on(second, post).statusCode(), "in doubt: nothing is done for the key until Zoom's work can have landed");
            awaitStatus(first, key, "abandoned");
            zoom.failNext("GET", "/v2/users/me/meetings", 1, 429, Map.of("Retry-After", "120"), "{\"code\":429,\"message\":\"Too many requests.\"}");
            HttpApiEvents.Response lookUpFailed = on(second, post);
            assertEquals(429, lookUpFailed.statusCode(), "process B: its look-up was refused: " + lookUpFailed.body());
            assertEquals("120", lookUpFailed.header("retry-after"));
            JsonNode record = JSON.readTree(on(first, HttpApiEvents.request("GET", "/requests/" + key)).body());
            assertEquals("abandoned", record.get("status").asText(), record.toString());
            assertEquals(2, record.get("attempts").asInt());

            LambdaRuntimeEmulator.Result queued = first.invoke(SqsEvents.batch(List.of(new SqsEvents.Message("partial-1", message, 3))), TIMEOUT);
            assertEquals(0, JSON.readTree(queued.body()).get("batchItemFailures").size(), "process A, from SQS: adopted " + queued.body());
            HttpApiEvents.Response replayed = on(second, post);
            assertEquals(201, replayed.statusCode(), replayed.body());
            assertEquals("true", replayed.header("idempotent-replayed"));
        }
        assertEquals(1, zoom.meetings().stream().filter(m -> topic.equals(m.path("topic").asText())).count(), "one meeting for the key");
    }

    /** Asks the function for the key's record until it has {@code status} (the in-doubt period runs in the function's time). */
    private static void awaitStatus(LambdaRuntimeEmulator runtime, String key, String status) {
        Await.until("the record of " + key + " is " + status, Duration.ofSeconds(15), () -> statusOf(runtime, key), status::equals);
    }

    private static String statusOf(LambdaRuntimeEmulator runtime, String key) {
        try {
            return JSON.readTree(on(runtime, HttpApiEvents.request("GET", "/requests/" + key)).body()).path("status").asText();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static HttpApiEvents.Response on(LambdaRuntimeEmulator runtime, String event) {
        LambdaRuntimeEmulator.Result result = runtime.invoke(event, TIMEOUT);
        assertFalse(result.error(), result.body());
        return HttpApiEvents.parseResponse(result.body());
    }

    @Test
    void theInstallFlowConnectsAnAccountThroughThePackagedFunction() throws Exception {
        HttpApiEvents.Response install = invoke(Files.readString(EVENTS.resolve("http-oauth-install.json"))
                .replace("connection=alice", "connection=packaged-install").replace("\"alice\"", "\"packaged-install\""));
        assertEquals(302, install.statusCode(), install.body());
        String authorize = install.header("location");
        assertTrue(authorize.startsWith(zoom.oauthUrl() + "/oauth/authorize?response_type=code&client_id=" + ZoomFake.CLIENT_ID
                + "&redirect_uri=https%3A%2F%2Fabc123defg.execute-api.us-east-1.amazonaws.com%2Foauth%2Fcallback&state="), authorize);

        java.net.http.HttpResponse<String> consent = java.net.http.HttpClient.newHttpClient().send(
                java.net.http.HttpRequest.newBuilder(java.net.URI.create(authorize)).build(), java.net.http.HttpResponse.BodyHandlers.ofString());
        java.net.URI back = java.net.URI.create(consent.headers().firstValue("location").orElseThrow());
        assertEquals("/oauth/callback", back.getPath());
        HttpApiEvents.Response connected = invoke(HttpApiEvents.request("GET", "/oauth/callback?" + back.getRawQuery()));
        assertEquals(200, connected.statusCode(), connected.body());
        assertTrue(connected.header("content-type").startsWith("text/html"));
        assertEquals(400, invoke(HttpApiEvents.request("GET", "/oauth/callback?" + back.getRawQuery())).statusCode(), "single use");

        HttpApiEvents.Response described = invoke(Files.readString(EVENTS.resolve("http-get-connection.json"))
                .replace("/connections/default", "/connections/packaged-install").replace("\"default\"", "\"packaged-install\""));
        assertEquals(200, described.statusCode(), described.body());
        assertEquals("active", JSON.readTree(described.body()).get("status").asText());
        HttpApiEvents.Response listed = invoke(Files.readString(EVENTS.resolve("http-list-connections.json")));
        assertEquals(200, listed.statusCode(), listed.body());
        assertTrue(listed.body().contains("\"packaged-install\""));
        assertFalse(listed.body().contains(table.string("packaged-install", "refreshToken")), "never a token");
    }

    /** The routes as template.yaml deploys them, through the API stand-in: only an owner (a signed caller) starts an install. */
    @Test
    void onlyTheCallbackAndTheWebhookTakeUnsignedCallers() throws Exception {
        TemplateRoutes routes = TemplateRoutes.read();
        assertEquals("AWS_IAM", routes.defaultAuthorizer());
        assertEquals(java.util.Set.of("GET /oauth/callback", "POST /zoom/webhook"), routes.publicRoutes());
        String connection = "packaged-owned";
        ZoomFake.Grant owner = zoom.authorize();
        table.seed(connection, owner);
        java.net.http.HttpClient browser = java.net.http.HttpClient.newHttpClient();
        try (LocalHttpApi api = LocalHttpApi.start(0, runtime, LocalHttpApi.Signatures.AS_IN_TEMPLATE)) {
            java.net.URI install = java.net.URI.create(api.url() + "/oauth/install?connection=" + connection);

            java.net.http.HttpResponse<String> attacker = browser.send(java.net.http.HttpRequest.newBuilder(install).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
            java.net.http.HttpResponse<String> operator = browser.send(java.net.http.HttpRequest.newBuilder(install)
                    .header("Authorization", "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20261202/us-east-1/execute-api/aws4_request,"
                            + " SignedHeaders=host;x-amz-date, Signature=" + "0".repeat(64)).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
            java.net.http.HttpResponse<String> callback = browser.send(java.net.http.HttpRequest.newBuilder(
                    java.net.URI.create(api.url() + "/oauth/callback?code=c&state=" + "A".repeat(43))).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());

            assertEquals(403, attacker.statusCode(), attacker.body());
            assertEquals("{\"message\":\"Forbidden\"}", attacker.body(), "API Gateway's own answer: the function never ran");
            assertEquals(302, operator.statusCode(), operator.body());
            assertEquals(operator.headers().firstValue("location").orElseThrow(), JSON.readTree(operator.body()).get("install_url").asText());
            assertEquals(400, callback.statusCode(), "the callback is public: the function refuses the unknown state itself");
        }
        assertEquals(owner.refreshToken(), table.string(connection, "refreshToken"));
        assertEquals(1, table.number(connection, "version"));
    }

    @Test
    void zoomAccountIdMakesTheDefaultConnectionServerToServer() throws Exception {
        String account = "packaged-account";
        zoom.addAccount(account);
        Map<String, String> env = environment().with("ZOOM_ACCOUNT_ID", account)
                .with("TOKEN_TABLE", MotoServer.TOKEN_TABLE + "-s2s") // tables of its own: no item for "default" at all
                .with("IDEMPOTENCY_TABLE", MotoServer.REQUEST_TABLE + "-s2s").variables();
        MotoServer.shared().createTables(MotoServer.TOKEN_TABLE + "-s2s", MotoServer.REQUEST_TABLE + "-s2s");
        int tokenRequests = zoom.accountTokenCount();
        try (LambdaRuntimeEmulator own = LambdaRuntimeEmulator.start();
                FunctionProcess function = FunctionProcess.start(TARGET, own.address(), env, List.of())) {
            own.awaitPollers(1, Duration.ofSeconds(60));
            String body = JSON.readTree(Files.readString(EVENTS.resolve("http-create-meeting.json"))).get("body").asText();
            for (int i = 0; i < 3; i++) {
                LambdaRuntimeEmulator.Result result = own.invoke(HttpApiEvents.request("POST", "/meetings",
                        Map.of("content-type", "application/json"), body), TIMEOUT);
                HttpApiEvents.Response created = HttpApiEvents.parseResponse(result.body());
                assertEquals(201, created.statusCode(), created.body());
                assertEquals("admin-" + account, JSON.readTree(created.body()).get("host_id").asText());
            }
        }
        assertEquals(tokenRequests + 1, zoom.accountTokenCount(), "one account_credentials request, then the stored token");
    }

    /**
     * Lambda ends an invocation at its deadline, whatever the function is doing. A refresh begun with too little time left
     * would have Zoom rotate the chain and the new pair die with the process: here Zoom answers the token request late, and
     * the function is killed if it misses its deadline. It must not begin that refresh, and the chain must survive.
     */
    @Test
    void aRefreshIsNotBegunWithoutTimeToStoreItAndTheChainSurvivesTheDeadline() throws Exception {
        String connection = "packaged-deadline";
        ZoomFake.Grant grant = zoom.authorize();
        table.seedExpired(connection, grant);
        zoom.answerLateNext("POST", "/oauth/token", 1, Duration.ofSeconds(5)); // rotates at once, answers after the deadline
        int tokenRequests = zoom.tokenRequestCount();
        String create = sample("http-create-meeting.json", SAMPLE_MEETING_ID, connection);
        try (LambdaRuntimeEmulator own = LambdaRuntimeEmulator.start()) {
            FunctionProcess function = FunctionProcess.start(TARGET, own.address(), environment().variables(), List.of());
            own.awaitPollers(1, Duration.ofSeconds(60));
            try {
                HttpApiEvents.Response hurried = HttpApiEvents.parseResponse(own.invoke(create, Duration.ofSeconds(3)).body());
                assertEquals(503, hurried.statusCode(), hurried.body());
                assertEquals("/problems/invocation-time-short", JSON.readTree(hurried.body()).get("type").asText());
                assertEquals("1", hurried.header("retry-after"));
            } catch (LambdaRuntimeEmulator.InvocationTimeoutException missedItsDeadline) {
                function.kill(); // as Lambda does at the deadline
            } finally {
                function.close();
            }
            assertEquals(tokenRequests, zoom.tokenRequestCount(), "no token request was begun");
            zoom.clearFaults();

            try (FunctionProcess next = FunctionProcess.start(TARGET, own.address(), environment().variables(), List.of())) {
                own.awaitPollers(1, Duration.ofSeconds(60));
                HttpApiEvents.Response created = HttpApiEvents.parseResponse(own.invoke(create, TIMEOUT).body());
                assertEquals(201, created.statusCode(), created.body());
            }
        }
        assertTrue(zoom.isLive(grant.chainId()), "the chain is intact");
        assertEquals(zoom.currentRefreshToken(grant.chainId()), table.string(connection, "refreshToken"));
    }

    static JsonNode invokeBatch(String event) throws IOException {
        LambdaRuntimeEmulator.Result result = runtime.invoke(event, TIMEOUT);
        assertFalse(result.error(), result.body());
        return JSON.readTree(result.body());
    }

    static HttpApiEvents.Response invoke(String event) {
        LambdaRuntimeEmulator.Result result = runtime.invoke(event, TIMEOUT);
        assertFalse(result.error(), result.body());
        return HttpApiEvents.parseResponse(result.body());
    }

    /** A sample event of events/, aimed at a meeting that exists in the fake, for a connection of the test's own. */
    static String sample(String name, String meetingId, String connection) throws IOException {
        return Files.readString(EVENTS.resolve(name)).replace(SAMPLE_MEETING_ID, meetingId)
                .replace("\"x-zoom-connection\": \"default\"", "\"x-zoom-connection\": \"" + connection + "\"")
                .replace("\\\"connectionId\\\":\\\"default\\\"", "\\\"connectionId\\\":\\\"" + connection + "\\\"");
    }
}
