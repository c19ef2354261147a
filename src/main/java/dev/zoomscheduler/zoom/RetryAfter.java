package dev.zoomscheduler.zoom;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/**
 * Reads Zoom's {@code Retry-After}, which has been seen as seconds, as an HTTP date and as a timestamp.
 */
public final class RetryAfter {

    private static final long EPOCH_SECONDS_FLOOR = 1_000_000_000L; // a "number of seconds" this large is a timestamp
    private static final long EPOCH_MILLIS_FLOOR = 1_000_000_000_000L;

    private RetryAfter() {
    }

    public static Optional<Duration> parse(String header, Instant now) {
        if (header == null || header.isBlank()) {
            return Optional.empty();
        }
        String value = header.trim();
        try {
            if (value.chars().allMatch(Character::isDigit)) {
                long number = Long.parseLong(value);
                if (number >= EPOCH_MILLIS_FLOOR) {
                    return Optional.of(until(Instant.ofEpochMilli(number), now));
                }
                if (number >= EPOCH_SECONDS_FLOOR) {
                    return Optional.of(until(Instant.ofEpochSecond(number), now));
                }
                return Optional.of(Duration.ofSeconds(number));
            }
            return Optional.of(until(ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant(), now));
        } catch (NumberFormatException | DateTimeParseException e) {
            try {
                return Optional.of(until(Instant.parse(value), now));
            } catch (DateTimeParseException notIso) {
                return Optional.empty();
            }
        }
    }

    /** Time left until the next 00:00 UTC, when Zoom's daily meeting create/update limit resets. */
    public static Duration untilNextUtcMidnight(Instant now) {
        Instant midnight = LocalDate.ofInstant(now, ZoneOffset.UTC).plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant();
        return Duration.between(now, midnight);
    }

    private static Duration until(Instant then, Instant now) {
        Duration wait = Duration.between(now, then);
        return wait.isNegative() ? Duration.ZERO : wait;
    }
}
