package dev.zoomscheduler.outcomes;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.function.Supplier;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;


/**
 * Gets every ended request's outcome event to EventBridge at least once (docs/events-and-idempotency.md, "Outcome events").
 * The ending is written with its event, then the event is published, then the record notes that it went out (so that a
 * repeat of the key does not publish it again): whatever stops the function between these steps, the record still holds
 * the event. One that failed to publish is published again at the next chance: this instance's next invocation, from
 * memory, or a repeat of the key (its replay).
 */
@ApplicationScoped
public class Outbox {

    private static final Logger LOG = Logger.getLogger(Outbox.class);
    /** Unpublished events an instance remembers; past that the oldest is left to its record (a repeat of its key). */
    private static final int REMEMBERED = 100;
    /** Events published again per invocation, so that a backlog does not hold one invocation long. */
    private static final int PER_INVOCATION = 10;

    private final OutcomeBus bus;
    private final OutboxRecords records;
    private final Clock clock;
    private final ConcurrentLinkedDeque<Unpublished> remembered = new ConcurrentLinkedDeque<>();

    public Outbox(OutcomeBus bus, OutboxRecords records, Clock clock) {
        this.bus = bus;
        this.records = records;
        this.clock = clock;
    }

    private record Unpublished(String key, OutcomeEvent event) {
    }

    /** The event of an ending, to write with it; null if outcome events are not published at all. */
    public OutcomeEvent event(Supplier<OutcomeEvent> event) {
        return bus.enabled() ? event.get() : null;
    }

    /**
     * Publishes the event of an ending just written with it (null: none), within {@code budget}; remembered if EventBridge did
     * not take it.
     */
    public void publishEnded(String key, OutcomeEvent event, Duration budget) {
        if (event == null) {
            return;
        }
        if (bus.publish(event, budget)) {
            noted(key, event);
            return;
        }
        remembered.offerLast(new Unpublished(key, event));
        while (remembered.size() > REMEMBERED) {
            Unpublished oldest = remembered.pollFirst();
            if (oldest != null) {
                LOG.warnf("Request %s: its outcome event waits in its record for a repeat of the key", oldest.key());
            }
        }
    }

    /** A repeat of a request that ended: the event its record still holds (null: none) is published now, within {@code budget}. */
    public void publishStored(String key, OutcomeEvent stored, Duration budget) {
        if (stored != null && bus.enabled() && bus.publish(stored, budget)) {
            remembered.removeIf(waiting -> waiting.key().equals(key));
            noted(key, stored);
        }
    }

    /**
     * Publishes what this instance remembers, oldest first, until EventBridge refuses one; all of it within one call
     * timeout, so that a slow EventBridge delays an invocation's own work by that much at most.
     */
    public void publishRemembered() {
        if (remembered.isEmpty()) {
            return;
        }
        Instant until = clock.instant().plus(bus.callTimeout());
        for (int i = 0; i < PER_INVOCATION; i++) {
            Unpublished next = remembered.pollFirst();
            if (next == null) {
                return;
            }
            if (!bus.publish(next.event(), Duration.between(clock.instant(), until))) {
                remembered.offerFirst(next);
                return;
            }
            noted(next.key(), next.event());
        }
    }

    /** If this write fails, the event stays in the record and is published again on a repeat: at least once, same eventId. */
    private void noted(String key, OutcomeEvent event) {
        try {
            records.published(key, event);
        } catch (RuntimeException e) {
            LOG.warnf("Request %s: its outcome event was published but its record still says otherwise (%s)", key,
                    e.getClass().getSimpleName());
        }
    }
}
