package dev.zoomscheduler.tokens;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import dev.zoomscheduler.connections.ConnectionError;
import dev.zoomscheduler.connections.ConnectionHealth;
import dev.zoomscheduler.observability.Metrics;
import dev.zoomscheduler.outcomes.OutcomeBus;
import dev.zoomscheduler.outcomes.OutcomeEvents;

/**
 * Says that a connection came to need a human (Zoom refused its chain for good, or the user removed the app), once per
 * occurrence: the metric {@code ConnectionHealth} {@code Health=reauthorization_required} from the instance whose write made
 * it so, and the {@code Connection Needs Reauthorization} event on {@code OUTCOME_EVENT_BUS}, at least once with one
 * {@code eventId}. That write leaves the event pending in the item; once EventBridge takes it, one more write notes it
 * (only this rare path pays for it). An event that could not be published (EventBridge refused, the instance stopped) stays
 * pending, and the next keep-alive run publishes it.
 */
@ApplicationScoped
public class ReauthorizationAlerts {

    private static final Logger LOG = Logger.getLogger(ReauthorizationAlerts.class);
    /** Left before the invocation's deadline when the event is published. */
    private static final Duration ANSWER_MARGIN = Duration.ofSeconds(1);

    private final OutcomeBus bus;
    private final ConnectionStore store;
    private final Metrics metrics;
    private final Clock clock;

    public ReauthorizationAlerts(OutcomeBus bus, ConnectionStore store, Metrics metrics, Clock clock) {
        this.bus = bus;
        this.store = store;
        this.metrics = metrics;
        this.clock = clock;
    }

    /** Whether the write that makes a connection need a human leaves its event pending: only when there is a bus for it. */
    public boolean announces() {
        return bus.enabled();
    }

    /**
     * The write that made the connection need a human applied, leaving it at {@code version}: the metric, then the event.
     *
     * @param deadline the invocation's end: the publish leaves a second before it
     */
    public void cameToNeedAHuman(String connectionId, ConnectionError why, long version, Instant deadline) {
        metrics.count("ConnectionHealth", "Health", ConnectionHealth.REAUTHORIZATION_REQUIRED.wireName());
        LOG.warnf("Connection %s needs to be authorised again (%s)", connectionId, why.reason());
        publish(connectionId, why, version, deadline);
    }

    /**
     * The pending event of an earlier occurrence (its instance could not publish it): published now, if the connection still
     * says it is pending (read again: a scan may be older than a publish, a reinstall or a chain that came back).
     */
    public void publishPending(String connectionId, Instant deadline) {
        store.describe(connectionId).filter(current -> current.reauthorizationEventPending() && current.lastError() != null)
                .ifPresent(current -> publish(connectionId, current.lastError(), current.version(), deadline));
    }

    private void publish(String connectionId, ConnectionError why, long version, Instant deadline) {
        if (!bus.enabled() || !bus.publish(OutcomeEvents.needsReauthorization(connectionId, why.reason(), why.at()),
                Duration.between(clock.instant(), deadline).minus(ANSWER_MARGIN))) {
            return; // still pending in the item: published again (same eventId) by the next keep-alive run
        }
        try {
            // conditional on the version the occurrence left: if the item changed since, the next run looks again
            store.noteReauthorizationAnnounced(connectionId, version, UUID.randomUUID().toString());
        } catch (RuntimeException e) {
            LOG.warnf("Connection %s: its Connection Needs Reauthorization event was published, but its item still says otherwise"
                    + " (%s); the next keep-alive run publishes it again", connectionId, e.getClass().getSimpleName());
        }
    }
}
