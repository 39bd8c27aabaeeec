package dev.tollgate.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.tollgate.FallbackCause;
import dev.tollgate.Reason;
import dev.tollgate.runtime.Consumption.Status;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@link Consumption}: what a verdict derives from its parts, how it is built, compared and shown. */
class ConsumptionTest {
    private static final long RESET = Instant.parse("2026-12-07T00:00:00Z").toEpochMilli();
    private static final Reason PRO = Reason.rule("pro");

    @ParameterizedTest(name = "{0} {2} of {1}")
    @CsvSource(
            delimiter = '|',
            textBlock =
                    """
            # status           | limit | used | requested | allowed | remaining | overLimit
            ALLOWED            | 10    | 4    | 1         | true    | 6         | false
            ALLOWED            | 10    | 10   | 1         | true    | 0         | false
            ALLOWED            | 10    | 0    | 0         | true    | 10        | false
            ALLOWED            | 0     | 0    | 0         | true    | 0         | false
            ALLOWED_OVER_LIMIT | 10    | 11   | 1         | true    | 0         | true
            ALLOWED_OVER_LIMIT | 10    | 25   | 15        | true    | 0         | true
            DENIED             | 10    | 10   | 1         | false   | 0         | true
            DENIED             | 10    | 3    | 8         | false   | 7         | true
            DENIED             | 0     | 0    | 1         | false   | 0         | true
            """)
    void counted_derivesAllowedRemainingAndOverLimit(
            Status status, long limit, long used, long requested, boolean allowed, long remaining, boolean overLimit) {
        Consumption c = Consumption.counted(status, limit, used, requested, RESET, PRO);

        assertThat(c.status()).isEqualTo(status);
        assertThat(c.limit()).isEqualTo(limit);
        assertThat(c.used()).isEqualTo(used);
        assertThat(c.requested()).isEqualTo(requested);
        assertThat(c.allowed()).isEqualTo(allowed);
        assertThat(c.remaining()).isEqualTo(remaining);
        assertThat(c.overLimit()).isEqualTo(overLimit);
        assertThat(c.resetsAt()).isEqualTo(Instant.parse("2026-12-07T00:00:00Z"));
        assertThat(c.reason()).isEqualTo(PRO);
        assertThat(c.message()).isNull();
    }

    @Test
    void notCounted_isAllowed_withNothingUsed_neverOverTheLimit_andNoReset() {
        Consumption c = Consumption.notCounted(5, 7, Reason.ofDefault(), "the context has no value");

        assertThat(c.status()).isEqualTo(Status.NOT_COUNTED);
        assertThat(c.allowed()).isTrue();
        assertThat(c.limit()).isEqualTo(5);
        assertThat(c.used()).isZero();
        assertThat(c.requested()).isEqualTo(7);
        assertThat(c.remaining()).isEqualTo(5);
        assertThat(c.overLimit())
                .as("requested 7 of 5, but nothing was counted")
                .isFalse();
        assertThat(c.resetsAt()).isEqualTo(Instant.MAX);
        assertThat(c.message()).isEqualTo("the context has no value");
    }

    @Test
    void counted_refusesNotCountedNegativeAmountsAndNulls_namingWhat() {
        IllegalArgumentException notCounted = catchThrowableOfType(
                IllegalArgumentException.class, () -> Consumption.counted(Status.NOT_COUNTED, 1, 0, 0, RESET, PRO));
        IllegalArgumentException used = catchThrowableOfType(
                IllegalArgumentException.class, () -> Consumption.counted(Status.ALLOWED, 1, -1, 0, RESET, PRO));
        IllegalArgumentException requested = catchThrowableOfType(
                IllegalArgumentException.class, () -> Consumption.counted(Status.ALLOWED, 1, 0, -2, RESET, PRO));
        IllegalArgumentException notCountedRequested =
                catchThrowableOfType(IllegalArgumentException.class, () -> Consumption.notCounted(1, -3, PRO, "why"));
        NullPointerException status =
                catchThrowableOfType(NullPointerException.class, () -> Consumption.counted(null, 1, 0, 0, RESET, PRO));
        NullPointerException reason = catchThrowableOfType(
                NullPointerException.class, () -> Consumption.counted(Status.DENIED, 1, 0, 0, RESET, null));
        NullPointerException message =
                catchThrowableOfType(NullPointerException.class, () -> Consumption.notCounted(1, 0, PRO, null));

        assertThat(notCounted).hasMessage("a counted consumption cannot be NOT_COUNTED; use notCounted");
        assertThat(used).hasMessage("used must not be negative, but was -1");
        assertThat(requested).hasMessage("requested must not be negative, but was -2");
        assertThat(notCountedRequested).hasMessage("requested must not be negative, but was -3");
        assertThat(status).hasMessage("status");
        assertThat(reason).hasMessage("reason");
        assertThat(message).hasMessage("message");
    }

    @Test
    void equals_comparesEveryPart() {
        Consumption base = Consumption.counted(Status.ALLOWED, 10, 4, 1, RESET, PRO);
        List<Consumption> others = List.of(
                Consumption.counted(Status.ALLOWED_OVER_LIMIT, 10, 4, 1, RESET, PRO),
                Consumption.counted(Status.ALLOWED, 11, 4, 1, RESET, PRO),
                Consumption.counted(Status.ALLOWED, 10, 5, 1, RESET, PRO),
                Consumption.counted(Status.ALLOWED, 10, 4, 2, RESET, PRO),
                Consumption.counted(Status.ALLOWED, 10, 4, 1, RESET + 1, PRO),
                Consumption.counted(Status.ALLOWED, 10, 4, 1, RESET, Reason.rule("team")),
                Consumption.notCounted(10, 1, PRO, "why"));

        assertThat(base)
                .isEqualTo(Consumption.counted(Status.ALLOWED, 10, 4, 1, RESET, Reason.rule("pro")))
                .hasSameHashCodeAs(Consumption.counted(Status.ALLOWED, 10, 4, 1, RESET, Reason.rule("pro")));
        assertThat(others).allSatisfy(other -> assertThat(other).isNotEqualTo(base));
        assertThat(Consumption.notCounted(10, 1, PRO, "why"))
                .isEqualTo(Consumption.notCounted(10, 1, PRO, "why"))
                .isNotEqualTo(Consumption.notCounted(10, 1, PRO, "because"));
        assertThat(base).isNotEqualTo(null).isNotEqualTo("Consumption");
    }

    @Test
    void toString_showsTheVerdictUsageResetAndReason() {
        Consumption denied = Consumption.counted(Status.DENIED, 100, 100, 1, RESET, PRO);
        Consumption notCounted = Consumption.notCounted(
                5,
                2,
                Reason.fallback(FallbackCause.NO_LOGIC, "the snapshot has no logic for a"),
                "the context has no value for context.organization.id, which counts usage");

        assertThat(denied)
                .hasToString(
                        "Consumption[DENIED, used 100 of 100, requested 1, resets 2026-12-07T00:00:00Z (rule:pro)]");
        assertThat(notCounted)
                .hasToString("Consumption[NOT_COUNTED, limit 5, requested 2: the context has no value for"
                        + " context.organization.id, which counts usage (fallback NO_LOGIC: the snapshot has no logic"
                        + " for a)]");
    }
}
