package dev.zoomscheduler.events;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * An SQS batch dressed as an HTTP event, so that the HTTP extension dispatches it to {@link QueueBatchResource}. Only
 * {@link SqsBatchSeam} makes one, from an event that has SQS records; an API Gateway event is never of this type.
 */
public final class SqsBatchEvent extends APIGatewayV2HTTPEvent {

    private final transient List<QueueMessage> messages;

    private SqsBatchEvent(List<QueueMessage> messages) {
        this.messages = List.copyOf(messages);
        setVersion("2.0");
        setRouteKey("POST " + QueueBatchResource.PATH);
        setRawPath(QueueBatchResource.PATH);
        setRawQueryString("");
        setHeaders(Map.of());
        setIsBase64Encoded(false);
        setRequestContext(RequestContext.builder()
                .withRequestId("sqs-batch")
                .withHttp(RequestContext.Http.builder().withMethod("POST").withPath(QueueBatchResource.PATH)
                        .withSourceIp("127.0.0.1").withProtocol("HTTP/1.1").build())
                .build());
    }

    /** Whether a Lambda event is an SQS batch: records whose event source is SQS. */
    static boolean isSqsBatch(JsonNode event) {
        JsonNode records = event.get("Records");
        return records != null && records.isArray() && !records.isEmpty()
                && "aws:sqs".equals(records.get(0).path("eventSource").asText());
    }

    static SqsBatchEvent from(JsonNode event) {
        List<QueueMessage> messages = new ArrayList<>();
        for (JsonNode record : event.get("Records")) {
            messages.add(new QueueMessage(record.path("messageId").asText(), record.path("body").asText(""),
                    record.path("attributes").path("ApproximateReceiveCount").asInt(1), record.path("receiptHandle").asText(),
                    record.path("eventSourceARN").asText()));
        }
        return new SqsBatchEvent(messages);
    }

    public List<QueueMessage> messages() {
        return messages;
    }
}
