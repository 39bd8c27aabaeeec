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
 * All four entitlements read with a context built beforehand (for Tollgate, through a root taken beforehand; {@code
 * maxApiRequestsPerDay} with its {@code endpoint} argument), the answers packed into the returned int.
 *
 * <p>Run: {@code java -jar benchmarks/target/benchmarks.jar AllAccessorsBenchmark -prof gc}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(
        value = 1,
        jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
public class AllAccessorsBenchmark {
    @Benchmark
    public int allFour(SdkState state) {
        return state.evaluator.allFour(state.next());
    }
}
