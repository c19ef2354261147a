package dev.zoomscheduler.meetings;

import static dev.zoomscheduler.dynamodb.Attributes.n;
import static dev.zoomscheduler.dynamodb.Attributes.number;
import static dev.zoomscheduler.dynamodb.Attributes.s;
import static dev.zoomscheduler.dynamodb.Attributes.string;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;

import dev.zoomscheduler.dynamodb.Update;
import dev.zoomscheduler.idempotency.IdempotencySettings;
import dev.zoomscheduler.idempotency.RequestItems;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;

/**
 * The meeting index in the request table ({@link RequestItems}): a meeting's link item lists the keys of its requests and
 * names the key that holds it; the events of a meeting are kept in its requests' records, beside their stored answer.
 * Records written before field times were kept have none (every field counts as unset).
 */
@ApplicationScoped
public class DynamoDbMeetingRecords implements MeetingRecords {

    private static final String STATE = "meetingState";
    private static final String LATEST_AT = "meetingEventAt";
    private static final String APPLIED = "meetingEvents";
    private static final String FIELD_TIMES = "meetingFieldTimes";

    private final DynamoDbClient dynamo;
    private final String table;

    public DynamoDbMeetingRecords(DynamoDbClient dynamo, IdempotencySettings settings) {
        this.dynamo = dynamo;
        this.table = settings.table();
    }

    @Override
    public Optional<String> holder(String meetingId) {
        return Optional.ofNullable(string(link(meetingId), RequestItems.CREATED_BY));
    }

    @Override
    public List<MeetingRecord> of(String meetingId) {
        List<MeetingRecord> found = new ArrayList<>();
        AttributeValue keys = link(meetingId).get(RequestItems.REQUEST_KEYS);
        if (keys != null) {
            keys.ss().forEach(key -> read(key).map(DynamoDbMeetingRecords::toRecord).ifPresent(found::add));
        }
        return found;
    }

    @Override
    public Optional<StoredRequest> request(String key) {
        return read(key).map(item -> new StoredRequest(RequestItems.toRecord(item), events(item)));
    }

    @Override
    public Revision revise(MeetingRecord seen, MeetingEvents events, String resultBody) {
        int seenApplied = seen.events() == null ? 0 : seen.events().applied();
        Update update = new Update(RequestItems.key(seen.key()))
                .set(STATE, s(events.state()))
                .set(LATEST_AT, n(events.latestAt()))
                .set(APPLIED, n(events.applied()))
                .set(FIELD_TIMES, AttributeValue.fromM(events.fieldTimes().entrySet().stream()
                        .collect(Collectors.toMap(Map.Entry::getKey, field -> n(field.getValue())))))
                .when("attribute_exists(#" + RequestItems.KEY + ")")
                .when(seenApplied == 0 ? "attribute_not_exists(#" + APPLIED + ")" : "#" + APPLIED + " = :seenApplied");
        if (seenApplied > 0) {
            update.value(":seenApplied", n(seenApplied));
        }
        if (resultBody != null && seen.resultBody() != null) {
            update.set(RequestItems.RESULT_BODY, s(resultBody)).when("#" + RequestItems.RESULT_BODY + " = :seenBody")
                    .value(":seenBody", s(seen.resultBody()));
        }
        try {
            dynamo.updateItem(update.request(table, ReturnValue.NONE));
            return new Revision(true, null);
        } catch (ConditionalCheckFailedException newerOrChanged) {
            Map<String, AttributeValue> found = newerOrChanged.item();
            return new Revision(false, found == null || found.isEmpty() ? null : toRecord(found));
        }
    }

    private Map<String, AttributeValue> link(String meetingId) {
        Map<String, AttributeValue> item = dynamo.getItem(r -> r.tableName(table).key(RequestItems.meetingLink(meetingId))
                .consistentRead(true)).item();
        return item == null ? Map.of() : item;
    }

    private Optional<Map<String, AttributeValue>> read(String key) {
        Map<String, AttributeValue> item = dynamo.getItem(r -> r.tableName(table).key(RequestItems.key(key)).consistentRead(true)).item();
        return item == null || item.isEmpty() ? Optional.empty() : Optional.of(item);
    }

    private static MeetingRecord toRecord(Map<String, AttributeValue> item) {
        return new MeetingRecord(string(item, RequestItems.KEY), string(item, RequestItems.OCCURRENCE_ID),
                string(item, RequestItems.RESULT_BODY), events(item));
    }

    private static MeetingEvents events(Map<String, AttributeValue> item) {
        if (!item.containsKey(STATE)) {
            return null;
        }
        Map<String, Long> fieldTimes = new HashMap<>();
        AttributeValue times = item.get(FIELD_TIMES);
        if (times != null && times.hasM()) {
            times.m().forEach((field, at) -> fieldTimes.put(field, Long.parseLong(at.n())));
        }
        return new MeetingEvents(string(item, STATE), number(item, LATEST_AT), (int) number(item, APPLIED), fieldTimes);
    }
}
