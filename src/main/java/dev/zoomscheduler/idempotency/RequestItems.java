package dev.zoomscheduler.idempotency;

import static dev.zoomscheduler.dynamodb.Attributes.number;
import static dev.zoomscheduler.dynamodb.Attributes.s;
import static dev.zoomscheduler.dynamodb.Attributes.string;

import java.util.Map;

import dev.zoomscheduler.dynamodb.StoredEnum;
import dev.zoomscheduler.outcomes.OutcomeEvent;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The request table's items (layout in docs/configuration.md) that more than one store reads or writes: a request's
 * record ({@link DynamoDbRequestStore}), the link item of a meeting, {@code meeting#<id>}, which names the records of the
 * requests on it and the key whose create holds it (written with a record's completion, read by the meeting index), and
 * the pending installs that share the table ({@code oauth-state#<hash>}). Idempotency keys never contain {@code #}
 * (IdempotencyKeys), so these keys cannot meet a request's.
 */
public final class RequestItems {

    public static final String KEY = "idempotencyKey";
    public static final String EXPIRES_AT = "expiresAt";
    public static final String STATUS = "status";
    public static final String RESULT_BODY = "resultBody";
    public static final String OCCURRENCE_ID = "occurrenceId";
    /** The link item's list of the keys of the requests on the meeting, and the key whose create holds it. */
    public static final String REQUEST_KEYS = "requestKeys";
    public static final String CREATED_BY = "createdBy";
    /** A record's outcome event until it is known to be published. */
    static final String EVENT_TYPE = "outcomeEventType";
    static final String EVENT = "outcomeEvent";

    private static final String MEETING_PREFIX = "meeting#";

    private RequestItems() {
    }

    public static Map<String, AttributeValue> key(String key) {
        return Map.of(KEY, s(key));
    }

    /** The key of a meeting's link item. */
    public static Map<String, AttributeValue> meetingLink(String meetingId) {
        return key(MEETING_PREFIX + meetingId);
    }

    /** A request's record, as its item holds it. */
    public static RequestRecord toRecord(Map<String, AttributeValue> item) {
        RequestRecord.StoredProblem problem = item.containsKey("problemType")
                ? new RequestRecord.StoredProblem(string(item, "problemType"), (int) number(item, "problemStatus"),
                        string(item, "problemDetail"), item.containsKey("problemCode") ? (int) number(item, "problemCode") : null)
                : null;
        return new RequestRecord(
                string(item, RequestItems.KEY),
                StoredEnum.read(RequestStatus.class, string(item, RequestItems.STATUS), null),
                string(item, "fingerprint"),
                string(item, "operation"),
                string(item, "connectionId"),
                string(item, "meetingId"),
                string(item, RequestItems.OCCURRENCE_ID),
                string(item, "attempt"),
                number(item, "startedAt"),
                item.containsKey("attemptDeadline") ? number(item, "attemptDeadline") : number(item, "inProgressUntil"),
                number(item, "inProgressUntil"),
                number(item, "expiresAt"),
                number(item, "completedAt"),
                (int) number(item, "resultStatus"),
                string(item, RequestItems.RESULT_BODY),
                problem,
                number(item, "firstStartedAt"),
                (int) number(item, "attempts"),
                number(item, "abandonedAt"),
                number(item, "sentAt"),
                number(item, "ambiguousAt"),
                item.containsKey(EVENT) ? new OutcomeEvent(string(item, EVENT_TYPE), string(item, EVENT)) : null);
    }
}
