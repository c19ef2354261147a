package dev.zoomscheduler;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ThreadLocalRandom;

/** Waiting between polls of something another instance is doing: exponential, jittered, and never past a deadline. */
public final class Backoff {

    private static final long FIRST_MILLIS = 25;
    private static final long LONGEST_MILLIS = 500;

    private Backoff() {
    }

    /** Sleeps the delay of poll {@code round} (0, 1, ...); false if the thread was interrupted (its flag is kept). */
    public static boolean pause(int round, Instant until, Clock clock) {
        long exponential = Math.min(LONGEST_MILLIS, FIRST_MILLIS << Math.min(round, 10));
        long jittered = exponential / 2 + ThreadLocalRandom.current().nextLong(exponential / 2 + 1);
        long remaining = Duration.between(clock.instant(), until).toMillis();
        return sleep(Duration.ofMillis(Math.max(1, Math.min(jittered, remaining))));
    }

    /** Sleeps; false if the thread was interrupted (its flag is kept). */
    public static boolean sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
