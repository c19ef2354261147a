package dev.zoomscheduler.packaged;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.zoomscheduler.testing.DeployedTemplate;
import dev.zoomscheduler.testing.FunctionEnvironment;
import dev.zoomscheduler.testing.FunctionProcess;
import dev.zoomscheduler.testing.LambdaRuntimeEmulator;
import dev.zoomscheduler.testing.MotoServer;
import dev.zoomscheduler.testing.SqsEvents;
import dev.zoomscheduler.testing.TokenTable;
import dev.zoomscheduler.testing.zoom.ZoomFake;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * The delivery arithmetic of template.yaml (batch size, function timeout, visibility timeout, maxReceiveCount, the
 * daily-limit hold-back), driven end to end with a slow Zoom. The scheduling queue and its dead-letter queue are made in
 * moto_server's SQS with the numbers of the stack CloudFormation would create (the SAM transform of the template); this
 * test plays Lambda's event source mapping: it receives batches of the mapping's BatchSize, invokes the packaged function
 * with the function's Timeout as deadline, deletes what the batch response does not name and hands the rest back. Time
 * is skipped, not waited for: a message handed back (or held back for the daily limit) is made visible again at once, as
 * it would be after its visibility timeout. SQS itself counts the receives and moves a message to the dead-letter queue.
 */
class QueueDeliveryIT {

