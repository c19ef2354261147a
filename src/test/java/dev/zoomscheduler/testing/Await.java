package dev.zoomscheduler.testing;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * Waiting for what another thread, process or server brings about, instead of sleeping a fixed time: the condition is
 * asked again every {@value #POLL_MILLIS} ms until it holds, so a test waits no longer than it must, and fails, naming
 * what it waited for, when it does not hold within the timeout.
 */
public final class Await {

    private static final long POLL_MILLIS = 50;

    private Await() {
    }

    public static void until(String what, Duration timeout, BooleanSupplier condition) {
        until(what, timeout, condition::getAsBoolean, Boolean::booleanValue);
    }

    /** The first value of {@code value} that {@code done} accepts. */
    public static <T> T until(String what, Duration timeout, Supplier<T> value, Predicate<? super T> done) {
        long until = System.nanoTime() + timeout.toNanos();
        T seen = value.get();
        while (!done.test(seen)) {
            if (System.nanoTime() - until > 0) {
                throw new AssertionError("not within " + timeout + ": " + what + " (last seen: " + seen + ")");
            }
            try {
                Thread.sleep(POLL_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting until " + what, e);
            }
            seen = value.get();
        }
        return seen;
    }
}
