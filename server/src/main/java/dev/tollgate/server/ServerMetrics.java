package dev.tollgate.server;

import com.fasterxml.jackson.databind.JsonNode;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntSupplier;

/**
 * What one server instance has done since it started, served at {@code GET /v1/metrics} from a Micrometer
 * {@link PrometheusMeterRegistry}: requests by route and status with their time, open streams, each environment's
 * revision, log batches and their metered usage items, and the evaluation counts the SDKs reported, by environment,
 * field and outcome, so that fallbacks and their causes can be graphed and alerted on; beside them the JVM's meters
 * (memory, GC, threads, classes, CPU, uptime) and whatever else is bound to {@link #registry()} (the connection pool's).
 *
 * <p>Bounded: routes are the registered patterns (requests that match none count as {@code unmatched}), statuses are
 * HTTP codes, and the evaluation series stop at {@link #MAX_EVALUATION_SERIES}; counts for series past the cap are
 * added to {@code tollgate_sdk_evaluations_unrecorded_total} instead. Counters are per instance and reset on restart,
 * as Prometheus expects; sum them across instances.
 *
 * <p>Concurrency: request threads find their counters in concurrent maps (registering a series once) and increment
 * them; Micrometer's counters are adders, so a scrape reads them without locking and may miss a request counted during
 * it, never count it twice. The environments' revisions are read from the database by {@link #scrape(String)} itself,
 * under this object's lock, which guards their map, so that two scrapes do not add and remove the same gauges at
 * once.
 */
final class ServerMetrics implements AutoCloseable {
    static final int MAX_EVALUATION_SERIES = 10_000;
    static final String TEXT = "text/plain; version=0.0.4; charset=utf-8";
    static final String OPEN_METRICS = "application/openmetrics-text; version=1.0.0; charset=utf-8";

    /** The environments and their current revisions, read at scrape time. */
    @FunctionalInterface
    interface Revisions {
        Map<String, Long> current();
    }

    /** A scrape: the body and the content type it is written in. */
    record Scrape(String contentType, byte[] body) {}

    private record Request(String route, int status) {}

    private record Evaluation(String environment, String field, String outcome) {}

    private record Revision(AtomicLong value, Gauge gauge) {}

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final JvmGcMetrics gc = new JvmGcMetrics();
    private final ConcurrentHashMap<Request, Counter> requests = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, Counter> requestSeconds = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<Evaluation, Counter> evaluations = new ConcurrentHashMap<>();
    private final Map<String, Revision> environmentRevisions = new HashMap<>();
    private final Counter unrecordedEvaluations;
    private final Counter batchesApplied;
    private final Counter batchesDuplicate;
    private final Counter usageItems;
    private final Revisions revisions;

    ServerMetrics(IntSupplier openStreams, Revisions revisions, long startedMillis) {
        this.revisions = revisions;
        unrecordedEvaluations = Counter.builder("tollgate.sdk.evaluations.unrecorded")
                .description("Reported evaluations of series past the cap of " + MAX_EVALUATION_SERIES
                        + ", counted only here.")
                .register(registry);
        batchesApplied = logBatches("applied");
        batchesDuplicate = logBatches("duplicate");
        usageItems = Counter.builder("tollgate.meter.usage.items")
                .description("Metered usage items in the log batches applied (not in duplicates).")
                .register(registry);
        Gauge.builder("tollgate.streams.open", openStreams::getAsInt)
                .description("Revision streams open on this instance.")
                .register(registry);
        long startedSeconds = startedMillis / 1000;
        Gauge.builder("tollgate.start.time", () -> startedSeconds)
                .baseUnit("seconds")
                .description("When this instance started, in Unix seconds.")
                .register(registry);
        new JvmMemoryMetrics().bindTo(registry);
        gc.bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
    }

    /** Where the server's meters are; bind more to it (the connection pool's, the HTTP server's) to serve them too. */
    MeterRegistry registry() {
        return registry;
    }

