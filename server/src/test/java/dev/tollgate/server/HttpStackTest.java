package dev.tollgate.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The HTTP stack as a client meets it: HTTP/2 in the clear and over TLS, TLS from a key store and from PEM files, the
 * limits on headers, on slow clients and on connections, and a graceful stop.
 */
class HttpStackTest {
    @TempDir
    Path dir;

    @Test
    void answersHttp2InTheClear_andHttp1() throws Exception {
        try (TollgateServer server = TestServers.start(TestServers.Storage.H2)) {
            HttpClient h2 =
                    HttpClient.newBuilder().version(HttpClient.Version.HTTP_2).build();
            HttpResponse<String> upgraded = h2.send(health(server.url()), HttpResponse.BodyHandlers.ofString());
            assertThat(upgraded.statusCode()).isEqualTo(200);
            assertThat(upgraded.version()).isEqualTo(HttpClient.Version.HTTP_2);
            assertThat(upgraded.body()).contains("\"status\":\"ok\"");

            HttpClient h1 =
                    HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            HttpResponse<String> plain = h1.send(health(server.url()), HttpResponse.BodyHandlers.ofString());
            assertThat(plain.statusCode()).isEqualTo(200);
            assertThat(plain.version()).isEqualTo(HttpClient.Version.HTTP_1_1);
        }
    }

    @Test
    void servesTls_fromPemFiles_withHttp2ThroughAlpn() throws Exception {
        KeyStore store = selfSigned("pem");
        Path cert = dir.resolve("cert.pem");
        Path key = dir.resolve("key.pem");
        Certificate certificate = store.getCertificate("tollgate");
        Files.writeString(cert, pem("CERTIFICATE", certificate.getEncoded()));
        Files.writeString(
                key,
                pem(
                        "PRIVATE KEY",
                        store.getKey("tollgate", "changeit".toCharArray()).getEncoded()));
        HttpSettings http = HttpSettings.DEFAULTS.withTls(HttpSettings.Tls.pem(cert, key));
        try (TollgateServer server = TollgateServer.start(
                TestServers.config(TestServers.Storage.H2).http(http).build())) {
            assertThat(server.url()).startsWith("https://127.0.0.1:");
            HttpClient client = HttpClient.newBuilder()
                    .sslContext(trusting(store))
                    .version(HttpClient.Version.HTTP_2)
                    .build();
            HttpResponse<String> response = client.send(health(server.url()), HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.version()).isEqualTo(HttpClient.Version.HTTP_2);
        }
    }

    @Test
    void servesTls_fromAKeyStore_andHttp1ToClientsWithoutAlpnH2() throws Exception {
        KeyStore store = selfSigned("store");
        Path file = dir.resolve("server.p12");
        try (OutputStream out = Files.newOutputStream(file)) {
            store.store(out, "changeit".toCharArray());
        }
        HttpSettings http = HttpSettings.DEFAULTS.withTls(HttpSettings.Tls.keyStore(file, "changeit", "PKCS12"));
        try (TollgateServer server = TollgateServer.start(
                TestServers.config(TestServers.Storage.H2).http(http).build())) {
            HttpClient client = HttpClient.newBuilder()
                    .sslContext(trusting(store))
                    .version(HttpClient.Version.HTTP_1_1)
                    .build();
            HttpResponse<String> response = client.send(health(server.url()), HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.version()).isEqualTo(HttpClient.Version.HTTP_1_1);
        }
    }

