package dev.zoomscheduler.exploration;

import java.util.Map;
import java.util.TreeMap;

/**
 * What goes wrong in one schedule, decided by its seed: each schedule draws its own rates (from calm to stormy), and every
 * step of a store or of Zoom then draws its fate. A budget caps the faults of a schedule, so that every schedule also
 * gets somewhere. Counts what was injected, for the explorer's figures.
 */
final class Faults {

    /** The fate of one call. */
    enum Kind {
        /** Answered as usual. */
        NONE,
        /** Failed before it took effect (refused, dropped on the way). */
        FAIL_BEFORE,
        /** Took effect, but the answer was lost (the caller sees a dropped connection; the AWS SDK sends it again). */
        LOST_ANSWER,
        /** Took effect after the caller stopped waiting for it. */
        LATE,
        /** Zoom refused it for now (429, nothing done). */
        REFUSED
    }

    private final Simulation sim;
    private final double storeRate;
    private final double zoomRate;
    private final double crashRate;
    private int budget;
    private boolean calm;
    private final Map<String, Integer> counts = new TreeMap<>();

    /** @param budget the most faults (crashes included) this schedule injects */
    Faults(Simulation sim, int budget) {
        this.sim = sim;
        this.budget = budget;
        double storm = sim.random().nextDouble();
        this.storeRate = 0.02 + 0.2 * storm;
        this.zoomRate = 0.02 + 0.25 * sim.random().nextDouble();
        this.crashRate = 0.01 + 0.04 * sim.random().nextDouble();
    }

    /** From now on nothing goes wrong: the schedule settles. */
    void calm() {
        calm = true;
    }

    /** The fate of a call to DynamoDB. */
    Kind store(boolean write) {
        if (calm || budget <= 0 || !sim.chance(storeRate)) {
            return Kind.NONE;
        }
        Kind kind = switch ((int) sim.below(write ? 3 : 2)) {
            case 0 -> Kind.FAIL_BEFORE;
            case 1 -> write ? Kind.LOST_ANSWER : Kind.LATE;
            default -> Kind.LATE;
        };
        return injected("store." + name(kind), kind);
    }

    /** The fate of a call to Zoom. */
    Kind zoom() {
        if (calm || budget <= 0 || !sim.chance(zoomRate)) {
            return Kind.NONE;
        }
        Kind kind = Kind.values()[1 + (int) sim.below(4)];
        return injected("zoom." + name(kind), kind);
    }

    /** Whether the instance crashes at this step. */
    boolean crash() {
        if (calm || budget <= 0 || !sim.chance(crashRate)) {
            return false;
        }
        injected("instance.stopped", Kind.NONE);
        return true;
    }

    /** Counts something that happened without being injected (an invocation cut at its deadline). */
    void happened(String what) {
        counts.merge(what, 1, Integer::sum);
    }

    Map<String, Integer> counts() {
        return counts;
    }

    int injected() {
        return counts.entrySet().stream().filter(e -> !e.getKey().startsWith("invocation.")).mapToInt(Map.Entry::getValue).sum();
    }

    private Kind injected(String what, Kind kind) {
        budget--;
        counts.merge(what, 1, Integer::sum);
        return kind;
    }

    private static String name(Kind kind) {
        return kind.name().toLowerCase().replace('_', '-');
    }
}
