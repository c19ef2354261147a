package dev.zoomscheduler.idempotency;

import dev.zoomscheduler.outcomes.OutcomeEvent;

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
 * @param firstStartedAt epoch milliseconds at which the request's first attempt began (0 in records older than it:
 *        then {@code startedAt})
 * @param attempts how many attempts began (0 in records older than it: then one)
 * @param unpublishedEvent the outcome event of a completed or failed request that EventBridge has not taken yet, or null
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
        long meetingEventAt,
        long firstStartedAt,
        int attempts,
        OutcomeEvent unpublishedEvent) {

    /** The record of a new request's first attempt. */
    public static RequestRecord firstAttempt(String key, RequestDescription request, String attempt, long nowMillis,
            long inProgressUntil, long expiresAt) {
        return new RequestRecord(key, RequestStatus.IN_PROGRESS, request.fingerprint(), request.operation(), request.connectionId(),
                request.meetingId(), attempt, nowMillis, inProgressUntil, expiresAt, 0, 0, null, null, null, 0, nowMillis, 1, null);
    }

    /** This attempt's record as the successor of {@code abandoned}: it keeps the request's first start and counts on. */
    public RequestRecord succeeding(RequestRecord abandoned) {
        return new RequestRecord(key, status, fingerprint, operation, connectionId, meetingId, attempt, startedAt, inProgressUntil,
                expiresAt, completedAt, resultStatus, resultBody, problem, meetingState, meetingEventAt,
                abandoned.requestStartedAt(), abandoned.attemptCount() + 1, unpublishedEvent);
    }

    /** Whether its last attempt ended (or its Lambda time ran out) without an outcome: the next attempt takes over. */
    public boolean abandonedAt(long nowMillis) {
        return status == RequestStatus.IN_PROGRESS && inProgressUntil < nowMillis;
    }

    /** When the request's first attempt began. */
    public long requestStartedAt() {
        return firstStartedAt > 0 ? firstStartedAt : startedAt;
    }

    public int attemptCount() {
        return Math.max(attempts, 1);
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
