package dev.zoomscheduler.outcomes;

import java.time.Duration;

/** Where outcome events are published ({@code OUTCOME_EVENT_BUS}). */
public interface OutcomeBus {

    /** Whether outcome events are published at all. */
    boolean enabled();

    /** The longest one publish may take ({@code EVENTBRIDGE_CALL_TIMEOUT_MS}). */
    Duration callTimeout();

    /**
     * Publishes the event, taking at most {@code budget} (and the configured call timeout); false if the bus did not take
     * it, or there is no time left: the caller keeps it for later. Never throws.
     */
    boolean publish(OutcomeEvent event, Duration budget);
}
