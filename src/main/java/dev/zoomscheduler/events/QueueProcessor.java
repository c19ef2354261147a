package dev.zoomscheduler.events;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;

import dev.zoomscheduler.idempotency.Idempotency;
import dev.zoomscheduler.idempotency.Idempotency.Refusals;
import dev.zoomscheduler.management.KeepAliveRun;
import dev.zoomscheduler.meetings.MeetingScheduler;
import dev.zoomscheduler.observability.LogContext;
import dev.zoomscheduler.observability.Metrics;
import dev.zoomscheduler.problems.Finality;
import dev.zoomscheduler.problems.ProblemException;
import dev.zoomscheduler.problems.ProblemType;

/**
 * Carries out the scheduling requests of an SQS batch and says which messages SQS should deliver again: those that
 * failed for a passing reason ({@link Finality#retryable()}). A message that can never succeed (not a request, invalid,
 * for a connection that does not exist, refused by Zoom) is logged with its message id and not retried; its request ends
 * for good like any other (recorded under its key, or its message id, and announced); a repeat of a request that succeeded gets its stored result, so a redelivered
 * message creates no second meeting. A request that hit Zoom's daily limit is held back until after 00:00 UTC, when the
 * limit resets, instead of being retried into the dead-letter queue. The keep-alive schedule's message runs the keep-alive
 * ({@link KeepAliveRun}); what it leaves undone is the next run's, so it is delivered again only if it could not even begin.
 */
@ApplicationScoped
public class QueueProcessor {

    private static final Logger LOG = Logger.getLogger(QueueProcessor.class);
    /**
     * Left for answering: messages not started before the deadline less this are handed back to SQS. Each spends a
     * receive without a try, which is why the template sends one message per invocation (template.yaml, SchedulingQueue).
     */
    private static final Duration ANSWER_MARGIN = Duration.ofSeconds(2);

    private final MeetingScheduler scheduler;
    private final Idempotency idempotency;
    private final QueueHoldBack holdBack;
    private final KeepAliveRun keepAlive;
    private final Clock clock;
    private final Metrics metrics;

    public QueueProcessor(MeetingScheduler scheduler, Idempotency idempotency, QueueHoldBack holdBack, KeepAliveRun keepAlive, Clock clock,
            Metrics metrics) {
        this.scheduler = scheduler;
        this.keepAlive = keepAlive;
        this.idempotency = idempotency;
        this.holdBack = holdBack;
        this.clock = clock;
        this.metrics = metrics;
    }

    /** The ids of the messages to deliver again. */
    public List<String> process(List<QueueMessage> messages, Instant deadline) {
        List<String> retry = new ArrayList<>();
        for (QueueMessage message : messages) {
            Outcome outcome = clock.instant().isAfter(deadline.minus(ANSWER_MARGIN))
                    ? Outcome.NOT_STARTED // the invocation is about to end
                    : handle(message, deadline);
            metrics.count("QueueMessages", "Outcome", outcome.name().toLowerCase(java.util.Locale.ROOT));
            if (outcome.deliverAgain) {
                retry.add(message.messageId());
            }
            LogContext.messageDone();
        }
        return retry;
    }

    /** What became of a message, and whether SQS should deliver it again. */
    private enum Outcome {
        DONE(false), REPLAYED(false), DROPPED(false), RETRIED(true), HELD_BACK(true), NOT_STARTED(true);

        final boolean deliverAgain;

        Outcome(boolean deliverAgain) {
            this.deliverAgain = deliverAgain;
        }
    }

    private Outcome keepAlive(QueueMessage message, Instant deadline) {
        try {
            keepAlive.run(deadline);
            return Outcome.DONE;
        } catch (RuntimeException e) {
            LOG.warnf("Message %s: the keep-alive run could not list the connections (%s); SQS delivers it again", message.messageId(),
                    e.getClass().getSimpleName());
            return Outcome.RETRIED;
        }
    }

    /** A message that can never be a request: its request ends, recorded and announced, unless that cannot be written now. */
    private Outcome refused(QueueMessage message, JsonNode request, ProblemException invalid, Instant deadline) {
        SchedulingRequest.Refused refused = SchedulingRequest.refused(request, message.messageId());
        try {
            idempotency.refuse(refused.idempotencyKey(), refused.request(), invalid, deadline);
        } catch (RuntimeException e) {
            LOG.warnf("Message %s is not a valid scheduling request, and its refusal could not be recorded (%s); SQS delivers it"
                    + " again", message.messageId(), e.getClass().getSimpleName());
            return Outcome.RETRIED;
        }
        LOG.errorf("Message %s is not a valid scheduling request and is dropped (request %s): %s", message.messageId(),
                refused.idempotencyKey(), invalid.getMessage());
        return Outcome.DROPPED;
    }

    private Outcome handle(QueueMessage message, Instant deadline) {
        LogContext.message(message.messageId(), null);
        JsonNode body;
        try {
            body = SchedulingRequest.requestIn(message.body());
        } catch (ProblemException notJson) {
            return refused(message, TextNode.valueOf(message.body()), notJson, deadline);
        }
        if (SchedulingRequest.isKeepAlive(body)) {
            return keepAlive(message, deadline);
        }
        SchedulingRequest request;
        try {
            request = SchedulingRequest.parse(body);
        } catch (ProblemException invalid) {
            return refused(message, body, invalid, deadline);
        }
        LogContext.message(message.messageId(), request.command().connectionId());
        String key = request.idempotencyKey() != null ? request.idempotencyKey() : message.messageId();
        String action = request.command().action().wireName();
        try {
            boolean replayed = scheduler.schedule(key, request.command(), Refusals.END_THE_REQUEST, deadline).replayed();
            LOG.infof("Message %s: %s request %s %s", message.messageId(), action, key, replayed ? "was already done" : "done");
            return replayed ? Outcome.REPLAYED : Outcome.DONE;
        } catch (ProblemException e) {
            if (e.type() == ProblemType.ZOOM_DAILY_LIMIT) {
                boolean held = holdBack.holdBack(message, e.retryAfter());
                LOG.warnf("Message %s: %s request %s reached Zoom's daily limit; %s", message.messageId(), action, key,
                        held ? "held back until after 00:00 UTC" : "SQS delivers it again");
                return held ? Outcome.HELD_BACK : Outcome.RETRIED;
            }
            if (Finality.of(e).retryable()) {
                LOG.warnf("Message %s: %s request %s failed for now (attempt %d), SQS delivers it again: %s", message.messageId(),
                        action, key, message.receiveCount(), e.getMessage());
                return Outcome.RETRIED;
            }
            LOG.errorf("Message %s: %s request %s failed for good: %s", message.messageId(), action, key, e.getMessage());
            return Outcome.DROPPED;
        } catch (RuntimeException e) {
            LOG.warnf("Message %s: %s request %s failed unexpectedly (%s), SQS delivers it again", message.messageId(), action, key,
                    e.getClass().getSimpleName());
            return Outcome.RETRIED;
        }
    }
}
