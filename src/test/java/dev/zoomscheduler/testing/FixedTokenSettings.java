package dev.zoomscheduler.testing;

import java.time.Duration;
import java.util.Optional;

import dev.zoomscheduler.tokens.TokenSettings;

/** Token settings given in code, for tests that build the stores and the rotation themselves. */
public record FixedTokenSettings(String table, Optional<String> userIndex, Duration refreshMargin, Duration leaseDuration,
        Duration waitTimeout) implements TokenSettings {

    /** The application's defaults (TOKEN_REFRESH_MARGIN_SECONDS, TOKEN_LEASE_SECONDS, TOKEN_WAIT_SECONDS) on a table without an index. */
    public static FixedTokenSettings defaults(String table) {
        return new FixedTokenSettings(table, Optional.empty(), Duration.ofSeconds(300), Duration.ofSeconds(15), Duration.ofSeconds(10));
    }

    /** These settings on another table, keeping everything else. */
    public static FixedTokenSettings onTable(String table, TokenSettings settings) {
        return new FixedTokenSettings(table, settings.userIndex(), settings.refreshMargin(), settings.leaseDuration(), settings.waitTimeout());
    }

    public FixedTokenSettings withUserIndex(String index) {
        return new FixedTokenSettings(table, Optional.of(index), refreshMargin, leaseDuration, waitTimeout);
    }
}
