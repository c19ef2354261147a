package dev.zoomscheduler.time;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.LongUnaryOperator;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * Every wait of the protocols (polls of what another instance is doing, pauses between retries): exponential, jittered,
 * and never past a deadline. It is one bean with its clock, its sleep and its randomness, so that the fault explorer of
 * the tests can run the real protocols in virtual time and replay a schedule from its seed.
 */
@ApplicationScoped
public class Backoff {

    private static final long FIRST_MILLIS = 25;
    private static final long LONGEST_MILLIS = 500;

    /** Sleeps the calling thread. */
    @FunctionalInterface
    public interface Sleeper {
        void sleep(Duration duration) throws InterruptedException;
    }

    private final Clock clock;
    private final Sleeper sleeper;
    /** A random number in [0, bound). */
    private final LongUnaryOperator random;

    @Inject
    public Backoff(Clock clock) {
        this(clock, duration -> Thread.sleep(duration.toMillis()), bound -> ThreadLocalRandom.current().nextLong(bound));
    }

    public Backoff(Clock clock, Sleeper sleeper, LongUnaryOperator random) {
        this.clock = clock;
        this.sleeper = sleeper;
        this.random = random;
    }

    /** Sleeps the delay of poll {@code round} (0, 1, ...), never past {@code until}; false if interrupted (the flag is kept). */
    public boolean pause(int round, Instant until) {
        long exponential = Math.min(LONGEST_MILLIS, FIRST_MILLIS << Math.min(round, 10));
        long remaining = Duration.between(clock.instant(), until).toMillis();
        return sleep(Duration.ofMillis(Math.max(1, Math.min(halfJittered(exponential), remaining))));
    }

    /** Sleeps; false if the thread was interrupted (its flag is kept). */
    public boolean sleep(Duration duration) {
        try {
            sleeper.sleep(duration);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Between half of {@code ceilingMillis} and all of it: spreads the retries of many callers. */
    public long halfJittered(long ceilingMillis) {
        return ceilingMillis / 2 + random.applyAsLong(ceilingMillis / 2 + 1);
    }
}
