package dev.zoomscheduler.testing;

import java.util.List;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** SQS batches as Lambda's event source mapping delivers them. */
public final class SqsEvents {

    public static final String QUEUE_ARN = "arn:aws:sqs:us-east-1:123456789012:zoom-scheduling";
    private static final ObjectMapper JSON = new ObjectMapper();

    private SqsEvents() {
    }

    /** One message of a batch; {@code receiveCount} is SQS's ApproximateReceiveCount (1 on first delivery). */
    public record Message(String messageId, String body, int receiveCount) {
        public Message(String messageId, String body) {
            this(messageId, body, 1);
        }
    }

    public static String batch(List<Message> messages) {
        ObjectNode event = JSON.createObjectNode();
        ArrayNode records = event.putArray("Records");
        for (Message message : messages) {
            ObjectNode record = records.addObject()
                    .put("messageId", message.messageId())
                    .put("receiptHandle", "AQEB" + message.messageId().replace("-", ""))
                    .put("body", message.body());
            record.putObject("attributes")
                    .put("ApproximateReceiveCount", Integer.toString(message.receiveCount()))
                    .put("SentTimestamp", Long.toString(System.currentTimeMillis()))
                    .put("SenderId", "AIDAEXAMPLESENDER")
                    .put("ApproximateFirstReceiveTimestamp", Long.toString(System.currentTimeMillis()));
            record.putObject("messageAttributes");
            record.put("md5OfBody", "0")
                    .put("eventSource", "aws:sqs")
                    .put("eventSourceARN", QUEUE_ARN)
                    .put("awsRegion", "us-east-1");
        }
        return event.toString();
    }

    /**
     * The event Lambda's event source mapping makes of messages it received from a queue (with their attributes: ask
     * ReceiveMessage for all of them), receipt handles and all, so that the function can act on the real messages.
     */
    public static String received(List<software.amazon.awssdk.services.sqs.model.Message> messages, String queueArn) {
        ObjectNode event = JSON.createObjectNode();
        ArrayNode records = event.putArray("Records");
        for (software.amazon.awssdk.services.sqs.model.Message message : messages) {
            ObjectNode record = records.addObject()
                    .put("messageId", message.messageId())
                    .put("receiptHandle", message.receiptHandle())
                    .put("body", message.body());
            ObjectNode attributes = record.putObject("attributes");
            for (String name : List.of("ApproximateReceiveCount", "SentTimestamp", "SenderId", "ApproximateFirstReceiveTimestamp")) {
                attributes.put(name, message.attributesAsStrings().get(name));
            }
            record.putObject("messageAttributes");
            record.put("md5OfBody", message.md5OfBody())
                    .put("eventSource", "aws:sqs")
                    .put("eventSourceARN", queueArn)
                    .put("awsRegion", queueArn.split(":")[3]);
        }
        return event.toString();
    }

    /** An EventBridge event as a rule targeting the queue delivers it: the request is its {@code detail}. */
    public static String eventBridgeEnvelope(String request) {
        try {
            ObjectNode envelope = JSON.createObjectNode()
                    .put("version", "0")
                    .put("id", java.util.UUID.randomUUID().toString())
                    .put("detail-type", "BookingConfirmed")
                    .put("source", "booking.example")
                    .put("account", "123456789012")
                    .put("time", "2026-11-28T09:00:00Z")
                    .put("region", "us-east-1");
            envelope.putArray("resources");
            envelope.set("detail", JSON.readTree(request));
            return envelope.toString();
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException(e);
        }
    }
}
