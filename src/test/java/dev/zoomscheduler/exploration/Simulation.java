package dev.zoomscheduler.exploration;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;
import java.util.SplittableRandom;
import java.util.concurrent.Semaphore;
import java.util.function.Consumer;

/**
 * Virtual time and a deterministic scheduler for the fault explorer. Every actor (a caller of the function) runs on a thread
 * of its own, but only one thread runs at a time: an actor runs until it reaches a step (a call to a store or to Zoom, a
 * sleep), where it hands control back, and the scheduler picks the next actor to run with the schedule's seeded random.
 * Time moves only when every actor waits for it. So one seed is one interleaving, replayed exactly.
 *
 * <p>An actor may be stopped at any step (the Lambda instance it runs on crashed, or its invocation reached its deadline):
 * it then throws {@link Stopped} from that step, which no protocol code catches.
 */
final class Simulation {

    /** Thrown in an actor at the step where its instance stops. An Error: the protocols catch RuntimeExceptions only. */
    static final class Stopped extends Error {
        Stopped(String why) {
            super(why, null, false, false);
        }
    }

    private final SplittableRandom random;
    private final PriorityQueue<Timed> timeline = new PriorityQueue<>();
    private final List<Actor> ready = new ArrayList<>();
    private final Semaphore schedulerTurn = new Semaphore(0);
    private long now;
    private long sequence;
    private Actor running;
    private int steps;

    Simulation(long seed, long startMillis) {
        this.random = new SplittableRandom(seed);
        this.now = startMillis;
    }

    long now() {
        return now;
    }

    /** With -Dexplorer.trace=true (a replayed seed), what happened when: for reading a failure, never needed to find one. */
    private static final boolean TRACE = Boolean.getBoolean("explorer.trace");

    void trace(String what) {
        if (TRACE) {
            System.out.printf("%8.3f %-22s %s%n", (now % 1_000_000) / 1000.0, running == null ? "-" : running.name, what);
        }
    }

    int steps() {
        return steps;
    }

    SplittableRandom random() {
        return random;
    }

    /** A number in [0, bound). */
    long below(long bound) {
        return bound <= 0 ? 0 : random.nextLong(bound);
    }

    boolean chance(double probability) {
        return random.nextDouble() < probability;
    }

    /** A clock that reads the virtual time, {@code skew} from it (an instance's, or Zoom's). */
    Clock clock(Duration skew) {
        return new VirtualClock(skew);
    }

    /** Something that happens at {@code atMillis} on its own (an effect that lands late): run by the scheduler, not an actor. */
    void at(long atMillis, Runnable effect) {
        timeline.add(new Timed(Math.max(atMillis, now), sequence++, null, effect));
    }

    /** Starts an actor at {@code atMillis}. */
    void spawn(String name, long atMillis, Consumer<Actor> body) {
        Actor actor = new Actor(name, body);
        timeline.add(new Timed(Math.max(atMillis, now), sequence++, actor, null));
    }

    /** The actor whose thread is calling. */
    Actor current() {
        return running;
    }

    /** A step of the calling actor that takes {@code millis} of virtual time; other actors run meanwhile. */
    void spend(long millis) {
        Actor actor = running;
        if (actor == null) {
            return; // the scheduler's own work (a late effect) takes no time
        }
        timeline.add(new Timed(now + Math.max(0, millis), sequence++, actor, null));
        actor.handBack();
    }

    /** Runs every actor and effect to the end. */
    void run() {
        while (true) {
            if (!ready.isEmpty()) {
                Actor next = ready.remove((int) below(ready.size()));
                running = next;
                steps++;
                next.resume();
                awaitTurn(next);
                running = null;
                continue;
            }
            Timed due = timeline.poll();
            if (due == null) {
                return;
            }
            now = Math.max(now, due.atMillis());
            if (due.actor() != null) {
                ready.add(due.actor());
            } else {
                due.effect().run();
            }
        }
    }

    /** Waits for the running actor to reach its next step; one that never does (blocked outside the simulation) is a bug. */
    private void awaitTurn(Actor actor) {
        try {
            if (!schedulerTurn.tryAcquire(30, java.util.concurrent.TimeUnit.SECONDS)) {
                throw new IllegalStateException("actor " + actor.name + " neither reached a step nor ended: blocked outside the simulation");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** One caller: its thread runs only when the scheduler hands it the turn. */
    final class Actor {
        final String name;
        private final Consumer<Actor> body;
        private final Semaphore turn = new Semaphore(0);
        private Thread thread;
        /** Why the instance serving this actor stops at its next step, or null. */
        private String stop;
        /** Virtual time at which the invocation in progress ends (Lambda's deadline), or 0. */
        private long deadline;
        /** The idempotency key of the request in progress (what Zoom's create is made for), or null. */
        String requestKey;
        /** The instance serving the invocation in progress, or null. */
        Object instance;

        private Actor(String name, Consumer<Actor> body) {
            this.name = name;
            this.body = body;
        }

        private void resume() {
            if (thread == null) {
                thread = new Thread(this::main, "sim-" + name);
                thread.setDaemon(true);
                thread.start();
            } else {
                turn.release();
            }
        }

        private void main() {
            try {
                body.accept(this);
            } catch (Throwable unexpected) {
                failure = unexpected;
            } finally {
                schedulerTurn.release();
            }
        }

        private void handBack() {
            schedulerTurn.release();
            turn.acquireUninterruptibly();
            checkStop();
        }

        /** Throws {@link Stopped} if the instance stopped, or the invocation's deadline has come. */
        void checkStop() {
            if (stop != null) {
                throw new Stopped(stop); // and at every later step: a stopped instance does nothing more
            }
            if (deadline > 0 && now >= deadline) {
                throw new Stopped("deadline");
            }
        }

        /** The instance serving this actor crashes: at its next step. */
        void stopAtNextStep(String why) {
            stop = why;
        }

        /** Why the instance serving the invocation in progress stopped ({@code deadline}, or a crash), or null. */
        String stopReason() {
            return stop != null ? stop : deadline > 0 && now >= deadline ? "deadline" : null;
        }

        void invocation(long deadlineMillis) {
            deadline = deadlineMillis;
        }

        void invocationEnded() {
            deadline = 0;
            stop = null;
            requestKey = null;
            instance = null;
        }

        long deadline() {
            return deadline;
        }
    }

    /** The first failure of an actor's own code (not a stop), if any: the explorer reports it as a bug. */
    private volatile Throwable failure;

    Throwable failure() {
        return failure;
    }

    private record Timed(long atMillis, long order, Actor actor, Runnable effect) implements Comparable<Timed> {
        @Override
        public int compareTo(Timed other) {
            int byTime = Long.compare(atMillis, other.atMillis);
            return byTime != 0 ? byTime : Long.compare(order, other.order);
        }
    }

    private final class VirtualClock extends Clock {
        private final Duration skew;

        VirtualClock(Duration skew) {
            this.skew = skew;
        }

        @Override
        public Instant instant() {
            return Instant.ofEpochMilli(now).plus(skew);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }
    }
}
