package dev.zoomscheduler.outcomes;

import java.time.Duration;
import java.util.Optional;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import dev.zoomscheduler.aws.AwsClients;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.eventbridge.model.PutEventsResponse;

/**
 * The EventBridge bus that outcome events go to ({@code OUTCOME_EVENT_BUS}); without one, nothing is published and no
 * client exists. The client is built with the bean, which {@code ClientPriming} makes at init (SnapStart's snapshot).
 */
@ApplicationScoped
public class EventBridgeOutcomeBus implements OutcomeBus {

    private static final Logger LOG = Logger.getLogger(EventBridgeOutcomeBus.class);

    private final Optional<String> bus;
    private final String source;
    private final Duration callTimeout;
    private final EventBridgeClient client;

    public EventBridgeOutcomeBus(@ConfigProperty(name = "outcome-events.bus") Optional<String> bus,
            @ConfigProperty(name = "outcome-events.source") String source,
            @ConfigProperty(name = "outcome-events.endpoint-override") Optional<String> endpointOverride,
            @ConfigProperty(name = "outcome-events.call-timeout") Duration callTimeout) {
        this.bus = bus;
        this.source = source;
        this.callTimeout = callTimeout;
        this.client = bus.isPresent() ? client(endpointOverride, callTimeout) : null;
    }

    private static EventBridgeClient client(Optional<String> endpointOverride, Duration callTimeout) {
        return AwsClients.build(EventBridgeClient.builder(), endpointOverride, callTimeout);
    }

    @Override
    public boolean enabled() {
        return client != null;
    }

    @Override
    public Duration callTimeout() {
        return callTimeout;
    }

    @Override
    public boolean publish(OutcomeEvent event, Duration budget) {
        Duration timeout = budget.compareTo(callTimeout) < 0 ? budget : callTimeout;
        if (timeout.isNegative() || timeout.isZero()) {
            return false;
        }
        try {
            PutEventsResponse answer = client.putEvents(r -> r.overrideConfiguration(o -> o.apiCallTimeout(timeout))
                    .entries(e -> e.eventBusName(bus.orElseThrow()).source(source).detailType(event.detailType()).detail(event.detail())));
            if (answer.failedEntryCount() != null && answer.failedEntryCount() > 0) {
                LOG.warnf("EventBridge refused an outcome event (%s): %s", event.detailType(), answer.entries().get(0).errorCode());
                return false;
            }
            return true;
        } catch (RuntimeException e) {
            LOG.warnf("An outcome event (%s) could not be published (%s); it is kept to publish again", event.detailType(),
                    e.getClass().getSimpleName());
            return false;
        }
    }

    @PreDestroy
    void close() {
        if (client != null) {
            client.close();
        }
    }
}
