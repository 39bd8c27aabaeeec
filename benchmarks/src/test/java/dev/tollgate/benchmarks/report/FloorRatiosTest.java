package dev.tollgate.benchmarks.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FloorRatiosTest {
    private static Result result(String benchmark, String sdk, int overrides, String mode, double median) {
        return new Result(benchmark, sdk, overrides, mode, median, 0, median, "ns/op", 0.0, 3);
    }

    private static FloorRatios.Failure failure(String key, boolean recorded) {
        return new FloorRatios.Failure(key, recorded, key + ": the report's line");
    }

    @Test
    void ratios_areEachTollgateRowAsAMultipleOfTheFloorInTheSameBenchmarkAndSize() {
        List<Result> results = List.of(
                result("SingleAccessorBenchmark.maxTeamSize", "tollgate", 10, "avgt", 12),
                result("SingleAccessorBenchmark.maxTeamSize", "floor", 10, "avgt", 4),
                result("SingleAccessorBenchmark.maxTeamSize", "tollgate", 100_000, "avgt", 15),
                result("SingleAccessorBenchmark.maxTeamSize", "launchDarklyEventsOff", 10, "avgt", 100),
                result("ConcurrentSwapBenchmark.allFour", "tollgate", 10_000, "thrpt", 20),
                result("ConcurrentSwapBenchmark.allFour", "floor", 10_000, "thrpt", 80),
                result("SnapshotLoadBenchmark.tollgate", "tollgate", 100_000, "avgt", 300),
                result("SnapshotLoadBenchmark.floor", "floor", 100_000, "avgt", 60));

        assertThat(FloorRatios.ratios(results))
                .containsExactlyInAnyOrderEntriesOf(Map.of(
                        "SingleAccessorBenchmark.maxTeamSize/tollgate/10", 3.0,
                        "ConcurrentSwapBenchmark.allFour/tollgate/10000", 4.0,
                        "SnapshotLoadBenchmark/tollgate/100000", 5.0));
    }

    @Test
    void check_passesWithin25Percent_andFailsBeyondIt_orForAFigureNeverRecorded() {
        Map<String, Double> recorded = Map.of("a/tollgate/10", 2.0, "b/tollgate/10", 2.0);
        Map<String, Double> measured = Map.of("a/tollgate/10", 2.5, "b/tollgate/10", 2.52, "c/tollgate/10", 1.0);
        List<String> report = new ArrayList<>();

        List<FloorRatios.Failure> failures = FloorRatios.check(recorded, measured, report);

        assertThat(report).hasSize(3);
        assertThat(failures)
                .extracting(FloorRatios.Failure::line)
                .containsExactlyInAnyOrder(
                        "b/tollgate/10: 2.52× the floor, recorded 2.00× (+26%)",
                        "c/tollgate/10: 1.00× the floor, never recorded");
        assertThat(report).contains("a/tollgate/10: 2.50× the floor, recorded 2.00× (+25%)");
    }

    @Test
    void reruns_measureEachFailingFigureAgainWithItsFloor_oneRunPerBenchmarkAndSize() {
        List<FloorRatios.Failure> failures = List.of(
                failure("PerRequestBenchmark.oneAccessor/tollgate/10000", true),
                failure("PerRequestBenchmark.oneAccessor/tollgateLogsOff/10000", true),
                failure("SingleAccessorBenchmark.maxTeamSize/tollgate/100000", true),
                failure("SnapshotLoadBenchmark/tollgate/100000", true));

        assertThat(FloorRatios.reruns(failures))
                .containsExactly(
                        "\\.PerRequestBenchmark\\.oneAccessor$ floor,tollgate,tollgateLogsOff 10000",
                        "\\.SingleAccessorBenchmark\\.maxTeamSize$ floor,tollgate 100000",
                        "\\.SnapshotLoadBenchmark\\.(tollgate|floor)$ - 100000");
    }

    @Test
    void confirmable_onlyWhenEveryFailingFigureWasRecorded() {
        List<FloorRatios.Failure> recorded = List.of(failure("a/tollgate/10", true));
        List<FloorRatios.Failure> withANewFigure = List.of(recorded.get(0), failure("c/tollgate/10", false));

        assertThat(FloorRatios.confirmable(recorded)).isTrue();
        assertThat(FloorRatios.confirmable(withANewFigure)).isFalse();
    }
}
