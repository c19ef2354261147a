package dev.zoomscheduler.idempotency;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import java.util.function.Supplier;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.JsonNode;

import dev.zoomscheduler.outcomes.Outbox;
import dev.zoomscheduler.outcomes.OutcomeEvent;
import dev.zoomscheduler.outcomes.OutcomeEvents;
import dev.zoomscheduler.problems.Finality;
import dev.zoomscheduler.problems.ProblemException;
import dev.zoomscheduler.problems.ProblemType;
import dev.zoomscheduler.time.Backoff;

/**
 * Runs a request at most once per idempotency key, for every entry point. The rules are the numbered list of
 * docs/events-and-idempotency.md ("Idempotency"); the comments below name the rule each step implements.
 */
@ApplicationScoped
public class Idempotency {

    private static final Logger LOG = Logger.getLogger(Idempotency.class);
    /** How far apart two instances' clocks may be: every in-doubt period is this much longer. */
    static final Duration CLOCK_SKEW = Duration.ofSeconds(2);
    /** Retry-After while another attempt of the same request is running: it may end any moment. */
    private static final Duration RUNNING_RETRY_AFTER = Duration.ofSeconds(1);
    /** Left before the invocation's deadline: waits end, and the final write is not tried again, this long before it. */
    private static final Duration ANSWER_MARGIN = Duration.ofSeconds(1);
    private static final int FINAL_WRITE_ATTEMPTS = 3;
    /** Claims of a meeting before the attempt gives up and leaves the key to its next attempt. */
    private static final int CLAIM_ATTEMPTS = 3;

    private final RequestStore store;
    private final Clock clock;
    private final IdempotencySettings settings;
    private final Outbox outbox;
    private final Backoff backoff;

    public Idempotency(RequestStore store, Clock clock, IdempotencySettings settings, Outbox outbox, Backoff backoff) {
        this.store = store;
        this.clock = clock;
        this.settings = settings;
        this.outbox = outbox;
        this.backoff = backoff;
    }

    /** What a refusal before Zoom (invalid request, unknown connection) does to the key. */
    public enum Refusals {
        /** Nothing is stored: the caller, who heard the refusal, may fix the request and send it again (HTTP). */
        LEAVE_NO_TRACE,
        /** The request has failed for good: stored, replayed, announced (a queued request, which nobody hears). */
        END_THE_REQUEST
    }

    /** The request's work, done at most once per key. */
    public interface Attempt {

        Reply perform();

        /**
         * What earlier attempts of the same request, the first begun at {@code startedAt}, did at Zoom, as the answer to
         * give; {@link Recovery#NOTHING} to {@link #perform} it.
         *
         * @param chooseAmongSeveral whether to take the earliest of several candidates rather than answer
         *        {@link Recovery#AMBIGUOUS} (their owners have had an in-doubt period to claim theirs)
         */
        default Recovery recover(Instant startedAt, boolean chooseAmongSeveral) {
            return Recovery.NOTHING;
        }

        /** The id of the meeting a create's {@code reply} made, which the record is linked to and claims (null: none). */
        default String meetingMadeBy(Reply reply) {
            return null;
        }

        /** What is known of the meeting after Zoom's {@code reply}, for the outcome event (which shows a few fields). */
        default JsonNode meeting(Reply reply) {
            return null;
        }
    }

    /**
     * What a recovery found: the answer an earlier attempt got, nothing, or several candidates.
     *
     * @param guessed whether {@code found} was matched by what it shows (it could be another request's), not known to be it
     */
    public record Recovery(Reply found, boolean ambiguous, boolean guessed) {

        public static final Recovery NOTHING = new Recovery(null, false, false);
        public static final Recovery AMBIGUOUS = new Recovery(null, true, false);

        /** What an earlier attempt certainly did (the meeting it changed shows it). */
        public static Recovery found(Reply reply) {
            return new Recovery(reply, false, false);
        }

        /** A meeting that shows everything the request asked for: the earlier attempt's, or an identical request's. */
        public static Recovery guessed(Reply reply) {
            return new Recovery(reply, false, true);
        }
    }

