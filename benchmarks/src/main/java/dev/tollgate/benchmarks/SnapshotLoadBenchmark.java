package dev.tollgate.benchmarks;

import dev.tollgate.LoadResult;
import dev.tollgate.benchmarks.flags.Tollgate;
import dev.tollgate.benchmarks.sdk.DiscardingLogSink;
import dev.tollgate.benchmarks.sdk.FloorSdk;
import dev.tollgate.benchmarks.sdk.TollgateSdk;
import dev.tollgate.benchmarks.workload.Workload;
import java.util.Map;
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
import org.openjdk.jmh.annotations.Warmup;

/**
 * Loading the workload's configuration, warm (a JIT-compiled JVM that has loaded it many times). Tollgate: {@code
 * loadSnapshot(bytes)}, which parses, validates the whole document against the schema, compiles it and checksums it;
 * the same bytes are loaded every time, so after the first install the revision is unchanged and the swap itself (one
 * reference write) is skipped. Floor: parse the CSV into its map.
 *
 * <p>Run: {@code java -jar benchmarks/target/benchmarks.jar SnapshotLoadBenchmark -prof gc}. The cold counterpart is
 * {@link SnapshotLoadColdBenchmark}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(
        value = 1,
        jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
public class SnapshotLoadBenchmark {

    /** The configuration bytes of one size, and a Tollgate client (logging on) to load them into. */
    @State(Scope.Benchmark)
    public static class Configuration {
        @Param({"10000", "100000"})
        public int overrides;

        byte[] snapshot;
        byte[] csv;
        Tollgate client;

        @Setup(Level.Trial)
        public void setUp() {
            Workload workload = Workload.of(overrides);
            client = TollgateSdk.newClient(new DiscardingLogSink());
            snapshot = TollgateSdk.snapshot(workload, Tollgate.SCHEMA_HASH);
            csv = FloorSdk.csv(workload);
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            client.close();
        }
    }

    @Benchmark
    public LoadResult tollgate(Configuration configuration) {
        return configuration.client.loadSnapshot(configuration.snapshot);
    }

    @Benchmark
    public Map<String, FloorSdk.Row> floor(Configuration configuration) {
        return FloorSdk.load(configuration.csv);
    }
}
