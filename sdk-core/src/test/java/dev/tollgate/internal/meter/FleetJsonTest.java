package dev.tollgate.internal.meter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@link FleetJson}: the server's usage answers, and what each malformed one is reported as. */
class FleetJsonTest {
    private static final long DAY_START = Instant.parse("2026-12-06T00:00:00Z").toEpochMilli();

    private static FleetJson.Answer read(String json) throws IOException {
        return FleetJson.read(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void read_aLogBatchAnswer_givesItsRows_withoutAVersion() throws IOException {
        FleetJson.Answer answer = read(
                """
                {"accepted": true, "duplicate": false, "usage": [
                  {"field": "entitlements.maxApiRequestsPerDay", "arguments": {"endpoint": "search"}, "key": "org_1",
                   "period": "DAY", "periodStart": "2026-12-06T00:00:00Z", "used": 42, "extra": 0, "version": 17}]}""");

        assertThat(answer.rows())
                .containsExactly(new MeterLedger.FleetRow(
                        "entitlements.maxApiRequestsPerDay",
                        "{\"endpoint\":\"search\"}",
                        Map.of("endpoint", "search"),
                        "org_1",
                        "DAY",
                        DAY_START,
                        42,
                        0,
                        17));
        assertThat(answer.version()).isEqualTo(-1);
        assertThat(answer.more()).isFalse();
    }

    @Test
    void read_aUsageFeedAnswer_givesRowsInOrder_theVersionAndMore() throws IOException {
        FleetJson.Answer answer = read(
                """
                {"usage": [
                   {"version": 8, "used": 3, "key": "org_2", "period": "MONTH", "field": "seats",
                    "periodStart": "2026-12-01T00:00:00Z", "extra": 250, "unknown": {"nested": [1, 2]}},
                   {"field": "exports", "arguments": {"size": 5, "archived": true, "note": null, "format": "PDF"},
                    "key": "EU", "period": "HOUR", "periodStart": "2026-12-06T15:00:00.000Z", "used": 0, "version": 9}],
                 "version": 9, "more": true, "next": "ignored"}""");

        Map<String, Object> arguments = new HashMap<>();
        arguments.put("size", 5);
        arguments.put("archived", true);
        arguments.put("note", null);
        arguments.put("format", "PDF");
        assertThat(answer.rows())
                .containsExactly(
                        new MeterLedger.FleetRow(
                                "seats",
                                "{}",
                                Map.of(),
                                "org_2",
                                "MONTH",
                                Instant.parse("2026-12-01T00:00:00Z").toEpochMilli(),
                                3,
                                250,
                                8),
                        new MeterLedger.FleetRow(
                                "exports",
                                "{\"archived\":true,\"format\":\"PDF\",\"note\":null,\"size\":5}",
                                arguments,
                                "EU",
                                "HOUR",
                                Instant.parse("2026-12-06T15:00:00Z").toEpochMilli(),
                                0,
                                0,
                                9));
        assertThat(answer.version()).isEqualTo(9);
        assertThat(answer.more()).isTrue();
    }

    @Test
    void read_anAnswerWithoutUsage_hasNoRows() throws IOException {
        assertThat(read("{\"accepted\": true, \"duplicate\": true}").rows()).isEmpty();
        assertThat(read("{\"usage\": [], \"version\": 0, \"more\": false}"))
                .isEqualTo(new FleetJson.Answer(List.of(), 0, false));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            quoteCharacter = '`',
            textBlock =
                    """
            empty body         | ``                                                        | the answer must be an object but was null
            array              | []                                                        | the answer must be an object but was START_ARRAY
            usage object       | {"usage": {}}                                             | usage must be an array but was START_OBJECT
            row not object     | {"usage": [7]}                                            | usage[0] must be an object but was VALUE_NUMBER_INT
            used string        | {"usage": [{ROW, "used": "42"}]}                          | usage[0].used must be a whole number but was VALUE_STRING
            used fraction      | {"usage": [{ROW, "used": 4.5}]}                           | usage[0].used must be a whole number but was VALUE_NUMBER_FLOAT
            used negative      | {"usage": [{ROW, "used": -1}]}                            | usage[0].used must not be negative, but was -1
            extra negative     | {"usage": [{ROW, "used": 1, "extra": -3}]}                | usage[0].extra must not be negative, but was -3
            version string     | {"usage": [{ROW, "used": 1, "version": "9"}]}             | usage[0].version must be a whole number but was VALUE_STRING
            field number       | {"usage": [{ROW, "used": 1, "field": 5}]}                 | usage[0].field must be a string but was VALUE_NUMBER_INT
            key null           | {"usage": [{ROW, "used": 1, "key": null}]}                | usage[0].key must be a string but was VALUE_NULL
            period array       | {"usage": [{ROW, "used": 1, "period": []}]}               | usage[0].period must be a string but was START_ARRAY
            start not instant  | {"usage": [{ROW, "used": 1, "periodStart": "yesterday"}]} | usage[0].periodStart must be an ISO-8601 instant, was "yesterday"
            arguments array    | {"usage": [{ROW, "used": 1, "arguments": []}]}            | usage[0].arguments must be an object but was START_ARRAY
            argument object    | {"usage": [{ROW, "used": 1, "arguments": {"a": {}}}]}     | usage[0].arguments.a must be a string, number, boolean or null
            no used            | {"usage": [{ROW}]}                                        | usage[0] needs field, key, period, periodStart, used and version
            second row bad     | {"usage": [{ROW, "used": 1}, {ROW}]}                      | usage[1] needs field, key, period, periodStart, used and version
            top version string | {"usage": [], "version": "9"}                             | version must be a whole number but was VALUE_STRING
            top version minus  | {"usage": [], "version": -2}                              | version must not be negative, but was -2
            """)
    void read_malformedAnswer_failsNamingWhereAndWhat(String name, String json, String message) {
        String body = json.replace(
                "ROW",
                "\"field\": \"f\", \"key\": \"k\", \"period\": \"DAY\", \"periodStart\": \"2026-12-06T00:00:00Z\","
                        + " \"version\": 1");

        IOException error = catchThrowableOfType(IOException.class, () -> read(body));

        assertThat(error).hasMessage(message);
    }

    /**
     * Regression: {@code more} was read as "is it true" without looking at what it was, so a {@code more} that is an
     * object or an array was not skipped: the parser took its members for the answer's own and stopped at its end,
     * silently dropping whatever followed, here the version and a malformed row.
     */
    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            quoteCharacter = '`',
            textBlock =
                    """
            object | {"more": {"x": 1}, "version": 4, "usage": [{"bad": 1}]} | more must be true or false but was START_OBJECT
            array  | {"more": [true], "version": 4}                           | more must be true or false but was START_ARRAY
            string | {"more": "yes", "version": 4}                            | more must be true or false but was VALUE_STRING
            null   | {"more": null, "version": 4}                             | more must be true or false but was VALUE_NULL
            """)
    void read_moreThatIsNotABoolean_failsInsteadOfDroppingWhatFollows(String name, String json, String message) {
        IOException error = catchThrowableOfType(IOException.class, () -> read(json));

        assertThat(error).hasMessage(message);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            quoteCharacter = '`',
            textBlock =
                    """
            truncated row    | {"usage": [{"field": "f", "used"
            unclosed array   | {"usage": [
            unclosed object  | {"usage": []
            not json         | <html>502 Bad Gateway</html>
            """)
    void read_brokenJson_failsWithAnIOException(String name, String json) {
        IOException error = catchThrowableOfType(IOException.class, () -> read(json));

        assertThat(error).isNotNull();
        assertThat(error.getMessage()).isNotBlank();
    }
}
