package dev.zoomscheduler.idempotency;

import static dev.zoomscheduler.dynamodb.Attributes.s;

import java.util.Map;

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
}
