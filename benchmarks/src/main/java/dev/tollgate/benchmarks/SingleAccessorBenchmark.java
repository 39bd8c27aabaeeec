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
 * One accessor, {@code maxTeamSize} (an Int with no arguments), read with a context built beforehand: for Tollgate
 * through a root taken beforehand ({@code flags.entitlements().maxTeamSize(-1)}), for the peers with their pre-built
 * context object. Contexts are visited round-robin, one in ten overridden.
 *
 * <p>Run: {@code java -jar benchmarks/target/benchmarks.jar SingleAccessorBenchmark -prof gc}; one SDK and size with
 * {@code -p sdk=tollgate -p overrides=100000}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(
        value = 1,
        jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
public class SingleAccessorBenchmark {
    @Benchmark
    public int maxTeamSize(SdkState state) {
        return state.evaluator.maxTeamSize(state.next());
    }
}
