package dev.tollgate.benchmarks.report;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ResultsReportTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void result_jmhJson_takesMedianOverAllForksAndBytesPerOp() throws Exception {
        Result result = Result.of(
                JSON.readTree(run("SingleAccessorBenchmark.maxTeamSize", "tollgate", 10, "[[1,9],[2,3,100]]", 0.0)));

        assertThat(result.benchmark()).isEqualTo("SingleAccessorBenchmark.maxTeamSize");
        assertThat(result.sdk()).isEqualTo("tollgate");
        assertThat(result.overrides()).isEqualTo(10);
        assertThat(result.median()).isEqualTo(3.0);
        assertThat(result.samples()).isEqualTo(5);
        assertThat(result.bytesPerOp()).isEqualTo(0.0);
    }

    @Test
    void markdown_perRequestAtTwiceTheFloor_meetsItsGoals_andOneAccessorAtThreeTimes_missesItsOwn() throws Exception {
        List<Result> results = new ArrayList<>();
        results.add(result("PerRequestBenchmark.oneAccessor", "tollgate", 10_000, "[[12,12,12]]", 64.0));
        results.add(result("PerRequestBenchmark.oneAccessor", "floor", 10_000, "[[6,6,6]]", 0.0));
        results.add(
                result("PerRequestBenchmark.oneAccessor", "launchDarklyEventsOff", 10_000, "[[150,150,160]]", 900.0));
        results.add(result("SingleAccessorBenchmark.maxTeamSize", "tollgate", 10, "[[30,30,30]]", 0.0));
        results.add(result("SingleAccessorBenchmark.maxTeamSize", "floor", 10, "[[10,10,10]]", 0.0));

        String markdown = new ResultsReport(results, List.of()).markdown();

        assertThat(markdown)
                .contains("| tollgate | 10,000 | 12.0 | 123 ± 1.00 | ns/op | 64.0 | 2.00× | 12.5× |")
                .contains("| launchDarklyEventsOff | 10,000 | 150 | 123 ± 1.00 | ns/op | 900 | 25.0× | 1.00× |")
                .contains(
                        "| per request, one accessor: at most 2× the floor | 10,000: 2.00× (12.0 vs 6.00 ns/op) | yes |")
                .contains(
                        "| per request, one accessor: ≥ 10× faster than LaunchDarkly, events off | 10,000: 12.5× | yes |")
                .contains("| per request, one accessor: allocates only the context (64 B) | 10,000: 64.0 B/op | yes |")
                .contains(
                        "| one accessor through a root: at most 2× the floor | 10: 3.00× (30.0 vs 10.0 ns/op) | **no** |")
                .contains("| cold start with 10,000 overrides: faster than LaunchDarkly | not measured | – |");
    }

    private static Result result(String benchmark, String sdk, int overrides, String raw, double bytes)
            throws Exception {
        return Result.of(JSON.readTree(run(benchmark, sdk, overrides, raw, bytes)));
    }

    private static String run(String benchmark, String sdk, int overrides, String raw, double bytes) {
        return """
                {"benchmark": "dev.tollgate.benchmarks.%s", "mode": "avgt",
                 "params": {"sdk": "%s", "overrides": "%d"},
                 "primaryMetric": {"score": 123.0, "scoreError": 1.0, "scoreUnit": "ns/op", "rawData": %s},
                 "secondaryMetrics": {"gc.alloc.rate.norm": {"score": %s}}}
                """
                .formatted(benchmark, sdk, overrides, raw, bytes);
    }
}
