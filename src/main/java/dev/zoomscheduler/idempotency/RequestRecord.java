package dev.zoomscheduler.idempotency;

import java.util.UUID;

import dev.zoomscheduler.outcomes.OutcomeEvent;
import dev.zoomscheduler.outcomes.OutcomeEvents;

/**
 * One item of the request table: what happened to the request of an idempotency key.
 *
 * @param meetingId the meeting acted on (null for a create until it completes)
 * @param occurrenceId the one occurrence of a recurring meeting acted on (null: the whole meeting)
 * @param attempt id of the attempt that owns the record while it is in progress
 * @param startedAt epoch milliseconds at which that attempt began
 * @param attemptDeadline epoch milliseconds at which that attempt's invocation ends (Lambda's deadline): after it the
 *        attempt is surely dead, though work it began at Zoom may still land
 * @param inProgressUntil epoch milliseconds until which nobody else may act for the key: the attempt's deadline, or the
 *        moment it gave up, plus the in-doubt period in which work it began at Zoom may still land
 * @param expiresAt epoch seconds at which DynamoDB's TTL deletes the record
 * @param resultStatus Zoom's status, once completed
 * @param resultBody Zoom's body, once completed
 * @param problem the failure, once failed
 * @param firstStartedAt epoch milliseconds at which the request's first attempt began (0 in records older than it:
 *        then {@code startedAt})
 * @param attempts how many attempts began (0 in records older than it: then one)
 * @param abandonedAt epoch milliseconds at which the last attempt ended without an outcome (0: it did not say so)
 * @param sentAt epoch milliseconds at which an attempt last said it had sent the request to Zoom and did not hear what
 *        became of it (0: no attempt said so; one that crashed says nothing)
 * @param ambiguousAt epoch milliseconds at which an attempt first found several meetings that earlier attempts may have
 *        made (0: never)
 * @param unpublishedEvent the outcome event of a completed or failed request that may not have reached EventBridge, or null
 */
public record RequestRecord(
        String key,
        RequestStatus status,
        String fingerprint,
        String operation,
        String connectionId,
        String meetingId,
        String occurrenceId,
        String attempt,
        long startedAt,
        long attemptDeadline,
        long inProgressUntil,
        long expiresAt,
        long completedAt,
        int resultStatus,
        String resultBody,
        StoredProblem problem,
        long firstStartedAt,
        int attempts,
        long abandonedAt,
        long sentAt,
        long ambiguousAt,
        OutcomeEvent unpublishedEvent) {

    /**
     * The record of a new request's first attempt.
     *
     * @param inDoubt how long after the attempt's deadline its work at Zoom may still land
     */
    public static RequestRecord firstAttempt(String key, RequestDescription request, String attempt, long nowMillis,
            long deadlineMillis, long inDoubtMillis, long expiresAt) {
        return new RequestRecord(key, RequestStatus.IN_PROGRESS, request.fingerprint(), request.operation(), request.connectionId(),
                request.meetingId(), request.occurrenceId(), attempt, nowMillis, deadlineMillis, deadlineMillis + inDoubtMillis, expiresAt, 0, 0, null, null,
                nowMillis, 1, 0, 0, 0, null);
    }

    /** The record of a request refused for what it says before any attempt: failed at once, with its outcome event. */
    public static RequestRecord refused(String key, RequestDescription request, long nowMillis, long expiresAt, StoredProblem problem,
            OutcomeEvent event) {
        return new RequestRecord(key, RequestStatus.FAILED, request.fingerprint(), request.operation(), request.connectionId(),
                request.meetingId(), request.occurrenceId(), UUID.randomUUID().toString(), nowMillis, nowMillis, nowMillis, expiresAt,
                nowMillis, 0, null, problem, nowMillis, 1, 0, 0, 0, event);
    }

    /** This attempt's record as the successor of {@code abandoned}: it keeps the request's first start and counts on. */
    public RequestRecord succeeding(RequestRecord abandoned) {
        return new RequestRecord(key, status, fingerprint, operation, connectionId, meetingId, occurrenceId, attempt, startedAt, attemptDeadline,
                inProgressUntil, expiresAt, completedAt, resultStatus, resultBody, problem,
                abandoned.requestStartedAt(), abandoned.attemptCount() + 1, 0, abandoned.sentAt(), abandoned.ambiguousAt(), unpublishedEvent);
    }

    /** Whether the next attempt may take over: the last one is over, and whatever it began at Zoom has had time to land. */
    public boolean abandonedAt(long nowMillis) {
        return status == RequestStatus.IN_PROGRESS && inProgressUntil < nowMillis;
    }

    /**
     * Whether the last attempt is over (it said so, or its invocation has ended) but what it did at Zoom is not known yet:
     * nobody may act for the key until {@code inProgressUntil}.
     */
    public boolean inDoubtAt(long nowMillis) {
        return status == RequestStatus.IN_PROGRESS && !abandonedAt(nowMillis) && (abandonedAt > 0 || attemptDeadline < nowMillis);
    }

    /** The request as its outcome event names it. */
    public OutcomeEvents.Request outcomeRequest() {
        return new OutcomeEvents.Request(key, connectionId, operation, occurrenceId);
    }

    /** The answer a completed request got. */
    public Reply reply() {
        return new Reply(resultStatus, resultBody);
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
                + ", meetingId=" + meetingId + ", occurrenceId=" + occurrenceId + ", resultStatus=" + resultStatus + "]";
    }

    /** A failure as it was answered, kept so that a repeat gets the same answer. */
    public record StoredProblem(String type, int status, String detail, Integer code) {
    }
}
