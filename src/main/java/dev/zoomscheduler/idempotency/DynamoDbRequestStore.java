package dev.zoomscheduler.idempotency;

import static dev.zoomscheduler.dynamodb.Attributes.n;
import static dev.zoomscheduler.dynamodb.Attributes.number;
import static dev.zoomscheduler.dynamodb.Attributes.s;
import static dev.zoomscheduler.dynamodb.Attributes.string;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure;
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;
import software.amazon.awssdk.services.dynamodb.model.ScanResponse;

/** The request table in DynamoDB (README.md): key {@code idempotencyKey}, TTL attribute {@code expiresAt}. */
@ApplicationScoped
public class DynamoDbRequestStore implements RequestStore {

    private static final String KEY = "idempotencyKey";
    private static final String OWNED = "attempt = :attempt";

    private final DynamoDbClient dynamo;
    private final String table;

    public DynamoDbRequestStore(DynamoDbClient dynamo, IdempotencySettings settings) {
        this.dynamo = dynamo;
        this.table = settings.table();
    }

    @Override
    public Begin begin(RequestRecord record, long nowMillis) {
        return put(record, "attribute_not_exists(" + KEY + ") OR expiresAt < :nowSeconds", Map.of(":nowSeconds", n(nowMillis / 1000)));
    }

    @Override
    public Begin takeOver(String abandoned, RequestRecord successor, long nowMillis) {
        return put(successor, OWNED + " AND #status = :inProgress AND inProgressUntil < :nowMillis", Map.of(
                ":attempt", s(abandoned),
                ":inProgress", s(RequestStatus.IN_PROGRESS.attributeValue()),
                ":nowMillis", n(nowMillis)));
    }

