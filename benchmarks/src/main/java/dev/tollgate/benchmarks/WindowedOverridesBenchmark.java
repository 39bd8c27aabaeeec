package dev.tollgate.benchmarks;

import dev.tollgate.DynamicInput;
import dev.tollgate.LogOptions;
import dev.tollgate.Schema;
import dev.tollgate.TollgateClient;
import dev.tollgate.UntypedRoot;
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
 * An override table of 10,000 organization rows read through roots taken beforehand, with {@code windowed=false} (the
 * compact {@code values} form) beside {@code windowed=true} (half the rows under {@code rows} with a {@code from} and
 * an {@code until}, the other half compact). Contexts are visited round-robin: 1,024 organizations that have rows,
 * windowed and not alternately, all inside their windows, so both tables answer the same values.
 *
 * <p>Run: {@code java -jar benchmarks/target/benchmarks.jar WindowedOverridesBenchmark -prof gc}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(
        value = 1,
        jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
@State(Scope.Benchmark)
public class WindowedOverridesBenchmark {
    private static final int ROWS = 10_000;
    private static final int CONTEXTS = 1_024;
    private static final String FIELD = "entitlements.maxTeamSize";
    private static final String SCHEMA =
            """
            input Context { organization: Organization! }
            input Organization { id: String! }
            type Root { entitlements: Entitlements! }
            type Entitlements { maxTeamSize: Int! }
            """;

    @Param({"false", "true"})
    public boolean windowed;

    private TollgateClient client;
    private UntypedRoot[] roots;
    private int next;

    @Setup(Level.Trial)
    public void setUp() {
        Schema schema = Schema.parse(SCHEMA, "windowed.graphql");
        client = TollgateClient.builder(schema).logs(LogOptions.disabled()).build();
        client.loadSnapshot(snapshot(schema.hash(), windowed));
        roots = new UntypedRoot[CONTEXTS];
        for (int i = 0; i < CONTEXTS; i++) {
            roots[i] = client.root(DynamicInput.context(schema, Map.of("organization", Map.of("id", "org_" + i * 7))));
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        client.close();
    }

    @Benchmark
    public int maxTeamSize() {
        UntypedRoot root = roots[next];
        next = (next + 1) & (CONTEXTS - 1);
        return root.intValue(FIELD, -1);
    }

    /** Rows {@code org_0} to {@code org_9999}; with {@code windowed}, the even ones carry a window around now. */
    private static String snapshot(String hash, boolean windowed) {
        StringBuilder values = new StringBuilder();
        StringBuilder rows = new StringBuilder();
        for (int i = 0; i < ROWS; i++) {
            int value = 10 + i % 90;
            if (windowed && i % 2 == 0) {
                separate(rows)
                        .append("\"org_")
                        .append(i)
                        .append("\": {\"value\": ")
                        .append(value)
                        .append(", \"from\": \"2020-01-01T00:00:00Z\", \"until\": \"2100-01-01T00:00:00Z\"}");
            } else {
                separate(values).append("\"org_").append(i).append("\": ").append(value);
            }
        }
        String table = "{\"by\": \"context.organization.id\", \"values\": {" + values + "}"
                + (windowed ? ", \"rows\": {" + rows + "}" : "") + "}";
        return "{\"format\": 1, \"revision\": 1, \"schemaHash\": \"" + hash + "\", \"fields\": {\"" + FIELD
                + "\": {\"overrides\": [" + table + "], \"default\": 5}}}";
    }

    private static StringBuilder separate(StringBuilder builder) {
        return builder.isEmpty() ? builder : builder.append(", ");
    }
}
