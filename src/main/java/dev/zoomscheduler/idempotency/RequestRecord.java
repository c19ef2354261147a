package dev.zoomscheduler.idempotency;

/**
 * One item of the request table: what happened to the request of an idempotency key.
 *
 * @param meetingId the meeting acted on (null for a create until it completes)
 * @param attempt id of the attempt that owns the record while it is in progress
 * @param startedAt epoch milliseconds at which that attempt began
 * @param inProgressUntil epoch milliseconds after which an unfinished attempt counts as dead (its Lambda time ran out)
 * @param expiresAt epoch seconds at which DynamoDB's TTL deletes the record
 * @param resultStatus Zoom's status, once completed
 * @param resultBody Zoom's body, once completed
 * @param problem the failure, once failed
 * @param meetingState what Zoom's events said of the meeting since ({@code updated}, {@code deleted}), or null
 * @param meetingEventAt epoch milliseconds of the last such event (Zoom's {@code event_ts}), or 0
 */
public record RequestRecord(
        String key,
        RequestStatus status,
        String fingerprint,
        String operation,
        String connectionId,
        String meetingId,
        String attempt,
        long startedAt,
        long inProgressUntil,
        long expiresAt,
        long completedAt,
        int resultStatus,
        String resultBody,
        StoredProblem problem,
        String meetingState,
        long meetingEventAt) {

    public boolean inProgressAt(long nowMillis) {
        return status == RequestStatus.IN_PROGRESS && inProgressUntil > nowMillis;
    }

    /** The stored answer holds the meeting's start_url, which carries the host's ZAK (a credential). */
    @Override
    public String toString() {
        return "RequestRecord[key=" + key + ", status=" + status + ", operation=" + operation + ", connectionId=" + connectionId
                + ", meetingId=" + meetingId + ", resultStatus=" + resultStatus + "]";
    }

    /** A failure as it was answered, kept so that a repeat gets the same answer. */
    public record StoredProblem(String type, int status, String detail, Integer code) {
    }
}
