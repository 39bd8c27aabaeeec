package dev.tollgate.benchmarks.report;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One JMH result row: a benchmark method with its parameters, its primary score with error, the median of all its
 * iterations (over all forks), and the bytes allocated per operation ({@code -prof gc}), if measured.
 */
record Result(
        String benchmark,
        String sdk,
        int overrides,
        String mode,
        double score,
        double error,
        double median,
        String unit,
        Double bytesPerOp,
        int samples) {

    /** The result for the JMH JSON of one benchmark run. */
    static Result of(JsonNode json) {
        String benchmark = json.get("benchmark").asText();
        benchmark = benchmark.substring(benchmark.lastIndexOf('.', benchmark.lastIndexOf('.') - 1) + 1);
        JsonNode params = json.path("params");
        String sdk;
        if (params.has("sdk")) {
            sdk = params.get("sdk").asText();
        } else if (params.has("logs")) {
            sdk = params.get("logs").asText().equals("on") ? "tollgate" : "tollgateLogsOff";
        } else {
            sdk = benchmark.substring(benchmark.indexOf('.') + 1); // the load benchmarks: one method per SDK
        }
        int overrides = params.path("overrides").asInt(0);
        JsonNode primary = json.get("primaryMetric");
        List<Double> raw = new ArrayList<>();
        for (JsonNode fork : primary.path("rawData")) {
            for (JsonNode value : fork) {
                raw.add(value.asDouble());
            }
        }
        JsonNode norm = json.path("secondaryMetrics").path("gc.alloc.rate.norm");
        Double bytes = norm.isMissingNode() ? null : norm.get("score").asDouble();
        double error = primary.path("scoreError").asDouble(Double.NaN);
        return new Result(
                benchmark,
                sdk,
                overrides,
                json.get("mode").asText(),
                primary.get("score").asDouble(),
                error,
                median(raw),
                primary.get("scoreUnit").asText(),
                bytes,
                raw.size());
    }

    /** Whether higher scores are better (throughput) rather than lower (time per operation). */
    boolean higherIsBetter() {
        return mode.equals("thrpt");
    }

    /** How many times faster {@code this} is than {@code other}, by medians. */
    double timesFasterThan(Result other) {
        return higherIsBetter() ? median / other.median : other.median / median;
    }

    private static double median(List<Double> values) {
        if (values.isEmpty()) {
            return Double.NaN;
        }
        double[] sorted = values.stream().mapToDouble(Double::doubleValue).toArray();
        Arrays.sort(sorted);
        int middle = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }
}
