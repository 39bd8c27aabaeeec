package dev.tollgate.benchmarks;

import dev.tollgate.LogOptions;
import dev.tollgate.benchmarks.flags.Context;
import dev.tollgate.benchmarks.flags.Entitlements;
import dev.tollgate.benchmarks.flags.Plan;
import dev.tollgate.benchmarks.flags.Tollgate;
import dev.tollgate.runtime.LimitCheck;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
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
import org.openjdk.jmh.annotations.Warmup;

/**
 * What a limit check costs beside the plain accessor it wraps, on the seed's plan rules (Free 5, Pro 20, Enterprise
 * 1,000) read through entitlements taken beforehand: {@code maxTeamSize(5)}; {@code maxTeamSize().check(3, 1, 5)}
 * allowed (the result object only); and {@code check(5, 1, 5)} denied on Free, which also evaluates the field for the
 * two other plans to list them as alternatives. Logging is off, as the check's extra evaluations are never counted.
 *
 * <p>Run: {@code java -jar benchmarks/target/benchmarks.jar LimitCheckBenchmark -prof gc}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(
        value = 1,
        jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
@State(Scope.Benchmark)
public class LimitCheckBenchmark {
    private static final String LOGIC =
            """
            {"format": 1, "revision": 1, "schemaHash": "%s", "fields": {"entitlements.maxTeamSize": {
              "rules": [
                {"id": "enterprise", "if": {"attribute": "context.organization.plan", "op": "eq",
                  "value": "ENTERPRISE"}, "value": 1000},
                {"id": "pro", "if": {"attribute": "context.organization.plan", "op": "eq", "value": "PRO"},
                  "value": 20}],
              "default": 5}}}""";

    private Tollgate tollgate;
    private Entitlements free;

    @Setup(Level.Trial)
    public void setUp() {
        tollgate = Tollgate.builder().logs(LogOptions.disabled()).build();
        tollgate.client().loadSnapshot(LOGIC.formatted(Tollgate.schema().hash()).getBytes(StandardCharsets.UTF_8));
        free = tollgate.root(Context.builder()
                        .organization("org_hooli", Plan.FREE)
                        .user("u1")
                        .build())
                .entitlements();
        LimitCheck denied = free.maxTeamSize().check(5, 1, 5);
        if (denied.allowed() || denied.alternatives().size() != 2) {
            throw new IllegalStateException("the denied check should list Pro and Enterprise: " + denied);
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        tollgate.close();
    }

    @Benchmark
    public int plainAccessor() {
        return free.maxTeamSize(5);
    }

    @Benchmark
    public LimitCheck checkAllowed() {
        return free.maxTeamSize().check(3, 1, 5);
    }

    @Benchmark
    public LimitCheck checkDeniedWithAlternatives() {
        return free.maxTeamSize().check(5, 1, 5);
    }
}