    /** Zoom's answer, and whether it is the stored answer of an earlier attempt. */
    public record Outcome(Reply reply, boolean replayed) {
    }

    public Outcome run(String key, RequestDescription request, Instant deadline, Refusals refusals, Attempt attempt) {
        Instant waitUntil = earliest(clock.instant().plus(settings.waitTimeout()), deadline.minus(ANSWER_MARGIN));
        for (int round = 0;; round++) {
            long now = clock.millis();
            RequestRecord mine = RequestRecord.firstAttempt(key, request, UUID.randomUUID().toString(), now, deadline.toEpochMilli(),
                    inDoubt().toMillis(), now / 1000 + settings.ttl().toSeconds());
            RequestStore.Begin begin = store.begin(mine, now); // rule 1
            if (begin.began()) {
                return new Outcome(new Run(mine, null, refusals, attempt).go(), false);
            }
            RequestRecord existing = begin.previous();
            if (existing != null && !existing.fingerprint().equals(request.fingerprint())) { // rule 3
                throw new ProblemException(ProblemType.IDEMPOTENCY_KEY_REUSED, "The idempotency key '" + key
                        + "' was used for a different request; use a new key for a new request.");
            }
            if (existing != null && existing.status() == RequestStatus.COMPLETED) { // rule 2
                outbox.publishStored(existing.key(), existing.unpublishedEvent(), publishBudget(deadline));
                return new Outcome(existing.reply(), true);
            }
            if (existing != null && existing.status() == RequestStatus.FAILED) {
                outbox.publishStored(existing.key(), existing.unpublishedEvent(), publishBudget(deadline));
                throw replay(existing.problem());
            }
            if (existing != null && existing.abandonedAt(now)) { // rule 6: take it over
                RequestRecord successor = mine.succeeding(existing);
                if (store.takeOver(existing.attempt(), successor, now).began()) {
                    return new Outcome(new Run(successor, existing, refusals, attempt).go(), false);
                }
                continue; // another attempt took it over, or it ended: look again
            }
            if (existing != null && existing.inDoubtAt(now)) { // rule 4
                throw inDoubt(key, Duration.ofMillis(existing.inProgressUntil() - now));
            }
            if (!clock.instant().isBefore(waitUntil)) {
                throw new ProblemException(ProblemType.REQUEST_IN_PROGRESS, 409, "The request of idempotency key '" + key
                        + "' is still in progress; ask again shortly.", null, null, RUNNING_RETRY_AFTER);
            }
            if (existing != null && !backoff.pause(round, waitUntil)) {
                throw new ProblemException(ProblemType.REQUEST_IN_PROGRESS, "Interrupted while waiting for the same request.");
            }
        }
    }

    /**
     * A request that ends before any attempt, refused for what it says (a queued request that can never succeed): it is
     * recorded as failed with its outcome event, which is then published; a repeat of the same request publishes it again
     * if that failed. Nothing happens if the key names another request.
     */
    public void refuse(String key, RequestDescription request, ProblemException refusal, Instant deadline) {
        long now = clock.millis();
        OutcomeEvent event = outbox.event(() -> OutcomeEvents.failed(new OutcomeEvents.Request(key, request.connectionId(),
                request.operation(), request.occurrenceId()), refusal.toProblem()));
        RequestStore.Begin written = store.begin(RequestRecord.refused(key, request, now, now / 1000 + settings.ttl().toSeconds(),
                storedProblemOf(refusal), event), now);
        if (written.began()) {
            outbox.publishEnded(key, event, publishBudget(deadline));
            return;
        }
        RequestRecord existing = written.previous();
        if (existing != null && existing.fingerprint().equals(request.fingerprint())) {
            outbox.publishStored(key, existing.unpublishedEvent(), publishBudget(deadline));
        }
    }

    /** One attempt, from its record being written to its ending. */
    private final class Run {

        private final RequestRecord mine;
        /** The record as the attempt it took over left it; null for a first attempt. */
        private final RequestRecord abandoned;
        private final Refusals refusals;
        private final Attempt attempt;
        /** Whether the request itself went to Zoom: its outcome may then be unknown. */
        private boolean sent;
        /** Whether this attempt's record was ended already (kept in doubt for several candidates). */
        private boolean ended;

