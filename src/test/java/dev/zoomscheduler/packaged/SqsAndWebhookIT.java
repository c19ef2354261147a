package dev.zoomscheduler.packaged;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.zoomscheduler.testing.FunctionEnvironment;
import dev.zoomscheduler.testing.FunctionProcess;
import dev.zoomscheduler.testing.HttpApiEvents;
import dev.zoomscheduler.testing.LambdaRuntimeEmulator;
import dev.zoomscheduler.testing.MotoServer;
import dev.zoomscheduler.testing.SqsEvents;
import dev.zoomscheduler.testing.TokenTable;
import dev.zoomscheduler.testing.zoom.ZoomFake;
import dev.zoomscheduler.testing.zoom.ZoomWebhooks;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * Paths of the packaged function that the sample events do not take, and that lean on what a native image must have
 * built in: the function's own SQS client (the AWS SDK's, without a Quarkus extension) holding a message back in the
 * queue (moto_server's SQS), Zoom's webhook signatures (HMAC-SHA256), and its Secrets Manager client (the same): both of
 * the Zoom app's secrets come from one secret in moto_server's Secrets Manager, none from the environment.
 */
class SqsAndWebhookIT {

    static final Duration TIMEOUT = Duration.ofSeconds(30);
    static final String DAILY = "{\"code\":429,\"message\":\"You have exceeded the daily rate limit (100) of Meeting Create/Update API"
            + " requests permitted for this particular user. You may resume these requests at GMT 00:00:00.\"}";
    static final String MEETING = "{\"topic\":\"Held back\",\"type\":2,\"start_time\":\"2026-12-14T10:00:00Z\",\"duration\":30}";
    static final ObjectMapper JSON = new ObjectMapper();

    static ZoomFake zoom;
    static LambdaRuntimeEmulator runtime;
    static FunctionProcess function;

    @BeforeAll
    static void start() {
        String endpoint = MotoServer.shared().endpoint();
        String secret;
        try (SecretsManagerClient secrets = SecretsManagerClient.builder().endpointOverride(URI.create(endpoint))
                .httpClient(UrlConnectionHttpClient.create()).build()) {
            secret = secrets.createSecret(r -> r.name("zoom/packaged-" + UUID.randomUUID()).secretString(JSON.createObjectNode()
                    .put("client_secret", ZoomFake.CLIENT_SECRET).put("secret_token", ZoomFake.WEBHOOK_SECRET_TOKEN).toString())).arn();
        }
        zoom = ZoomFake.start();
        runtime = LambdaRuntimeEmulator.start();
        function = FunctionProcess.start(FunctionZipIT.TARGET, runtime.address(),
                FunctionEnvironment.onTables(endpoint).zoomWithSecret(zoom, secret, endpoint).sqs(endpoint).variables(), List.of());
        runtime.awaitPollers(1, Duration.ofSeconds(60));
    }

    @AfterAll
    static void stop() {
        function.close();
        runtime.close();
        zoom.close();
    }

    @Test
    void aQueuedCreateAtZoomsDailyLimitIsHeldBackInTheQueue() throws Exception {
        try (SqsClient sqs = SqsClient.builder().endpointOverride(URI.create(MotoServer.shared().endpoint()))
                .httpClient(UrlConnectionHttpClient.create()).build()) {
            String connection = "packaged-held-" + UUID.randomUUID();
            ZoomFake.Grant grant = zoom.authorize();
            TokenTable.shared().seedExpired(connection, grant); // refreshed first, with the client secret from Secrets Manager
            String queueUrl = sqs.createQueue(r -> r.queueName("packaged-held-" + UUID.randomUUID())).queueUrl();
            String arn = sqs.getQueueAttributes(r -> r.queueUrl(queueUrl).attributeNamesWithStrings("QueueArn")).attributesAsStrings()
                    .get("QueueArn");
            String request = "{\"action\":\"create\",\"idempotencyKey\":\"held-" + UUID.randomUUID() + "\",\"connectionId\":\""
                    + connection + "\",\"meeting\":" + MEETING + "}";
            sqs.sendMessage(r -> r.queueUrl(queueUrl).messageBody(request));
            Message received = sqs.receiveMessage(r -> r.queueUrl(queueUrl).visibilityTimeout(1).waitTimeSeconds(2)
                    .messageSystemAttributeNamesWithStrings("All")).messages().get(0);
            zoom.failNext("POST", "/v2/users/me/meetings", 1, 429, Map.of(), DAILY);

            String event = SqsEvents.received(List.of(received), arn);
            LambdaRuntimeEmulator.Result result = runtime.invoke(event, TIMEOUT);

            assertFalse(result.error(), result.body());
            JsonNode failures = JSON.readTree(result.body()).get("batchItemFailures");
            assertEquals(received.messageId(), failures.get(0).get("itemIdentifier").asText(), result.body());
            // a long poll that lasts past the end of the 1 s visibility it was received with: had it not been held back, it
            // would be received again within it
            assertEquals(List.of(), sqs.receiveMessage(r -> r.queueUrl(queueUrl).waitTimeSeconds(2)).messages(),
                    "still hidden: held back until after 00:00 UTC by the function's SQS client; its log:\n" + function.log());
            assertEquals(1, zoom.refreshCount(grant.chainId()), "the refresh authenticated with the secret from Secrets Manager");
        }
    }

    @Test
    void zoomsSignedUrlValidationChallengeIsAnsweredAndAnUnsignedOneRefused() throws Exception {
        String body = "{\"payload\":{\"plainToken\":\"packaged-plain-token\"},\"event_ts\":" + Instant.now().toEpochMilli()
                + ",\"event\":\"endpoint.url_validation\"}";
        Map<String, String> headers = new java.util.HashMap<>(ZoomWebhooks.signedHeaders(body, Instant.now().getEpochSecond()));
        headers.put("content-type", "application/json");

        HttpApiEvents.Response answered = invoke(HttpApiEvents.request("POST", "/zoom/webhook", headers, body));
        assertEquals(200, answered.statusCode(), answered.body());
        assertEquals(ZoomWebhooks.encryptedToken("packaged-plain-token"), JSON.readTree(answered.body()).get("encryptedToken").asText());

        HttpApiEvents.Response refused = invoke(HttpApiEvents.request("POST", "/zoom/webhook", Map.of("content-type", "application/json"), body));
        assertEquals(401, refused.statusCode(), refused.body());
        assertEquals("application/problem+json", refused.header("content-type"));
    }

    static HttpApiEvents.Response invoke(String event) {
        LambdaRuntimeEmulator.Result result = runtime.invoke(event, TIMEOUT);
        assertFalse(result.error(), result.body());
        return HttpApiEvents.parseResponse(result.body());
    }
}
