package dev.zoomscheduler.idempotency;

import static dev.zoomscheduler.dynamodb.Attributes.n;
import static dev.zoomscheduler.dynamodb.Attributes.s;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import dev.zoomscheduler.dynamodb.Update;
import dev.zoomscheduler.outcomes.OutcomeEvent;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

/**
 * The request table in DynamoDB ({@link RequestItems}): key {@code idempotencyKey}, TTL attribute {@code expiresAt}. A request
 * that completes with a meeting is linked to the meeting's link item in the same transaction, and a create claims it
 * there for its key alone, so no meeting is ever the answer of two keys, and Zoom's meeting events find the records of a
 * meeting with one read, whatever the table's size, without an index.
 */
@ApplicationScoped
public class DynamoDbRequestStore implements RequestStore {

    private static final String ATTEMPT = "attempt";

    private final DynamoDbClient dynamo;
    private final String table;
    private final Duration ttl;

    public DynamoDbRequestStore(DynamoDbClient dynamo, IdempotencySettings settings) {
        this.dynamo = dynamo;
        this.table = settings.table();
        this.ttl = settings.ttl();
    }

    @Override
    public Begin begin(RequestRecord record, long nowMillis) {
        return put(record, "attribute_not_exists(#" + RequestItems.KEY + ") OR #" + RequestItems.EXPIRES_AT + " < :nowSeconds",
                Map.of(":nowSeconds", n(nowMillis / 1000)));
    }

    @Override
    public Begin takeOver(String abandoned, RequestRecord successor, long nowMillis) {
        return put(successor, "#" + ATTEMPT + " = :attempt AND #" + RequestItems.STATUS + " = :inProgress AND #inProgressUntil < :nowMillis",
                Map.of(":attempt", s(abandoned), ":inProgress", s(RequestStatus.IN_PROGRESS.attributeValue()), ":nowMillis", n(nowMillis)));
    }