        Run(RequestRecord mine, RequestRecord abandoned, Refusals refusals, Attempt attempt) {
            this.mine = mine;
            this.abandoned = abandoned;
            this.refusals = refusals;
            this.attempt = attempt;
        }

        Reply go() {
            try {
                boolean waitedOut = abandoned != null && abandoned.ambiguousAt() > 0
                        && clock.millis() > abandoned.ambiguousAt() + inDoubt().toMillis();
                Reply reply = abandoned == null ? send() : recoverOrSend(waitedOut);
                for (int claim = 1;; claim++) {
                    if (end(reply) != RequestStore.Completion.MEETING_TAKEN) {
                        return reply;
                    }
                    // Another key holds the meeting: it claimed it first, having lost the answer to its own create.
                    LOG.warnf("Request %s: meeting %s belongs to another idempotency key; looking for this request's own", mine.key(),
                            attempt.meetingMadeBy(reply));
                    if (claim == CLAIM_ATTEMPTS) {
                        throw new ProblemException(ProblemType.REQUEST_IN_PROGRESS, 409, "The meeting of idempotency key '" + mine.key()
                                + "' could not be told apart from another key's yet; ask again shortly.", null, null, RUNNING_RETRY_AFTER);
                    }
                    reply = recoverOrSend(true);
                }
            } catch (ProblemException e) {
                throw settle(e);
            } catch (RuntimeException e) {
                if (!ended) {
                    endAttempt(sent);
                }
                throw e;
            }
        }

        private Reply send() {
            sent = true;
            return attempt.perform();
        }

        /**
         * Rule 6: what earlier attempts did at Zoom is adopted. Several candidates, or a guessed one while no attempt of this key
         * is known to have sent the request (the last crashed), wait one in-doubt period: an identical request of another key
         * that knows it sent its own claims it meanwhile.
         */
        private Reply recoverOrSend(boolean chooseAmongSeveral) {
            Recovery recovery = attempt.recover(Instant.ofEpochMilli(mine.requestStartedAt()), chooseAmongSeveral);
            if (recovery.ambiguous() || recovery.guessed() && mine.sentAt() == 0 && !chooseAmongSeveral) {
                long now = clock.millis();
                long firstAmbiguous = mine.ambiguousAt() > 0 ? mine.ambiguousAt() : now;
                Duration wait = inDoubt();
                quietly(() -> store.abandon(mine.key(), mine.attempt(), now, now + wait.toMillis(), false, firstAmbiguous));
                ended = true;
                throw new ProblemException(ProblemType.REQUEST_IN_PROGRESS, 409, "Zoom shows meetings that an earlier attempt of the"
                        + " request of idempotency key '" + mine.key() + "' may have made, or another identical request; it looks again"
                        + " once the other has had time to claim its own.", null, null, wait);
            }
            if (recovery.found() != null) {
                LOG.infof("Request %s: adopted what an earlier attempt did at Zoom", mine.key());
                return recovery.found();
            }
            return send();
        }

        /** Rule 8 for Zoom's answer: the record, with the claim of a created meeting and the outcome event; then the publish. */
        private RequestStore.Completion end(Reply reply) {
            String meetingId = mine.meetingId() != null ? mine.meetingId() : attempt.meetingMadeBy(reply);
            boolean claims = mine.meetingId() == null && meetingId != null;
            OutcomeEvent event = outbox.event(
                    () -> OutcomeEvents.succeeded(mine.outcomeRequest(), attempt.meeting(reply)));
            RequestStore.Completion completion = finalWrite(() -> store.complete(mine.key(), mine.attempt(), reply, meetingId, claims,
                    event, clock.millis()));
            if (completion == RequestStore.Completion.MEETING_TAKEN) {
                return completion;
            }
            ended = true;
            // Not written (DynamoDB failed): the record runs out in doubt, and the next attempt adopts the meeting again.
            outbox.publishEnded(mine.key(), event, publishBudget(Instant.ofEpochMilli(mine.attemptDeadline())));
            return completion;
        }