    /** Slower than any Zoom answer should be, and still under ZOOM_READ_TIMEOUT_MS (10 s), so every create succeeds. */
    static final Duration SLOW_ZOOM = Duration.ofSeconds(8);
    static final String DAILY_LIMIT = "{\"code\":429,\"message\":\"You have exceeded the daily rate limit (100) of Meeting Create/Update API"
            + " requests permitted for this particular user. You may resume these requests at GMT 00:00:00.\"}";
    static final String RATE_LIMITED = "{\"code\":429,\"message\":\"You have reached the maximum per-second rate limit for this API.\"}";
    static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void aSlowZoomThroughFullBatchesDeadLettersNothingThatWasNotTriedOnEveryReceive() throws Exception {
        DeployedTemplate stack = DeployedTemplate.of(Map.of("ZoomClientId", ZoomFake.CLIENT_ID));
        JsonNode mapping = stack.only("AWS::Lambda::EventSourceMapping").get("Properties");
        JsonNode function = stack.properties("SchedulerFunction");
        JsonNode queue = stack.properties("SchedulingQueue");
        int batchSize = mapping.get("BatchSize").asInt();
        Duration timeout = Duration.ofSeconds(function.get("Timeout").asInt());
        int visibility = queue.get("VisibilityTimeout").asInt();
        int maxReceiveCount = queue.at("/RedrivePolicy/maxReceiveCount").asInt();
        String namespace = function.at("/Environment/Variables/METRICS_NAMESPACE").asText();
        System.out.printf("template: BatchSize %d, Timeout %s, VisibilityTimeout %d s, maxReceiveCount %d%n", batchSize, timeout,
                visibility, maxReceiveCount);

        String endpoint = MotoServer.shared().endpoint();
        String run = UUID.randomUUID().toString().substring(0, 8);
        try (ZoomFake zoom = ZoomFake.start(); LambdaRuntimeEmulator runtime = LambdaRuntimeEmulator.start();
                SqsClient sqs = SqsClient.builder().endpointOverride(URI.create(endpoint)).httpClient(UrlConnectionHttpClient.create()).build()) {
            String deadLetterUrl = sqs.createQueue(r -> r.queueName("scheduling-dlq-" + run)).queueUrl();
            String deadLetterArn = arn(sqs, deadLetterUrl);
            String queueUrl = sqs.createQueue(r -> r.queueName("scheduling-" + run).attributes(Map.of(
                    QueueAttributeName.VISIBILITY_TIMEOUT, Integer.toString(visibility),
                    QueueAttributeName.REDRIVE_POLICY, JSON.createObjectNode().put("deadLetterTargetArn", deadLetterArn)
                            .put("maxReceiveCount", maxReceiveCount).toString()))).queueUrl();
            String queueArn = arn(sqs, queueUrl);

            // Four kinds of request: healthy ones on a slow Zoom (more than a full batch), one whose user is at Zoom's daily
            // limit for two receives, one Zoom refuses every time (a rate limit too long to wait out), and one whose connection
            // Zoom has revoked (it needs re-authorisation: tried, never sent to Zoom again).
            TokenTable table = TokenTable.shared();
            String connection = "delivery-" + run;
            table.seed(connection, zoom.authorize());
            String dailyUser = "daily-" + run;
            String refusedUser = "refused-" + run;
            zoom.addUser(dailyUser, dailyUser + "@example.com");
            zoom.addUser(refusedUser, refusedUser + "@example.com");
            String revokedConnection = "revoked-" + run;
            ZoomFake.Grant revoked = zoom.authorize();
            table.seedExpired(revokedConnection, revoked);
            zoom.revoke(revoked.chainId());
            zoom.delayNext("POST", "/v2/users/me/meetings", 1000, SLOW_ZOOM);
            zoom.failNext("POST", "/v2/users/" + dailyUser + "/meetings", 2, 429,
                    Map.of("Content-Type", "application/json", "X-RateLimit-Type", "Daily-limit"), DAILY_LIMIT);
            zoom.failNext("POST", "/v2/users/" + refusedUser + "/meetings", 1000, 429, Map.of("Retry-After", "120"), RATE_LIMITED);

            Map<String, String> kinds = new HashMap<>();
            int healthy = batchSize + 2;
            for (int i = 1; i <= healthy; i++) {
                kinds.put(send(sqs, queueUrl, create(connection, "me", "healthy-" + i + "-" + run)), "healthy");
            }
            kinds.put(send(sqs, queueUrl, create(connection, dailyUser, "daily-" + run)), "daily limit");
            kinds.put(send(sqs, queueUrl, create(connection, refusedUser, "refused-" + run)), "refused");
            kinds.put(send(sqs, queueUrl, create(revokedConnection, "me", "revoked-" + run)), "revoked");

            Map<String, Integer> receives = new TreeMap<>();
            Map<String, String> env = FunctionEnvironment.onTables(endpoint).zoom(zoom).sqs(endpoint).with("METRICS_NAMESPACE", namespace)
                    .variables();
            try (FunctionProcess lambda = FunctionProcess.start(FunctionZipIT.TARGET, runtime.address(), env, List.of())) {
                runtime.awaitPollers(1, Duration.ofSeconds(60));
                long started = System.nanoTime();
                pollAsTheEventSourceMappingDoes(sqs, queueUrl, queueArn, batchSize, visibility, timeout, runtime, receives);
                System.out.printf("%d receives of %d messages in %d s%n", receives.values().stream().mapToInt(Integer::intValue).sum(),
                        kinds.size(), (System.nanoTime() - started) / 1_000_000_000);

                Map<String, String> deadLettered = new TreeMap<>();
                for (Message message : sqs.receiveMessage(r -> r.queueUrl(deadLetterUrl).maxNumberOfMessages(10)).messages()) {
                    deadLettered.put(message.messageId(), kinds.get(message.messageId()));
                }
                Map<String, Integer> receivesByKind = new TreeMap<>();
                receives.forEach((id, count) -> receivesByKind.merge(kinds.get(id), count, Integer::sum));

                assertEquals(Set.of("refused", "revoked"), Set.copyOf(deadLettered.values()), "dead-lettered: " + deadLettered);
                assertEquals(2, deadLettered.size());
                assertEquals(Map.of("healthy", healthy, "daily limit", 3, "refused", maxReceiveCount, "revoked", maxReceiveCount),
                        receivesByKind, "every healthy request once; the daily limit's two hold-backs, then its success");
                assertEquals(healthy + 1, zoom.meetings().stream().filter(m -> m.path("topic").asText().endsWith(run)).count(),
                        "each healthy request and the held-back one created one meeting");
                assertEquals(maxReceiveCount, zoom.apiRequests().stream()
                        .filter(r -> r.method().equals("POST") && r.path().equals("/v2/users/" + refusedUser + "/meetings")).count(),
                        "the refused request was sent to Zoom on every one of its receives");

                // Tried on every receive: the function's own count of what became of each message, one per receive, none unstarted.
                Map<String, Long> outcomes = metrics(lambda.log(), namespace, "QueueMessages", "Outcome");
                assertEquals(Map.of("done", (long) healthy + 1, "held_back", 2L, "retried", 2L * maxReceiveCount), outcomes,
                        "no message handed back unstarted; the function's log:\n" + lambda.log());
                // The metrics the alarms watch are the ones the function writes.
                assertEquals(Map.of("reauthorization_required", 1L), metrics(lambda.log(), namespace, "TokenRefreshes", "Result"));
                assertEquals("reauthorization_required",
                        stack.properties("ReauthorizationRequiredAlarm").at("/Dimensions/0/Value").asText());
                assertEquals("held_back", stack.properties("DailyLimitAlarm").at("/Metrics/1/MetricStat/Metric/Dimensions/0/Value").asText());
            }
        }
    }

