package dev.zoomscheduler.testing;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import dev.zoomscheduler.idempotency.IdempotencySettings;

/**
 * The in-doubt period of the Quarkus tests' function ({@link IdempotencySettings#inDoubt()}), let pass on the
 * {@link TestClock} instead of waiting for it.
 */
@Singleton
public class InDoubtPeriod {

    @Inject
    TestClock clock;
    @Inject
    IdempotencySettings settings;

    /** Lets the in-doubt period of an attempt that just ended pass: what it sent to Zoom has landed by then. */
    public void passes() {
        clock.advance(settings.inDoubt().plusSeconds(3));
    }
}
