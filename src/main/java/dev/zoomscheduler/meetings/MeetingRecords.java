package dev.zoomscheduler.meetings;

import java.util.List;
import java.util.Optional;

import dev.zoomscheduler.idempotency.RequestRecord;

/**
 * The meeting index of the request table: the records of the requests that made or acted on a meeting (each linked to it
 * when it completed), which key a created meeting belongs to, and what Zoom's later events about the meeting said. Reads
 * are consistent; every write is conditional on what it read.
 */
public interface MeetingRecords {

    /** The idempotency key whose create made (or recovered) the meeting, if any. */
    Optional<String> holder(String meetingId);

    /** The records of the requests on a meeting, as its events see them, without scanning the table. */
    List<MeetingRecord> of(String meetingId);

    /** The record of the request of {@code key} and what Zoom's events have said of its meeting, from one read. */
    Optional<StoredRequest> request(String key);

    /**
     * Records {@code events} and the answer they leave ({@code resultBody}, null: unchanged), if the record still holds the
     * events {@code seen} holds and, for a new answer, the answer it holds.
     */
    Revision revise(MeetingRecord seen, MeetingEvents events, String resultBody);

    /**
     * A request's record as the events of its meeting see it.
     *
     * @param occurrenceId the one occurrence the request acted on (null: the whole meeting)
     * @param resultBody Zoom's answer as stored (a create's meeting), or null
     * @param events what the meeting's events said so far, or null
     */
    record MeetingRecord(String key, String occurrenceId, String resultBody, MeetingEvents events) {

        /** The stored answer holds the meeting's start_url, which carries the host's ZAK (a credential). */
        @Override
        public String toString() {
            return "MeetingRecord[key=" + key + ", occurrenceId=" + occurrenceId + "]";
        }
    }

    /** @param events what Zoom's events have said of the request's meeting, or null */
    record StoredRequest(RequestRecord record, MeetingEvents events) {
    }

    /** @param found if not applied: the record as the failed condition found it (null: gone) */
    record Revision(boolean applied, MeetingRecord found) {
    }
}