    private Begin put(RequestRecord record, String condition, Map<String, AttributeValue> values) {
        try {
            dynamo.putItem(r -> r.tableName(table).item(toItem(record)).conditionExpression(condition)
                    .expressionAttributeNames(condition.contains("#status") ? Map.of("#status", "status") : null)
                    .expressionAttributeValues(values)
                    .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD));
            return new Begin(true, null);
        } catch (ConditionalCheckFailedException e) {
            RequestRecord standing = e.hasItem() && !e.item().isEmpty() ? toRecord(e.item()) : null;
            // The SDK retries a put whose answer timed out: finding its own attempt there, the first try was written.
            boolean ours = standing != null && record.attempt().equals(standing.attempt());
            return ours ? new Begin(true, null) : new Begin(false, standing);
        }
    }

    @Override
    public Optional<RequestRecord> read(String key) {
        Map<String, AttributeValue> item = dynamo.getItem(r -> r.tableName(table).key(key(key)).consistentRead(true)).item();
        return item == null || item.isEmpty() ? Optional.empty() : Optional.of(toRecord(item));
    }

    @Override
    public boolean complete(String key, String attempt, int status, String body, String meetingId, long nowMillis) {
        Map<String, AttributeValue> values = new HashMap<>(Map.of(
                ":status", s(RequestStatus.COMPLETED.attributeValue()),
                ":resultStatus", n(status),
                ":resultBody", s(body),
                ":now", n(nowMillis)));
        String update = "SET #status = :status, resultStatus = :resultStatus, resultBody = :resultBody, completedAt = :now";
        if (meetingId != null) {
            values.put(":meetingId", s(meetingId));
            update += ", meetingId = :meetingId";
        }
        return ownedUpdate(key, attempt, update, values);
    }

    @Override
    public List<RequestRecord> forMeeting(String meetingId) {
        List<RequestRecord> found = new ArrayList<>();
        ScanRequest request = ScanRequest.builder().tableName(table).consistentRead(true)
                .filterExpression("meetingId = :meetingId").expressionAttributeValues(Map.of(":meetingId", s(meetingId))).build();
        for (ScanResponse page : dynamo.scanPaginator(request)) {
            page.items().forEach(item -> found.add(toRecord(item)));
        }
        return found;
    }

    @Override
    public boolean recordMeetingEvent(RequestRecord seen, String meetingState, long eventAtMillis, String resultBody) {
        Map<String, AttributeValue> values = new HashMap<>(Map.of(
                ":meetingState", s(meetingState),
                ":eventAt", n(eventAtMillis)));
        String update = "SET meetingState = :meetingState, meetingEventAt = :eventAt";
        String condition = "attribute_exists(" + KEY + ") AND (attribute_not_exists(meetingEventAt) OR meetingEventAt < :eventAt)";
        if (resultBody != null && seen.resultBody() != null) {
            values.put(":resultBody", s(resultBody));
            values.put(":seenBody", s(seen.resultBody()));
            update += ", resultBody = :resultBody";
            condition += " AND resultBody = :seenBody";
        }
        String expression = update;
        String required = condition;
        try {
            dynamo.updateItem(r -> r.tableName(table).key(key(seen.key())).updateExpression(expression)
                    .conditionExpression(required).expressionAttributeValues(values));
            return true;
        } catch (ConditionalCheckFailedException newerOrGone) {
            return false;
        }
    }

    @Override
    public boolean fail(String key, String attempt, RequestRecord.StoredProblem problem, long nowMillis) {
        Map<String, AttributeValue> values = new HashMap<>(Map.of(
                ":status", s(RequestStatus.FAILED.attributeValue()),
                ":problemType", s(problem.type()),
                ":problemStatus", n(problem.status()),
                ":problemDetail", s(problem.detail()),
                ":now", n(nowMillis)));
        String update = "SET #status = :status, problemType = :problemType, problemStatus = :problemStatus,"
                + " problemDetail = :problemDetail, completedAt = :now";
        if (problem.code() != null) {
            values.put(":problemCode", n(problem.code()));
            update += ", problemCode = :problemCode";
        }
        return ownedUpdate(key, attempt, update, values);
    }

    @Override
    public void release(String key, String attempt) {
        try {
            dynamo.deleteItem(r -> r.tableName(table).key(key(key)).conditionExpression(OWNED)
                    .expressionAttributeValues(Map.of(":attempt", s(attempt))));
        } catch (ConditionalCheckFailedException taken) {
            // another attempt owns the record now: it is not ours to remove
        }
    }

    @Override
    public void abandon(String key, String attempt, long nowMillis) {
        ownedUpdate(key, attempt, "SET inProgressUntil = :now", Map.of(":now", n(nowMillis)));
    }

    private boolean ownedUpdate(String key, String attempt, String update, Map<String, AttributeValue> values) {
        Map<String, AttributeValue> all = new HashMap<>(values);
        all.put(":attempt", s(attempt));
        boolean usesStatus = update.contains("#status");
        try {
            dynamo.updateItem(r -> r.tableName(table).key(key(key)).updateExpression(update).conditionExpression(OWNED)
                    .expressionAttributeNames(usesStatus ? Map.of("#status", "status") : null)
                    .expressionAttributeValues(all));
            return true;
        } catch (ConditionalCheckFailedException taken) {
            return false;
        }
    }

    private static Map<String, AttributeValue> toItem(RequestRecord record) {
        Map<String, AttributeValue> item = new HashMap<>();
        item.put(KEY, s(record.key()));
        item.put("status", s(record.status().attributeValue()));
        item.put("fingerprint", s(record.fingerprint()));
        item.put("operation", s(record.operation()));
        item.put("connectionId", s(record.connectionId()));
        if (record.meetingId() != null) {
            item.put("meetingId", s(record.meetingId()));
        }
        item.put("attempt", s(record.attempt()));
        item.put("startedAt", n(record.startedAt()));
        item.put("inProgressUntil", n(record.inProgressUntil()));
        item.put("expiresAt", n(record.expiresAt()));
        item.put("firstStartedAt", n(record.firstStartedAt()));
        item.put("attempts", n(record.attempts()));
        return item;
    }

    static RequestRecord toRecord(Map<String, AttributeValue> item) {
        RequestRecord.StoredProblem problem = item.containsKey("problemType")
                ? new RequestRecord.StoredProblem(string(item, "problemType"), (int) number(item, "problemStatus"),
                        string(item, "problemDetail"), item.containsKey("problemCode") ? (int) number(item, "problemCode") : null)
                : null;
        return new RequestRecord(
                string(item, KEY),
                RequestStatus.fromAttribute(string(item, "status")),
                string(item, "fingerprint"),
                string(item, "operation"),
                string(item, "connectionId"),
                string(item, "meetingId"),
                string(item, "attempt"),
                number(item, "startedAt"),
                number(item, "inProgressUntil"),
                number(item, "expiresAt"),
                number(item, "completedAt"),
                (int) number(item, "resultStatus"),
                string(item, "resultBody"),
                problem,
                string(item, "meetingState"),
                number(item, "meetingEventAt"),
                number(item, "firstStartedAt"),
                (int) number(item, "attempts"));
    }

    private static Map<String, AttributeValue> key(String key) {
        return Map.of(KEY, s(key));
    }
}
