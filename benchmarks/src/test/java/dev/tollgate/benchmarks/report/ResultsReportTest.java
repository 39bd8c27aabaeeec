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
    void markdown_tollgateTwelveTimesFasterThanLaunchDarkly_meetsTheTenTimesTarget() throws Exception {
        List<Result> results = new ArrayList<>();
        results.add(Result.of(
                JSON.readTree(run("SingleAccessorBenchmark.maxTeamSize", "tollgate", 10, "[[10,10,10]]", 0.0))));
        results.add(Result.of(JSON.readTree(
                run("SingleAccessorBenchmark.maxTeamSize", "launchDarklyEventsOn", 10, "[[120,120,130]]", 200.0))));
        results.add(Result.of(JSON.readTree(
                run("SingleAccessorBenchmark.maxTeamSize", "launchDarklyEventsOff", 10, "[[40,40,40]]", 100.0))));

        String markdown = new ResultsReport(results, List.of()).markdown();

        assertThat(markdown)
                .contains("| launchDarklyEventsOn | 10 | 120 | 123 ± 1.00 | ns/op | 200 | 12.0× |")
                .contains("| one accessor, logging on: ≥ 10× faster than LaunchDarkly, events on | 10: 12.0× | yes |")
                .contains(
                        "| one accessor, logging on: ≥ 5× faster than LaunchDarkly, events off | 10: 4.00× | **no** |");
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
