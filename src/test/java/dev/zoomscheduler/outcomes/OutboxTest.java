package dev.zoomscheduler.outcomes;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.fail;

import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

import org.junit.jupiter.api.Test;

/** Without OUTCOME_EVENT_BUS nothing changes: no event is made, nothing is published, the records are never touched. */
class OutboxTest {

    @Test
    void withoutABusNoEventIsMadeAndTheRecordsAreNeverTouched() {
        OutcomeBus none = new EventBridgeOutcomeBus(Optional.empty(), "zoom-meeting-scheduler", Optional.empty(), Duration.ofSeconds(2));
        OutboxRecords untouchable = (key, event) -> fail("the records are never touched");
        Outbox outbox = new Outbox(none, untouchable, Clock.systemUTC());

        assertFalse(none.enabled());
        assertNull(outbox.event(() -> fail("no event is made")));
        outbox.publishEnded("k", null, Duration.ofSeconds(5));
        outbox.publishStored("k", new OutcomeEvent("Meeting Scheduled", "{}"), Duration.ofSeconds(5));
        outbox.publishRemembered();
    }
}
