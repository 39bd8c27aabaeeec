package dev.tollgate.micrometer;

import dev.tollgate.ClientMetrics;
import dev.tollgate.ClientMetrics.EvaluationTotal;
import dev.tollgate.ClientStatus;
import dev.tollgate.FallbackCause;
import dev.tollgate.LoadResult;
import dev.tollgate.Reason;
import dev.tollgate.TollgateClient;
import dev.tollgate.runtime.TypedClient;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.TimeGauge;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.time.Clock;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.ToLongFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Binds a Tollgate client's metrics to a Micrometer registry. Every meter reads the client's cumulative counts ({@link
 * TollgateClient#metrics()}) and status when the registry is scraped, so binding adds nothing to the request path.
 *
 * <table>
 *   <caption>Meters</caption>
 *   <tr><th>name</th><th>type</th><th>tags</th><th>what</th></tr>
 *   <tr><td>{@code tollgate.evaluations}</td><td>counter</td><td>{@code field}, {@code outcome}</td>
 *       <td>evaluations by field path and outcome kind: {@code default}, {@code override}, {@code rule}, {@code split},
 *       {@code fallback}</td></tr>
 *   <tr><td>{@code tollgate.fallbacks}</td><td>counter</td><td>{@code field}, {@code cause}</td>
 *       <td>evaluations that returned the caller's fallback, by {@link FallbackCause} (all but {@code UNKNOWN_FIELD}:
 *       a path the schema lacks is no field to count under)</td></tr>
 *   <tr><td>{@code tollgate.snapshot.revision}</td><td>gauge</td><td></td><td>the installed revision, 0 for none</td></tr>
 *   <tr><td>{@code tollgate.snapshot.age}</td><td>time gauge (seconds)</td><td></td>
 *       <td>time since this client installed its snapshot or a live source last confirmed it; NaN before the first.
 *       Not the snapshot's own age: a last-known-good copy installed at startup reads 0 then, and a client without
 *       live sources counts from startup</td></tr>
 *   <tr><td>{@code tollgate.snapshot.loads}</td><td>counter</td><td>{@code result}</td>
 *       <td>snapshot loads by result: {@code installed}, {@code unchanged}, {@code older_ignored}, {@code rejected}</td></tr>
 *   <tr><td>{@code tollgate.client.state}</td><td>gauge</td><td>{@code state}</td>
 *       <td>1 for the client's current {@link ClientStatus.State}, 0 for the others</td></tr>
 *   <tr><td>{@code tollgate.logs.dropped}</td><td>counter</td><td>{@code kind}</td>
 *       <td>log records the sink never received: {@code evaluations}, {@code exposures}, {@code messages}</td></tr>
 * </table>
 *
 * <p>While registered, the meters keep the client reachable (their functions read it); a service that replaces its
 * client removes the old client's meters from the registry.
 *
 * <p>Tags are bounded by the schema: leaf field paths, the five outcome kinds and the fallback causes. Rule ids, split
 * arms, override keys, organization and user ids are never tags (the evaluation logs carry rule and arm). Reads of an
 * object path (such as {@code entitlements}), which can only fall back, are not reported.
 *
 * <p>Evaluations are counted by the client's evaluation-log counters: with logging off the two evaluation meters are
 * not registered (the others are). The evaluation meters of one scrape share one reading of the counters, taken when
 * the first of them is read and reused for {@value #READING_REUSE_MILLIS} ms, so a scrape sums the client's per-thread
 * counters once, not once per meter.
 */
public final class TollgateMetrics implements MeterBinder {
    private static final Logger LOG = LoggerFactory.getLogger(TollgateMetrics.class);
    private static final long READING_REUSE_MILLIS = 1_000;
    private static final List<Reason.Kind> OUTCOMES = List.of(Reason.Kind.values());
    /** A read of an unknown path has no field to count under; every other cause belongs to a field. */
    private static final List<FallbackCause> FIELD_CAUSES = Arrays.stream(FallbackCause.values())
            .filter(cause -> cause != FallbackCause.UNKNOWN_FIELD)
            .toList();

    private final TollgateClient client;
    private final Iterable<Tag> tags;
    private final Clock clock;
    /** The last reading of the evaluation counters, or null before the first; guarded by this. */
    private Reading reading;

    /** Binds {@code client}'s metrics with no extra tags. */
    public TollgateMetrics(TollgateClient client) {
        this(client, Tags.empty());
    }

    /** Binds the metrics of a generated entry point's client. */
    public TollgateMetrics(TypedClient client) {
        this(client, Tags.empty());
    }

    /** Binds the metrics of a generated entry point's client, with {@code tags} added to every meter. */
    public TollgateMetrics(TypedClient client, Iterable<Tag> tags) {
        this(Objects.requireNonNull(client, "client").client(), tags);
    }

    /**
     * Binds {@code client}'s metrics with {@code tags} added to every meter, for example a {@code client} tag when a
     * service runs more than one Tollgate client.
     */
    public TollgateMetrics(TollgateClient client, Iterable<Tag> tags) {
        this(client, tags, Clock.systemUTC());
    }

    TollgateMetrics(TollgateClient client, Iterable<Tag> tags, Clock clock) {
        this.client = Objects.requireNonNull(client, "client");
        this.tags = Tags.of(Objects.requireNonNull(tags, "tags"));
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        ClientMetrics metrics = client.metrics();
        if (metrics.countsEvaluations()) {
            bindEvaluations(registry, metrics);
        } else {
            LOG.info("Tollgate evaluation logging is off, so tollgate.evaluations and tollgate.fallbacks are not"
                    + " registered; the other Tollgate meters are");
        }
        Gauge.builder("tollgate.snapshot.revision", client, TollgateClient::revision)
                .tags(tags)
                .description("The installed snapshot revision, 0 before the first")
                .register(registry);
        TimeGauge.builder("tollgate.snapshot.age", client, TimeUnit.MILLISECONDS, c -> snapshotAgeMillis())
                .tags(tags)
                .description("Time since the installed snapshot was installed or a live source last confirmed it")
                .register(registry);
        for (LoadResult.Status status : LoadResult.Status.values()) {
            FunctionCounter.builder("tollgate.snapshot.loads", metrics, m -> m.loads(status))
                    .tags(tags)
                    .tag("result", status.name().toLowerCase(Locale.ROOT))
                    .description("Snapshot loads by result, from every source")
                    .register(registry);
        }
        for (ClientStatus.State state : ClientStatus.State.values()) {
            Gauge.builder("tollgate.client.state", client, c -> c.status().state() == state ? 1 : 0)
                    .tags(tags)
                    .tag("state", state.name().toLowerCase(Locale.ROOT))
                    .description("1 for the client's current state, 0 for the others")
                    .register(registry);
        }
        dropped(registry, metrics, "evaluations", ClientMetrics::droppedEvaluations);
        dropped(registry, metrics, "exposures", ClientMetrics::droppedExposures);
        dropped(registry, metrics, "messages", ClientMetrics::droppedMessages);
        dropped(registry, metrics, "usage", ClientMetrics::lostUsage);
    }

    private void bindEvaluations(MeterRegistry registry, ClientMetrics metrics) {
        Set<String> fields = new LinkedHashSet<>();
        for (EvaluationTotal total : metrics.evaluations()) {
            fields.add(total.field());
        }
        // Object fields (entitlements) hold no value of their own; their leaves (entitlements.maxTeamSize) are counted.
        List<String> paths = List.copyOf(fields);
        fields.removeIf(path -> paths.stream().anyMatch(other -> other.startsWith(path + ".")));
        for (String field : fields) {
            for (Reason.Kind kind : OUTCOMES) {
                FunctionCounter.builder("tollgate.evaluations", metrics, m -> evaluations(field, kind))
                        .tags(tags)
                        .tag("field", field)
                        .tag("outcome", kind.name().toLowerCase(Locale.ROOT))
                        .description("Evaluations by field path and outcome kind")
                        .register(registry);
            }
            for (FallbackCause cause : FIELD_CAUSES) {
                FunctionCounter.builder("tollgate.fallbacks", metrics, m -> fallbacks(field, cause))
                        .tags(tags)
                        .tag("field", field)
                        .tag("cause", cause.name())
                        .description("Evaluations that returned the caller's fallback, by cause")
                        .register(registry);
            }
        }
    }

    private void dropped(
            MeterRegistry registry, ClientMetrics metrics, String kind, ToLongFunction<ClientMetrics> count) {
        FunctionCounter.builder("tollgate.logs.dropped", metrics, m -> count.applyAsLong(m))
                .tags(tags)
                .tag("kind", kind)
                .description("Evaluation log records the sink never received")
                .register(registry);
    }

    private double evaluations(String field, Reason.Kind kind) {
        long[] counts = totals().get(field);
        return counts == null ? 0 : counts[kind.ordinal()];
    }

    private double fallbacks(String field, FallbackCause cause) {
        long[] counts = totals().get(field);
        return counts == null ? 0 : counts[OUTCOMES.size() + cause.ordinal()];
    }

    /**
     * The counters as read at most {@link #READING_REUSE_MILLIS} ago, summed per field into the outcome kinds, then the
     * fallback causes, so that each meter is one lookup. Synchronized, so that a reading never replaces a newer one and
     * a counter never goes back; scrapes are rare.
     */
    private synchronized Map<String, long[]> totals() {
        long now = clock.millis();
        Reading current = reading;
        if (current == null || now - current.atMillis() >= READING_REUSE_MILLIS || now < current.atMillis()) {
            Map<String, long[]> byField = new HashMap<>();
            for (EvaluationTotal total : client.metrics().evaluations()) {
                long[] counts = byField.computeIfAbsent(
                        total.field(), f -> new long[OUTCOMES.size() + FallbackCause.values().length]);
                counts[total.kind().ordinal()] += total.count();
                if (total.fallbackCause() != null) {
                    counts[OUTCOMES.size() + total.fallbackCause().ordinal()] += total.count();
                }
            }
            current = new Reading(now, byField);
            reading = current;
        }
        return current.byField();
    }

    private double snapshotAgeMillis() {
        Instant installed = client.metrics().installedAt().orElse(null);
        if (installed == null) {
            return Double.NaN;
        }
        Instant confirmed = client.status().lastSuccess().orElse(installed);
        Instant latest = confirmed.isAfter(installed) ? confirmed : installed;
        return Math.max(0, clock.millis() - latest.toEpochMilli());
    }

    private record Reading(long atMillis, Map<String, long[]> byField) {}
}
