package dev.zoomscheduler.idempotency;

import static dev.zoomscheduler.dynamodb.Attributes.n;
import static dev.zoomscheduler.dynamodb.Attributes.number;
import static dev.zoomscheduler.dynamodb.Attributes.s;
import static dev.zoomscheduler.dynamodb.Attributes.string;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;

import dev.zoomscheduler.outcomes.OutcomeEvent;

import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;
import software.amazon.awssdk.services.dynamodb.model.Update;

/**
 * The request table in DynamoDB (docs/configuration.md): key {@code idempotencyKey}, TTL attribute {@code expiresAt}. The records of a
 * meeting are found through a second key in the same table, {@code meeting#<id>}, whose {@code requestKeys} lists them and
 * whose {@code createdBy} names the one key whose create made (or adopted) it: both are written in the same transaction as
 * the completion that names the meeting, so Zoom's meeting events cost one read per meeting whatever the table's size, the
 * table needs no index, and no meeting is ever claimed by two keys.
 */
@ApplicationScoped
public class DynamoDbRequestStore implements RequestStore {

    private static final String KEY = "idempotencyKey";
    /** Idempotency keys never contain '#' (IdempotencyKeys), so these keys cannot meet a request's. */
    private static final String MEETING_PREFIX = "meeting#";
    private static final String REQUEST_KEYS = "requestKeys";
    private static final String CREATED_BY = "createdBy";
    private static final String OWNED = "attempt = :attempt";
    /** The attempt owns the record and has not ended it: a late or repeated write of an ending it already wrote changes nothing. */
    private static final String RUNNING = OWNED + " AND #status = :inProgress";
    private static final String EVENT_TYPE = "outcomeEventType";
    private static final String EVENT = "outcomeEvent";
    private static final String FIELD_TIMES = "meetingFieldTimes";
    private static final String EVENTS_APPLIED = "meetingEvents";

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
        return put(record, "attribute_not_exists(" + KEY + ") OR expiresAt < :nowSeconds", Map.of(":nowSeconds", n(nowMillis / 1000)));
    }

    @Override
    public Begin takeOver(String abandoned, RequestRecord successor, long nowMillis) {
        return put(successor, OWNED + " AND #status = :inProgress AND inProgressUntil < :nowMillis", Map.of(
                ":attempt", s(abandoned),
                ":inProgress", s(RequestStatus.IN_PROGRESS.attributeValue()),
                ":nowMillis", n(nowMillis)));
    }

    @Override
    public boolean refuse(RequestRecord refused, long nowMillis) {
        return begin(refused, nowMillis).began();
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
    public Completion complete(String key, String attempt, int status, String body, String meetingId, boolean claims, OutcomeEvent event,
            long nowMillis) {
        Map<String, AttributeValue> values = new HashMap<>(Map.of(
                ":status", s(RequestStatus.COMPLETED.attributeValue()),
                ":resultStatus", n(status),
                ":resultBody", s(body),
                ":now", n(nowMillis)));
        String update = "SET #status = :status, resultStatus = :resultStatus, resultBody = :resultBody, completedAt = :now"
                + withEvent(event, values);
        if (meetingId == null) {
            return runningUpdate(key, attempt, update, values) ? Completion.DONE : Completion.NOT_OWNER;
        }
        values.put(":meetingId", s(meetingId));
        values.put(":attempt", s(attempt));
        values.put(":inProgress", s(RequestStatus.IN_PROGRESS.attributeValue()));
        Update completion = Update.builder().tableName(table).key(key(key)).conditionExpression(RUNNING)
                .updateExpression(update + ", meetingId = :meetingId")
                .expressionAttributeNames(Map.of("#status", "status")).expressionAttributeValues(values).build();
        Map<String, AttributeValue> linkValues = new HashMap<>(Map.of(":key", AttributeValue.fromSs(List.of(key)),
                ":expiresAt", n(nowMillis / 1000 + ttl.toSeconds())));
        Update.Builder link = Update.builder().tableName(table).key(key(MEETING_PREFIX + meetingId))
                .updateExpression("ADD " + REQUEST_KEYS + " :key SET expiresAt = :expiresAt" + (claims ? ", " + CREATED_BY + " = :owner" : ""));
        if (claims) {
            // the same key may claim it again (a repeat of this write whose answer was lost); no other key may
            link.conditionExpression("attribute_not_exists(" + CREATED_BY + ") OR " + CREATED_BY + " = :owner");
            linkValues.put(":owner", s(key));
        }
        link.expressionAttributeValues(linkValues);
        try {
            dynamo.transactWriteItems(r -> r.transactItems(TransactWriteItem.builder().update(completion).build(),
                    TransactWriteItem.builder().update(link.build()).build()));
            return Completion.DONE;
        } catch (TransactionCanceledException e) {
            List<CancellationReason> reasons = e.cancellationReasons();
            if (failedCondition(reasons, 0)) {
                return Completion.NOT_OWNER; // another attempt owns the record now
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
    public Optional<String> meetingOwner(String meetingId) {
        Map<String, AttributeValue> link = dynamo.getItem(r -> r.tableName(table).key(key(MEETING_PREFIX + meetingId))
                .consistentRead(true)).item();
        return Optional.ofNullable(link == null ? null : string(link, CREATED_BY));
    }

    @Override
    public List<RequestRecord> forMeeting(String meetingId) {
        Map<String, AttributeValue> link = dynamo.getItem(r -> r.tableName(table).key(key(MEETING_PREFIX + meetingId))
                .consistentRead(true)).item();
        List<RequestRecord> found = new ArrayList<>();
        if (link != null && link.containsKey(REQUEST_KEYS)) {
            link.get(REQUEST_KEYS).ss().forEach(requestKey -> read(requestKey).ifPresent(found::add));
        }
        return found;
    }

    @Override
    public MeetingEventWrite recordMeetingEvents(RequestRecord seen, RequestRecord.MeetingEvents events, String resultBody) {
        int seenApplied = seen.meetingEvents() == null ? 0 : seen.meetingEvents().applied();
        Map<String, AttributeValue> values = new HashMap<>(Map.of(
                ":meetingState", s(events.state()),
                ":eventAt", n(events.latestAt()),
                ":applied", n(events.applied()),
                ":fieldTimes", AttributeValue.fromM(events.fieldTimes().entrySet().stream()
                        .collect(Collectors.toMap(Map.Entry::getKey, field -> n(field.getValue()))))));
        String update = "SET meetingState = :meetingState, meetingEventAt = :eventAt, " + EVENTS_APPLIED + " = :applied, "
                + FIELD_TIMES + " = :fieldTimes";
        String condition = "attribute_exists(" + KEY + ") AND ";
        if (seenApplied == 0) {
            condition += "attribute_not_exists(" + EVENTS_APPLIED + ")";
        } else {
            condition += EVENTS_APPLIED + " = :seenApplied";
            values.put(":seenApplied", n(seenApplied));
        }
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
                    .conditionExpression(required).expressionAttributeValues(values)
                    .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD));
            return new MeetingEventWrite(true, null);
        } catch (ConditionalCheckFailedException newerOrChanged) {
            Map<String, AttributeValue> found = newerOrChanged.item();
            return new MeetingEventWrite(false, found == null || found.isEmpty() ? null : toRecord(found));
        }
    }

    @Override
    public boolean fail(String key, String attempt, RequestRecord.StoredProblem problem, OutcomeEvent event, long nowMillis) {
        Map<String, AttributeValue> values = new HashMap<>(Map.of(
                ":status", s(RequestStatus.FAILED.attributeValue()),
                ":problemType", s(problem.type()),
                ":problemStatus", n(problem.status()),
                ":problemDetail", s(problem.detail()),
                ":now", n(nowMillis)));
        String update = "SET #status = :status, problemType = :problemType, problemStatus = :problemStatus,"
                + " problemDetail = :problemDetail, completedAt = :now" + withEvent(event, values);
        if (problem.code() != null) {
            values.put(":problemCode", n(problem.code()));
            update += ", problemCode = :problemCode";
        }
        return runningUpdate(key, attempt, update, values);
    }

    /** The part of an ending that keeps its outcome event, in the same write. */
    private static String withEvent(OutcomeEvent event, Map<String, AttributeValue> values) {
        if (event == null) {
            return "";
        }
        values.put(":eventType", s(event.detailType()));
        values.put(":event", s(event.detail()));
        return ", " + EVENT_TYPE + " = :eventType, " + EVENT + " = :event";
    }

    @Override
    public void published(String key, OutcomeEvent event) {
        try {
            dynamo.updateItem(r -> r.tableName(table).key(key(key)).updateExpression("REMOVE " + EVENT_TYPE + ", " + EVENT)
                    .conditionExpression(EVENT + " = :event").expressionAttributeValues(Map.of(":event", s(event.detail()))));
        } catch (ConditionalCheckFailedException alreadyNoted) {
            // another attempt or instance published it and said so first
        }
    }

    @Override
    public void release(String key, String attempt) {
        try {
            dynamo.deleteItem(r -> r.tableName(table).key(key(key)).conditionExpression(OWNED)
                    .expressionAttributeValues(Map.of(":attempt", s(attempt))));
        } catch (ConditionalCheckFailedException taken) {
            // another attempt owns the record now, or this delete's own earlier attempt removed it
        }
    }

    @Override
    public void abandon(String key, String attempt, long nowMillis, long inProgressUntil, boolean sent, long ambiguousAt) {
        Map<String, AttributeValue> values = new HashMap<>(Map.of(":now", n(nowMillis), ":until", n(inProgressUntil)));
        String update = "SET inProgressUntil = :until, abandonedAt = :now" + (sent ? ", sentAt = :now" : "");
        if (ambiguousAt > 0) {
            values.put(":ambiguousAt", n(ambiguousAt));
            update += ", ambiguousAt = :ambiguousAt";
        }
        runningUpdate(key, attempt, update, values);
    }

    /** An update of the attempt's record while it is in progress; false if the attempt no longer owns it or it has ended. */
    private boolean runningUpdate(String key, String attempt, String update, Map<String, AttributeValue> values) {
        Map<String, AttributeValue> all = new HashMap<>(values);
        all.put(":attempt", s(attempt));
        all.put(":inProgress", s(RequestStatus.IN_PROGRESS.attributeValue()));
        try {
            dynamo.updateItem(r -> r.tableName(table).key(key(key)).updateExpression(update).conditionExpression(RUNNING)
                    .expressionAttributeNames(Map.of("#status", "status"))
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
        if (record.occurrenceId() != null) {
            item.put("occurrenceId", s(record.occurrenceId()));
        }
        item.put("attempt", s(record.attempt()));
        item.put("startedAt", n(record.startedAt()));
        item.put("attemptDeadline", n(record.attemptDeadline()));
        item.put("inProgressUntil", n(record.inProgressUntil()));
        item.put("expiresAt", n(record.expiresAt()));
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
            item.put(EVENT_TYPE, s(record.unpublishedEvent().detailType()));
            item.put(EVENT, s(record.unpublishedEvent().detail()));
        }
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
                string(item, "occurrenceId"),
                string(item, "attempt"),
                number(item, "startedAt"),
                item.containsKey("attemptDeadline") ? number(item, "attemptDeadline") : number(item, "inProgressUntil"),
                number(item, "inProgressUntil"),
                number(item, "expiresAt"),
                number(item, "completedAt"),
                (int) number(item, "resultStatus"),
                string(item, "resultBody"),
                problem,
                meetingEvents(item),
                number(item, "firstStartedAt"),
                (int) number(item, "attempts"),
                number(item, "abandonedAt"),
                number(item, "sentAt"),
                number(item, "ambiguousAt"),
                item.containsKey(EVENT) ? new OutcomeEvent(string(item, EVENT_TYPE), string(item, EVENT)) : null);
    }

    /** What Zoom's events said; records written before field times were kept have an empty map (every field counts as unset). */
    private static RequestRecord.MeetingEvents meetingEvents(Map<String, AttributeValue> item) {
        if (!item.containsKey("meetingState")) {
            return null;
        }
        Map<String, Long> fieldTimes = new HashMap<>();
        AttributeValue times = item.get(FIELD_TIMES);
        if (times != null && times.hasM()) {
            times.m().forEach((field, at) -> fieldTimes.put(field, Long.parseLong(at.n())));
        }
        return new RequestRecord.MeetingEvents(string(item, "meetingState"), number(item, "meetingEventAt"),
                (int) number(item, EVENTS_APPLIED), fieldTimes);
    }

    private static Map<String, AttributeValue> key(String key) {
        return Map.of(KEY, s(key));
    }
}
