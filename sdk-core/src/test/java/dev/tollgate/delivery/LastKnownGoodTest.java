package dev.tollgate.delivery;

import static dev.tollgate.delivery.Fixtures.SCHEMA;
import static dev.tollgate.delivery.Fixtures.await;
import static dev.tollgate.delivery.Fixtures.maxTeamSize;
import static dev.tollgate.delivery.Fixtures.snapshot;
import static dev.tollgate.delivery.Fixtures.snapshotBytes;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.ClientStatus;
import dev.tollgate.ReadyResult;
import dev.tollgate.ServerOptions;
import dev.tollgate.SourceError;
import dev.tollgate.TollgateClient;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.KeyPair;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import okhttp3.mockwebserver.Dispatcher;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import okhttp3.mockwebserver.SocketPolicy;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The last-known-good copy on disk, and the start-up order: embedded, then last-known-good if newer, then network. */
class LastKnownGoodTest {
    @TempDir
    Path directory;

    private final List<TollgateClient> clients = new ArrayList<>();

    @AfterEach
    void close() {
        clients.forEach(TollgateClient::close);
    }

    private TollgateClient start(TollgateClient.Builder builder) {
        TollgateClient client = builder.build();
        clients.add(client);
        return client;
    }

    private Path storedFile() throws IOException {
        try (Stream<Path> files = Files.list(directory)) {
            List<Path> stored = files.filter(f -> f.getFileName().toString().endsWith(".tollgate"))
                    .toList();
            assertThat(stored).hasSize(1);
            return stored.get(0);
        }
    }

    /** A client fed by hand that persists to the directory; its last-known-good key is "local". */
    private void persistByHand(long revision) {
        TollgateClient writer = start(TollgateClient.builder(SCHEMA).lastKnownGood(directory));
        writer.loadSnapshot(snapshot(revision));
        writer.close();
    }

