package dev.tollgate.internal.snapshot;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Row hashes are shared with the server and summed into the checksums deltas carry, so they must never change: these
 * are the values the first implementation (the row's text written out, then hashed) gave.
 */
class RowHasherTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    static Stream<Arguments> rows() {
        return Stream.of(
                Arguments.of("org_1", "50", "1dd8a0127bb416b2", "8d91873bbc75be84"),
                Arguments.of("org_0123456789abcdef", "-7", "a75ceb9f70790f8b", "61b02b6cc0ffb5c8"),
                Arguments.of("k", "9007199254740993", "2412a65584749fca", "3530976235d0c42b"),
                Arguments.of("k", "123456789012345678901234567890", "918b25f646dd36c6", "3dd6bcb63b328104"),
                Arguments.of("k", "50.0", "cccb3c0a129a4062", "b8f2c342fcc0c1e0"),
                Arguments.of("k", "1.5e3", "15e58a608630fde8", "3cb8c02127da419e"),
                Arguments.of("k", "0.25", "4981dda9f6f2d0a2", "ac0184a32120b7be"),
                Arguments.of("k", "true", "c72c8983844c6377", "fbc286949b2c057a"),
                Arguments.of("k", "null", "10cb31ae3f33ea9f", "2cc945508b881ac6"),
                Arguments.of("k", "\"Zürich ☃ \\\"q\\\" \\n\"", "bbc82f3e572277ad", "7b52b16c9d8edd57"),
                Arguments.of("Zürich", "[1, 2.50, \"x\"]", "b3342aa4e89f2dbe", "2311137210f7dbce"),
                Arguments.of("k", "{\"b\": 1, \"a\": [true]}", "536d39ef56905a8f", "cb89e89d0d7a4b5e"),
                Arguments.of("\ud83d\ude00 emoji", "\"\ud83d\ude00\"", "b4bee3ed454641d8", "c7c050d0bdc23310"),
                Arguments.of("", "0", "4319ece0f9123b00", "5ef3feee354f986e"),
                Arguments.of("a\ud83d", "1", "efd11e18d5bd8617", "61a8c60f0b226668"),
                Arguments.of("b\ude00", "\"\\ud83d\"", "dc0a5cd4417a4789", "e2667e268051deed"));
    }

    @ParameterizedTest
    @MethodSource("rows")
    void row_givesTheHashItAlwaysGave(String key, String value, String open, String fromNewYear) throws Exception {
        RowHasher hasher = new RowHasher();
        JsonNode node = MAPPER.readTree(value);
        JsonNode from = MAPPER.readTree("\"2026-01-01T00:00:00Z\"");

        assertThat(RowHasher.hex(hasher.row(key, node, null, null))).isEqualTo(open);
        assertThat(RowHasher.hex(hasher.row(key, node, from, null))).isEqualTo(fromNewYear);
        assertThat(RowHasher.hex(hasher.row(key, node, null, null)))
                .as("again, reusing its buffers")
                .isEqualTo(open);
    }
}
