package dev.zoomscheduler.exploration;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import dev.zoomscheduler.idempotency.Reply;
import dev.zoomscheduler.idempotency.RequestRecord;
import dev.zoomscheduler.idempotency.RequestStatus;
import dev.zoomscheduler.idempotency.RequestStore;
import dev.zoomscheduler.meetings.MeetingEvents;
import dev.zoomscheduler.meetings.MeetingRecords;
import dev.zoomscheduler.outcomes.OutcomeEvent;

/**
 * The request table in memory, with DynamoDB's semantics as DynamoDbRequestStore and DynamoDbMeetingRecords use them:
 * conditional puts and updates on the owning attempt, the completion of a meeting request as one transaction of the record
 * and the meeting's link item (all or nothing; a create's claim fails if another key holds the meeting), and the meeting
 * events kept beside each record.
 */
final class InMemoryRequestTable implements RequestStore, MeetingRecords {

    private final Map<String, RequestRecord> records = new TreeMap<>();
    private final Map<String, Link> links = new TreeMap<>();
    /** What Zoom's meeting events said, kept beside each record's answer (the meeting index). */
    private final Map<String, MeetingEvents> events = new TreeMap<>();

    /** The item {@code meeting#<id>}: the keys that acted on the meeting, and the one whose create holds it. */
    private record Link(Set<String> requestKeys, String createdBy) {
    }

    synchronized Map<String, RequestRecord> all() {
        return new TreeMap<>(records);
    }

    @Override
    public synchronized Begin begin(RequestRecord record, long nowMillis) {
        RequestRecord standing = records.get(record.key());
        if (standing == null || standing.expiresAt() < nowMillis / 1000) {
            records.put(record.key(), record);
            return new Begin(true, null);
        }
        return record.attempt().equals(standing.attempt()) ? new Begin(true, null) : new Begin(false, standing);
    }

    @Override
    public synchronized Begin takeOver(String abandoned, RequestRecord successor, long nowMillis) {
        RequestRecord standing = records.get(successor.key());
        if (standing != null && abandoned.equals(standing.attempt()) && standing.status() == RequestStatus.IN_PROGRESS
                && standing.inProgressUntil() < nowMillis) {
            records.put(successor.key(), successor);
            return new Begin(true, null);
        }
        return standing != null && successor.attempt().equals(standing.attempt()) ? new Begin(true, null) : new Begin(false, standing);
    }

    @Override
    public synchronized Optional<RequestRecord> read(String key) {
        return Optional.ofNullable(records.get(key));
    }

    @Override
    public synchronized Completion complete(String key, String attempt, Reply reply, String meetingId, boolean claims,
            OutcomeEvent event, long nowMillis) {
        RequestRecord r = records.get(key);
        if (!running(r, attempt)) {
            return Completion.NOT_OWNER;
        }
        Link link = meetingId == null ? null : links.get(meetingId);
        if (claims && link != null && link.createdBy() != null && !link.createdBy().equals(key)) {
            return Completion.MEETING_TAKEN;
        }
        records.put(key, new RequestRecord(key, RequestStatus.COMPLETED, r.fingerprint(), r.operation(), r.connectionId(),
                meetingId != null ? meetingId : r.meetingId(), r.occurrenceId(), attempt, r.startedAt(), r.attemptDeadline(), r.inProgressUntil(),
                r.expiresAt(), nowMillis, reply.status(), reply.body(), r.problem(), r.firstStartedAt(), r.attempts(), r.abandonedAt(),
                r.sentAt(), r.ambiguousAt(), event != null ? event : r.unpublishedEvent()));
        if (meetingId != null) {
            Set<String> keys = new TreeSet<>(link == null ? Set.of() : link.requestKeys());
            keys.add(key);
            links.put(meetingId, new Link(keys, claims ? key : link == null ? null : link.createdBy()));
        }
        return Completion.DONE;
    }

    /** DynamoDbRequestStore's condition on an attempt's own writes after it began: it owns the record, still in progress. */
    private static boolean running(RequestRecord r, String attempt) {
        return r != null && attempt.equals(r.attempt()) && r.status() == RequestStatus.IN_PROGRESS;
    }

    @Override
    public synchronized Optional<String> holder(String meetingId) {
        return Optional.ofNullable(links.get(meetingId)).map(Link::createdBy);
    }

