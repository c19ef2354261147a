package dev.zoomscheduler.outcomes;

import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * "The next chance" for an outcome event that could not be published: every invocation, HTTP or SQS, first publishes
 * what this instance remembers. With nothing remembered it costs nothing. Runs on the worker thread, as the resources.
 */
public class RememberedOutcomes {

    private final Outbox outbox;

    public RememberedOutcomes(Outbox outbox) {
        this.outbox = outbox;
    }

    @ServerRequestFilter
    public void publishRemembered() {
        outbox.publishRemembered();
    }
}