    @Test
    void badTlsSettings_stopTheStart_namingTheSetting() throws Exception {
        Path notAKey = dir.resolve("key.pem");
        Files.writeString(notAKey, "-----BEGIN RSA PRIVATE KEY-----\nAAAA\n-----END RSA PRIVATE KEY-----\n");
        KeyStore store = selfSigned("bad");
        Path cert = dir.resolve("cert.pem");
        Files.writeString(
                cert, pem("CERTIFICATE", store.getCertificate("tollgate").getEncoded()));
        HttpSettings http = HttpSettings.DEFAULTS.withTls(HttpSettings.Tls.pem(cert, notAKey));
        assertThatThrownBy(() -> TollgateServer.start(
                        TestServers.config(TestServers.Storage.H2).http(http).build()))
                .hasMessageContaining("tollgate.tls.key.file: " + notAKey + " holds no PEM PKCS#8 private key")
                .hasMessageContaining("openssl pkcs8 -topk8");

        assertThatThrownBy(() -> ServerConfig.fromProperties(Map.of("tollgate.tls.key.file", notAKey.toString())))
                .hasMessage("tollgate.tls.key.file is set, so tollgate.tls.certificate.file must be too");
        assertThatThrownBy(() -> ServerConfig.fromProperties(
                        Map.of("tollgate.http.idle.timeout.seconds", "10", "tollgate.stream.heartbeat.seconds", "15")))
                .hasMessage("tollgate.http.idle.timeout.seconds (10) must be at least twice"
                        + " tollgate.stream.heartbeat.seconds (15), or open streams could be cut as idle when a heartbeat"
                        + " is late");
    }

    @Test
    void aKeyThatIsNotTheCertificates_stopsTheStart() throws Exception {
        KeyStore one = selfSigned("one");
        KeyStore other = selfSigned("other");
        Path cert = dir.resolve("one.pem");
        Path key = dir.resolve("other-key.pem");
        Files.writeString(
                cert, pem("CERTIFICATE", one.getCertificate("tollgate").getEncoded()));
        Files.writeString(
                key,
                pem(
                        "PRIVATE KEY",
                        other.getKey("tollgate", "changeit".toCharArray()).getEncoded()));
        HttpSettings http = HttpSettings.DEFAULTS.withTls(HttpSettings.Tls.pem(cert, key));
        assertThatThrownBy(() -> TollgateServer.start(
                        TestServers.config(TestServers.Storage.H2).http(http).build()))
                .hasMessageContaining("tollgate.tls.key.file: the key of " + key
                        + " is not the private key of the first certificate of " + cert);
    }

