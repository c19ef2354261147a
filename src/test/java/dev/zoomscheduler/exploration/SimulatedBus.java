package dev.zoomscheduler.exploration;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import dev.zoomscheduler.outcomes.OutcomeBus;
import dev.zoomscheduler.outcomes.OutcomeEvent;

/** EventBridge for the explorer: a step in virtual time that may refuse an event, or take it and lose the answer. */
final class SimulatedBus implements OutcomeBus {

    private static final long LATENCY_MILLIS = 15;

    private final Simulation sim;
    private final Faults faults;
    private final List<OutcomeEvent> received = new ArrayList<>();

    SimulatedBus(Simulation sim, Faults faults) {
        this.sim = sim;
        this.faults = faults;
    }

    @Override
    public boolean enabled() {
        return true;
    }

    @Override
    public Duration callTimeout() {
        return Duration.ofSeconds(2);
    }

    @Override
    public boolean publish(OutcomeEvent event, Duration budget) {
        if (budget.toMillis() <= 0) {
            return false;
        }
        sim.current().checkStop();
        Faults.Kind fate = faults.zoom(); // the same odds as another remote service
        sim.spend(LATENCY_MILLIS);
        switch (fate) {
            case FAIL_BEFORE, REFUSED -> {
                return false;
            }
            case LOST_ANSWER, LATE -> {
                take(event);
                return false;
            }
            default -> {
                take(event);
                return true;
            }
        }
    }

    private synchronized void take(OutcomeEvent event) {
        received.add(event);
    }

    synchronized List<OutcomeEvent> received() {
        return List.copyOf(received);
    }
}
