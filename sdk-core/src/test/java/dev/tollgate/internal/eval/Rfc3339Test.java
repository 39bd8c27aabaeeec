package dev.tollgate.internal.eval;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** RFC 3339 date-times read into the instants {@link Instant#parse} reads, and the text that is not one. */
class Rfc3339Test {

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "2024-05-01T09:30:00Z,               2024-05-01T09:30:00Z",
        "2024-05-01t09:30:00z,               2024-05-01T09:30:00Z",
        "2024-05-01T11:30:00+02:00,          2024-05-01T09:30:00Z",
        "2024-05-01T04:00:00-05:30,          2024-05-01T09:30:00Z",
        "2024-05-01T09:30:00-00:00,          2024-05-01T09:30:00Z",
        "2024-05-01T09:30:00.5Z,             2024-05-01T09:30:00.500Z",
        "2024-05-01T09:30:00.123456789Z,     2024-05-01T09:30:00.123456789Z",
        "2024-05-01T09:30:00.1234567891234Z, 2024-05-01T09:30:00.123456789Z",
        "2024-02-29T00:00:00Z,               2024-02-29T00:00:00Z",
        "2000-02-29T23:59:59Z,               2000-02-29T23:59:59Z",
        "1970-01-01T00:00:00Z,               1970-01-01T00:00:00Z",
        "1969-12-31T23:59:59.999Z,           1969-12-31T23:59:59.999Z",
        "0000-01-01T00:00:00Z,               0000-01-01T00:00:00Z",
        "9999-12-31T23:59:59Z,               9999-12-31T23:59:59Z",
        "2016-12-31T23:59:60Z,               2016-12-31T23:59:59Z",
        "2024-01-01T00:30:00+01:00,          2023-12-31T23:30:00Z",
        "2024-05-02T09:29:00+23:59,          2024-05-01T09:30:00Z",
        "2024-04-30T09:31:00-23:59,          2024-05-01T09:30:00Z",
    })
    void epochSecondAndNano_areTheInstantsDateTimesName(String text, String instant) {
        Instant expected = Instant.parse(instant);

        assertThat(Rfc3339.epochSecond(text)).isEqualTo(expected.getEpochSecond());
        assertThat(Rfc3339.nano(text)).isEqualTo(expected.getNano());
        assertThat(Rfc3339.instant(text)).isEqualTo(expected);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "",
                "2024-05-01",
                "2024-05-01T09:30Z",
                "2024-05-01T09:30:00",
                "2024-05-01 09:30:00Z",
                "2024-05-01T09:30:00ZZ",
                "2024-05-01T09:30:00.Z",
                "2024-05-01T09:30:00+0200",
                "2024-05-01T09:30:00+02",
                "2024-05-01T09:30:00+24:00",
                "2024-05-01T09:30:00+02:60",
                "2024-13-01T09:30:00Z",
                "2024-00-01T09:30:00Z",
                "2024-04-31T09:30:00Z",
                "2023-02-29T09:30:00Z",
                "1900-02-29T09:30:00Z",
                "2024-05-00T09:30:00Z",
                "2024-05-01T24:00:00Z",
                "2024-05-01T09:60:00Z",
                "2024-05-01T09:30:61Z",
                "+2024-05-01T09:30:00Z",
                "24-05-01T09:30:00Z",
                "2024-5-01T09:30:00Z",
                "２０２４-05-01T09:30:00Z",
                "1714555800",
            })
    void epochSecond_ofTextThatIsNotAnRfc3339DateTime_isInvalid(String text) {
        assertThat(Rfc3339.epochSecond(text)).isEqualTo(Rfc3339.INVALID);
        assertThat(Rfc3339.instant(text)).isNull();
    }
}
