package dev.tollgate.delivery;

import static dev.tollgate.delivery.Fixtures.SCHEMA;
import static dev.tollgate.delivery.Fixtures.await;
import static dev.tollgate.delivery.Fixtures.maxTeamSize;
import static dev.tollgate.delivery.Fixtures.replaceByRename;
import static dev.tollgate.delivery.Fixtures.snapshot;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.ClientStatus;
import dev.tollgate.ReadyResult;
import dev.tollgate.ServerOptions;
import dev.tollgate.SnapshotChange;
import dev.tollgate.TollgateClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Readiness, status and snapshot listeners, and closing: idempotent, and no thread outlives it. */
class LifecycleTest {
    /**
     * OkHttp's process-wide housekeeping threads, shared by every OkHttp client in the JVM and not started for any one
     * of them: the connection-pool task runner and the timeout watchdog. Both exit on their own after a minute idle.
     */
    private static final List<String> OKHTTP_SHARED_THREADS = List.of("OkHttp TaskRunner", "Okio Watchdog");

    @TempDir
    Path directory;

    private TollgateClient client;

    @AfterEach
    void close() {
        if (client != null) {
            client.close();
        }
    }

    @Test
    void close_stopsEveryThreadAndStreamItStarted() throws IOException {
        Set<Thread> before = new HashSet<>(Thread.getAllStackTraces().keySet());
        Path file = Files.writeString(directory.resolve("snapshot.json"), snapshot(1));
        List<String> seen = new CopyOnWriteArrayList<>();
        try (FakeTollgateServer fake = new FakeTollgateServer()) {
            fake.publish(2);
            client = TollgateClient.builder(SCHEMA)
                    .snapshotFile(file)
                    .server(ServerOptions.builder(fake.url(), "token").build())
                    .statusListener(status -> seen.add(Thread.currentThread().getName()))
                    .build();
            assertThat(client.awaitReady(Duration.ofSeconds(5)).isReady()).isTrue();
            await("the stream", () -> fake.openStreams() == 1);
            await("revision 2", () -> client.status().revision() == 2);
            assertThat(newThreads(before)).anyMatch(name -> name.matches("tollgate-\\d+"));

            client.close();
            client.close();

            assertThat(client.status().state()).isEqualTo(ClientStatus.State.OFF);
            assertThat(seen).allMatch(name -> name.matches("tollgate-\\d+"));
            long[] next = {3};
            await("the server to find the stream closed", () -> {
                fake.publish(next[0]++); // writing to a connection the client closed fails, and drops it
                return fake.openStreams() == 0;
            });
            assertThat(client.revision()).as("nothing arrives after close").isEqualTo(2);
        }
        await("only OkHttp's shared housekeeping threads left", Duration.ofSeconds(3), () -> newThreads(before).stream()
                .allMatch(OKHTTP_SHARED_THREADS::contains));
        assertThat(maxTeamSize(client)).as("evaluation goes on after close").isEqualTo(2);
    }

    private static List<String> newThreads(Set<Thread> before) {
        List<String> names = new ArrayList<>();
        for (Thread thread : Thread.getAllStackTraces().keySet()) {
            if (!before.contains(thread)
                    && thread.isAlive()
                    && !thread.getName().startsWith("fake-tollgate")) {
                names.add(thread.getName());
            }
        }
        return names;
    }

    @Test
    void close_fromAListenerOnTheClientThread_doesNotDeadlock() throws IOException {
        Path file = Files.writeString(directory.resolve("snapshot.json"), snapshot(1));
        AtomicReference<TollgateClient> self = new AtomicReference<>();
        List<ClientStatus.State> states = new CopyOnWriteArrayList<>();
        client = TollgateClient.builder(SCHEMA)
                .snapshotFile(file)
                .statusListener(status -> {
                    states.add(status.state());
                    if (status.revision() == 2) {
                        self.get().close();
                    }
                })
                .build();
        self.set(client);

        replaceByRename(file, snapshot(2));

        await("OFF", () -> states.contains(ClientStatus.State.OFF));
        assertThat(states).containsExactly(ClientStatus.State.VALID, ClientStatus.State.VALID, ClientStatus.State.OFF);
    }

