package dev.zoomscheduler.time;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import com.amazonaws.services.lambda.runtime.Context;

/** When Lambda will end the current invocation: the limit for waiting, retrying and holding a request "in progress". */
@ApplicationScoped
public class InvocationDeadline {

    /** Lambda's longest timeout; a larger remaining time means the runtime gave none (tests, local runs). */
    private static final long LONGEST_INVOCATION_MILLIS = Duration.ofMinutes(15).toMillis();

    private final Clock clock;
    private final Duration fallback;

    public InvocationDeadline(Clock clock, @ConfigProperty(name = "invocation.default-budget") Duration fallback) {
        this.clock = clock;
        this.fallback = fallback;
    }

    public Instant of(Context lambda) {
        long remaining = lambda == null ? -1 : lambda.getRemainingTimeInMillis();
        boolean known = remaining > 0 && remaining <= LONGEST_INVOCATION_MILLIS;
        return clock.instant().plus(known ? Duration.ofMillis(remaining) : fallback);
    }
}
