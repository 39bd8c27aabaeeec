package dev.tollgate.server;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.IntSupplier;

/**
 * What one server instance has done since it started, in the Prometheus text format (version 0.0.4), served at {@code
 * GET /v1/metrics}: requests by route and status with their time, open streams, each environment's revision, log
 * batches and their metered usage items, and the evaluation counts the SDKs reported, by environment, field and
 * outcome, so that fallbacks and their causes can be graphed and alerted on.
 *
 * <p>Bounded: routes are the registered patterns (requests that match none count as {@code unmatched}), statuses are
 * HTTP codes, and the evaluation series stop at {@link #MAX_EVALUATION_SERIES}; counts for series past the cap are
 * added to {@code tollgate_sdk_evaluations_unrecorded_total} instead. Counters are per instance and reset on restart,
 * as Prometheus expects; sum them across instances.
 *
 * <p>Concurrency: request threads update concurrent maps of {@link LongAdder}s; a scrape reads them without locking, so
 * a scrape taken during a request may miss that request, never count it twice.
 */
final class ServerMetrics {
    static final int MAX_EVALUATION_SERIES = 10_000;

    /** The environments and their current revisions, read at scrape time. */
    @FunctionalInterface
    interface Revisions {
        Map<String, Long> current();
    }

    private record Request(String route, int status) {}

    private record Evaluation(String environment, String field, String outcome) {}

    private final ConcurrentHashMap<Request, LongAdder> requests = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, LongAdder> requestNanos = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<Evaluation, LongAdder> evaluations = new ConcurrentHashMap<>();
    private final LongAdder unrecordedEvaluations = new LongAdder();
    private final LongAdder batchesApplied = new LongAdder();
    private final LongAdder batchesDuplicate = new LongAdder();
    private final LongAdder usageItems = new LongAdder();
    private final IntSupplier openStreams;
    private final Revisions revisions;
    private final long startedMillis;

    ServerMetrics(IntSupplier openStreams, Revisions revisions, long startedMillis) {
        this.openStreams = openStreams;
        this.revisions = revisions;
        this.startedMillis = startedMillis;
    }

    /** Counts a request answered with {@code status} on {@code route} ({@code GET /v1/snapshot}), in {@code nanos}. */
    void request(String route, int status, long nanos) {
        requests.computeIfAbsent(new Request(route, status), k -> new LongAdder())
                .increment();
        requestNanos.computeIfAbsent(route, k -> new LongAdder()).add(nanos);
    }

    /**
     * Counts a log batch for {@code environment}, and its evaluation counts and usage items when it was applied (not a
     * duplicate).
     */
    void logBatch(String environment, JsonNode batch, boolean applied) {
        if (!applied) {
            batchesDuplicate.increment();
            return;
        }
        batchesApplied.increment();
        usageItems.add(batch.path("usage").size());
        for (JsonNode count : batch.path("evaluations")) {
            Evaluation key = new Evaluation(
                    environment,
                    count.path("field").asText(),
                    count.path("outcome").asText());
            long n = count.path("count").asLong();
            LongAdder adder = evaluations.get(key);
            if (adder == null && evaluations.size() >= MAX_EVALUATION_SERIES) {
                unrecordedEvaluations.add(n);
                continue;
            }
            (adder != null ? adder : evaluations.computeIfAbsent(key, k -> new LongAdder())).add(n);
        }
    }

