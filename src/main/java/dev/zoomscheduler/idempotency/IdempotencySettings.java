package dev.zoomscheduler.idempotency;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;

/** Settings of request records (application.properties, overridable by environment variables). */
@ConfigMapping(prefix = "idempotency")
public interface IdempotencySettings {

    /** DynamoDB table of request records ({@code IDEMPOTENCY_TABLE}). */
    String table();

    /** How long a record is kept before DynamoDB's TTL removes it ({@code IDEMPOTENCY_TTL_HOURS}). */
    Duration ttl();

    /** How long a repeat waits for the same request in progress elsewhere before it is answered 409. */
    Duration waitTimeout();

    /**
     * How long after an attempt stopped waiting for Zoom (or its invocation ended) what it sent may still be carried out
     * ({@code IDEMPOTENCY_IN_DOUBT_SECONDS}): until then nobody looks for it or sends the request again.
     */
    Duration inDoubt();
}
