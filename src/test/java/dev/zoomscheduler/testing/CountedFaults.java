package dev.zoomscheduler.testing;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/** Faults a stand-in injects, each for the next so many calls it matches, in the order they were added; thread-safe. */
public final class CountedFaults<F> {

    private record Counted<F>(F fault, AtomicInteger remaining) {
    }

    private final List<Counted<F>> faults = new CopyOnWriteArrayList<>();

    public void add(F fault, int times) {
        faults.add(new Counted<>(fault, new AtomicInteger(times)));
    }

    /** The first fault that matches this call, counted as used (and forgotten once used up), or null. */
    public F take(Predicate<F> matches) {
        for (Counted<F> counted : faults) {
            if (matches.test(counted.fault())) {
                int left = counted.remaining().decrementAndGet();
                if (left <= 0) {
                    faults.remove(counted);
                }
                if (left >= 0) {
                    return counted.fault();
                }
            }
        }
        return null;
    }

    public void clear() {
        faults.clear();
    }
}
