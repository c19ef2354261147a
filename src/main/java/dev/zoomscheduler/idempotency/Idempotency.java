package dev.zoomscheduler.idempotency;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.JsonNode;

import dev.zoomscheduler.Backoff;
import dev.zoomscheduler.outcomes.OutcomeEvent;
import dev.zoomscheduler.outcomes.OutcomeEvents;
import dev.zoomscheduler.problems.Finality;
import dev.zoomscheduler.problems.Problem;
import dev.zoomscheduler.problems.ProblemException;
import dev.zoomscheduler.problems.ProblemType;
import dev.zoomscheduler.zoom.ZoomReply;

/**
 * Runs a request at most once per idempotency key, for every entry point. The rules:
 * <ol>
 * <li>Before Zoom is called, a record "in progress" is written with a conditional put: it names this attempt and lasts
 * until the invocation's Lambda deadline, after which the attempt is surely dead.</li>
 * <li>A repeat of a completed request gets the stored answer; of a failed one, the stored problem. A key reused for a
 * different request is refused (422).</li>
 * <li>A repeat while the request is in progress elsewhere waits for it, then gets its answer, or 409 with Retry-After.</li>
 * <li>After the attempt: Zoom's answer completes the record; only a {@link Finality#FINAL final} refusal by Zoom is
 * stored as failed. Any other failure leaves the key retryable: an unknown outcome (Zoom timed out, dropped the
 * connection, answered 5xx), or any failure of an attempt that took over an abandoned one, ends the attempt's time at
 * once and keeps the record; a failure of a first attempt before anything reached Zoom removes the record.</li>
 * <li>An attempt that takes over one in progress past its time (crashed, killed, or of unknown outcome) keeps the
 * record's first start and counts the attempts, and first asks the request to {@link Attempt#recover recover} what
 * any earlier attempt may have done at Zoom since the first began, so that a create whose 201 was never recorded is
 * adopted instead of done twice.</li>
 * <li>A request that ends (completed, or failed for good) is announced by an outcome event ({@link Announcements}).</li>
 * </ol>
 */
@ApplicationScoped
public class Idempotency {

    private static final Logger LOG = Logger.getLogger(Idempotency.class);
    private static final Duration IN_PROGRESS_RETRY_AFTER = Duration.ofSeconds(1);
    private static final Duration PUBLISH_MARGIN = Duration.ofSeconds(1);

    private final RequestStore store;
    private final Clock clock;
    private final IdempotencySettings settings;
    private final Announcements announcements;

    public Idempotency(RequestStore store, Clock clock, IdempotencySettings settings, Announcements announcements) {
        this.store = store;
        this.clock = clock;
        this.settings = settings;
        this.announcements = announcements;
    }

    /** The request's work, done at most once per key. */
    public interface Attempt {

        ZoomReply perform();

        /**
         * What abandoned attempts of the same request, the first begun at {@code startedAt}, did at Zoom, as the answer
         * to give; empty to {@link #perform} it.
         */
        default Optional<ZoomReply> recover(Instant startedAt) {
            return Optional.empty();
        }

        /** What is known of the meeting after Zoom's {@code reply}, for the outcome event (which shows a few fields). */
        default JsonNode meeting(ZoomReply reply) {
            return null;
        }
    }

    /** Zoom's answer, and whether it is the stored answer of an earlier attempt. */
    public record Outcome(ZoomReply reply, boolean replayed) {
    }

    public Outcome run(String key, RequestDescription request, Instant deadline, Attempt attempt) {
        Instant waitUntil = earliest(clock.instant().plus(settings.waitTimeout()), deadline);
        for (int round = 0;; round++) {
            long now = clock.millis();
            RequestRecord mine = RequestRecord.firstAttempt(key, request, UUID.randomUUID().toString(), now, deadline.toEpochMilli(),
                    now / 1000 + settings.ttl().toSeconds());
            RequestStore.Begin begin = store.begin(mine, now);
            if (begin.began()) {
                return new Outcome(perform(mine, false, attempt), false);
            }
            RequestRecord existing = begin.previous();
            if (!existing.fingerprint().equals(request.fingerprint())) {
                throw new ProblemException(ProblemType.IDEMPOTENCY_KEY_REUSED, "The idempotency key '" + key
                        + "' was used for a different request; use a new key for a new request.");
            }
            switch (existing.status()) {
                case COMPLETED:
                    announcements.publishStored(existing, publishBudget(mine));
                    return new Outcome(new ZoomReply(existing.resultStatus(), existing.resultBody()), true);
                case FAILED:
                    announcements.publishStored(existing, publishBudget(mine));
                    throw replay(existing.problem());
                default:
                    if (existing.abandonedAt(now)) {
                        RequestRecord successor = mine.succeeding(existing);
                        if (store.takeOver(existing.attempt(), successor, now).began()) {
                            return new Outcome(perform(successor, true, attempt), false);
                        }
                        // another attempt took it over, or it ended: look again
                    }
                    if (!clock.instant().isBefore(waitUntil)) {
                        throw new ProblemException(ProblemType.REQUEST_IN_PROGRESS, 409, "The request of idempotency key '" + key
                                + "' is still in progress; ask again shortly.", null, null, IN_PROGRESS_RETRY_AFTER);
                    }
                    if (!Backoff.pause(round, waitUntil, clock)) {
                        throw new ProblemException(ProblemType.REQUEST_IN_PROGRESS, "Interrupted while waiting for the same request.");
                    }
            }
        }
    }

