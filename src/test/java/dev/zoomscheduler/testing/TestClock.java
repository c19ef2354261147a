package dev.zoomscheduler.testing;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

import jakarta.inject.Singleton;

import io.quarkus.test.Mock;

/**
 * The function's clock in the Quarkus tests: the system's, moved forward on demand, so that a test lets time pass (an
 * in-doubt period, a lease) without sleeping. It is put back ({@link #reset}) after every test ({@link PutStandInsBack}).
 */
@Mock
@Singleton
public class TestClock extends Clock {

    private volatile Duration ahead = Duration.ZERO;

    /** Time passes: the function's clock runs {@code duration} further ahead of the system's. */
    public void advance(Duration duration) {
        ahead = ahead.plus(duration);
    }

    public void reset() {
        ahead = Duration.ZERO;
    }

    @Override
    public Instant instant() {
        return Instant.now().plus(ahead);
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return Clock.offset(Clock.system(zone), ahead);
    }
}