    @Override
    public synchronized List<MeetingRecord> of(String meetingId) {
        List<MeetingRecord> found = new ArrayList<>();
        Link link = links.get(meetingId);
        if (link != null) {
            link.requestKeys().forEach(key -> read(key).map(this::asMeetingRecord).ifPresent(found::add));
        }
        return found;
    }

    @Override
    public synchronized Optional<StoredRequest> request(String key) {
        return read(key).map(record -> new StoredRequest(record, events.get(key)));
    }

    @Override
    public synchronized Revision revise(MeetingRecord seen, MeetingEvents revised, String resultBody) {
        RequestRecord r = records.get(seen.key());
        int seenApplied = seen.events() == null ? 0 : seen.events().applied();
        int applied = events.containsKey(seen.key()) ? events.get(seen.key()).applied() : 0;
        boolean bodyHeld = resultBody == null || seen.resultBody() == null || seen.resultBody().equals(r == null ? null : r.resultBody());
        if (r == null || applied != seenApplied || !bodyHeld) {
            return new Revision(false, r == null ? null : asMeetingRecord(r));
        }
        String body = resultBody != null && seen.resultBody() != null ? resultBody : r.resultBody();
        records.put(r.key(), new RequestRecord(r.key(), r.status(), r.fingerprint(), r.operation(), r.connectionId(), r.meetingId(),
                r.occurrenceId(), r.attempt(), r.startedAt(), r.attemptDeadline(), r.inProgressUntil(), r.expiresAt(), r.completedAt(),
                r.resultStatus(), body, r.problem(), r.firstStartedAt(), r.attempts(), r.abandonedAt(), r.sentAt(), r.ambiguousAt(),
                r.unpublishedEvent()));
        events.put(r.key(), revised);
        return new Revision(true, null);
    }

    private MeetingRecord asMeetingRecord(RequestRecord r) {
        return new MeetingRecord(r.key(), r.occurrenceId(), r.resultBody(), events.get(r.key()));
    }

    @Override
    public synchronized boolean fail(String key, String attempt, RequestRecord.StoredProblem problem, OutcomeEvent event, long nowMillis) {
        RequestRecord r = records.get(key);
        if (!running(r, attempt)) {
            return false;
        }
        records.put(key, new RequestRecord(key, RequestStatus.FAILED, r.fingerprint(), r.operation(), r.connectionId(), r.meetingId(),
                r.occurrenceId(), attempt, r.startedAt(), r.attemptDeadline(), r.inProgressUntil(), r.expiresAt(), nowMillis, r.resultStatus(), r.resultBody(),
                problem, r.firstStartedAt(), r.attempts(), r.abandonedAt(), r.sentAt(), r.ambiguousAt(),
                event != null ? event : r.unpublishedEvent()));
        return true;
    }

    @Override
    public synchronized void published(String key, OutcomeEvent event) {
        RequestRecord r = records.get(key);
        if (r != null && event.equals(r.unpublishedEvent())) {
            records.put(key, new RequestRecord(key, r.status(), r.fingerprint(), r.operation(), r.connectionId(), r.meetingId(),
                    r.occurrenceId(), r.attempt(), r.startedAt(), r.attemptDeadline(), r.inProgressUntil(), r.expiresAt(), r.completedAt(), r.resultStatus(),
                    r.resultBody(), r.problem(), r.firstStartedAt(), r.attempts(), r.abandonedAt(), r.sentAt(), r.ambiguousAt(),
                    null));
        }
    }

    @Override
    public synchronized void release(String key, String attempt) {
        RequestRecord r = records.get(key);
        if (r != null && attempt.equals(r.attempt())) {
            records.remove(key);
        }
    }

    @Override
    public synchronized void abandon(String key, String attempt, long nowMillis, long inProgressUntil, boolean sent, long ambiguousAt) {
        RequestRecord r = records.get(key);
        if (running(r, attempt)) {
            records.put(key, new RequestRecord(key, r.status(), r.fingerprint(), r.operation(), r.connectionId(), r.meetingId(),
                    r.occurrenceId(), r.attempt(), r.startedAt(), r.attemptDeadline(), inProgressUntil, r.expiresAt(), r.completedAt(), r.resultStatus(),
                    r.resultBody(), r.problem(), r.firstStartedAt(), r.attempts(), nowMillis, sent ? nowMillis : r.sentAt(),
                    ambiguousAt > 0 ? ambiguousAt : r.ambiguousAt(), r.unpublishedEvent()));
        }
    }
}