    /**
     * @param reconciling whether an earlier attempt was abandoned: what it did at Zoom is looked for first, from the
     *        request's first start on (each attempt may have acted, and their clocks are not Zoom's)
     */
    private ZoomReply perform(RequestRecord mine, boolean reconciling, Attempt attempt) {
        ZoomReply reply;
        try {
            Optional<ZoomReply> recovered = reconciling ? recover(mine, attempt) : Optional.empty();
            if (recovered.isPresent()) {
                LOG.infof("Request %s: adopted what an abandoned attempt did at Zoom", mine.key());
            }
            reply = recovered.orElseGet(attempt::perform);
        } catch (ProblemException e) {
            settle(mine, reconciling, e);
            throw e;
        } catch (RuntimeException e) {
            quietly(mine, () -> store.abandon(mine.key(), mine.attempt(), clock.millis()));
            throw e;
        }
        // Zoom has done it: if this write is lost, the record stays in progress until the deadline, and the next
        // attempt recovers the result instead of doing it again.
        String meetingId = mine.meetingId() != null ? mine.meetingId() : CreatedMeeting.idOf(reply.body());
        OutcomeEvent unpublished = announcements.publishEnding(
                () -> OutcomeEvents.succeeded(mine.key(), mine.connectionId(), mine.operation(), attempt.meeting(reply)),
                publishBudget(mine));
        quietly(mine, () -> store.complete(mine.key(), mine.attempt(), reply.status(), reply.body(), meetingId, unpublished,
                clock.millis()));
        announcements.remember(mine.key(), unpublished);
        return reply;
    }

    /** A failed look-up says nothing of the request: whatever it was, the record stays as it was, to look again next time. */
    private Optional<ZoomReply> recover(RequestRecord mine, Attempt attempt) {
        try {
            return attempt.recover(Instant.ofEpochMilli(mine.requestStartedAt()));
        } catch (RuntimeException e) {
            quietly(mine, () -> store.abandon(mine.key(), mine.attempt(), clock.millis()));
            throw e;
        }
    }

    /**
     * Step 4 for a failed attempt: only a final answer is stored. Otherwise the key stays retryable: the record is kept
     * (abandoned) while what Zoom did is unknown, from this attempt or an earlier one, and removed only when nothing
     * can have happened at Zoom.
     */
    private void settle(RequestRecord mine, boolean reconciling, ProblemException failure) {
        Finality finality = Finality.of(failure);
        if (finality == Finality.FINAL) {
            OutcomeEvent unpublished = announcements.publishEnding(() -> OutcomeEvents.failed(mine.key(), mine.connectionId(),
                    mine.operation(), new Problem(failure.type().uri(), failure.type().title(), failure.status(), failure.getMessage(),
                            failure.zoomCode(), null)), publishBudget(mine));
            quietly(mine, () -> store.fail(mine.key(), mine.attempt(),
                    new RequestRecord.StoredProblem(failure.type().uri(), failure.status(), failure.getMessage(), failure.zoomCode()),
                    unpublished, clock.millis()));
            announcements.remember(mine.key(), unpublished);
        } else if (reconciling || finality == Finality.OUTCOME_UNKNOWN) {
            quietly(mine, () -> store.abandon(mine.key(), mine.attempt(), clock.millis()));
        } else {
            quietly(mine, () -> store.release(mine.key(), mine.attempt()));
        }
    }

    /** A publish leaves the record's final write a second before the invocation's deadline; with less, it is kept for later. */
    private Duration publishBudget(RequestRecord mine) {
        return Duration.ofMillis(mine.inProgressUntil() - clock.millis()).minus(PUBLISH_MARGIN);
    }

    /** A write after the attempt: if DynamoDB fails now, the record runs out at the deadline, which is safe. */
    private static void quietly(RequestRecord mine, Runnable write) {
        try {
            write.run();
        } catch (RuntimeException e) {
            LOG.warnf("Request %s: its record could not be updated (%s); it stays in progress until its deadline",
                    mine.key(), e.getClass().getSimpleName());
        }
    }

    private static ProblemException replay(RequestRecord.StoredProblem problem) {
        return new ProblemException(ProblemType.fromUri(problem.type()), problem.status(), problem.detail(), problem.code(), null, null);
    }

    private static Instant earliest(Instant one, Instant other) {
        return one.isBefore(other) ? one : other;
    }
}
