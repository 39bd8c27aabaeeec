package dev.tollgate.benchmarks;

import dev.tollgate.benchmarks.sdk.Correctness;
import dev.tollgate.benchmarks.sdk.Evaluator;
import dev.tollgate.benchmarks.sdk.Sdk;
import dev.tollgate.benchmarks.workload.Workload;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Throughput of two threads (both cores of the reference machine) reading all four entitlements, while the whole
 * configuration is reloaded once a second in the background, each SDK its own way: Tollgate loads the snapshot under
 * a new revision (parse, validate, compile, swap); the floor re-parses its CSV and swaps the map; LaunchDarkly's and
 * flagd's file watchers reload a rewritten file; Unleash's poller takes a full feature set from its fetcher. For
 * Tollgate each operation takes a fresh root, as a request would, so that it sees the swaps.
 *
 * <p>Run: {@code java -jar benchmarks/target/benchmarks.jar ConcurrentSwapBenchmark -prof gc}. The score is
 * operations per microsecond over both threads.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(
        value = 1,
        jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
@Threads(2)
public class ConcurrentSwapBenchmark {
    /** How often the configuration is reloaded. */
    static final long SWAP_INTERVAL_MILLIS = 1_000;

    /** One SDK shared by both threads, reloading in the background. */
    @State(Scope.Benchmark)
    public static class Swapping {
        @Param({"tollgate", "floor", "launchDarklyEventsOff", "launchDarklyEventsOn", "unleash", "flagd"})
        public String sdk;

        @Param({"10000", "100000"})
        public int overrides;

        Evaluator evaluator;
        private Path dir;

        @Setup(Level.Trial)
        public void setUp() throws IOException {
            Workload workload = Workload.of(overrides);
            dir = Files.createTempDirectory("tollgate-bench-");
            evaluator = Sdk.byId(sdk).start(workload, dir, true);
            Correctness.check(evaluator, workload);
            evaluator.startSwapping(SWAP_INTERVAL_MILLIS);
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            long swaps = evaluator.swaps();
            try {
                evaluator.close();
                System.out.printf("%n[%s] %,d reloads installed during the trial%n", evaluator.name(), swaps);
                SdkState.report(evaluator);
            } finally {
                TempDirs.delete(dir);
            }
        }
    }

    /** Each thread's own round-robin position, starting apart. */
    @State(Scope.Thread)
    public static class Cursor {
        private int next;

        @Setup(Level.Trial)
        public void setUp() {
            next = (int) (Thread.currentThread().getId() * 499 % Workload.CONTEXTS);
        }

        int next() {
            int i = next;
            next = i + 1 == Workload.CONTEXTS ? 0 : i + 1;
            return i;
        }
    }

    @Benchmark
    public int allFour(Swapping swapping, Cursor cursor) {
        return swapping.evaluator.allFourLatest(cursor.next());
    }
}
