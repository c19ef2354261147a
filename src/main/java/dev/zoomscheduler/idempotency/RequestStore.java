package dev.zoomscheduler.idempotency;

import java.util.Optional;

import dev.zoomscheduler.outcomes.OutboxRecords;
import dev.zoomscheduler.outcomes.OutcomeEvent;

/**
 * Persistence of request records. Only the attempt that began a record may finish it: every write after
 * {@link #begin} is conditional on its attempt id, so a write that is sent again after its answer was lost meets its own
 * result and changes nothing more.
 */
public interface RequestStore extends OutboxRecords {

    /**
     * Starts a request's first attempt: writes {@code record} (status in progress) unless a record of the key exists
     * (one whose TTL has passed but that DynamoDB has not yet removed does not count).
     */
    Begin begin(RequestRecord record, long nowMillis);

    /**
     * Starts the attempt {@code successor} in place of the abandoned attempt {@code abandoned} (in progress past its
     * time), if that one still holds the record: the record, and what it says of the first attempt, is kept.
     */
    Begin takeOver(String abandoned, RequestRecord successor, long nowMillis);

    Optional<RequestRecord> read(String key);

    /**
     * Records the answer, the meeting it made or acted on (null if none), and the outcome event to publish (null if none),
     * if the attempt still owns the record and it is still in progress. A create {@code claims} its meeting: it is linked
     * to this key alone, in the same write, and if another key holds it already nothing is written. Every record of a
     * meeting is linked to it, for Zoom's events about it (the meeting index, which meetings/ reads).
     */
    Completion complete(String key, String attempt, Reply reply, String meetingId, boolean claims, OutcomeEvent event, long nowMillis);

    /** Records a final failure, with its outcome event to publish (null if none); false if the attempt no longer owns the record. */
    boolean fail(String key, String attempt, RequestRecord.StoredProblem problem, OutcomeEvent event, long nowMillis);

    /**
     * Removes the record of a first attempt that changed nothing at Zoom, so that the request can be tried again as new.
     */
    void release(String key, String attempt);

    /**
     * Ends the attempt: the next may take over after {@code inProgressUntil} (now, if nothing it began at Zoom can still
     * land). {@code sent}: the attempt sent the request and does not know what Zoom did (kept as {@code sentAt}).
     * {@code ambiguousAt} (0: none) keeps when an attempt first put off adopting a meeting that may be another request's.
     */
    void abandon(String key, String attempt, long nowMillis, long inProgressUntil, boolean sent, long ambiguousAt);

    /** What {@link #complete} did. */
    enum Completion {
        DONE,
        /** Another attempt owns the record now: nothing was written. */
        NOT_OWNER,
        /** Another key holds the meeting: nothing was written. */
        MEETING_TAKEN
    }

    /**
     * Outcome of {@link #begin}.
     *
     * @param began whether this attempt now owns the record
     * @param previous if not began: the record that stands (null if it is gone); otherwise null
     */
    record Begin(boolean began, RequestRecord previous) {
    }
}