    /** A body trickled a byte at a time is answered 408 once it has taken longer than the body timeout. */
    @Test
    void aBodyStillArrivingAfterTheBodyTimeout_isAnswered408() throws Exception {
        HttpSettings http = HttpSettings.DEFAULTS.withBodyTimeout(Duration.ofSeconds(1));
        try (TollgateServer server = TollgateServer.start(
                        TestServers.config(TestServers.Storage.H2).http(http).build());
                Socket socket = new Socket("127.0.0.1", server.port())) {
            socket.setSoTimeout(20_000);
            OutputStream out = socket.getOutputStream();
            out.write(("POST /v1/admin/tokens HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer "
                            + TestServers.ADMIN_TOKEN + "\r\nContent-Type: application/json\r\nContent-Length: 100"
                            + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            String answer = "";
            for (int i = 0; i < 60 && answer.isEmpty(); i++) {
                try {
                    out.write(' ');
                    out.flush();
                } catch (IOException e) {
                    break; // the server answered and closed
                }
                Thread.sleep(100);
                if (socket.getInputStream().available() > 0) {
                    answer = readAll(socket.getInputStream());
                }
            }
            if (answer.isEmpty()) {
                answer = readAll(socket.getInputStream());
            }
            assertThat(answer).startsWith("HTTP/1.1 408");
            assertThat(answer)
                    .contains("the request body was still arriving after 1 s (tollgate.http.body.timeout.seconds)");
        }
    }

    @Test
    void refusesHeadersPastTheLimit_with431() throws Exception {
        try (TollgateServer server = TestServers.start(TestServers.Storage.H2)) {
            HttpClient client =
                    HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            HttpResponse<String> response = client.send(
                    HttpRequest.newBuilder(URI.create(server.url() + "/v1/health"))
                            .header("X-Padding", "x".repeat(20 * 1024))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).isEqualTo(431);
        }
    }

    /**
     * Slowloris: 50 connections each send a request line and then one header byte every 200 ms, which keeps them
     * within any idle timeout. The server cuts each once its headers have taken longer than the header timeout (2 s
     * here), and answers other clients meanwhile.
     */
    @Test
    void slowloris_connectionsTricklingTheirHeadersAreCut_whileOthersAreAnswered() throws Exception {
        HttpSettings http = HttpSettings.DEFAULTS.withHeaderTimeout(Duration.ofSeconds(2));
        try (TollgateServer server = TollgateServer.start(
                TestServers.config(TestServers.Storage.H2).http(http).build())) {
            List<Socket> slow = new ArrayList<>();
            try {
                for (int i = 0; i < 50; i++) {
                    Socket socket = new Socket("127.0.0.1", server.port());
                    socket.setSoTimeout(5);
                    socket.getOutputStream()
                            .write("GET /v1/health HTTP/1.1\r\nHost: localhost\r\nX-Slow: "
                                    .getBytes(StandardCharsets.US_ASCII));
                    slow.add(socket);
                }
                HttpClient client = HttpClient.newBuilder()
                        .version(HttpClient.Version.HTTP_1_1)
                        .build();
                long started = System.nanoTime();
                int cut = 0;
                int answeredMeanwhile = 0;
                boolean[] closed = new boolean[slow.size()];
                while (cut < slow.size() && System.nanoTime() - started < TimeUnit.SECONDS.toNanos(30)) {
                    for (int i = 0; i < slow.size(); i++) {
                        if (closed[i]) {
                            continue;
                        }
                        if (trickle(slow.get(i))) {
                            closed[i] = true;
                            cut++;
                        }
                    }
                    if (client.send(health(server.url()), HttpResponse.BodyHandlers.ofString())
                                    .statusCode()
                            == 200) {
                        answeredMeanwhile++;
                    }
                    Thread.sleep(200);
                }
                double seconds = (System.nanoTime() - started) / 1e9;
                System.out.printf(
                        "slowloris: %d of %d trickling connections cut after %.1f s (header timeout 2 s);"
                                + " %d health checks answered meanwhile%n",
                        cut, slow.size(), seconds, answeredMeanwhile);
                assertThat(cut).isEqualTo(50);
                assertThat(seconds).isGreaterThanOrEqualTo(2.0);
                assertThat(answeredMeanwhile).isGreaterThan(0);
            } finally {
                for (Socket socket : slow) {
                    socket.close();
                }
            }
        }
    }

    /** Sends one more header byte; true when the server has closed the connection. */
    private static boolean trickle(Socket socket) throws IOException {
        try {
            socket.getOutputStream().write('a');
            socket.getOutputStream().flush();
        } catch (IOException e) {
            return true;
        }
        try {
            return socket.getInputStream().read() < 0;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true;
        }
    }

    @Test
    void connectionLimit_holdsNewConnectionsUntilOneCloses() throws Exception {
        HttpSettings http = HttpSettings.DEFAULTS.withMaxConnections(3);
        try (TollgateServer server = TollgateServer.start(
                TestServers.config(TestServers.Storage.H2).http(http).build())) {
            List<Socket> held = new ArrayList<>();
            try {
                for (int i = 0; i < 3; i++) {
                    Socket socket = new Socket("127.0.0.1", server.port());
                    assertThat(rawHealth(socket)).startsWith("HTTP/1.1 200");
                    held.add(socket);
                }
                CompletableFuture<String> fourth = CompletableFuture.supplyAsync(() -> {
                    try (Socket socket = new Socket("127.0.0.1", server.port())) {
                        socket.setSoTimeout(20_000);
                        return rawHealth(socket);
                    } catch (IOException e) {
                        return e.toString();
                    }
                });
                Thread.sleep(1_000);
                assertThat(fourth)
                        .as("a fourth connection waits while three are open")
                        .isNotDone();
                held.remove(0).close();
                assertThat(fourth.get(20, TimeUnit.SECONDS)).startsWith("HTTP/1.1 200");
            } finally {
                for (Socket socket : held) {
                    socket.close();
                }
            }
        }
    }

    /**
     * Stopping lets a request in flight finish: a body half sent when {@code close()} starts is read to its end and
     * answered. An open stream is told to reconnect in two seconds and closed.
     */
    @Test
    void gracefulStop_finishesARequestInFlight_andTellsStreamsToReconnect() throws Exception {
        TollgateServer server = TestServers.start(TestServers.Storage.H2);
        Api admin = TestServers.admin(server);
        String sdkToken = TestServers.sdkToken(admin, "production");
        SseClient stream = new SseClient(server.url(), sdkToken);
        assertThat(stream.status).isEqualTo(200);
        assertThat(stream.retries.poll(10, TimeUnit.SECONDS)).isEqualTo(1_000L);
        try (Socket socket = new Socket("127.0.0.1", server.port())) {
            socket.setSoTimeout(20_000);
            byte[] body =
                    "{\"name\": \"ci\", \"kind\": \"admin\", \"role\": \"viewer\"}".getBytes(StandardCharsets.UTF_8);
            OutputStream out = socket.getOutputStream();
            out.write(("POST /v1/admin/tokens HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer "
                            + TestServers.ADMIN_TOKEN + "\r\nContent-Type: application/json\r\nContent-Length: "
                            + body.length + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.write(body, 0, 10);
            out.flush();
            Thread.sleep(300);
            CompletableFuture<Void> stopping = CompletableFuture.runAsync(server::close);
            Thread.sleep(500);
            assertThat(stopping).as("close() waits for the request in flight").isNotDone();
            out.write(body, 10, body.length - 10);
            out.flush();
            String answer = readAll(socket.getInputStream());
            assertThat(answer).startsWith("HTTP/1.1 201");
            assertThat(answer).contains("\"role\":\"viewer\"");
            stopping.get(20, TimeUnit.SECONDS);
        }
        assertThat(stream.awaitEnd(10_000)).as("the stream is closed").isTrue();
        assertThat(stream.retries.poll()).isEqualTo(2_000L);
        assertThat(stream.comments()).contains(": the server is shutting down; reconnect");
    }

    private static String rawHealth(Socket socket) throws IOException {
        socket.getOutputStream()
                .write("GET /v1/health HTTP/1.1\r\nHost: localhost\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        socket.getOutputStream().flush();
        InputStream in = socket.getInputStream();
        ByteArrayOutputStream text = new ByteArrayOutputStream();
        byte[] buffer = new byte[4096];
        while (!text.toString(StandardCharsets.UTF_8).contains("}")) {
            int n = in.read(buffer);
            if (n < 0) {
                break;
            }
            text.write(buffer, 0, n);
        }
        return text.toString(StandardCharsets.UTF_8);
    }

    private static String readAll(InputStream in) throws IOException {
        ByteArrayOutputStream text = new ByteArrayOutputStream();
        byte[] buffer = new byte[4096];
        try {
            for (int n; (n = in.read(buffer)) >= 0; ) {
                text.write(buffer, 0, n);
                if (text.toString(StandardCharsets.UTF_8).contains("}")) {
                    break;
                }
            }
        } catch (SocketTimeoutException e) {
            // return what arrived
        }
        return text.toString(StandardCharsets.UTF_8);
    }

    private static HttpRequest health(String url) {
        return HttpRequest.newBuilder(URI.create(url + "/v1/health")).build();
    }

    /** A PKCS#12 store with a self-signed EC certificate for localhost and 127.0.0.1, made by the JDK's keytool. */
    private KeyStore selfSigned(String name) throws Exception {
        Path file = dir.resolve(name + "-keytool.p12");
        Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
        Process process = new ProcessBuilder(
                        keytool.toString(),
                        "-genkeypair",
                        "-alias",
                        "tollgate",
                        "-keyalg",
                        "EC",
                        "-groupname",
                        "secp256r1",
                        "-dname",
                        "CN=localhost",
                        "-ext",
                        "SAN=dns:localhost,ip:127.0.0.1",
                        "-validity",
                        "2",
                        "-storetype",
                        "PKCS12",
                        "-keystore",
                        file.toString(),
                        "-storepass",
                        "changeit")
                .redirectErrorStream(true)
                .start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor()).as("keytool: " + output).isZero();
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(file)) {
            store.load(in, "changeit".toCharArray());
        }
        return store;
    }

    private static SSLContext trusting(KeyStore store) throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("tollgate", store.getCertificate("tollgate"));
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(trust);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, factory.getTrustManagers(), null);
        return context;
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                        .encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }
}