    /** The metrics in the Prometheus text format. */
    String scrape() {
        StringBuilder out = new StringBuilder(4_096);
        header(out, "tollgate_http_requests_total", "counter", "HTTP requests answered, by route and status.");
        for (Map.Entry<Request, LongAdder> e : sorted(requests)) {
            sample(
                    out,
                    "tollgate_http_requests_total",
                    e.getValue().sum(),
                    "route",
                    e.getKey().route(),
                    "status",
                    Integer.toString(e.getKey().status()));
        }
        header(
                out,
                "tollgate_http_request_seconds_total",
                "counter",
                "Time spent answering requests, by route (for an open stream: until it was registered).");
        for (Map.Entry<String, LongAdder> e : sorted(requestNanos)) {
            sample(out, "tollgate_http_request_seconds_total", e.getValue().sum() / 1e9, "route", e.getKey());
        }
        header(out, "tollgate_streams_open", "gauge", "Revision streams open on this instance.");
        sample(out, "tollgate_streams_open", openStreams.getAsInt());
        header(out, "tollgate_environment_revision", "gauge", "The current logic revision of each environment.");
        List<Map.Entry<String, Long>> current =
                new ArrayList<>(revisions.current().entrySet());
        current.sort(Map.Entry.comparingByKey());
        for (Map.Entry<String, Long> e : current) {
            sample(out, "tollgate_environment_revision", e.getValue(), "environment", e.getKey());
        }
        header(out, "tollgate_sdk_log_batches_total", "counter", "SDK log batches received, applied or duplicate.");
        sample(out, "tollgate_sdk_log_batches_total", batchesApplied.sum(), "result", "applied");
        sample(out, "tollgate_sdk_log_batches_total", batchesDuplicate.sum(), "result", "duplicate");
        header(
                out,
                "tollgate_sdk_evaluations_total",
                "counter",
                "Evaluations the SDKs reported, by environment, field and outcome (override, rule:<id>, split:<id>:<arm>,"
                        + " default, fallback:<cause>).");
        for (Map.Entry<Evaluation, LongAdder> e : sorted(evaluations)) {
            Evaluation key = e.getKey();
            sample(
                    out,
                    "tollgate_sdk_evaluations_total",
                    e.getValue().sum(),
                    "environment",
                    key.environment(),
                    "field",
                    key.field(),
                    "outcome",
                    key.outcome());
        }
        header(
                out,
                "tollgate_sdk_evaluations_unrecorded_total",
                "counter",
                "Reported evaluations of series past the cap of " + MAX_EVALUATION_SERIES + ", counted only here.");
        sample(out, "tollgate_sdk_evaluations_unrecorded_total", unrecordedEvaluations.sum());
        header(
                out,
                "tollgate_meter_usage_items_total",
                "counter",
                "Metered usage items in the log batches applied (not in duplicates).");
        sample(out, "tollgate_meter_usage_items_total", usageItems.sum());
        header(out, "tollgate_start_time_seconds", "gauge", "When this instance started, in Unix seconds.");
        sample(out, "tollgate_start_time_seconds", startedMillis / 1000);
        return out.toString();
    }

    private static <K, V> List<Map.Entry<K, V>> sorted(Map<K, V> map) {
        List<Map.Entry<K, V>> entries = new ArrayList<>(map.entrySet());
        entries.sort((a, b) -> a.getKey().toString().compareTo(b.getKey().toString()));
        return entries;
    }

    private static void header(StringBuilder out, String name, String type, String help) {
        out.append("# HELP ").append(name).append(' ').append(help).append('\n');
        out.append("# TYPE ").append(name).append(' ').append(type).append('\n');
    }

    private static void sample(StringBuilder out, String name, double value, String... labels) {
        out.append(name);
        if (labels.length > 0) {
            out.append('{');
            for (int i = 0; i < labels.length; i += 2) {
                if (i > 0) {
                    out.append(',');
                }
                out.append(labels[i]).append("=\"");
                escape(out, labels[i + 1]);
                out.append('"');
            }
            out.append('}');
        }
        out.append(' ');
        if (value == Math.rint(value) && Math.abs(value) < 1e15) {
            out.append((long) value);
        } else {
            out.append(value);
        }
        out.append('\n');
    }

    /** Escapes a label value as the text format asks: backslash, double quote and line feed. */
    private static void escape(StringBuilder out, String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '\\' -> out.append("\\\\");
                case '"' -> out.append("\\\"");
                case '\n' -> out.append("\\n");
                default -> out.append(c);
            }
        }
    }
}
