package dev.zoomscheduler.testing;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.eventbridge.model.ResourceAlreadyExistsException;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * The outcome event bus of the tests, in moto_server (EventBridge buses, rules and SQS targets), and subscribers to it: a
 * rule per subscriber that routes one connection's events to an SQS queue of its own, which the test reads.
 */
public final class OutcomeEventBus {

    public static final String BUS = "zoom-outcomes";
    public static final String SOURCE = "zoom-meeting-scheduler";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final EventBridgeClient events;
    private final SqsClient sqs;

    public OutcomeEventBus(String endpoint) {
        this.events = EventBridgeClient.builder().httpClient(UrlConnectionHttpClient.create()).endpointOverride(URI.create(endpoint)).build();
        this.sqs = SqsClient.builder().httpClient(UrlConnectionHttpClient.create()).endpointOverride(URI.create(endpoint)).build();
    }

    /** Creates the bus unless it exists. */
    public OutcomeEventBus create() {
        try {
            events.createEventBus(r -> r.name(BUS));
        } catch (ResourceAlreadyExistsException createdBefore) {
            // by an earlier test of this JVM
        }
        return this;
    }

    /** A queue that receives every outcome event of {@code connectionId}, as a user's rule would route them. */
    public Subscriber subscribe(String connectionId) {
        String name = "outcomes-" + UUID.randomUUID();
        String queueUrl = sqs.createQueue(r -> r.queueName(name)).queueUrl();
        String queueArn = sqs.getQueueAttributes(r -> r.queueUrl(queueUrl).attributeNames(QueueAttributeName.QUEUE_ARN))
                .attributes().get(QueueAttributeName.QUEUE_ARN);
        String pattern = JSON.createObjectNode()
                .<com.fasterxml.jackson.databind.node.ObjectNode>set("source", JSON.createArrayNode().add(SOURCE))
                .set("detail", JSON.createObjectNode().set("connectionId", JSON.createArrayNode().add(connectionId))).toString();
        events.putRule(r -> r.name(name).eventBusName(BUS).eventPattern(pattern));
        events.putTargets(r -> r.rule(name).eventBusName(BUS).targets(t -> t.id("queue").arn(queueArn)));
        return new Subscriber(queueUrl);
    }

    /** One subscriber's queue. */
    public final class Subscriber {

        private final String queueUrl;
        private final List<String> raw = new ArrayList<>();

        Subscriber(String queueUrl) {
            this.queueUrl = queueUrl;
        }

        /** Every event received so far, waiting up to {@code patience} for at least {@code expected} of them. */
        public List<JsonNode> await(int expected, Duration patience) {
            Instant until = Instant.now().plus(patience);
            do {
                for (Message message : sqs.receiveMessage(r -> r.queueUrl(queueUrl).maxNumberOfMessages(10).waitTimeSeconds(0)).messages()) {
                    raw.add(message.body());
                    sqs.deleteMessage(r -> r.queueUrl(queueUrl).receiptHandle(message.receiptHandle()));
                }
                if (raw.size() >= expected) {
                    break;
                }
                pause();
            } while (Instant.now().isBefore(until));
            List<JsonNode> parsed = new ArrayList<>();
            for (String body : raw) {
                try {
                    parsed.add(JSON.readTree(body));
                } catch (IOException e) {
                    throw new AssertionError("not an event: " + body, e);
                }
            }
            return parsed;
        }

        /** The events as they arrived, as text (to search for what must never be in them). */
        public List<String> raw() {
            return raw;
        }
    }

    private static void pause() {
        try {
            Thread.sleep(100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
