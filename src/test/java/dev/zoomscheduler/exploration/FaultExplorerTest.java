package dev.zoomscheduler.exploration;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.logging.Level;
import java.util.logging.Logger;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The fault explorer: seeded, deterministic schedules of the real protocols (token rotation, install, idempotency and
 * adoption, outcome events, Zoom's meeting events) on several simulated Lambda instances, against in-memory tables with
 * DynamoDB's conditional writes and a Zoom that rotates refresh tokens. In every schedule any store or Zoom call may fail
 * before it takes effect, take effect and lose its answer, or take effect late; an instance may stop at any step; clocks
 * differ by up to 2 s; deadlines are real. After each schedule the promises are checked (see {@link World}).
 *
 * <p>Replay one schedule: {@code ./mvnw test -Dtest=FaultExplorerTest#everyExploredScheduleKeepsThePromises
 * -Dexplorer.seed=N}. More of them: {@code -Dexplorer.schedules=N}.
 */
class FaultExplorerTest {

    /** The protocols log what they do; thousands of schedules would drown the build log. */
    private static final Logger PROTOCOLS = Logger.getLogger("dev.zoomscheduler");
    private static Level logged;

    @BeforeAll
    static void quiet() {
        logged = PROTOCOLS.getLevel();
        PROTOCOLS.setLevel(Boolean.getBoolean("explorer.trace") ? logged : Level.OFF);
    }

    @AfterAll
    static void loud() {
        PROTOCOLS.setLevel(logged);
    }

    private static final int SCHEDULES = Integer.getInteger("explorer.schedules", 1500);
    /** Schedules a negative control may take to find what it must find. */
    private static final int CONTROL_BUDGET = 400;

    @Test
    void everyExploredScheduleKeepsThePromises() {
        Long replay = Long.getLong("explorer.seed");
        long first = replay != null ? replay : 1;
        int schedules = replay != null ? 1 : SCHEDULES;
        Figures figures = new Figures();
        List<String> failures = new ArrayList<>();
        long started = System.nanoTime();
        for (long seed = first; seed < first + schedules; seed++) {
            World world = new World(seed, World.Controls.PRODUCT);
            List<String> violations = explore(world, figures);
            if (!violations.isEmpty()) {
                failures.add("seed " + seed + ": " + violations);
            }
        }
        figures.print("fault explorer", schedules, System.nanoTime() - started);
        assertTrue(failures.isEmpty(), failures.size() + " of " + schedules + " schedules broke a promise; replay one with"
                + " -Dexplorer.seed=N:\n" + String.join("\n", failures.subList(0, Math.min(10, failures.size()))));
    }

    @Test
    void withoutTheLeaseCheckItFindsARefreshSentOutsideItsLease() {
        assertFinds(new World.Controls(false, Duration.ofSeconds(30), true), violation -> violation.startsWith("a refresh of"),
                "the lease check switched off");
    }

    @Test
    void withoutTheInDoubtWaitItFindsASecondMeetingForOneKey() {
        assertFinds(new World.Controls(true, Duration.ZERO, true), violation -> violation.contains("meetings made for it")
                || violation.contains("orphaned") || violation.contains("made for"), "the in-doubt wait switched off");
    }

    @Test
    void withoutTheTimeOfTheLastRefreshItFindsAnIdleChainRefreshedTwiceByTheKeepAlive() {
        assertFinds(new World.Controls(true, Duration.ofSeconds(30), false), violation -> violation.startsWith(World.DAVE + ": the keep-alive"),
                "the refresh time not kept");
    }

    /** A negative control: with one safeguard off, the explorer must find the violation it exists to prevent, within its budget. */
    private static void assertFinds(World.Controls controls, Predicate<String> expected, String what) {
        Figures figures = new Figures();
        long started = System.nanoTime();
        for (long seed = 1; seed <= CONTROL_BUDGET; seed++) {
            List<String> violations = explore(new World(seed, controls), figures);
            if (violations.stream().anyMatch(expected)) {
                figures.print("negative control, " + what + ": found at seed " + seed, (int) seed, System.nanoTime() - started);
                System.out.println("  " + violations.stream().filter(expected).findFirst().orElseThrow());
                return;
            }
        }
        throw new AssertionError("with " + what + ", " + CONTROL_BUDGET + " schedules found nothing: the explorer cannot see it");
    }

    private static List<String> explore(World world, Figures figures) {
        List<String> violations = world.explore();
        figures.add(world);
        return violations;
    }

    /** What the explored schedules did, summed. */
    private static final class Figures {
        final Map<String, Integer> faults = new TreeMap<>();
        final Map<String, Integer> excused = new TreeMap<>();
        /** The first seeds of each kind of excused loss, to replay and read. */
        final Map<String, List<Long>> excusedSeeds = new TreeMap<>();
        int injected;
        long steps;
        long instances;

        void add(World world) {
            world.faults.counts().forEach((kind, count) -> faults.merge(kind, count, Integer::sum));
            injected += world.faults.injected();
            world.excused().forEach((kind, count) -> excused.merge(kind, count, Integer::sum));
            world.excused().keySet().forEach(kind -> {
                List<Long> seeds = excusedSeeds.computeIfAbsent(kind, k -> new ArrayList<>());
                if (seeds.size() < 3) {
                    seeds.add(world.seed);
                }
            });
            steps += world.sim.steps();
            instances += world.instancesMade();
        }

        void print(String title, int schedules, long nanos) {
            System.out.printf("%s: %d schedules in %.1f s, %d steps, %d Lambda instances, %d faults injected %s%n", title, schedules,
                    nanos / 1e9, steps, instances, injected, faults);
            if (!excused.isEmpty()) {
                System.out.println("  losses Zoom's design allows (not the function's doing): " + excused);
                System.out.println("  (first seeds of each: " + excusedSeeds + ")");
            }
        }
    }
}
