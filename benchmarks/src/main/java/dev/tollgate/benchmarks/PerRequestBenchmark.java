package dev.tollgate.benchmarks;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The whole per-request path from what a request knows (organization id, plan, user id): build the SDK's context,
 * then (for Tollgate) take the root, then read all four entitlements.
 *
 * <p>Run: {@code java -jar benchmarks/target/benchmarks.jar PerRequestBenchmark -prof gc}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(
        value = 1,
        jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
public class PerRequestBenchmark {
    @Benchmark
    public int request(SdkState state) {
        return state.evaluator.request(state.nextRequest());
    }

    /** The same with one flag, {@code maxTeamSize}: build the context, (for Tollgate) take the root, read one. */
    @Benchmark
    public int oneAccessor(SdkState state) {
        return state.evaluator.requestOne(state.nextRequest());
    }
}
