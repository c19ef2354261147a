package dev.zoomscheduler.idempotency;

import java.time.Duration;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.function.Supplier;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import dev.zoomscheduler.outcomes.OutcomeBus;
import dev.zoomscheduler.outcomes.OutcomeEvent;

/**
 * Gets every ended request's outcome event to EventBridge at least once (docs/events-and-idempotency.md, "Outcome events"). An event is
 * published before the record's final write, which then keeps it only if EventBridge did not take it: a publish that
 * works costs no DynamoDB call. One that failed is published again at the next chance: a repeat of the key (its replay),
 * or this instance's next invocation, from memory; only then is the record written once more, to drop the event.
 */
@ApplicationScoped
public class Announcements {

    private static final Logger LOG = Logger.getLogger(Announcements.class);
    /** Unpublished events an instance remembers; past that the oldest is left to its record (a repeat of its key). */
    private static final int REMEMBERED = 100;
    /** Events published again per invocation, so that a backlog does not hold one invocation long. */
    private static final int PER_INVOCATION = 10;

    private final OutcomeBus bus;
    private final RequestStore store;
    private final ConcurrentLinkedDeque<Unpublished> remembered = new ConcurrentLinkedDeque<>();

    public Announcements(OutcomeBus bus, RequestStore store) {
        this.bus = bus;
        this.store = store;
    }

    private record Unpublished(String key, OutcomeEvent event) {
    }

    /**
     * Publishes a request's outcome as it ends, within {@code budget}: the event for its record if EventBridge did not
     * take it, else null.
     */
    OutcomeEvent publishEnding(Supplier<OutcomeEvent> event, Duration budget) {
        if (!bus.enabled()) {
            return null;
        }
        OutcomeEvent made = event.get();
        return bus.publish(made, budget) ? null : made;
    }

    /** After the record was written with its event unpublished: this instance tries again at its next invocation. */
    void remember(String key, OutcomeEvent unpublished) {
        if (unpublished == null) {
            return;
        }
        remembered.offerLast(new Unpublished(key, unpublished));
        while (remembered.size() > REMEMBERED) {
            Unpublished oldest = remembered.pollFirst();
            if (oldest != null) {
                LOG.warnf("Request %s: its outcome event waits in its record for a repeat of the key", oldest.key());
            }
        }
    }

    /** A repeat of a request that ended: its event is published now, within {@code budget}, if it was not. */
    void publishStored(RequestRecord ended, Duration budget) {
        if (ended.unpublishedEvent() != null && bus.enabled() && bus.publish(ended.unpublishedEvent(), budget)) {
            remembered.removeIf(waiting -> waiting.key().equals(ended.key()));
            noted(ended.key(), ended.unpublishedEvent());
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
        long until = System.nanoTime() + bus.callTimeout().toNanos();
        for (int i = 0; i < PER_INVOCATION; i++) {
            Unpublished next = remembered.pollFirst();
            if (next == null) {
                return;
            }
            if (!bus.publish(next.event(), Duration.ofNanos(until - System.nanoTime()))) {
                remembered.offerFirst(next);
                return;
            }
            noted(next.key(), next.event());
        }
    }

    /** If this write fails, the event stays in the record and is published again on a repeat: at least once, same eventId. */
    private void noted(String key, OutcomeEvent event) {
        try {
            store.published(key, event);
        } catch (RuntimeException e) {
            LOG.warnf("Request %s: its outcome event was published but its record still says otherwise (%s)", key,
                    e.getClass().getSimpleName());
        }
    }
}
