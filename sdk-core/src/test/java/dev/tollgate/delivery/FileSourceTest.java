package dev.tollgate.delivery;

import static dev.tollgate.delivery.Fixtures.SCHEMA;
import static dev.tollgate.delivery.Fixtures.await;
import static dev.tollgate.delivery.Fixtures.maxTeamSize;
import static dev.tollgate.delivery.Fixtures.replaceByRename;
import static dev.tollgate.delivery.Fixtures.snapshot;
import static dev.tollgate.delivery.Fixtures.snapshotBytes;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.ClientStatus;
import dev.tollgate.ReadyResult;
import dev.tollgate.SourceError;
import dev.tollgate.TollgateClient;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.KeyPair;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileSourceTest {
    private static final Duration WITHIN_A_SECOND = Duration.ofSeconds(1);

    @TempDir
    Path directory;

    private TollgateClient client;

    @AfterEach
    void close() {
        if (client != null) {
            client.close();
        }
    }

    private Path file() {
        return directory.resolve("snapshot.json");
    }

    private TollgateClient start(TollgateClient.Builder builder) {
        client = builder.build();
        return client;
    }

    @Test
    void build_readsTheFileAtOnce_andIsReadyFromIt() throws IOException {
        Files.writeString(file(), snapshot(1));

        start(TollgateClient.builder(SCHEMA).snapshotFile(file()));

        assertThat(client.revision()).isEqualTo(1);
        assertThat(maxTeamSize(client)).isEqualTo(1);
        ReadyResult ready = client.readiness().getNow(null);
        assertThat(ready).isNotNull();
        assertThat(ready.isReady()).isTrue();
        assertThat(ready.source()).contains("file(" + file() + ")");
        assertThat(client.status().state()).isEqualTo(ClientStatus.State.VALID);
    }

    @Test
    void changeInPlace_isPickedUpWithinASecond() throws IOException {
        Files.writeString(file(), snapshot(1));
        start(TollgateClient.builder(SCHEMA).snapshotFile(file()));

        Files.writeString(file(), snapshot(2));

        await("revision 2", WITHIN_A_SECOND, () -> client.status().revision() == 2);
        assertThat(maxTeamSize(client)).isEqualTo(2);
    }

    @Test
    void atomicReplaceByRename_isPickedUpWithinASecond() throws IOException {
        Files.writeString(file(), snapshot(1));
        start(TollgateClient.builder(SCHEMA).snapshotFile(file()));

        replaceByRename(file(), snapshotBytes(2));
        await("revision 2", WITHIN_A_SECOND, () -> client.status().revision() == 2);
        replaceByRename(file(), snapshotBytes(3));
        await("revision 3", WITHIN_A_SECOND, () -> client.status().revision() == 3);

        assertThat(maxTeamSize(client)).isEqualTo(3);
    }

    @Test
    void rewriteWithTheSameSizeAndModificationTime_isStillPickedUp() throws IOException {
        Files.writeString(file(), snapshot(5));
        start(TollgateClient.builder(SCHEMA).snapshotFile(file()));
        FileTime modified = Files.getLastModifiedTime(file());
        byte[] seven = snapshotBytes(7);
        assertThat(seven).hasSameSizeAs(snapshotBytes(5));

        Files.write(file(), seven);
        Files.setLastModifiedTime(file(), modified);

        await("revision 7", WITHIN_A_SECOND, () -> client.status().revision() == 7);
    }

    @Test
    void missingFile_waits_thenPicksItUp() throws IOException {
        start(TollgateClient.builder(SCHEMA).snapshotFile(file()));

        ClientStatus waiting = client.status();
        assertThat(waiting.state()).isEqualTo(ClientStatus.State.INITIALIZING);
        assertThat(waiting.lastError().orElseThrow().kind()).isEqualTo(SourceError.Kind.STORAGE);
        assertThat(waiting.lastError().orElseThrow().message()).isEqualTo(file() + " does not exist");
        assertThat(client.awaitReady(Duration.ofMillis(50)).isTimedOut()).isTrue();

        replaceByRename(file(), snapshotBytes(1));

        assertThat(client.awaitReady(WITHIN_A_SECOND).isReady()).isTrue();
        assertThat(maxTeamSize(client)).isEqualTo(1);
    }

    @Test
    void invalidEdit_isRejected_andTheFixIsPickedUp() throws IOException {
        Files.writeString(file(), snapshot(1));
        start(TollgateClient.builder(SCHEMA).snapshotFile(file()));

        replaceByRename(
                file(), Fixtures.builder(2).value(Fixtures.MAX_TEAM_SIZE, "two").toJson());
        await("INTERRUPTED", WITHIN_A_SECOND, () -> client.status().state() == ClientStatus.State.INTERRUPTED);
        assertThat(client.status().lastError().orElseThrow().message())
                .isEqualTo("rejected a snapshot with revision 2, keeping revision 1: entitlements.maxTeamSize: default:"
                        + " value \"two\" is not an Int");
        assertThat(maxTeamSize(client)).isEqualTo(1);

        replaceByRename(file(), snapshot(2));
        await("revision 2", WITHIN_A_SECOND, () -> client.status().revision() == 2);
        assertThat(client.status().state()).isEqualTo(ClientStatus.State.VALID);
    }

    @Test
    void sameRevisionWithOtherContent_isIgnoredWithAWarning() throws IOException {
        Files.writeString(file(), snapshot(1));
        start(TollgateClient.builder(SCHEMA).snapshotFile(file()));

        replaceByRename(
                file(), Fixtures.builder(1).value(Fixtures.MAX_TEAM_SIZE, 99).toJson());

        await("the warning", WITHIN_A_SECOND, () -> client.status().lastError().isPresent());
        assertThat(client.status().lastError().orElseThrow().message())
                .isEqualTo("ignored a snapshot with the installed revision 1 but different content (installed from"
                        + " file(" + file() + ")); raise the revision to publish a change");
        assertThat(maxTeamSize(client)).isEqualTo(1);
        assertThat(client.status().state()).isEqualTo(ClientStatus.State.VALID);
    }

    @Test
    void signedFile_needsItsSignatureFile() throws IOException {
        KeyPair keys = Fixtures.signingKeys();
        Path signature = directory.resolve("snapshot.json.sig");
        Files.write(file(), snapshotBytes(1));
        Files.writeString(signature, Fixtures.sign(keys.getPrivate(), snapshotBytes(1)) + "\n");
        start(TollgateClient.builder(SCHEMA).publicKey(keys.getPublic()).snapshotFile(file()));
        assertThat(client.revision()).isEqualTo(1);

        replaceByRename(file(), snapshotBytes(2));
        await("the rejection", WITHIN_A_SECOND, () -> client.status().signatureFailures() == 1);
        assertThat(client.revision()).isEqualTo(1);

        Files.writeString(signature, Fixtures.sign(keys.getPrivate(), snapshotBytes(2)));
        await("revision 2", WITHIN_A_SECOND, () -> client.status().revision() == 2);
        assertThat(client.status().state()).isEqualTo(ClientStatus.State.VALID);
    }

    @Test
    void signatureBesideTheFile_andACustomInterval_areUsed() throws IOException {
        KeyPair keys = Fixtures.signingKeys();
        Path signature = directory.resolve("snapshot.json.sig");
        Files.write(file(), snapshotBytes(1));
        Files.write(
                signature, Fixtures.sign(keys.getPrivate(), snapshotBytes(1)).getBytes(StandardCharsets.US_ASCII));

        start(TollgateClient.builder(SCHEMA).publicKey(keys.getPublic()).snapshotFile(file(), Duration.ofMillis(20)));

        assertThat(client.revision()).isEqualTo(1);
        assertThat(client.status().signatureFailures()).isZero();
    }
}