    @Test
    void listeners_hearEveryChange_inOrder() throws IOException {
        Path file = Files.writeString(directory.resolve("snapshot.json"), snapshot(1));
        List<ClientStatus> statuses = new CopyOnWriteArrayList<>();
        List<SnapshotChange> changes = new CopyOnWriteArrayList<>();
        client = TollgateClient.builder(SCHEMA)
                .snapshotFile(file)
                .statusListener(statuses::add)
                .snapshotListener(changes::add)
                .build();

        replaceByRename(file, "{ broken");
        await("the rejection", () -> client.status().rejectedSnapshots() == 1);
        replaceByRename(
                file, Fixtures.builder(2).value(Fixtures.MAX_TEAM_SIZE, 1).toJson());
        await("revision 2", () -> client.status().revision() == 2);
        client.close();

        assertThat(statuses)
                .extracting(ClientStatus::state, ClientStatus::revision)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(ClientStatus.State.VALID, 1L),
                        org.assertj.core.groups.Tuple.tuple(ClientStatus.State.INTERRUPTED, 1L),
                        org.assertj.core.groups.Tuple.tuple(ClientStatus.State.VALID, 2L),
                        org.assertj.core.groups.Tuple.tuple(ClientStatus.State.OFF, 2L));
        assertThat(statuses.get(1).lastError().orElseThrow().message()).contains("snapshot is not valid JSON");
        assertThat(changes).hasSize(2);
        assertThat(changes.get(0).previousRevision()).isZero();
        assertThat(changes.get(0).changedPaths())
                .containsExactly(
                        "entitlements.teamRolesEnabled",
                        "entitlements.maxTeamSize",
                        "entitlements.maxApiRequestsPerDay",
                        "entitlements.versionHistoryEnabled");
        assertThat(changes.get(1).changedPaths())
                .as("maxTeamSize stayed 1; the others depend on the revision's parity or value")
                .containsExactly(
                        "entitlements.teamRolesEnabled",
                        "entitlements.maxApiRequestsPerDay",
                        "entitlements.versionHistoryEnabled");
        assertThat(changes.get(1).source()).isEqualTo("file(" + file + ")");
    }

    @Test
    void embeddedOnly_isReadyAtOnce() {
        client = TollgateClient.builder(SCHEMA)
                .embeddedSnapshot("tollgate/embedded-snapshot.json")
                .build();

        ReadyResult ready = client.readiness().getNow(null);

        assertThat(ready).isNotNull();
        assertThat(ready.isReady()).isTrue();
        assertThat(ready.source()).contains("embedded(tollgate/embedded-snapshot.json)");
        assertThat(ready.revision()).isEqualTo(2);
        assertThat(client.status().state()).isEqualTo(ClientStatus.State.VALID);
        assertThat(maxTeamSize(client)).isEqualTo(2);
    }

    @Test
    void missingEmbeddedResource_isAConfigurationError() {
        TollgateClient.Builder builder = TollgateClient.builder(SCHEMA).embeddedSnapshot("tollgate/nope.json");

        org.assertj.core.api.Assertions.assertThatThrownBy(builder::build)
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("no classpath resource tollgate/nope.json");
    }

    @Test
    void withoutSources_readyWhenASnapshotIsLoadedByHand() {
        client = TollgateClient.builder(SCHEMA).build();

        ReadyResult waited = client.awaitReady(Duration.ofMillis(10));
        assertThat(waited.isTimedOut()).isTrue();
        assertThat(waited.message()).contains("no source delivered a snapshot within 10 ms");
        assertThat(waited.status().state()).isEqualTo(ClientStatus.State.INITIALIZING);

        client.loadSnapshot(snapshot(1));

        ReadyResult ready = client.awaitReady(Duration.ZERO);
        assertThat(ready.isReady()).isTrue();
        assertThat(ready.source()).contains("manual");
        assertThat(client.status().state()).isEqualTo(ClientStatus.State.VALID);
    }

    @Test
    void closeBeforeReady_failsReadiness() {
        client = TollgateClient.builder(SCHEMA).build();
        CompletableFuture<ReadyResult> readiness = client.readiness();

        client.close();

        ReadyResult result = readiness.join();
        assertThat(result.isFailed()).isTrue();
        assertThat(result.message()).contains("the client was closed before it became ready");
        assertThat(result.status().state()).isEqualTo(ClientStatus.State.OFF);
    }

    @Test
    void readiness_isACopy_thatCallersCannotComplete() {
        client = TollgateClient.builder(SCHEMA).build();

        client.readiness().cancel(true);
        client.readiness().complete(null);

        assertThat(client.readiness()).isNotDone();
        client.loadSnapshot(snapshot(1));
        assertThat(client.readiness().join().isReady()).isTrue();
    }

    @Test
    void interruptedWait_returnsTimedOut_andKeepsTheInterrupt() {
        client = TollgateClient.builder(SCHEMA).build();
        Thread.currentThread().interrupt();
        try {
            ReadyResult result = client.awaitReady(Duration.ofSeconds(5));

            assertThat(result.isTimedOut()).isTrue();
            assertThat(result.message()).contains("interrupted while waiting");
            assertThat(Thread.currentThread().isInterrupted()).isTrue();
        } finally {
            Thread.interrupted();
        }
    }

    @Test
    void listenersAddedLater_andRemoved() throws IOException {
        Path file = Files.writeString(directory.resolve("snapshot.json"), snapshot(1));
        client = TollgateClient.builder(SCHEMA).snapshotFile(file).build();
        List<Long> revisions = new CopyOnWriteArrayList<>();
        java.util.function.Consumer<dev.tollgate.SnapshotChange> listener = change -> revisions.add(change.revision());
        client.addSnapshotListener(listener);

        Files.writeString(file, snapshot(2));
        await("revision 2 heard", () -> revisions.contains(2L));
        client.removeSnapshotListener(listener);
        Files.writeString(file, snapshot(3));
        await("revision 3", () -> client.status().revision() == 3);

        assertThat(revisions).containsExactly(2L);
    }

    @Test
    void failingListener_doesNotStopDelivery() throws IOException {
        Path file = Files.writeString(directory.resolve("snapshot.json"), snapshot(1));
        client = TollgateClient.builder(SCHEMA)
                .snapshotFile(file)
                .snapshotListener(change -> {
                    throw new IllegalStateException("listener bug");
                })
                .build();

        Files.writeString(file, snapshot(2));
        await("revision 2", () -> client.status().revision() == 2);
        Files.writeString(file, snapshot(3));
        await("revision 3", () -> client.status().revision() == 3);

        assertThat(maxTeamSize(client)).isEqualTo(3);
    }

    @Test
    void listenerThrowingAnError_doesNotKeepTheNextListenerFromHearing() throws IOException {
        Path file = Files.writeString(directory.resolve("snapshot.json"), snapshot(1));
        List<Long> heard = new CopyOnWriteArrayList<>();
        client = TollgateClient.builder(SCHEMA)
                .snapshotFile(file)
                .snapshotListener(change -> {
                    throw new AssertionError("a test's failed assertion inside a listener");
                })
                .snapshotListener(change -> heard.add(change.revision()))
                .build();

        Files.writeString(file, snapshot(2));
        await("revision 2 heard", () -> heard.contains(2L));
        Files.writeString(file, snapshot(3));
        await("revision 3 heard", () -> heard.contains(3L));

        assertThat(heard).containsSubsequence(2L, 3L);
    }
}
