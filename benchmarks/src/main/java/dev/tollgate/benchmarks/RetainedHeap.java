package dev.tollgate.benchmarks;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.launchdarkly.sdk.server.Components;
import com.launchdarkly.sdk.server.LDClient;
import com.launchdarkly.sdk.server.LDConfig;
import com.launchdarkly.sdk.server.integrations.FileData;
import dev.tollgate.benchmarks.flags.Tollgate;
import dev.tollgate.benchmarks.sdk.DiscardingLogSink;
import dev.tollgate.benchmarks.sdk.FloorSdk;
import dev.tollgate.benchmarks.sdk.LaunchDarklyFlags;
import dev.tollgate.benchmarks.sdk.TollgateSdk;
import dev.tollgate.benchmarks.workload.Workload;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.ref.Reference;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The heap a loaded configuration retains: a Tollgate client's installed snapshot against the floor's map, for the
 * same override tables.
 *
 * <p>Method: each measurement runs in a fresh JVM with the serial collector, whose used-heap figure after a full
 * collection is exactly the live data. The configuration is written to a file and every other reference to the
 * workload dropped; a throwaway load of a small configuration takes one-time static state (class initialization,
 * caches) out of the measurement; then used heap is read after full collections (repeated until it stops changing)
 * before and after loading the file, with the loaded object kept reachable. The difference is what the loaded
 * configuration retains, strings included, the transient bytes and parse tree excluded. For Tollgate, "before" is a
 * client with logging on and no snapshot, so the client's own fixed cost is not counted.
 *
 * <p>Run: {@code java -cp benchmarks/target/benchmarks.jar dev.tollgate.benchmarks.RetainedHeap [results.json]}.
 */
public final class RetainedHeap {
    private static final MemoryMXBean MEMORY = ManagementFactory.getMemoryMXBean();
    private static final String MEASURE = "measure";

    private RetainedHeap() {}

    public static void main(String[] args) throws IOException, InterruptedException {
        if (args.length == 3 && args[0].equals(MEASURE)) {
            System.out.println(measure(args[1], Integer.parseInt(args[2])));
            return;
        }
        List<Map<String, Object>> results = new ArrayList<>();
        for (int overrides : new int[] {10_000, 100_000}) {
            long tollgate = inFreshJvm("tollgate", overrides);
            long floor = inFreshJvm("floor", overrides);
            long launchDarkly = inFreshJvm("launchDarkly", overrides);
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("overrides", overrides);
            row.put("tollgateBytes", tollgate);
            row.put("floorBytes", floor);
            row.put("launchDarklyBytes", launchDarkly);
            row.put("ratio", (double) tollgate / floor);
            results.add(row);
            System.out.printf(
                    "%,7d overrides: tollgate snapshot retains %,d bytes, floor map %,d bytes (%.2fx), launchDarkly"
                            + " flags %,d bytes%n",
                    overrides, tollgate, floor, (double) tollgate / floor, launchDarkly);
        }
        if (args.length > 0) {
            new ObjectMapper()
                    .enable(SerializationFeature.INDENT_OUTPUT)
                    .writeValue(Path.of(args[0]).toFile(), results);
        }
    }

    private static long inFreshJvm(String kind, int overrides) throws IOException, InterruptedException {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process process = new ProcessBuilder(
                        java.toString(),
                        "-XX:+UseSerialGC",
                        "-Xmx2g",
                        "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
                        "-cp",
                        System.getProperty("java.class.path"),
                        RetainedHeap.class.getName(),
                        MEASURE,
                        kind,
                        Integer.toString(overrides))
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (process.waitFor() != 0) {
            throw new IllegalStateException("measuring " + kind + " " + overrides + " failed: " + output);
        }
        String[] lines = output.strip().split("\\R");
        return Long.parseLong(lines[lines.length - 1].strip());
    }

    private static long measure(String kind, int overrides) throws IOException {
        Path dir = Files.createTempDirectory("tollgate-heap-");
        try {
            Path warmUpSnapshot = dir.resolve("warm-up.json");
            Path warmUpCsv = dir.resolve("warm-up.csv");
            write(Workload.of(10), warmUpSnapshot, warmUpCsv);
            Path snapshot = dir.resolve("snapshot.json");
            Path csv = dir.resolve("floor.csv");
            write(Workload.of(overrides), snapshot, csv);
            if (kind.equals("tollgate")) {
                tollgateBytes(warmUpSnapshot);
                return tollgateBytes(snapshot);
            }
            if (kind.equals("launchDarkly")) {
                Path empty = Files.writeString(dir.resolve("launchdarkly-empty.json"), "{\"flags\": {}}");
                Path warmUpFlags = Files.writeString(
                        dir.resolve("launchdarkly-warm-up.json"), LaunchDarklyFlags.json(Workload.of(10), 1));
                Path flags = Files.writeString(
                        dir.resolve("launchdarkly-flags.json"), LaunchDarklyFlags.json(Workload.of(overrides), 1));
                launchDarklyClientBytes(warmUpFlags);
                return launchDarklyClientBytes(flags) - launchDarklyClientBytes(empty);
            }
            floorBytes(warmUpCsv);
            return floorBytes(csv);
        } finally {
            TempDirs.delete(dir);
        }
    }

    private static void write(Workload workload, Path snapshot, Path csv) throws IOException {
        Files.write(snapshot, TollgateSdk.snapshot(workload, Tollgate.SCHEMA_HASH));
        Files.write(csv, FloorSdk.csv(workload));
    }

    /** What loading the snapshot adds to a client that has none (logging on, as in the benchmarks). */
    private static long tollgateBytes(Path snapshot) {
        try (Tollgate client = TollgateSdk.newClient(new DiscardingLogSink())) {
            long before = usedAfterGc();
            client.loadSnapshot(snapshot);
            long after = usedAfterGc();
            Reference.reachabilityFence(client);
            return after - before;
        }
    }

    /**
     * What a LaunchDarkly client started on the flags file retains (events off); {@link #measure} subtracts the same for
     * an empty file, so that, as for Tollgate, the client's own fixed cost is not counted.
     */
    private static long launchDarklyClientBytes(Path flags) throws IOException {
        long before = usedAfterGc();
        LDClient client = new LDClient(
                "sdk-benchmark-key",
                new LDConfig.Builder()
                        .dataSource(FileData.dataSource().filePaths(flags))
                        .events(Components.noEvents())
                        .diagnosticOptOut(true)
                        .startWait(Duration.ofSeconds(60))
                        .build());
        try {
            if (!client.isInitialized()) {
                throw new IllegalStateException("LaunchDarkly did not initialize from " + flags);
            }
            long after = usedAfterGc();
            Reference.reachabilityFence(client);
            return after - before;
        } finally {
            client.close();
        }
    }

    private static long floorBytes(Path csv) throws IOException {
        long before = usedAfterGc();
        Map<String, FloorSdk.Row> table = FloorSdk.load(Files.readAllBytes(csv));
        long after = usedAfterGc();
        Reference.reachabilityFence(table);
        return after - before;
    }

    /**
     * Used heap once garbage is gone: full collections, with finalization and a pause between them so that threads
     * that have just ended and objects waiting for a cleaner are gone too, until three readings in a row agree.
     */
    private static long usedAfterGc() {
        long previous = -1;
        int stable = 0;
        for (int i = 0; i < 30 && stable < 2; i++) {
            System.gc();
            System.runFinalization();
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            long now = MEMORY.getHeapMemoryUsage().getUsed();
            stable = Math.abs(now - previous) < 4_096 ? stable + 1 : 0;
            previous = now;
        }
        return previous;
    }
}
