package dev.tollgate.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tollgate.SnapshotLimits;
import dev.tollgate.internal.eval.CompiledSnapshot;
import dev.tollgate.internal.eval.SnapshotCompiler;
import dev.tollgate.internal.eval.SnapshotDelta;
import dev.tollgate.internal.schema.SchemaModel;
import dev.tollgate.internal.schema.SchemaParser;
import dev.tollgate.internal.snapshot.RowHasher;
import dev.tollgate.internal.snapshot.SnapshotJson;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.Map;
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
import org.openjdk.jmh.annotations.Warmup;

/**
 * One override row edited in a table of 100,000 organization rows: applying the stream's {@code delta} event to the
 * compiled snapshot ({@code applyOneRowDelta}: parse the event's data, check it, verify the table's checksum, derive
 * the snapshot with the table under an overlay) against loading the edited snapshot whole ({@code fullLoad}: parse,
 * validate and compile the 100,000 rows, which is what a client does after a fetch, before its install). The delta
 * sets org_42 to a value no other row has, so it also makes a new outcome. {@code rowChecksums} is the part of a
 * full load that deltas add to it: hashing every row of the table for its checksum ({@code RowHasher}). The setup
 * prints the size of the event on the wire.
 *
 * <p>Run: {@code java -jar benchmarks/target/benchmarks.jar SnapshotDeltaBenchmark -prof gc}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(
        value = 1,
        jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
@State(Scope.Benchmark)
public class SnapshotDeltaBenchmark {
    private static final int ROWS = 100_000;
    private static final String SCHEMA =
            """
            input Context { organization: Organization! }
            input Organization { id: String! }
            type Root { entitlements: Entitlements! }
            type Entitlements { maxTeamSize: Int! }
            """;

    private SchemaModel schema;
    private SnapshotLimits limits;
    private CompiledSnapshot base;
    private byte[] edited;
    private byte[] delta;
    private JsonNode table;

    @Setup(Level.Trial)
    public void setUp() {
        schema = SchemaParser.parse(SCHEMA, "delta.graphql");
        limits = SnapshotLimits.defaults();
        base = SnapshotCompiler.compile(schema, limits, snapshot(1, 10 + 42 % 50));
        edited = snapshot(2, 1_000);
        delta = delta().getBytes(StandardCharsets.UTF_8);
        table = SnapshotJson.parse(edited, limits).at("/fields/entitlements.maxTeamSize/overrides/0/values");
        String event = "id: 2\nevent: delta\ndata: " + delta() + "\n\n";
        System.out.printf(
                "%nFIGURE delta event for a one-row edit of a %,d-row table: %d bytes on the wire; the snapshot: %,d"
                        + " bytes%n",
                ROWS, event.getBytes(StandardCharsets.UTF_8).length, edited.length);
        CompiledSnapshot applied = applyOneRowDelta();
        if (applied.revision() != 2 || applied.overrideRows() != ROWS) {
            throw new IllegalStateException("the delta did not apply: " + applied);
        }
    }

    /** The document with org_42's row set to {@code org42}, every other org_i to 10 + i % 50. */
    private static byte[] snapshot(long revision, int org42) {
        StringBuilder json = new StringBuilder(ROWS * 20);
        json.append("{\"format\": 1, \"revision\": ").append(revision).append(", \"schemaHash\": \"");
        json.append(SchemaParser.parse(SCHEMA, "delta.graphql").hash());
        json.append("\", \"fields\": {\"entitlements.maxTeamSize\": {\"overrides\": [{\"by\":"
                + " \"context.organization.id\", \"values\": {");
        for (int i = 0; i < ROWS; i++) {
            json.append(i == 0 ? "" : ", ")
                    .append("\"org_")
                    .append(i)
                    .append("\": ")
                    .append(i == 42 ? org42 : 10 + i % 50);
        }
        json.append("}}], \"default\": 5}}}");
        return json.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** The delta from revision 1 to 2, as the server writes it. */
    private static String delta() {
        ObjectMapper json = new ObjectMapper();
        RowHasher hasher = new RowHasher();
        long sum = 0;
        for (int i = 0; i < ROWS; i++) {
            sum += hasher.row("org_" + i, json.getNodeFactory().numberNode(i == 42 ? 1_000 : 10 + i % 50), null, null);
        }
        return "{\"revision\":2,\"base\":1,\"changes\":[{\"field\":\"entitlements.maxTeamSize\",\"table\":0,"
                + "\"set\":{\"org_42\":{\"value\":1000,\"was\":{\"value\":" + (10 + 42 % 50) + "}}},\"rows\":" + ROWS
                + ",\"checksum\":\"" + RowHasher.hex(sum) + "\"}]}";
    }

    @Benchmark
    public CompiledSnapshot applyOneRowDelta() {
        return SnapshotDelta.apply(base, SnapshotDelta.parse(delta, limits), limits)
                .snapshot();
    }

    @Benchmark
    public long rowChecksums() {
        RowHasher hasher = new RowHasher();
        long sum = 0;
        for (Iterator<Map.Entry<String, JsonNode>> it = table.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> row = it.next();
            sum += hasher.row(row.getKey(), row.getValue(), null, null);
        }
        return sum;
    }

    @Benchmark
    public CompiledSnapshot fullLoad() {
        return SnapshotCompiler.compile(schema, limits, edited);
    }
}