    @Test
    void restart_withTheServerDown_servesTheLastGoodLogic_beforeAnyNetworkAnswer() throws IOException {
        MockWebServer server = new MockWebServer();
        server.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                return new MockResponse().setHeader("ETag", "\"r3\"").setBody(snapshot(3));
            }
        });
        server.start();
        ServerOptions options = ServerOptions.builder(server.url("/").toString(), "token")
                .streaming(false)
                .pollInterval(Duration.ofMillis(50))
                .initialBackoff(Duration.ofMillis(20))
                .maxBackoff(Duration.ofMillis(50))
                .build();
        TollgateClient before =
                start(TollgateClient.builder(SCHEMA).lastKnownGood(directory).server(options));
        assertThat(before.awaitReady(Duration.ofSeconds(5)).isReady()).isTrue();
        before.close();
        assertThat(Files.readString(storedFile()))
                .startsWith("tollgate-last-known-good 1\n")
                .endsWith(snapshot(3));

        // The server is back at the same address but never answers.
        server.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                return new MockResponse().setSocketPolicy(SocketPolicy.NO_RESPONSE);
            }
        });
        TollgateClient after =
                start(TollgateClient.builder(SCHEMA).lastKnownGood(directory).server(options));

        assertThat(after.revision()).isEqualTo(3);
        assertThat(maxTeamSize(after)).isEqualTo(3);
        ClientStatus status = after.status();
        assertThat(status.source()).contains("last-known-good(" + storedFile() + ")");
        assertThat(status.state()).isEqualTo(ClientStatus.State.INITIALIZING);
        assertThat(after.readiness()).isNotDone();

        server.shutdown();
        await("STALE", () -> after.status().state() == ClientStatus.State.STALE);
        assertThat(after.status().lastError().orElseThrow().kind()).isEqualTo(SourceError.Kind.NETWORK);
        ReadyResult waited = after.awaitReady(Duration.ofMillis(20));
        assertThat(waited.isTimedOut()).isTrue();
        assertThat(waited.revision()).isEqualTo(3);
        assertThat(maxTeamSize(after)).isEqualTo(3);
    }

    @Test
    void everyInstall_isSavedAtomically_withNoTemporaryFileLeft() throws IOException {
        TollgateClient client = start(TollgateClient.builder(SCHEMA).lastKnownGood(directory.resolve("cache")));
        for (long revision = 1; revision <= 5; revision++) {
            client.loadSnapshot(snapshot(revision));
        }

        try (Stream<Path> files = Files.list(directory.resolve("cache"))) {
            List<String> names = files.map(f -> f.getFileName().toString()).toList();
            assertThat(names).hasSize(1).allMatch(name -> name.matches("snapshot-[0-9a-f]{16}\\.tollgate"));
        }
        TollgateClient restarted = start(TollgateClient.builder(SCHEMA).lastKnownGood(directory.resolve("cache")));
        assertThat(restarted.revision()).isEqualTo(5);
    }

    @Test
    void copyOlderThanTheMaximumAge_isIgnored() throws IOException {
        persistByHand(4);
        Files.setLastModifiedTime(storedFile(), FileTime.from(Instant.now().minus(Duration.ofDays(8))));

        TollgateClient sevenDays = start(TollgateClient.builder(SCHEMA).lastKnownGood(directory));
        TollgateClient thirtyDays = start(TollgateClient.builder(SCHEMA).lastKnownGood(directory, Duration.ofDays(30)));

        assertThat(sevenDays.revision()).isZero();
        assertThat(sevenDays.status().lastError()).as("age is not an error").isEmpty();
        assertThat(maxTeamSize(sevenDays)).isEqualTo(-1);
        assertThat(thirtyDays.revision()).isEqualTo(4);
    }

    @Test
    void confirmationByTheServer_refreshesTheAge() throws IOException {
        MockWebServer server = new MockWebServer();
        server.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                return new MockResponse().setHeader("ETag", "\"r3\"").setBody(snapshot(3));
            }
        });
        try (server) {
            server.start();
            ServerOptions options = ServerOptions.builder(server.url("/").toString(), "token")
                    .streaming(false)
                    .pollInterval(Duration.ofMillis(20))
                    .build();
            TollgateClient client = start(
                    TollgateClient.builder(SCHEMA).lastKnownGood(directory).server(options));
            assertThat(client.awaitReady(Duration.ofSeconds(5)).isReady()).isTrue();
            Instant sixDaysAgo = Instant.now().minus(Duration.ofDays(6));
            Files.setLastModifiedTime(storedFile(), FileTime.from(sixDaysAgo));

            await("the age to be refreshed", () -> modified().isAfter(sixDaysAgo.plus(Duration.ofDays(5))));
        }
    }

    private Instant modified() {
        try {
            return Files.getLastModifiedTime(storedFile()).toInstant();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    /** Saves {@code revision} as the last-known-good copy of the server at {@code url}, by hand, and returns it. */
    private Path persistForServer(String url, long revision) throws IOException {
        TollgateClient writer = start(TollgateClient.builder(SCHEMA)
                .lastKnownGood(directory)
                .server(ServerOptions.builder(url, "token")
                        .streaming(false)
                        .pollInterval(Duration.ofHours(1))
                        .build()));
        writer.loadSnapshot(snapshot(revision));
        writer.close();
        Path stored = storedFile();
        assertThat(Files.readString(stored)).endsWith(snapshot(revision));
        return stored;
    }

    /** Sets the copy's modification time two days back and returns it as the file system keeps it. */
    private static FileTime ageTwoDays(Path stored) throws IOException {
        Files.setLastModifiedTime(stored, FileTime.from(Instant.now().minus(Duration.ofDays(2))));
        return Files.getLastModifiedTime(stored);
    }

    @Test
    void olderRevisionFromTheServer_confirmsNothing_andLeavesTheAgeAlone() throws IOException {
        MockWebServer server = new MockWebServer();
        MockResponse revisionOne =
                new MockResponse().setHeader("ETag", "\"r1\"").setBody(snapshot(1));
        server.setDispatcher(new ScriptedDispatcher().snapshots(revisionOne));
        try (server) {
            server.start();
            String url = server.url("/").toString();
            Path stored = persistForServer(url, 5);
            FileTime twoDaysAgo = ageTwoDays(stored);
            ScriptedDispatcher script = new ScriptedDispatcher().snapshots(revisionOne);
            server.setDispatcher(script);

            TollgateClient client = start(TollgateClient.builder(SCHEMA)
                    .lastKnownGood(directory)
                    .server(ServerOptions.builder(url, "token")
                            .streaming(false)
                            .pollInterval(Duration.ofMillis(20))
                            .initialBackoff(Duration.ofMillis(20))
                            .maxBackoff(Duration.ofMillis(50))
                            .build()));
            await("three requests answered with revision 1", () -> script.snapshotRequestCount() >= 3);
            await("STALE", () -> client.status().state() == ClientStatus.State.STALE);

            assertThat(client.revision()).isEqualTo(5);
            assertThat(maxTeamSize(client)).isEqualTo(5);
            ClientStatus status = client.status();
            assertThat(status.source()).contains("last-known-good(" + stored + ")");
            assertThat(status.lastSuccess()).isEmpty();
            SourceError error = status.lastError().orElseThrow();
            assertThat(error.kind()).isEqualTo(SourceError.Kind.OLDER_REVISION);
            assertThat(error.message())
                    .isEqualTo("the source serves revision 1, older than the installed 5 (installed from"
                            + " last-known-good(" + stored + ")); ignored until it catches up");
            assertThat(client.readiness()).as("nothing confirmed revision 5").isNotDone();
            assertThat(Files.getLastModifiedTime(stored)).isEqualTo(twoDaysAgo);
            assertThat(script.allSnapshotRequests())
                    .as("revision 1's ETag is not kept")
                    .allSatisfy(request ->
                            assertThat(request.getHeader("If-None-Match")).isNull());
        }
    }

    @Test
    void olderRevisionAnnouncedOnTheStream_confirmsNothing_andLeavesTheAgeAlone() throws IOException {
        try (FakeTollgateServer fake = new FakeTollgateServer()) {
            fake.publish(1);
            Path stored = persistForServer(fake.url(), 5);
            FileTime twoDaysAgo = ageTwoDays(stored);
            List<SourceError> errors = new CopyOnWriteArrayList<>();

            TollgateClient client = start(TollgateClient.builder(SCHEMA)
                    .lastKnownGood(directory)
                    .statusListener(status -> status.lastError().ifPresent(errors::add))
                    .server(ServerOptions.builder(fake.url(), "token")
                            .pollInterval(Duration.ofSeconds(30))
                            .initialBackoff(Duration.ofMillis(20))
                            .maxBackoff(Duration.ofMillis(50))
                            .build()));
            String announced = "the stream GET " + fake.url() + "/v1/stream announced revision 1, older than the"
                    + " installed 5; not taken as a confirmation";
            await("the announcement of revision 1", () -> errors.stream()
                    .anyMatch(e -> e.message().equals(announced)));
            await("STALE", () -> client.status().state() == ClientStatus.State.STALE);

            assertThat(errors).filteredOn(e -> e.message().equals(announced)).allSatisfy(e -> assertThat(e.kind())
                    .isEqualTo(SourceError.Kind.OLDER_REVISION));
            assertThat(client.revision()).isEqualTo(5);
            assertThat(client.status().lastSuccess()).isEmpty();
            assertThat(client.readiness()).isNotDone();
            assertThat(Files.getLastModifiedTime(stored)).isEqualTo(twoDaysAgo);
        }
    }

    @Test
    void damagedCopy_isIgnoredWithAWarning() throws IOException {
        persistByHand(4);
        Path stored = storedFile();
        byte[] bytes = Files.readAllBytes(stored);
        bytes[bytes.length - 5] ^= 1;
        Files.write(stored, bytes);

        TollgateClient client = start(TollgateClient.builder(SCHEMA).lastKnownGood(directory));

        assertThat(client.revision()).isZero();
        SourceError error = client.status().lastError().orElseThrow();
        assertThat(error.kind()).isEqualTo(SourceError.Kind.STORAGE);
        assertThat(error.message())
                .isEqualTo("ignoring the last-known-good snapshot: " + stored
                        + " fails its checksum: it was truncated or modified");
    }

    /**
     * Regression: a copy cut short inside its first line (a write interrupted early) used to be reported as "not a
     * Tollgate last-known-good file", as if someone had put another file there.
     */
    @Test
    void copyTruncatedInsideItsFirstLine_orItsHeader_isReportedAsTruncated_anotherFileAsForeign() throws IOException {
        persistByHand(4);
        Path stored = storedFile();
        byte[] bytes = Files.readAllBytes(stored);
        int firstLineEnd = new String(bytes, StandardCharsets.UTF_8).indexOf('\n');

        Files.write(stored, Arrays.copyOf(bytes, 10));
        String firstLine = ignoredBecause();
        Files.write(stored, Arrays.copyOf(bytes, firstLineEnd + 20));
        String header = ignoredBecause();
        Files.writeString(stored, "{\"format\": 1}\n{}\n");
        String foreign = ignoredBecause();

        assertThat(firstLine).isEqualTo(stored + " is truncated inside its first line (10 bytes)");
        assertThat(header).isEqualTo(stored + " is truncated inside its header (" + (firstLineEnd + 20) + " bytes)");
        assertThat(foreign).isEqualTo(stored + " is not a Tollgate last-known-good file");
    }

    /** Why a client started on the directory ignored its last-known-good copy. */
    private String ignoredBecause() {
        TollgateClient client = start(TollgateClient.builder(SCHEMA).lastKnownGood(directory));
        assertThat(client.revision()).isZero();
        SourceError error = client.status().lastError().orElseThrow();
        assertThat(error.kind()).isEqualTo(SourceError.Kind.STORAGE);
        assertThat(error.message()).startsWith("ignoring the last-known-good snapshot: ");
        return error.message().substring("ignoring the last-known-good snapshot: ".length());
    }

    @Test
    void signedCopy_isVerifiedAgainOnLoad() throws IOException {
        KeyPair keys = Fixtures.signingKeys();
        byte[] four = snapshotBytes(4);
        TollgateClient writer =
                start(TollgateClient.builder(SCHEMA).publicKey(keys.getPublic()).lastKnownGood(directory));
        writer.loadSnapshot(four, Fixtures.sign(keys.getPrivate(), four));
        writer.close();

        TollgateClient sameKey =
                start(TollgateClient.builder(SCHEMA).publicKey(keys.getPublic()).lastKnownGood(directory));
        TollgateClient otherKey = start(TollgateClient.builder(SCHEMA)
                .publicKey(Fixtures.signingKeys().getPublic())
                .lastKnownGood(directory));

        assertThat(sameKey.revision()).isEqualTo(4);
        assertThat(otherKey.revision()).isZero();
        assertThat(otherKey.status().lastError().orElseThrow().kind()).isEqualTo(SourceError.Kind.BAD_SIGNATURE);
        assertThat(otherKey.status().signatureFailures()).isEqualTo(1);
    }

    @Test
    void unsignedCopy_isRejectedOnceTheClientHasAKey() throws IOException {
        persistByHand(4);

        TollgateClient client = start(TollgateClient.builder(SCHEMA)
                .publicKey(Fixtures.signingKeys().getPublic())
                .lastKnownGood(directory));

        assertThat(client.revision()).isZero();
        assertThat(client.status().lastError().orElseThrow().message())
                .contains("snapshot is not signed, and this client accepts only snapshots with a valid Ed25519"
                        + " signature");
    }

    @Test
    void startUp_prefersTheNewerOfEmbeddedAndLastKnownGood() throws IOException {
        persistByHand(5);
        TollgateClient newerOnDisk = start(TollgateClient.builder(SCHEMA)
                .embeddedSnapshot("tollgate/embedded-snapshot.json")
                .lastKnownGood(directory));
        assertThat(newerOnDisk.revision()).isEqualTo(5);
        assertThat(newerOnDisk.status().source()).contains("last-known-good(" + storedFile() + ")");
        newerOnDisk.close();

        Files.delete(storedFile());
        persistByHand(1);
        TollgateClient newerEmbedded = start(TollgateClient.builder(SCHEMA)
                .embeddedSnapshot("tollgate/embedded-snapshot.json")
                .lastKnownGood(directory));
        assertThat(newerEmbedded.revision()).isEqualTo(2);
        assertThat(newerEmbedded.status().source()).contains("embedded(tollgate/embedded-snapshot.json)");
        assertThat(Files.readString(storedFile()))
                .as("the embedded snapshot is not written over the copy")
                .endsWith(snapshot(1));
    }

    @Test
    void unwritableDirectory_isAWarning_andEvaluationGoesOn() throws IOException {
        Path notADirectory = Files.writeString(directory.resolve("plain-file"), "x", StandardCharsets.UTF_8);
        TollgateClient client = start(TollgateClient.builder(SCHEMA).lastKnownGood(notADirectory));

        client.loadSnapshot(snapshot(1));

        assertThat(client.revision()).isEqualTo(1);
        SourceError error = client.status().lastError().orElseThrow();
        assertThat(error.kind()).isEqualTo(SourceError.Kind.STORAGE);
        assertThat(error.message()).startsWith("cannot save revision 1 to " + notADirectory);
        assertThat(client.status().state()).isEqualTo(ClientStatus.State.VALID);
    }
}
