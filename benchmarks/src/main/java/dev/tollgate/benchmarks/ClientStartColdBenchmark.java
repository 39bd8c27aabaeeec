package dev.tollgate.benchmarks;

import com.launchdarkly.sdk.server.Components;
import com.launchdarkly.sdk.server.LDClient;
import com.launchdarkly.sdk.server.LDConfig;
import com.launchdarkly.sdk.server.integrations.FileData;
import dev.tollgate.LogOptions;
import dev.tollgate.ReadyResult;
import dev.tollgate.benchmarks.flags.Tollgate;
import dev.tollgate.benchmarks.sdk.DiscardingLogSink;
import dev.tollgate.benchmarks.sdk.LaunchDarklyFlags;
import dev.tollgate.benchmarks.sdk.TollgateSdk;
import dev.tollgate.benchmarks.workload.Workload;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
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
 * A service's start, in a fresh JVM: from nothing loaded to a client that answers from its configuration file, class
 * loading, schema parsing, interpretation and JIT compilation included. Tollgate: the generated {@code Tollgate} with a
 * snapshot file source (logging on, to a discarding sink), until {@code awaitReady} says the snapshot is installed.
 * LaunchDarkly: {@code new LDClient} with its file data source (events off), which returns once initialized. Each
 * fork is one sample. The setup writes both files with the benchmark's own JSON writer, loading neither SDK's classes.
 *
 * <p>Run: {@code java -jar benchmarks/target/benchmarks.jar ClientStartColdBenchmark}; more samples with {@code -f 10}.
 */
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 0)
@Measurement(iterations = 1)
@Fork(
        value = 5,
        jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
public class ClientStartColdBenchmark {

    /** Both SDKs' configuration files for one size, and the client started from them (closed after the sample). */
    @State(Scope.Benchmark)
    public static class ConfigurationFiles {
        @Param({"10000", "100000"})
        public int overrides;

        Path dir;
        Path tollgateSnapshot;
        Path launchDarklyFlags;
        AutoCloseable started;

        @Setup(Level.Trial)
        public void setUp() throws IOException {
            Workload workload = Workload.of(overrides);
            dir = Files.createTempDirectory("tollgate-start-");
            tollgateSnapshot =
                    Files.write(dir.resolve("snapshot.json"), TollgateSdk.snapshot(workload, Tollgate.SCHEMA_HASH));
            launchDarklyFlags =
                    Files.writeString(dir.resolve("launchdarkly-flags.json"), LaunchDarklyFlags.json(workload, 1));
        }

        @TearDown(Level.Trial)
        public void tearDown() throws Exception {
            if (started != null) {
                started.close();
            }
            TempDirs.delete(dir);
        }
    }

    @Benchmark
    public Object tollgate(ConfigurationFiles files) {
        Tollgate tollgate = Tollgate.builder()
                .snapshotFile(files.tollgateSnapshot)
                .logs(LogOptions.builder().sink(new DiscardingLogSink()).build())
                .build();
        files.started = tollgate;
        ReadyResult ready = tollgate.client().awaitReady(Duration.ofSeconds(60));
        if (tollgate.revision() != 1) {
            throw new IllegalStateException("Tollgate did not load " + files.tollgateSnapshot + ": " + ready);
        }
        return ready;
    }

    @Benchmark
    public Object launchDarkly(ConfigurationFiles files) {
        LDClient client = new LDClient(
                "sdk-benchmark-key",
                new LDConfig.Builder()
                        .dataSource(FileData.dataSource().filePaths(files.launchDarklyFlags))
                        .events(Components.noEvents())
                        .diagnosticOptOut(true)
                        .startWait(Duration.ofSeconds(60))
                        .build());
        files.started = client;
        if (!client.isInitialized()) {
            throw new IllegalStateException("LaunchDarkly did not initialize from " + files.launchDarklyFlags);
        }
        return client;
    }
}
