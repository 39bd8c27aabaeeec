package dev.tollgate.delivery;

import static dev.tollgate.delivery.Fixtures.SCHEMA;
import static dev.tollgate.delivery.Fixtures.snapshotBytes;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.ServerOptions;
import dev.tollgate.TollgateClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Measures how long a change takes to become visible to evaluation on loopback, with the default settings, and prints
 * the figures ({@code PROPAGATION ...} lines on standard output). "Visible" means a new root reads the new revision; the
 * clock starts when the file is renamed into place, or when the server has written and flushed the announcement.
 */
class PropagationTest {
    private static final int FILE_CHANGES = 50;
    private static final int STREAM_CHANGES = 100;

    @TempDir
    Path directory;

    @Test
    void fileChange_isVisibleWithinTheDefaultPollInterval() throws IOException {
        Path file = directory.resolve("snapshot.json");
        Files.write(file, snapshotBytes(1));
        List<Long> micros = new ArrayList<>();
        Duration interval = TollgateClient.Builder.DEFAULT_FILE_POLL_INTERVAL;
        try (TollgateClient client =
                TollgateClient.builder(SCHEMA).snapshotFile(file).build()) {
            for (int revision = 2; revision <= FILE_CHANGES + 1; revision++) {
                // Land each change at a random point of the poll cycle, as real edits do.
                sleepMicros(ThreadLocalRandom.current().nextLong(interval.toNanos() / 1000));
                Path next = Files.write(directory.resolve("next.tmp"), snapshotBytes(revision));
                long start = System.nanoTime();
                Files.move(next, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                micros.add(awaitRevision(client, revision, start));
            }
        }
        report("file (atomic rename, poll every " + interval.toMillis() + " ms)", micros);
        assertThat(percentile(micros, 100)).as("worst case in microseconds").isLessThan(1_000_000);
    }

    @Test
    void streamAnnouncement_isVisibleInMilliseconds() throws IOException {
        List<Long> micros = new ArrayList<>();
        try (FakeTollgateServer server = new FakeTollgateServer()) {
            server.publish(1);
            try (TollgateClient client = TollgateClient.builder(SCHEMA)
                    .server(ServerOptions.builder(server.url(), "token").build())
                    .build()) {
                assertThat(client.awaitReady(Duration.ofSeconds(5)).isReady()).isTrue();
                Fixtures.await("the stream", () -> server.openStreams() == 1);
                for (int revision = 2; revision <= STREAM_CHANGES + 1; revision++) {
                    byte[] snapshot = snapshotBytes(revision);
                    long start = System.nanoTime();
                    server.publish(revision, snapshot, null);
                    micros.add(awaitRevision(client, revision, start));
                }
                assertThat(server.snapshotRequests())
                        .as("one fetch per announcement, and no polling")
                        .isEqualTo(STREAM_CHANGES + 1);
            }
        }
        report("stream (announcement, then GET /v1/snapshot)", micros);
        assertThat(percentile(micros, 50)).as("median in microseconds").isLessThan(100_000);
    }

    /** Microseconds from {@code start} until a new root reads {@code revision}. */
    private static long awaitRevision(TollgateClient client, long revision, long start) {
        long deadline = start + TimeUnit.SECONDS.toNanos(5);
        while (Fixtures.root(client).revision() < revision) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("revision " + revision + " not visible after 5 s");
            }
            LockSupport.parkNanos(20_000);
        }
        return TimeUnit.NANOSECONDS.toMicros(System.nanoTime() - start);
    }

    private static void sleepMicros(long micros) {
        LockSupport.parkNanos(TimeUnit.MICROSECONDS.toNanos(micros));
    }

    private static void report(String what, List<Long> micros) {
        System.out.printf(
                "PROPAGATION %s: n=%d median=%.1f ms p99=%.1f ms max=%.1f ms%n",
                what,
                micros.size(),
                percentile(micros, 50) / 1000.0,
                percentile(micros, 99) / 1000.0,
                percentile(micros, 100) / 1000.0);
    }

    /** The nearest-rank percentile. */
    private static long percentile(List<Long> values, int percent) {
        List<Long> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        int rank = (int) Math.ceil(percent / 100.0 * sorted.size());
        return sorted.get(Math.max(0, rank - 1));
    }
}
