package dev.tollgate.delivery;

import static dev.tollgate.delivery.Fixtures.SCHEMA;
import static dev.tollgate.delivery.Fixtures.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.ServerOptions;
import dev.tollgate.SnapshotLimits;
import dev.tollgate.SourceError;
import dev.tollgate.TollgateClient;
import dev.tollgate.delivery.CountingHttpServer.Answer;
import dev.tollgate.delivery.CountingHttpServer.Sent;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Responses the client does not want are cut off, not downloaded: closing an OkHttp response reads and discards the
 * rest of its body to reuse the connection, which for a huge body means downloading it. Each test counts the body bytes
 * the server actually wrote on every attempt.
 */
class OversizedResponseTest {
    private static final int LIMIT = 1024 * 1024;
    private static final int HUGE = 40 * 1024 * 1024;
    /**
     * What a response the client does not read may still write: what the socket buffers of both ends take in before the
     * client cuts it off (up to 192 KiB seen on loopback).
     */
    private static final long UNREAD = 1024 * 1024;
    /**
     * What a response the client reads up to the limit may write beyond it: the receive buffer grows while the client
     * reads quickly (up to 0.9 MiB seen on loopback).
     */
    private static final long READ_AHEAD = 4L * 1024 * 1024;

    private CountingHttpServer server;
    private TollgateClient client;

    @BeforeEach
    void startServer() throws IOException {
        server = new CountingHttpServer();
    }

    @AfterEach
    void stop() throws IOException {
        if (client != null) {
            client.close();
        }
        server.close();
    }

    private void startClient(boolean streaming) {
        client = TollgateClient.builder(SCHEMA)
                .limits(SnapshotLimits.builder().maxBytes(LIMIT).build())
                .server(ServerOptions.builder(server.url(), "token")
                        .streaming(streaming)
                        .pollInterval(Duration.ofSeconds(30))
                        .initialBackoff(Duration.ofMillis(20))
                        .maxBackoff(Duration.ofMillis(50))
                        .build())
                .build();
    }

    private List<Sent> awaitThreeResponses(String path) {
        await(
                "three responses to " + path,
                Duration.ofSeconds(20),
                () -> server.sent(path).size() >= 3);
        return server.sent(path).subList(0, 3);
    }

    private SourceError lastError() {
        return client.status().lastError().orElseThrow(() -> new AssertionError("no error in " + client.status()));
    }

    private static byte[] spaces(int length) {
        byte[] body = new byte[length];
        Arrays.fill(body, (byte) ' ');
        return body;
    }

    /** {@code body} gzipped without compression, so that the compressed body is as large as the decompressed one. */
    private static byte[] storedGzip(byte[] body) {
        ByteArrayOutputStream compressed = new ByteArrayOutputStream(body.length + 64 * 1024);
        try (GZIPOutputStream gzip = new GZIPOutputStream(compressed) {
            {
                def.setLevel(Deflater.NO_COMPRESSION);
            }
        }) {
            gzip.write(body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return compressed.toByteArray();
    }

    @Test
    void announcedLengthOverTheLimit_isRefusedUnread_onEveryAttempt() {
        server.answer("/v1/snapshot", new Answer(200, List.of("Content-Type: application/json"), spaces(HUGE)));
        startClient(false);

        List<Sent> attempts = awaitThreeResponses("/v1/snapshot");

        assertThat(attempts).allSatisfy(sent -> assertThat(sent.written())
                .as("body bytes written of %s", sent.length())
                .isLessThan(UNREAD));
        assertThat(lastError().kind()).isEqualTo(SourceError.Kind.INVALID_SNAPSHOT);
        assertThat(lastError().message())
                .isEqualTo("the snapshot from GET " + server.url() + "/v1/snapshot is larger than the limit of " + LIMIT
                        + " bytes: it announces " + HUGE + " bytes; not read");
    }

    @Test
    void gzipBodyOverTheLimit_stopsReadingAtTheLimit_onEveryAttempt() {
        byte[] compressed = storedGzip(spaces(HUGE));
        server.answer(
                "/v1/snapshot",
                new Answer(200, List.of("Content-Type: application/json", "Content-Encoding: gzip"), compressed));
        startClient(false);

        List<Sent> attempts = awaitThreeResponses("/v1/snapshot");

        assertThat(attempts).allSatisfy(sent -> assertThat(sent.written())
                .as("body bytes written of %s", sent.length())
                .isLessThan(LIMIT + READ_AHEAD));
        assertThat(lastError().kind()).isEqualTo(SourceError.Kind.INVALID_SNAPSHOT);
        assertThat(lastError().message())
                .isEqualTo("the snapshot from GET " + server.url() + "/v1/snapshot is larger than the limit of " + LIMIT
                        + " bytes: reading stopped there");
    }

    @Test
    void hugeErrorBody_isCutOffAfterTheMessage() {
        byte[] body = spaces(HUGE);
        byte[] message = "maintenance until 10:00\n".getBytes(StandardCharsets.UTF_8);
        System.arraycopy(message, 0, body, 0, message.length);
        server.answer("/v1/snapshot", new Answer(503, List.of("Content-Type: text/plain"), body));
        startClient(false);

        List<Sent> attempts = awaitThreeResponses("/v1/snapshot");

        assertThat(attempts).allSatisfy(sent -> assertThat(sent.written())
                .as("body bytes written of %s", sent.length())
                .isLessThan(UNREAD));
        assertThat(lastError().kind()).isEqualTo(SourceError.Kind.HTTP_STATUS);
        assertThat(lastError().message())
                .isEqualTo("GET " + server.url() + "/v1/snapshot answered 503 Status: maintenance until 10:00");
    }

    @Test
    void hugeStreamErrorBody_isCutOff_onEveryReconnect() {
        server.answer("/v1/snapshot", new Answer(200, List.of("ETag: \"r1\""), Fixtures.snapshotBytes(1)));
        server.answer("/v1/stream", new Answer(503, List.of("Content-Type: text/plain"), spaces(HUGE)));
        startClient(true);

        List<Sent> attempts = awaitThreeResponses("/v1/stream");
        await("revision 1 from the poll, beside the stream's attempts", () -> client.revision() == 1);

        assertThat(attempts).allSatisfy(sent -> assertThat(sent.written())
                .as("body bytes written of %s", sent.length())
                .isLessThan(UNREAD));
        assertThat(lastError().kind()).isEqualTo(SourceError.Kind.HTTP_STATUS);
        assertThat(lastError().message()).contains("/v1/stream answered 503 Status");
    }
}
