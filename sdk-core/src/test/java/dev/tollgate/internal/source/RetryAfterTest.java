package dev.tollgate.internal.source;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RetryAfterTest {
    private static final Instant NOW = Instant.parse("2025-03-01T12:00:00Z");

    @ParameterizedTest(name = "\"{0}\" -> {1}")
    @CsvSource(
            delimiter = '|',
            nullValues = "null",
            value = {
                "120                           | PT2M",
                "' 7 '                         | PT7S",
                "0                             | PT0S",
                "Sat, 01 Mar 2025 12:00:30 GMT | PT30S",
                "Sat, 01 Mar 2025 11:00:00 GMT | PT0S",
                "soon                          | null",
                "-5                            | null",
                "99999999999999999999          | null",
                "''                            | null",
                "null                          | null"
            })
    void parse_secondsOrAnHttpDate(String header, String expected) {
        assertThat(RetryAfter.parse(header, NOW)).isEqualTo(expected == null ? null : Duration.parse(expected));
    }
}