        /**
         * Rules 5 and 7 for a failed attempt: a final answer is stored. Otherwise the key stays retryable: in doubt for the
         * in-doubt period if what was sent to Zoom may still land (the answer then says to retry after it); free at once if
         * this attempt sent nothing (a first attempt's record is removed, a taken-over one keeps its first start and count).
         * Returns the problem to answer.
         */
        private ProblemException settle(ProblemException failure) {
            if (ended) {
                return failure;
            }
            Finality finality = Finality.of(failure);
            boolean inDoubt = sent && finality == Finality.OUTCOME_UNKNOWN;
            if (finality == Finality.FINAL || finality == Finality.REFUSED && refusals == Refusals.END_THE_REQUEST) {
                failForGood(failure);
            } else if (abandoned == null && !inDoubt) {
                quietly(() -> store.release(mine.key(), mine.attempt()));
            } else {
                endAttempt(inDoubt);
            }
            return inDoubt ? failure.retryAfter(Idempotency.this.inDoubt().plus(Duration.ofSeconds(1))) : failure;
        }

        private void failForGood(ProblemException failure) {
            OutcomeEvent event = outbox.event(
                    () -> OutcomeEvents.failed(mine.outcomeRequest(), failure.toProblem()));
            finalWrite(() -> store.fail(mine.key(), mine.attempt(), storedProblemOf(failure), event, clock.millis()));
            outbox.publishEnded(mine.key(), event, publishBudget(Instant.ofEpochMilli(mine.attemptDeadline())));
        }

        /** Ends this attempt's time: after the in-doubt period if what it sent may still land, else at once. */
        private void endAttempt(boolean inDoubt) {
            long now = clock.millis();
            long until = inDoubt ? now + Idempotency.this.inDoubt().toMillis() : now;
            quietly(() -> store.abandon(mine.key(), mine.attempt(), now, until, inDoubt, mine.ambiguousAt()));
        }

        /** A write after the attempt, tried again on DynamoDB's passing failures while time is left; null if it never took. */
        private <T> T finalWrite(Supplier<T> write) {
            Instant lastTry = Instant.ofEpochMilli(mine.attemptDeadline()).minus(ANSWER_MARGIN);
            for (int attempt = 1;; attempt++) {
                try {
                    return write.get();
                } catch (RuntimeException e) {
                    if (attempt == FINAL_WRITE_ATTEMPTS || !clock.instant().isBefore(lastTry)) {
                        LOG.warnf("Request %s: its record could not be updated (%s); it stays in doubt until it runs out", mine.key(),
                                e.getClass().getSimpleName());
                        return null;
                    }
                    backoff.pause(attempt, lastTry);
                }
            }
        }

        private void quietly(Runnable write) {
            finalWrite(() -> {
                write.run();
                return Boolean.TRUE;
            });
        }
    }

    /** How long work begun at Zoom may take to land after we stopped waiting, clock skew between instances included. */
    private Duration inDoubt() {
        return settings.inDoubt().plus(CLOCK_SKEW);
    }

    /** A publish leaves a second before the invocation's deadline. */
    private Duration publishBudget(Instant deadline) {
        return Duration.between(clock.instant(), deadline).minus(ANSWER_MARGIN);
    }

    private static ProblemException inDoubt(String key, Duration left) {
        return new ProblemException(ProblemType.REQUEST_IN_PROGRESS, 409, "The last attempt of the request of idempotency key '" + key
                + "' ended without knowing what Zoom did; nothing is done for the key until that has had time to land.", null, null,
                left.plus(Duration.ofSeconds(1)));
    }

    private static RequestRecord.StoredProblem storedProblemOf(ProblemException failure) {
        return new RequestRecord.StoredProblem(failure.type().uri(), failure.status(), failure.getMessage(), failure.zoomCode());
    }

    private static ProblemException replay(RequestRecord.StoredProblem problem) {
        return new ProblemException(ProblemType.fromUri(problem.type()), problem.status(), problem.detail(), problem.code(), null, null);
    }

    private static Instant earliest(Instant one, Instant other) {
        return one.isBefore(other) ? one : other;
    }
}
