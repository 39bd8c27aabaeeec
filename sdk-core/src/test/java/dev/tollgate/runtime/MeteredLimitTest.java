package dev.tollgate.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.tollgate.EvaluationDetail;
import dev.tollgate.FallbackCause;
import dev.tollgate.Reason;
import dev.tollgate.UntypedRoot;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@link MeteredLimit}: what it asks of its {@link FieldReader}, and {@link FieldReader#consume}'s default for readers
 * that do not count usage. Counting itself is covered through a client in {@code MeteringTest}.
 */
class MeteredLimitTest {
    private static final Object[] ARGS = {"search"};

    @Test
    void tryConsume_usageAndValue_passTheFieldArgumentsAmountAndFallbackToTheReader() {
        StubReader reader = new StubReader(EvaluationDetail.of(20, Reason.ofDefault(), 9));
        MeteredLimit limit = MeteredLimit.of(reader, 3, ARGS);

        limit.tryConsume(4, 50);
        limit.usage(60);
        int value = limit.value(70);

        assertThat(reader.calls)
                .containsExactly(
                        "consume(3, [search], 4, 50)", "consume(3, [search], 0, 60)", "intValue(3, [search], 70)");
        assertThat(value).isEqualTo(20);
    }

    @Test
    void tryConsume_negativeAmount_throwsWithoutAskingTheReader() {
        StubReader reader = new StubReader(EvaluationDetail.of(20, Reason.ofDefault(), 9));

        IllegalArgumentException error =
                catchThrowableOfType(IllegalArgumentException.class, () -> MeteredLimit.of(reader, 3, ARGS)
                        .tryConsume(-5, 50));

        assertThat(error).hasMessage("amount must not be negative, but was -5");
        assertThat(reader.calls).isEmpty();
    }

    @Test
    void of_nullReaderOrArguments_isRefusedNamingIt() {
        StubReader reader = new StubReader(EvaluationDetail.of(20, Reason.ofDefault(), 9));

        NullPointerException noReader =
                catchThrowableOfType(NullPointerException.class, () -> MeteredLimit.of(null, 3, ARGS));
        NullPointerException noArguments =
                catchThrowableOfType(NullPointerException.class, () -> MeteredLimit.of(reader, 3, null));

        assertThat(noReader).hasMessage("reader");
        assertThat(noArguments).hasMessage("arguments");
    }

    @Test
    void toString_namesTheFieldAndTheReadersRevision() {
        StubReader reader = new StubReader(EvaluationDetail.of(20, Reason.ofDefault(), 9));

        assertThat(MeteredLimit.of(reader, 3, ARGS)).hasToString("MeteredLimit[field=3, revision=9]");
    }

    @Test
    void consume_byDefault_countsNothing_andAnswersTheFieldsLimitOrTheFallback() {
        Reason noLogic = Reason.fallback(FallbackCause.NO_LOGIC, "no logic");
        FieldReader counting = new StubReader(EvaluationDetail.of(20, Reason.rule("pro"), 9));
        FieldReader fallback = new StubReader(EvaluationDetail.of(null, noLogic, 9));
        FieldReader notAnInt = new StubReader(EvaluationDetail.of("twenty", Reason.ofDefault(), 9));

        Consumption limit = MeteredLimit.of(counting, 3, ARGS).tryConsume(2, 50);
        Consumption fellBack = fallback.consume(3, ARGS, 2, 50);
        Consumption mismatch = notAnInt.consume(3, ARGS, 2, 50);
        IllegalArgumentException negative =
                catchThrowableOfType(IllegalArgumentException.class, () -> counting.consume(3, ARGS, -1, 50));

        String why = "this reader does not count usage";
        assertThat(limit).isEqualTo(Consumption.notCounted(20, 2, Reason.rule("pro"), why));
        assertThat(fellBack).isEqualTo(Consumption.notCounted(50, 2, noLogic, why));
        assertThat(mismatch).isEqualTo(Consumption.notCounted(50, 2, Reason.ofDefault(), why));
        assertThat(negative).hasMessage("amount must not be negative, but was -1");
    }

    /**
     * A reader that is not Tollgate's: answers one detail and records what it is asked; its consume records the call
     * and then runs the interface's default.
     */
    private static final class StubReader implements FieldReader {
        final List<String> calls = new ArrayList<>();
        private final EvaluationDetail<Object> detail;

        StubReader(EvaluationDetail<?> detail) {
            @SuppressWarnings("unchecked")
            EvaluationDetail<Object> any = (EvaluationDetail<Object>) detail;
            this.detail = any;
        }

        @Override
        public long revision() {
            return detail.revision();
        }

        @Override
        public boolean booleanValue(int field, Object[] args, boolean fallback) {
            throw new UnsupportedOperationException();
        }

        @Override
        public int intValue(int field, Object[] args, int fallback) {
            calls.add("intValue(" + field + ", " + List.of(args) + ", " + fallback + ")");
            return detail.value() instanceof Integer value ? value : fallback;
        }

        @Override
        public double floatValue(int field, Object[] args, double fallback) {
            throw new UnsupportedOperationException();
        }

        @Override
        public String stringValue(int field, Object[] args, String fallback) {
            throw new UnsupportedOperationException();
        }

        @Override
        public String enumValue(int field, Object[] args, String fallback) {
            throw new UnsupportedOperationException();
        }

        @Override
        public List<?> listValue(int field, Object[] args, List<?> fallback) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Object value(int field, Object[] args, Object fallback) {
            throw new UnsupportedOperationException();
        }

        @Override
        public EvaluationDetail<Object> detail(int field, Object[] args, Object fallback) {
            return detail;
        }

        @Override
        public Consumption consume(int field, Object[] args, int amount, int fallback) {
            calls.add("consume(" + field + ", " + List.of(args) + ", " + amount + ", " + fallback + ")");
            return FieldReader.super.consume(field, args, amount, fallback);
        }

        @Override
        public UntypedRoot untyped() {
            throw new UnsupportedOperationException();
        }
    }
}
