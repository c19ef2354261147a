package dev.zoomscheduler.tokens;

import java.time.Duration;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;

/** Settings of the token table and the rotation protocol (application.properties, overridable by environment variables). */
@ConfigMapping(prefix = "tokens")
public interface TokenSettings {

    /** DynamoDB table of connections ({@code TOKEN_TABLE}). */
    String table();

    /**
     * The token table's index on {@code zoomUserId}, keys only ({@code TOKEN_TABLE_USER_INDEX}): how Zoom's
     * {@code app_deauthorized} finds the connections of a user. Without one the table is scanned.
     */
    Optional<String> userIndex();

    /** Refresh this long before the access token expires ({@code TOKEN_REFRESH_MARGIN_SECONDS}). */
    Duration refreshMargin();

    /** How long a refresh lease keeps other instances away; longer than a token request can take. */
    Duration leaseDuration();

    /** How long a request waits for a refresh that another thread or instance is doing before it gives up with 503. */
    Duration waitTimeout();
}