    /**
     * What Lambda's event source mapping does with ReportBatchItemFailures: receive up to BatchSize messages (each
     * receive counted by SQS, which moves a message received maxReceiveCount times to the dead-letter queue), invoke the
     * function with them, delete those the batch response does not name. The named ones come back when their visibility
     * timeout ends; here at once.
     */
    static void pollAsTheEventSourceMappingDoes(SqsClient sqs, String queueUrl, String queueArn, int batchSize, int visibility,
            Duration timeout, LambdaRuntimeEmulator runtime, Map<String, Integer> receives) throws IOException {
        for (int invocation = 0; invocation < 200; invocation++) {
            List<Message> batch = sqs.receiveMessage(r -> r.queueUrl(queueUrl).maxNumberOfMessages(batchSize)
                    .visibilityTimeout(visibility).messageSystemAttributeNamesWithStrings("All")).messages();
            if (batch.isEmpty()) {
                Map<String, String> left = sqs.getQueueAttributes(r -> r.queueUrl(queueUrl).attributeNamesWithStrings(
                        "ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible")).attributesAsStrings();
                if (left.values().stream().allMatch("0"::equals)) {
                    return;
                }
                continue;
            }
            batch.forEach(m -> receives.merge(m.messageId(), 1, Integer::sum));
            LambdaRuntimeEmulator.Result result = runtime.invoke(SqsEvents.received(batch, queueArn), timeout);
            assertFalse(result.error(), "an invocation error returns the whole batch: " + result.body());
            Set<String> failed = new java.util.HashSet<>();
            JSON.readTree(result.body()).get("batchItemFailures").forEach(f -> failed.add(f.get("itemIdentifier").asText()));
            for (Message message : batch) {
                if (failed.contains(message.messageId())) {
                    sqs.changeMessageVisibility(r -> r.queueUrl(queueUrl).receiptHandle(message.receiptHandle()).visibilityTimeout(0));
                } else {
                    sqs.deleteMessage(r -> r.queueUrl(queueUrl).receiptHandle(message.receiptHandle()));
                }
            }
        }
        throw new AssertionError("the queue was not worked off in 200 invocations: " + receives);
    }

    /** The EMF lines of one metric in a log, counted by the value of their one dimension. */
    static Map<String, Long> metrics(String log, String namespace, String metric, String dimension) {
        return log.lines().filter(line -> line.startsWith("{\"_aws\"")).map(line -> {
            try {
                return JSON.readTree(line);
            } catch (IOException e) {
                throw new AssertionError(line, e);
            }
        }).filter(line -> line.at("/_aws/CloudWatchMetrics/0/Namespace").asText().equals(namespace)
                && line.at("/_aws/CloudWatchMetrics/0/Metrics/0/Name").asText().equals(metric))
                .collect(Collectors.groupingBy(line -> line.get(dimension).asText(), TreeMap::new, Collectors.counting()));
    }

    static String create(String connection, String user, String key) {
        return "{\"action\":\"create\",\"idempotencyKey\":\"" + key + "\",\"connectionId\":\"" + connection + "\",\"userId\":\"" + user
                + "\",\"meeting\":{\"topic\":\"Delivery " + key + "\",\"type\":2,\"start_time\":\"2026-12-18T09:00:00Z\",\"duration\":30}}";
    }

    static String send(SqsClient sqs, String queueUrl, String body) {
        return sqs.sendMessage(r -> r.queueUrl(queueUrl).messageBody(body)).messageId();
    }

    static String arn(SqsClient sqs, String queueUrl) {
        return sqs.getQueueAttributes(r -> r.queueUrl(queueUrl).attributeNames(QueueAttributeName.QUEUE_ARN)).attributes()
                .get(QueueAttributeName.QUEUE_ARN);
    }
}