    /** A conditional put of a record; its {@code #names} are the attributes they name. */
    private Begin put(RequestRecord record, String condition, Map<String, AttributeValue> values) {
        try {
            dynamo.putItem(r -> r.tableName(table).item(toItem(record)).conditionExpression(condition)
                    .expressionAttributeNames(Update.namesIn(condition))
                    .expressionAttributeValues(values).returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD));
            return new Begin(true, null);
        } catch (ConditionalCheckFailedException e) {
            RequestRecord standing = e.hasItem() && !e.item().isEmpty() ? RequestItems.toRecord(e.item()) : null;
            // The SDK retries a put whose answer timed out: finding its own attempt there, the first try was written.
            boolean ours = standing != null && record.attempt().equals(standing.attempt());
            return ours ? new Begin(true, null) : new Begin(false, standing);
        }
    }

    @Override
    public Optional<RequestRecord> read(String key) {
        Map<String, AttributeValue> item = dynamo.getItem(r -> r.tableName(table).key(RequestItems.key(key)).consistentRead(true)).item();
        return item == null || item.isEmpty() ? Optional.empty() : Optional.of(RequestItems.toRecord(item));
    }

    @Override
    public Completion complete(String key, String attempt, Reply reply, String meetingId, boolean claims, OutcomeEvent event,
            long nowMillis) {
        Update completion = withEvent(running(key, attempt)
                .set(RequestItems.STATUS, s(RequestStatus.COMPLETED.attributeValue()))
                .set("resultStatus", n(reply.status()))
                .set(RequestItems.RESULT_BODY, s(reply.body()))
                .set("completedAt", n(nowMillis)), event);
        if (meetingId == null) {
            return written(completion) ? Completion.DONE : Completion.NOT_OWNER;
        }
        completion.set("meetingId", s(meetingId));
        Update link = new Update(RequestItems.meetingLink(meetingId))
                .add(RequestItems.REQUEST_KEYS, AttributeValue.fromSs(List.of(key)))
                .set(RequestItems.EXPIRES_AT, n(nowMillis / 1000 + ttl.toSeconds()));
        if (claims) {
            // the same key may claim it again (a repeat of this write whose answer was lost); no other key may
            link.set(RequestItems.CREATED_BY, s(key))
                    .when("attribute_not_exists(#" + RequestItems.CREATED_BY + ") OR #" + RequestItems.CREATED_BY + " = :owner")
                    .value(":owner", s(key));
        }
        try {
            dynamo.transactWriteItems(r -> r.transactItems(TransactWriteItem.builder().update(completion.inTransaction(table)).build(),
                    TransactWriteItem.builder().update(link.inTransaction(table)).build()));
            return Completion.DONE;
        } catch (TransactionCanceledException e) {
            List<CancellationReason> reasons = e.cancellationReasons();
            if (failedCondition(reasons, 0)) {
                return Completion.NOT_OWNER; // another attempt owns the record now, or it has ended
            }
            if (failedCondition(reasons, 1)) {
                return Completion.MEETING_TAKEN;
            }
            throw e; // a conflict with another transaction, or throttling: passing, tried again by the caller
        }
    }

    private static boolean failedCondition(List<CancellationReason> reasons, int item) {
        return reasons.size() > item && "ConditionalCheckFailed".equals(reasons.get(item).code());
    }

    @Override
    public boolean fail(String key, String attempt, RequestRecord.StoredProblem problem, OutcomeEvent event, long nowMillis) {
        Update failure = withEvent(running(key, attempt)
                .set(RequestItems.STATUS, s(RequestStatus.FAILED.attributeValue()))
                .set("problemType", s(problem.type()))
                .set("problemStatus", n(problem.status()))
                .set("problemDetail", s(problem.detail()))
                .set("completedAt", n(nowMillis)), event);
        if (problem.code() != null) {
            failure.set("problemCode", n(problem.code()));
        }
        return written(failure);
    }

    /** An ending keeps its outcome event in the same write. */
    private static Update withEvent(Update ending, OutcomeEvent event) {
        return event == null ? ending : ending.set(RequestItems.EVENT_TYPE, s(event.detailType())).set(RequestItems.EVENT, s(event.detail()));
    }

    @Override
    public void published(String key, OutcomeEvent event) {
        written(new Update(RequestItems.key(key)).remove(RequestItems.EVENT_TYPE).remove(RequestItems.EVENT)
                .when("#" + RequestItems.EVENT + " = :event").value(":event", s(event.detail())));
        // not written: another attempt or instance published it and said so first
    }

    @Override
    public void release(String key, String attempt) {
        try {
            String condition = "#" + ATTEMPT + " = :attempt";
            dynamo.deleteItem(r -> r.tableName(table).key(RequestItems.key(key)).conditionExpression(condition)
                    .expressionAttributeNames(Update.namesIn(condition)).expressionAttributeValues(Map.of(":attempt", s(attempt))));
        } catch (ConditionalCheckFailedException taken) {
            // another attempt owns the record now, or this delete's own earlier attempt removed it
        }
    }

    @Override
    public void abandon(String key, String attempt, long nowMillis, long inProgressUntil, boolean sent, long ambiguousAt) {
        Update update = running(key, attempt).set("inProgressUntil", n(inProgressUntil)).set("abandonedAt", n(nowMillis));
        if (sent) {
            update.set("sentAt", n(nowMillis));
        }
        if (ambiguousAt > 0) {
            update.set("ambiguousAt", n(ambiguousAt));
        }
        written(update);
    }

    /**
     * An update of the attempt's own record while it is in progress: a late or repeated write of an ending it already wrote
     * changes nothing.
     */
    private static Update running(String key, String attempt) {
        return new Update(RequestItems.key(key)).when("#" + ATTEMPT + " = :attempt AND #" + RequestItems.STATUS + " = :inProgress")
                .value(":attempt", s(attempt)).value(":inProgress", s(RequestStatus.IN_PROGRESS.attributeValue()));
    }

    /** Whether the conditional update was written. */
    private boolean written(Update update) {
        try {
            dynamo.updateItem(update.request(table, ReturnValue.NONE));
            return true;
        } catch (ConditionalCheckFailedException notNow) {
            return false;
        }
    }

    private static Map<String, AttributeValue> toItem(RequestRecord record) {
        Map<String, AttributeValue> item = new HashMap<>();
        item.put(RequestItems.KEY, s(record.key()));
        item.put(RequestItems.STATUS, s(record.status().attributeValue()));
        item.put("fingerprint", s(record.fingerprint()));
        item.put("operation", s(record.operation()));
        item.put("connectionId", s(record.connectionId()));
        if (record.meetingId() != null) {
            item.put("meetingId", s(record.meetingId()));
        }
        if (record.occurrenceId() != null) {
            item.put(RequestItems.OCCURRENCE_ID, s(record.occurrenceId()));
        }
        item.put("attempt", s(record.attempt()));
        item.put("startedAt", n(record.startedAt()));
        item.put("attemptDeadline", n(record.attemptDeadline()));
        item.put("inProgressUntil", n(record.inProgressUntil()));
        item.put(RequestItems.EXPIRES_AT, n(record.expiresAt()));
        item.put("firstStartedAt", n(record.firstStartedAt()));
        item.put("attempts", n(record.attempts()));
        if (record.sentAt() > 0) {
            item.put("sentAt", n(record.sentAt()));
        }
        if (record.ambiguousAt() > 0) {
            item.put("ambiguousAt", n(record.ambiguousAt()));
        }
        if (record.status() == RequestStatus.FAILED) {
            RequestRecord.StoredProblem problem = record.problem();
            item.put("completedAt", n(record.completedAt()));
            item.put("problemType", s(problem.type()));
            item.put("problemStatus", n(problem.status()));
            item.put("problemDetail", s(problem.detail()));
            if (problem.code() != null) {
                item.put("problemCode", n(problem.code()));
            }
        }
        if (record.unpublishedEvent() != null) {
            item.put(RequestItems.EVENT_TYPE, s(record.unpublishedEvent().detailType()));
            item.put(RequestItems.EVENT, s(record.unpublishedEvent().detail()));
        }
        return item;
    }
}
