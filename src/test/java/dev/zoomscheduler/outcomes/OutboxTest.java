package dev.zoomscheduler.idempotency;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.fail;

import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import dev.zoomscheduler.outcomes.EventBridgeOutcomeBus;
import dev.zoomscheduler.outcomes.OutcomeBus;
import dev.zoomscheduler.outcomes.OutcomeEvent;

/** Without OUTCOME_EVENT_BUS nothing changes: no event is made, nothing is published, the store is never touched. */
class AnnouncementsTest {

    @Test
    void withoutABusNoEventIsMadeAndTheStoreIsNeverTouched() {
        OutcomeBus none = new EventBridgeOutcomeBus(Optional.empty(), "zoom-meeting-scheduler", Optional.empty(), Duration.ofSeconds(2));
        Announcements announcements = new Announcements(none, null, Clock.systemUTC()); // a null store: any use of it would throw

        assertFalse(none.enabled());
        assertNull(announcements.event(() -> fail("no event is made")));
        announcements.publishEnded("k", null, Duration.ofSeconds(5));
        RequestRecord kept = RequestRecord.firstAttempt("k", new RequestDescription("f", "create", "c", null, null), "a", 0, 1, 0, 1);
        announcements.publishStored(new RequestRecord(kept.key(), RequestStatus.COMPLETED, "f", "create", "c", "1", null, "a", 0, 1, 1, 1,
                1, 201, "{}", null, null, 0, 1, 0, 0, 0, new OutcomeEvent("Meeting Scheduled", "{}")), Duration.ofSeconds(5));
        announcements.publishRemembered();
    }
}