    /** Counts a request answered with {@code status} on {@code route} ({@code GET /v1/snapshot}), in {@code nanos}. */
    void request(String route, int status, long nanos) {
        requests.computeIfAbsent(new Request(route, status), this::requestCounter)
                .increment();
        requestSeconds.computeIfAbsent(route, this::requestSecondsCounter).increment(nanos / 1e9);
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
        usageItems.increment(batch.path("usage").size());
        for (JsonNode count : batch.path("evaluations")) {
            Evaluation key = new Evaluation(
                    environment,
                    count.path("field").asText(),
                    count.path("outcome").asText());
            long n = count.path("count").asLong();
            Counter counter = evaluations.get(key);
            if (counter == null && evaluations.size() >= MAX_EVALUATION_SERIES) {
                unrecordedEvaluations.increment(n);
                continue;
            }
            (counter != null ? counter : evaluations.computeIfAbsent(key, this::evaluationCounter)).increment(n);
        }
    }

    /** The metrics in the Prometheus text format. */
    String scrape() {
        return new String(scrape(TEXT).body(), StandardCharsets.UTF_8);
    }

    /**
     * The metrics in OpenMetrics when {@code accept} (a request's {@code Accept} header, or null) names it, as
     * Prometheus's scrapes do, else in the Prometheus text format (version 0.0.4).
     */
    Scrape scrape(String accept) {
        String contentType = accept != null && accept.contains("application/openmetrics-text") ? OPEN_METRICS : TEXT;
        ByteArrayOutputStream out = new ByteArrayOutputStream(16_384);
        synchronized (this) {
            readRevisions();
            try {
                registry.scrape(out, contentType);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return new Scrape(contentType, out.toByteArray());
    }

    /** Stops listening to the JVM's garbage collections. */
    @Override
    public void close() {
        gc.close();
    }

    /** Sets each environment's revision gauge, adding those of new environments and removing those of deleted ones. */
    private void readRevisions() {
        Map<String, Long> current = revisions.current();
        current.forEach((environment, revision) -> environmentRevisions
                .computeIfAbsent(environment, this::revisionGauge)
                .value()
                .set(revision));
        for (Iterator<Map.Entry<String, Revision>> i =
                        environmentRevisions.entrySet().iterator();
                i.hasNext(); ) {
            Map.Entry<String, Revision> entry = i.next();
            if (!current.containsKey(entry.getKey())) {
                registry.remove(entry.getValue().gauge());
                i.remove();
            }
        }
    }

    private Counter logBatches(String result) {
        return Counter.builder("tollgate.sdk.log.batches")
                .description("SDK log batches received, applied or duplicate.")
                .tag("result", result)
                .register(registry);
    }

    private Counter requestCounter(Request request) {
        return Counter.builder("tollgate.http.requests")
                .description("HTTP requests answered, by route and status.")
                .tag("route", request.route())
                .tag("status", Integer.toString(request.status()))
                .register(registry);
    }

    private Counter requestSecondsCounter(String route) {
        return Counter.builder("tollgate.http.request")
                .baseUnit("seconds")
                .description("Time spent answering requests, by route (for an open stream: until it was registered).")
                .tag("route", route)
                .register(registry);
    }

    private Counter evaluationCounter(Evaluation evaluation) {
        return Counter.builder("tollgate.sdk.evaluations")
                .description("Evaluations the SDKs reported, by environment, field and outcome (override, rule:<id>,"
                        + " split:<id>:<arm>, default, fallback:<cause>).")
                .tag("environment", evaluation.environment())
                .tag("field", evaluation.field())
                .tag("outcome", evaluation.outcome())
                .register(registry);
    }

    private Revision revisionGauge(String environment) {
        AtomicLong value = new AtomicLong();
        Gauge gauge = Gauge.builder("tollgate.environment.revision", value, AtomicLong::get)
                .description("The current logic revision of each environment.")
                .tag("environment", environment)
                .strongReference(true)
                .register(registry);
        return new Revision(value, gauge);
    }
}
