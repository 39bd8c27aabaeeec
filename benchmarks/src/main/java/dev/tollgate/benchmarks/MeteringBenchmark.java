package dev.tollgate.benchmarks;

import dev.tollgate.LogOptions;
import dev.tollgate.benchmarks.flags.Context;
import dev.tollgate.benchmarks.flags.Entitlements;
import dev.tollgate.benchmarks.flags.Plan;
import dev.tollgate.benchmarks.flags.Tollgate;
import dev.tollgate.runtime.Consumption;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What counting usage costs on the request path: {@code tollgate.root(context).entitlements().apiCallsPerDay("search")
 * .tryConsume(1, 100)}, a root taken per call as a request takes it, on one hot key and round-robin across 100,000
 * keys (organizations, each with its context built beforehand), on one thread and on two. The limit (a plan rule) is
 * never reached, so every call counts. Beside it, what a service writes by hand for one process, a {@code
 * ConcurrentHashMap} of {@code AtomicLong} per organization and endpoint with the limit compared, as the example's old
 * {@code Quotas} class did (it keeps no period, no fleet usage and no reason).
 *
 * <p>Logging is off: the log pipeline only drains the changed counters once a second, off the request path.
 *
 * <p>Run: {@code java -jar benchmarks/target/benchmarks.jar MeteringBenchmark -prof gc}. Two-thread scores are per
 * thread, so they compare with one-thread scores directly (higher means contention).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(
        value = 2,
        jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
public class MeteringBenchmark {
    /** Keys of the many-keys benchmarks. */
    static final int KEYS = 100_000;
    /** Far above what a fork consumes, so that no call is denied. */
    static final int LIMIT = Integer.MAX_VALUE;

    private static final String LOGIC =
            """
            {"format": 1, "revision": 1, "schemaHash": "%s", "fields": {"entitlements.apiCallsPerDay": {
              "rules": [{"id": "pro", "if": {"attribute": "context.organization.plan", "op": "eq", "value": "PRO"},
                         "value": %d}],
              "default": 100}}}""";

    /** One client and the contexts of 100,000 organizations on the Pro plan, shared by the threads. */
    @State(Scope.Benchmark)
    public static class Shared {
        Tollgate tollgate;
        Context[] contexts;
        /** The hot key's entitlements through a root taken once: what the call costs without taking a root. */
        Entitlements held;

        String[] organizations;
        final ConcurrentHashMap<String, AtomicLong> floor = new ConcurrentHashMap<>();

        @Setup(Level.Trial)
        public void setUp() {
            tollgate = Tollgate.builder()
                    .logs(LogOptions.disabled())
                    .configureClient(client -> client.maxMeteredKeys(2 * KEYS))
                    .build();
            tollgate.client()
                    .loadSnapshot(
                            LOGIC.formatted(Tollgate.schema().hash(), LIMIT).getBytes(StandardCharsets.UTF_8));
            contexts = new Context[KEYS];
            organizations = new String[KEYS];
            for (int i = 0; i < KEYS; i++) {
                organizations[i] = "org_" + i;
                contexts[i] = Context.builder()
                        .organization(organizations[i], Plan.PRO)
                        .user("u_" + i)
                        .build();
            }
            held = tollgate.root(contexts[0]).entitlements();
            Consumption first = consume(contexts[0]);
            if (first.status() != Consumption.Status.ALLOWED || first.limit() != LIMIT || first.used() != 1) {
                throw new IllegalStateException("the first call should be allowed against the Pro rule: " + first);
            }
        }

        Consumption consume(Context context) {
            return tollgate.root(context)
                    .entitlements()
                    .apiCallsPerDay("search")
                    .tryConsume(1, 100);
        }

        /** By hand: one process, one map, no period. */
        boolean floor(String organization) {
            long used = floor.computeIfAbsent(organization + "/search", k -> new AtomicLong())
                    .incrementAndGet();
            return used <= LIMIT;
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            tollgate.close();
        }
    }

    /** Each thread's place in the round of 100,000 keys; threads start apart. */
    @State(Scope.Thread)
    public static class Cursor {
        private static final AtomicLong THREADS = new AtomicLong();
        int next = (int) (THREADS.getAndIncrement() * 50_021 % KEYS);

        int next() {
            int i = next;
            next = i + 1 == KEYS ? 0 : i + 1;
            return i;
        }
    }

    @Benchmark
    public boolean hotKey(Shared shared) {
        return shared.consume(shared.contexts[0]).allowed();
    }

    @Benchmark
    public boolean hotKeyHeldRoot(Shared shared) {
        return shared.held.apiCallsPerDay("search").tryConsume(1, 100).allowed();
    }

    @Benchmark
    @Threads(2)
    public boolean hotKeyTwoThreads(Shared shared) {
        return shared.consume(shared.contexts[0]).allowed();
    }

    @Benchmark
    public boolean manyKeys(Shared shared, Cursor cursor) {
        return shared.consume(shared.contexts[cursor.next()]).allowed();
    }

    @Benchmark
    @Threads(2)
    public boolean manyKeysTwoThreads(Shared shared, Cursor cursor) {
        return shared.consume(shared.contexts[cursor.next()]).allowed();
    }

    @Benchmark
    public boolean handWrittenHotKey(Shared shared) {
        return shared.floor(shared.organizations[0]);
    }

    @Benchmark
    @Threads(2)
    public boolean handWrittenHotKeyTwoThreads(Shared shared) {
        return shared.floor(shared.organizations[0]);
    }

    @Benchmark
    public boolean handWrittenManyKeys(Shared shared, Cursor cursor) {
        return shared.floor(shared.organizations[cursor.next()]);
    }

    @Benchmark
    @Threads(2)
    public boolean handWrittenManyKeysTwoThreads(Shared shared, Cursor cursor) {
        return shared.floor(shared.organizations[cursor.next()]);
    }
}
