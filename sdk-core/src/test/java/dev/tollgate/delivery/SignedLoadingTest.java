package dev.tollgate.delivery;

import static dev.tollgate.delivery.Fixtures.SCHEMA;
import static dev.tollgate.delivery.Fixtures.maxTeamSize;
import static dev.tollgate.delivery.Fixtures.snapshotBytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.tollgate.InvalidSnapshotException;
import dev.tollgate.SourceError;
import dev.tollgate.TollgateClient;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** With a public key, snapshots loaded by hand and embedded ones need their signatures too. */
class SignedLoadingTest {
    private final KeyPair keys = Fixtures.signingKeys();

    @TempDir
    Path directory;

    @Test
    void unsignedSnapshotByHand_isRejectedAndCounted() {
        try (TollgateClient client =
                TollgateClient.builder(SCHEMA).publicKey(keys.getPublic()).build()) {
            InvalidSnapshotException error =
                    catchThrowableOfType(InvalidSnapshotException.class, () -> client.loadSnapshot(snapshotBytes(1)));

            assertThat(error.getMessage())
                    .isEqualTo("invalid snapshot: snapshot is not signed, and this client accepts only snapshots with a"
                            + " valid Ed25519 signature");
            assertThat(client.status().signatureFailures()).isEqualTo(1);
            assertThat(client.status().lastError().orElseThrow().kind()).isEqualTo(SourceError.Kind.BAD_SIGNATURE);

            byte[] one = snapshotBytes(1);
            assertThat(client.loadSnapshot(one, Fixtures.sign(keys.getPrivate(), one))
                            .installed())
                    .isTrue();
        }
    }

    @Test
    void fileByHand_readsItsSignatureFile() throws IOException {
        Path file = Files.write(directory.resolve("snapshot.json"), snapshotBytes(3));
        Files.writeString(directory.resolve("snapshot.json.sig"), Fixtures.sign(keys.getPrivate(), snapshotBytes(3)));

        try (TollgateClient client =
                TollgateClient.builder(SCHEMA).publicKey(keys.getPublic()).build()) {
            assertThat(client.loadSnapshot(file).installed()).isTrue();
            assertThat(maxTeamSize(client)).isEqualTo(3);
        }
    }

    @Test
    void embeddedSnapshot_readsItsSignatureResource() {
        byte[] snapshot = snapshotBytes(4);
        Map<String, byte[]> resources = Map.of(
                "signed/snapshot.json",
                snapshot,
                "signed/snapshot.json.sig",
                Fixtures.sign(keys.getPrivate(), snapshot).getBytes(StandardCharsets.US_ASCII));
        ClassLoader previous = Thread.currentThread().getContextClassLoader();
        Thread.currentThread().setContextClassLoader(new ClassLoader(previous) {
            @Override
            public InputStream getResourceAsStream(String name) {
                byte[] bytes = resources.get(name);
                return bytes == null ? super.getResourceAsStream(name) : new ByteArrayInputStream(bytes);
            }
        });
        try (TollgateClient signed = TollgateClient.builder(SCHEMA)
                        .publicKey(keys.getPublic())
                        .embeddedSnapshot("signed/snapshot.json")
                        .build();
                TollgateClient unsigned = TollgateClient.builder(SCHEMA)
                        .publicKey(keys.getPublic())
                        .embeddedSnapshot("tollgate/embedded-snapshot.json")
                        .build()) {
            assertThat(signed.revision()).isEqualTo(4);
            assertThat(signed.status().source()).contains("embedded(signed/snapshot.json)");
            assertThat(unsigned.revision()).isZero();
            assertThat(unsigned.status().signatureFailures()).isEqualTo(1);
        } finally {
            Thread.currentThread().setContextClassLoader(previous);
        }
    }
}
