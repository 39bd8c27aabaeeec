package dev.tollgate.internal.logs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tollgate.spi.LogBatch;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;

/** {@link LogBatchJson}: the {@code usage} items of a batch, as the server reads them. */
class LogBatchJsonTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant START = Instant.parse("2026-12-06T00:00:00Z");

    private static LogBatch batch(List<LogBatch.UsageDelta> usage) {
        return new LogBatch(
                "b-1",
                "sha256:" + "0".repeat(64),
                3,
                Instant.parse("2026-12-06T15:00:00Z"),
                Instant.parse("2026-12-06T15:00:01Z"),
                List.of(new LogBatch.EvaluationCount("entitlements.maxApiRequestsPerDay", "default", 4)),
                List.of(),
                List.of(),
                0,
                0,
                0,
                usage);
    }

    private static JsonNode written(LogBatch batch) throws IOException {
        byte[] gzipped = LogBatchJson.toGzippedJson(batch);
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(gzipped))) {
            return JSON.readTree(in);
        }
    }

    @Test
    void toGzippedJson_writesEachUsageDeltaAsTheProtocolSays() throws IOException {
        LogBatch batch = batch(List.of(
                new LogBatch.UsageDelta(
                        "entitlements.maxApiRequestsPerDay", Map.of("endpoint", "search"), "org_1", "DAY", START, 42),
                new LogBatch.UsageDelta(
                        "entitlements.seatsPerMonth",
                        Map.of(),
                        "u_1",
                        "MONTH",
                        Instant.parse("2026-12-01T00:00:00Z"),
                        1)));

        JsonNode usage = written(batch).get("usage");

        assertThat(usage.toString())
                .isEqualTo("[{\"field\":\"entitlements.maxApiRequestsPerDay\",\"arguments\":{\"endpoint\":\"search\"},"
                        + "\"key\":\"org_1\",\"period\":\"DAY\",\"periodStart\":\"2026-12-06T00:00:00Z\",\"amount\":42},"
                        + "{\"field\":\"entitlements.seatsPerMonth\",\"arguments\":{},\"key\":\"u_1\","
                        + "\"period\":\"MONTH\",\"periodStart\":\"2026-12-01T00:00:00Z\",\"amount\":1}]");
    }

    @Test
    void toGzippedJson_writesArgumentValuesAsJsonScalars_inTheirOrder() throws IOException {
        Map<String, Object> arguments = new LinkedHashMap<>();
        arguments.put("archived", true);
        arguments.put("format", "PDF");
        arguments.put("note", null);
        arguments.put("size", 5);
        arguments.put("big", 5_000_000_000L);
        LogBatch batch = batch(List.of(new LogBatch.UsageDelta("exports", arguments, "EU", "HOUR", START, 7)));

        JsonNode written = written(batch).get("usage").get(0).get("arguments");

        assertThat(written.toString())
                .isEqualTo("{\"archived\":true,\"format\":\"PDF\",\"note\":null,\"size\":5,\"big\":5000000000}");
        assertThat(written.get("size").isIntegralNumber()).isTrue();
    }

    @Test
    void toGzippedJson_withoutUsage_writesNoUsageMember_andTheRestAsBefore() throws IOException {
        JsonNode written = written(batch(List.of()));

        assertThat(written.has("usage")).isFalse();
        assertThat(written.get("evaluations").toString())
                .isEqualTo("[{\"field\":\"entitlements.maxApiRequestsPerDay\",\"outcome\":\"default\",\"count\":4}]");
        assertThat(written.get("batchId").asText()).isEqualTo("b-1");
    }

    @Test
    void usageDelta_copiesItsArguments_andABatchWithOnlyUsageIsNotEmpty() {
        Map<String, Object> arguments = new LinkedHashMap<>();
        arguments.put("endpoint", "search");
        LogBatch.UsageDelta delta = new LogBatch.UsageDelta("f", arguments, "k", "DAY", START, 1);
        arguments.put("endpoint", "export");

        assertThat(delta.arguments()).containsExactly(Map.entry("endpoint", "search"));
        assertThat(new LogBatch("b", "h", 0, START, START, List.of(), List.of(), List.of(), 0, 0, 0, List.of(delta))
                        .isEmpty())
                .isFalse();
    }
}
