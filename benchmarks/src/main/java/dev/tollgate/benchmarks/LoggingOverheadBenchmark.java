package dev.tollgate.benchmarks;

import dev.tollgate.benchmarks.sdk.Correctness;
import dev.tollgate.benchmarks.sdk.TollgateSdk;
import dev.tollgate.benchmarks.workload.Workload;
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
 * What evaluation logging costs one primitive accessor ({@code maxTeamSize}, through a root taken beforehand): the same
 * client with logging on (every evaluation counted in the thread's counter block, flushed every 5 seconds to a sink that
 * discards the batches) and off. The target (issue 5): on within 10% of off, and 0 B/op under {@code -prof gc}.
 *
 * <p>Run: {@code java -jar benchmarks/target/benchmarks.jar LoggingOverheadBenchmark -prof gc}. Ten forks: the two
 * differ by about a nanosecond, while one JVM's memory layout moves the accessor by up to 5 ns between forks; compare
 * the medians of all iterations, not single forks.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(
        value = 10,
        jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
public class LoggingOverheadBenchmark {

    /** Tollgate with logging on or off. */
    @State(Scope.Thread)
    public static class Client {
        @Param({"on", "off"})
        public String logs;

        @Param({"10000"})
        public int overrides;

        TollgateSdk tollgate;
        private int cursor;

        @Setup(Level.Trial)
        public void setUp() {
            Workload workload = Workload.of(overrides);
            tollgate = TollgateSdk.start(workload, logs.equals("on"), false);
            Correctness.check(tollgate, workload);
        }

        int next() {
            int i = cursor;
            cursor = i + 1 == Workload.CONTEXTS ? 0 : i + 1;
            return i;
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            tollgate.close();
            SdkState.report(tollgate);
        }
    }

    @Benchmark
    public int maxTeamSize(Client client) {
        return client.tollgate.maxTeamSize(client.next());
    }
}
