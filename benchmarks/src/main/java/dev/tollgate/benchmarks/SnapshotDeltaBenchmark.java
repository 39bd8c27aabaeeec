package dev.tollgate.benchmarks;

import dev.tollgate.LoadResult;
import dev.tollgate.LogOptions;
import dev.tollgate.Schema;
import dev.tollgate.TollgateClient;
import dev.tollgate.benchmarks.sdk.DiscardingLogSink;
import dev.tollgate.spi.SnapshotSource;
import dev.tollgate.spi.SourceContext;
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
 * One override row edited in a table of 100,000 organization rows, in a client with logging on. {@code
 * applyOneRowDelta}: the stream's {@code delta} event offered to the client ({@code SourceContext.deliverDelta}, what
 * the server source does with it): parse the event's data, check it, verify the table's checksum, derive the snapshot
 * with the table under an overlay, and install it (counter slots, change event). Each operation installs the next
 * revision, setting org_42 to 1,000 and back to 1,001, values no other row has. {@code fullLoad}: the whole snapshot
 * loaded again ({@code loadSnapshot(bytes)}: parse, validate, compile, checksum; the revision is the installed one, so
 * it is not swapped in), which is what a client does with a fetched snapshot. The setup prints the size of the delta
 * event on the wire. The checksums are the server's, computed here with the same formula (docs/protocol.md, "The delta
 * event").
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

    private TollgateClient deltaClient;
    private TollgateClient loadClient;
    private SourceContext context;
    private byte[] snapshot;
    /** The changes that set org_42 to 1,000 (from 1,001) and to 1,001 (from 1,000), with their checksums. */
    private String toThousand;

    private String toThousandOne;
    private long revision;

    @Setup(Level.Trial)
    public void setUp() {
        Schema schema = Schema.parse(SCHEMA, "delta.graphql");
        snapshot = snapshot(schema.hash(), 1_001);
        long others = 0;
        for (int i = 0; i < ROWS; i++) {
            others += i == 42 ? 0 : rowHash("org_" + i, Integer.toString(10 + i % 50));
        }
        toThousand = change(1_000, 1_001, others + rowHash("org_42", "1000"));
        toThousandOne = change(1_001, 1_000, others + rowHash("org_42", "1001"));
        CapturingSource source = new CapturingSource();
        deltaClient = TollgateClient.builder(schema)
                .logs(LogOptions.builder().sink(new DiscardingLogSink()).build())
                .source(source)
                .build();
        deltaClient.loadSnapshot(snapshot);
        context = source.context;
        revision = 1;
        loadClient = TollgateClient.builder(schema)
                .logs(LogOptions.builder().sink(new DiscardingLogSink()).build())
                .build();
        loadClient.loadSnapshot(snapshot);
        String event = "id: 2\nevent: delta\ndata: " + new String(nextDelta(), StandardCharsets.UTF_8) + "\n\n";
        revision = 1;
        System.out.printf(
                "%nFIGURE delta event for a one-row edit of a %,d-row table: %d bytes on the wire; the snapshot: %,d"
                        + " bytes%n",
                ROWS, event.getBytes(StandardCharsets.UTF_8).length, snapshot.length);
        if (!applyOneRowDelta() || deltaClient.revision() != 2) {
            throw new IllegalStateException("the delta was not applied; revision " + deltaClient.revision());
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        deltaClient.close();
        loadClient.close();
    }

    @Benchmark
    public boolean applyOneRowDelta() {
        return context.deliverDelta(nextDelta());
    }

    @Benchmark
    public LoadResult fullLoad() {
        return loadClient.loadSnapshot(snapshot);
    }

    /** The delta from the installed revision to the next, as the server writes it. */
    private byte[] nextDelta() {
        long base = revision++;
        String change = base % 2 == 1 ? toThousand : toThousandOne;
        return ("{\"revision\":" + revision + ",\"base\":" + base + change).getBytes(StandardCharsets.UTF_8);
    }

    private static String change(int value, int was, long checksum) {
        return ",\"changes\":[{\"field\":\"entitlements.maxTeamSize\",\"table\":0,\"set\":{\"org_42\":{\"value\":"
                + value + ",\"was\":{\"value\":" + was + "}}},\"rows\":" + ROWS + ",\"checksum\":\""
                + String.format("%016x", checksum) + "\"}]}";
    }

    /** A row's hash for a compact row: FNV-1a 64 of {@code key NUL value NUL NUL} (ASCII here), then fmix64. */
    private static long rowHash(String key, String value) {
        String text = key + "\0" + value + "\0\0";
        long hash = 0xcbf29ce484222325L;
        for (int i = 0; i < text.length(); i++) {
            hash = (hash ^ text.charAt(i)) * 0x100000001b3L;
        }
        hash ^= hash >>> 33;
        hash *= 0xff51afd7ed558ccdL;
        hash ^= hash >>> 33;
        hash *= 0xc4ceb9fe1a85ec53L;
        hash ^= hash >>> 33;
        return hash;
    }

    /** The document at revision 1 with org_42's row set to {@code org42}, every other org_i to 10 + i % 50. */
    private static byte[] snapshot(String schemaHash, int org42) {
        StringBuilder json = new StringBuilder(ROWS * 20);
        json.append("{\"format\": 1, \"revision\": 1, \"schemaHash\": \"").append(schemaHash);
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

    /** A source that only keeps the context the client gives it, to offer deltas through. */
    private static final class CapturingSource implements SnapshotSource {
        private volatile SourceContext context;

        @Override
        public String name() {
            return "deltas";
        }

        @Override
        public void start(SourceContext context) {
            this.context = context;
        }

        @Override
        public void close() {}
    }
}
