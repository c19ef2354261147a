package dev.zoomscheduler.tokens;

import java.time.Duration;
import java.time.Instant;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * How long the steps of a refresh can take at worst, from the settings that bound each of them. Zoom kills the old refresh
 * token the moment it issues the new pair, so a refresh must never begin unless the invocation can still finish it and store
 * the result, and the lease that keeps other instances away must outlast its holder's worst case.
 */
@ApplicationScoped
public class RefreshBudget {

    /** Attempts at storing a refreshed pair (its refresh token is then the chain's only live copy). */
    static final int STORE_ATTEMPTS = 3;
    static final Duration FIRST_STORE_RETRY = Duration.ofMillis(25);
    /** Left after the refresh for answering the caller. */
    private static final Duration ANSWER_TIME = Duration.ofMillis(500);
    /** Added to the worst case so that a lease also covers some clock skew between instances. */
    private static final Duration LEASE_SLACK = Duration.ofSeconds(1);

    private final Duration tokenCall;
    private final Duration storeCall;
    private final Duration leaseFloor;
    private final ClientSecret secret;

    @Inject
    public RefreshBudget(@ConfigProperty(name = "quarkus.rest-client.zoom-oauth.connect-timeout") long connectMillis,
            @ConfigProperty(name = "quarkus.rest-client.zoom-oauth.read-timeout") long readMillis,
            @ConfigProperty(name = "quarkus.dynamodb.api-call-timeout") Duration storeCall, TokenSettings settings, ClientSecret secret) {
        this(Duration.ofMillis(connectMillis + readMillis), storeCall, settings.leaseDuration(), secret);
    }

    public RefreshBudget(Duration tokenCall, Duration storeCall, Duration leaseFloor, ClientSecret secret) {
        this.tokenCall = tokenCall;
        this.storeCall = storeCall;
        this.leaseFloor = leaseFloor;
        this.secret = secret;
    }

    /** One request to Zoom's token or revocation endpoint, connect and read timeouts included. */
    public Duration tokenCall() {
        return tokenCall;
    }

    /** One write of the token table, with the SDK's own retries ({@code DYNAMODB_CALL_TIMEOUT_MS}). */
    public Duration storeCall() {
        return storeCall;
    }

    /** Every attempt at storing a refreshed pair, with the pauses between them. */
    public Duration store() {
        Duration pauses = FIRST_STORE_RETRY.multipliedBy((1L << (STORE_ATTEMPTS - 1)) - 1);
        return storeCall.multipliedBy(STORE_ATTEMPTS).plus(pauses);
    }

    /** Taking the lease, reading the client secret if it is not held yet, the token request, and storing its result. */
    Duration refresh() {
        return storeCall.plus(secret.longestRead()).plus(tokenCall).plus(store());
    }

    /**
     * Longer than a holder's worst case, and at least TOKEN_LEASE_SECONDS. The lease runs from before the write that takes
     * it, so that write counts; so does the secret's read, as if it were not held yet.
     */
    Duration lease() {
        Duration worstCase = storeCall.plus(secret.longestFirstRead()).plus(tokenCall).plus(store()).plus(LEASE_SLACK);
        return worstCase.compareTo(leaseFloor) > 0 ? worstCase : leaseFloor;
    }

    /** Whether something that takes {@code needed} at worst, begun now, ends in time to answer before {@code deadline}. */
    public boolean fits(Instant now, Instant deadline, Duration needed) {
        return !now.plus(needed).plus(ANSWER_TIME).isAfter(deadline);
    }

    /** The time left to wait in, before {@code deadline} less the time to answer. */
    public Instant waitLimit(Instant deadline) {
        return deadline.minus(ANSWER_TIME);
    }
}
