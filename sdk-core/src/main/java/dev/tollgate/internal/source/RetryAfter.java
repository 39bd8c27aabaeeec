package dev.tollgate.internal.source;

import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/** Parses an HTTP {@code Retry-After} header: delay-seconds or an HTTP-date (RFC 9110, section 10.2.3). */
final class RetryAfter {
    /** The longest wait a server's {@code Retry-After} can impose. */
    static final Duration MAX = Duration.ofHours(1);

    private RetryAfter() {}

    /** The wait before the next attempt: {@code backoff}, or longer if the server asked for it (up to {@link #MAX}). */
    static Duration delay(Duration backoff, Duration retryAfter) {
        if (retryAfter == null) {
            return backoff;
        }
        Duration asked = retryAfter.compareTo(MAX) > 0 ? MAX : retryAfter;
        return asked.compareTo(backoff) > 0 ? asked : backoff;
    }

    /** The delay the header asks for, or {@code null} when there is no header or it cannot be parsed. */
    static Duration parse(String header, Instant now) {
        if (header == null || header.isBlank()) {
            return null;
        }
        String value = header.strip();
        if (value.chars().allMatch(Character::isDigit)) {
            try {
                return Duration.ofSeconds(Long.parseLong(value));
            } catch (NumberFormatException e) {
                return null;
            }
        }
        try {
            Instant at = ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME)
                    .toInstant();
            Duration delay = Duration.between(now, at);
            return delay.isNegative() ? Duration.ZERO : delay;
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
