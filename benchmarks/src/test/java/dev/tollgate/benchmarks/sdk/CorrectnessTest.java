package dev.tollgate.benchmarks.sdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tollgate.benchmarks.workload.RequestData;
import dev.tollgate.benchmarks.workload.Workload;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Every SDK answers the workload correctly (the benchmarks' setup check), and the check catches one that does not. */
class CorrectnessTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(Sdk.class)
    void check_everySdkOnTheSmallWorkload_passes(Sdk sdk) {
        Workload workload = Workload.of(10);

        try (Evaluator evaluator = sdk.start(workload, dir, false)) {
            Correctness.check(evaluator, workload);
            assertThat(evaluator.name()).isEqualTo(sdk.id());
        }
    }

    @Test
    void check_tollgateWithThousandsOfOverrides_passes() {
        Workload workload = Workload.of(10_000);

        try (Evaluator evaluator = Sdk.TOLLGATE.start(workload, dir, false)) {
            Correctness.check(evaluator, workload);
        }
    }

    @Test
    void check_sdkAnsweringFallbacks_failsNamingTheWrongAnswers() {
        Workload workload = Workload.of(10);

        assertThatThrownBy(() -> Correctness.check(new AnswersFallbacks(), workload))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("answersFallbacks (10 overrides): ")
                .hasMessageContaining(" answers are wrong, first: teamRolesEnabled for RequestData[");
    }

    @Test
    void startSwapping_tollgate_installsNewRevisions() throws InterruptedException {
        Workload workload = Workload.of(10);

        try (TollgateSdk tollgate = TollgateSdk.start(workload, true, false)) {
            tollgate.startSwapping(10);
            long deadline = System.nanoTime() + 5_000_000_000L;
            while (tollgate.client().revision() < 3 && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }

            assertThat(tollgate.client().revision()).isGreaterThanOrEqualTo(3);
            Correctness.check(tollgate, workload);
        }
    }

    /** Answers every flag with the caller's fallback, as an SDK that did not load its configuration would. */
    private static final class AnswersFallbacks implements Evaluator {
        @Override
        public String name() {
            return "answersFallbacks";
        }

        @Override
        public boolean teamRolesEnabled(int context) {
            return false;
        }

        @Override
        public int maxTeamSize(int context) {
            return -1;
        }

        @Override
        public int maxApiRequestsPerDay(int context) {
            return -1;
        }

        @Override
        public boolean versionHistoryEnabled(int context) {
            return false;
        }

        @Override
        public int allFour(int context) {
            return Answers.pack(false, -1, -1, false);
        }

        @Override
        public int allFourLatest(int context) {
            return allFour(context);
        }

        @Override
        public int request(RequestData request) {
            return allFour(0);
        }

        @Override
        public int requestOne(RequestData request) {
            return -1;
        }

        @Override
        public void startSwapping(long intervalMillis) {}

        @Override
        public long swaps() {
            return 0;
        }

        @Override
        public void close() {}
    }
}
