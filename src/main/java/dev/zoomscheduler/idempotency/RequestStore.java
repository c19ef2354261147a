package dev.zoomscheduler.idempotency;

import java.util.List;
import java.util.Optional;

import dev.zoomscheduler.outcomes.OutcomeEvent;

/**
 * Persistence of request records. Only the attempt that began a record may finish it: every write after
 * {@link #begin} is conditional on its attempt id.
 */
public interface RequestStore {

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
     * Records Zoom's answer, and the meeting it made or acted on (null if none), with its outcome event if that is still
     * to be published (null if none); false if the attempt no longer owns the record.
     */
    boolean complete(String key, String attempt, int status, String body, String meetingId, OutcomeEvent unpublished, long nowMillis);

    /** The records of requests that made or acted on a meeting (for Zoom's meeting events), without scanning the table. */
    List<RequestRecord> forMeeting(String meetingId);

    /**
     * Records what a Zoom event said of the record's meeting, unless an event as late or later was recorded already;
     * {@code resultBody} (null: unchanged) replaces the stored answer only if it is still the one {@code seen} holds.
     */
    MeetingEventWrite recordMeetingEvent(RequestRecord seen, String meetingState, long eventAtMillis, String resultBody);

    /** Records a final failure, with its outcome event if that is still to be published; false if the attempt no longer owns the record. */
    boolean fail(String key, String attempt, RequestRecord.StoredProblem problem, OutcomeEvent unpublished, long nowMillis);

    /** Notes that the record's outcome event {@code event} was published (nothing if the record no longer holds it). */
    void published(String key, OutcomeEvent event);

    /**
     * Removes the record of a first attempt that changed nothing at Zoom, so that the request can be tried again as new.
     */
    void release(String key, String attempt);

    /**
     * Ends the attempt's time at once and keeps the record: the outcome at Zoom of this or an earlier attempt is unknown,
     * so the next attempt must look before it acts.
     */
    void abandon(String key, String attempt, long nowMillis);

    /**
     * Outcome of {@link #recordMeetingEvent}.
     *
     * @param found if not applied: the record as the failed condition found it (null: gone)
     */
    record MeetingEventWrite(boolean applied, RequestRecord found) {
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
