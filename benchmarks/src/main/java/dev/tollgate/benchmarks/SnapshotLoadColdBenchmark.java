package dev.tollgate.benchmarks;

import dev.tollgate.LoadResult;
import dev.tollgate.benchmarks.sdk.FloorSdk;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Loading the workload's configuration once in a fresh JVM, as a service does at startup: class loading, interpretation
 * and JIT compilation included. Each fork is one sample. The setup writes the configuration without touching Jackson
 * or the snapshot compiler, so both start cold; only creating the client (which parses the schema) happens before the
 * clock starts.
 *
 * <p>Run: {@code java -jar benchmarks/target/benchmarks.jar SnapshotLoadColdBenchmark}; more samples with {@code -f
 * 10}.
 */
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 0)
@Measurement(iterations = 1)
@Fork(
        value = 5,
        jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
public class SnapshotLoadColdBenchmark {
    @Benchmark
    public LoadResult tollgate(SnapshotLoadBenchmark.Configuration configuration) {
        return configuration.client.loadSnapshot(configuration.snapshot);
    }

    @Benchmark
    public Map<String, FloorSdk.Row> floor(SnapshotLoadBenchmark.Configuration configuration) {
        return FloorSdk.load(configuration.csv);
    }
}
