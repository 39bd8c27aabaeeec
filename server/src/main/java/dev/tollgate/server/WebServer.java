package dev.tollgate.server;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.jetty.JettyServerThreadPoolMetrics;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.jetty.alpn.server.ALPNServerConnection;
import org.eclipse.jetty.alpn.server.ALPNServerConnectionFactory;
import org.eclipse.jetty.http.HttpParser;
import org.eclipse.jetty.http.UriCompliance;
import org.eclipse.jetty.http2.server.HTTP2CServerConnectionFactory;
import org.eclipse.jetty.http2.server.HTTP2ServerConnectionFactory;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.io.ssl.SslConnection;
import org.eclipse.jetty.server.ConnectionFactory;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.NetworkConnectionLimit;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.server.handler.GracefulHandler;
import org.eclipse.jetty.server.handler.QoSHandler;
import org.eclipse.jetty.server.internal.HttpConnection;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server's HTTP listener, on Jetty: HTTP/1.1 and HTTP/2 (h2c in the clear, h2 through ALPN over TLS), a bounded
 * request thread pool and queue, a limit on open connections, on header sizes and on the time a request's headers may
 * take to arrive (slowloris), an idle timeout, and a graceful stop that lets requests in flight finish.
 *
 * <p>Handlers run on the pool and may block; event streams hold no thread ({@link EventStream}).
 */
final class WebServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(WebServer.class);
    /** How often connections still receiving a request's headers are checked against the header timeout. */
    private static final long SWEEP_MILLIS = 500;

    private final Server server;
    private final ServerConnector connector;
    private final HttpSettings settings;
    private final ScheduledExecutorService sweeper;
    private final QueuedThreadPool pool;
    private final QoSHandler requests;
    private final AtomicLong slowClientsCut = new AtomicLong();
    /** Connections seen receiving headers, with the request count and the instant first seen so, by the sweeper. */
    private Map<EndPoint, long[]> receivingHeaders = new IdentityHashMap<>();

    /** Listens on {@code bind}:{@code port} (0: any free port) and passes every request to {@code router}. */
    WebServer(String bind, int port, int threads, int queue, HttpSettings settings, Router router) throws IOException {
        this.settings = settings;
        // Jetty's acceptor and selectors take threads of the pool too: the handlers get at least `threads`. Jetty's own
        // tasks go through the pool's queue, which must therefore be unbounded; requests are bounded by the QoSHandler.
        int reserved = 8;
        pool = new QueuedThreadPool(threads + reserved, Math.min(threads + reserved, 8), 60_000);
        pool.setName("tollgate-http");
        pool.setDaemon(true);
        server = new Server(pool);
        server.setStopTimeout(settings.shutdownGrace().toMillis());
        server.setStopAtShutdown(false);

        HttpConfiguration http = new HttpConfiguration();
        http.setRequestHeaderSize(settings.maxHeaderBytes());
        http.setSendServerVersion(false);
        http.setSendXPoweredBy(false);
        // Path segments are percent-decoded by the router, one segment at a time, so an encoded '/' in a key is data.
        http.setUriCompliance(UriCompliance.LEGACY);
        List<ConnectionFactory> factories = new ArrayList<>();
        if (settings.tls() != null) {
            http.addCustomizer(sniLenient());
            SslContextFactory.Server tls = sslContext(settings.tls());
            ALPNServerConnectionFactory alpn = new ALPNServerConnectionFactory("h2", "http/1.1");
            alpn.setDefaultProtocol("http/1.1");
            factories.add(new SslConnectionFactory(tls, alpn.getProtocol()));
            factories.add(alpn);
            factories.add(new HTTP2ServerConnectionFactory(http));
            factories.add(new HttpConnectionFactory(http));
        } else {
            factories.add(new HttpConnectionFactory(http));
            factories.add(new HTTP2CServerConnectionFactory(http));
        }
        connector = new ServerConnector(server, 1, -1, factories.toArray(ConnectionFactory[]::new));
        connector.setHost(bind);
        connector.setPort(port);
        connector.setIdleTimeout(settings.idleTimeout().toMillis());
        connector.setAcceptQueueSize(1_024);
        server.addConnector(connector);
        server.addBean(new NetworkConnectionLimit(settings.maxConnections(), server));
        // At most `threads` requests are handled at once and `queue` more wait (up to 30 s), then 503: a burst never
        // takes more threads than that. Open streams hold no thread, so the stream endpoint is not counted.
        requests = new QoSHandler(new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) {
                router.handle(new Call(request, response, callback, settings.bodyTimeout()));
                return true;
            }
        });
        requests.setMaxRequestCount(threads);
        requests.setMaxSuspendedRequestCount(queue);
        requests.setMaxSuspend(Duration.ofSeconds(30));
        requests.setRejectStatusCode(503);
        requests.excludePath("/v1/stream");
        server.setHandler(new GracefulHandler(requests));
        sweeper = DaemonThreads.scheduler("tollgate-http-sweeper");
        try {
            server.start();
        } catch (Exception e) {
            close();
            throw e instanceof IOException io ? io : new IOException(e.getMessage(), e);
        }
        sweeper.scheduleWithFixedDelay(this::cutSlowClients, SWEEP_MILLIS, SWEEP_MILLIS, TimeUnit.MILLISECONDS);
    }

    private static SecureRequestCustomizer sniLenient() {
        SecureRequestCustomizer secure = new SecureRequestCustomizer();
        // A server reached by IP address or an internal name still answers with its one certificate.
        secure.setSniHostCheck(false);
        return secure;
    }

    /**
     * Closes the connections that have been receiving a request's line and headers for longer than the header timeout,
     * or that sent nothing for that long after connecting: a client trickling its headers (slowloris) would otherwise
     * hold a connection for as long as each byte arrives within the idle timeout.
     */
    private void cutSlowClients() {
        try {
            long now = System.nanoTime();
            long limit = settings.headerTimeout().toNanos();
            long wallNow = System.currentTimeMillis();
            Map<EndPoint, long[]> seen = new IdentityHashMap<>();
            Collection<EndPoint> endPoints = connector.getConnectedEndPoints();
            for (EndPoint endPoint : endPoints) {
                Connection connection = endPoint.getConnection();
                HttpConnection http = http1(connection);
                if (http == null) {
                    // TLS handshake or protocol negotiation (ALPN) still under way past the deadline: nothing a
                    // client that means to send a request takes this long for.
                    if (negotiating(connection)
                            && wallNow - endPoint.getCreatedTimeStamp()
                                    > settings.headerTimeout().toMillis()) {
                        cut(endPoint, "did not finish its TLS handshake");
                    }
                    continue;
                }
                HttpParser parser = http.getParser();
                long requests = http.getMessagesIn();
                boolean silentSinceConnect = requests == 0
                        && parser.isStart()
                        && wallNow - endPoint.getCreatedTimeStamp()
                                > settings.headerTimeout().toMillis();
                if (silentSinceConnect) {
                    cut(endPoint, "sent no request");
                    continue;
                }
                if (parser.isStart() || !parser.inHeaderState()) {
                    continue;
                }
                long[] since = receivingHeaders.get(endPoint);
                if (since == null || since[0] != requests) {
                    since = new long[] {requests, now};
                }
                if (now - since[1] > limit) {
                    cut(endPoint, "did not finish sending its request headers");
                } else {
                    seen.put(endPoint, since);
                }
            }
            receivingHeaders = seen;
        } catch (RuntimeException e) {
            LOG.warn("Checking for slow HTTP clients failed", e);
        }
    }

    private void cut(EndPoint endPoint, String why) {
        slowClientsCut.incrementAndGet();
        LOG.info(
                "Closed the connection of {}: it {} within {} s (tollgate.http.header.timeout.seconds)",
                endPoint.getRemoteSocketAddress(),
                why,
                settings.headerTimeout().toSeconds());
        endPoint.close();
    }

    /**
     * Whether {@code connection} is still setting up: a TLS handshake, or ALPN choosing between HTTP/2 and HTTP/1.1. An
     * HTTP/2 connection is past that; its streams' headers arrive in frames under HTTP/2's own limits.
     */
    private static boolean negotiating(Connection connection) {
        if (connection instanceof SslConnection ssl) {
            Connection inner = ssl.getSslEndPoint().getConnection();
            return inner == null || inner instanceof ALPNServerConnection;
        }
        return false;
    }

    /** The HTTP/1 connection behind {@code connection}, through TLS if need be; null for HTTP/2 and others. */
    private static HttpConnection http1(Connection connection) {
        if (connection instanceof SslConnection ssl) {
            connection = ssl.getSslEndPoint().getConnection();
        }
        return connection instanceof HttpConnection http ? http : null;
    }

    /**
     * Publishes the listener's figures to {@code registry}: Jetty's thread pool (Micrometer's {@code jetty_threads_*}),
     * open connections, requests waiting for a thread and refused for want of one, and slow clients cut off.
     */
    void bindMetrics(MeterRegistry registry) {
        new JettyServerThreadPoolMetrics(pool, Tags.empty()).bindTo(registry);
        Gauge.builder("tollgate.http.connections.open", this, WebServer::openConnections)
                .description("HTTP connections open on this instance, streams included.")
                .register(registry);
        Gauge.builder("tollgate.http.requests.waiting", requests, QoSHandler::getSuspendedRequestCount)
                .description("Requests waiting for a request thread.")
                .register(registry);
        FunctionCounter.builder("tollgate.http.requests.refused", requests, QoSHandler::getTotalExceededRequestCount)
                .description("Requests answered 503 because tollgate.http.queue requests were already waiting.")
                .register(registry);
        FunctionCounter.builder("tollgate.http.slow.clients.cut", slowClientsCut, AtomicLong::get)
                .description(
                        "Connections closed for taking longer than the header timeout to send a request's headers.")
                .register(registry);
    }

    /** Connections closed for sending their request headers too slowly, since start. */
    long slowClientsCut() {
        return slowClientsCut.get();
    }

    /** Connections open now. */
    int openConnections() {
        return connector.getConnectedEndPoints().size();
    }

    InetSocketAddress address() {
        String host = connector.getHost();
        return new InetSocketAddress(host == null ? "0.0.0.0" : host, connector.getLocalPort());
    }

    boolean tls() {
        return settings.tls() != null;
    }

    /**
     * Stops accepting connections, lets requests in flight finish for up to the shutdown grace, then closes what is
     * left and stops the threads.
     */
    @Override
    public void close() {
        sweeper.shutdownNow();
        try {
            server.stop();
        } catch (Exception e) {
            LOG.warn("Requests were still in flight when the HTTP server stopped: {}", e.toString());
        }
    }

    /** The TLS context for {@code tls}: its key store, or one built from its PEM files. */
    static SslContextFactory.Server sslContext(HttpSettings.Tls tls) {
        SslContextFactory.Server factory = new SslContextFactory.Server();
        if (tls.keyStore() != null) {
            factory.setKeyStore(loadKeyStore(tls.keyStore(), tls.keyStoreType(), tls.keyStorePassword()));
            factory.setKeyStorePassword(tls.keyStorePassword());
        } else {
            char[] password = new char[0];
            factory.setKeyStore(pemKeyStore(tls.certificate(), tls.privateKey(), password));
            factory.setKeyStorePassword("");
        }
        return factory;
    }

    private static KeyStore loadKeyStore(Path file, String type, String password) {
        try (InputStream in = Files.newInputStream(file)) {
            KeyStore store = KeyStore.getInstance(type);
            store.load(in, password.toCharArray());
            return store;
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalArgumentException(
                    "tollgate.tls.keystore.file: cannot read " + type + " key store " + file + ": " + e.getMessage(),
                    e);
        }
    }

    /** A key store holding the PEM private key of {@code keyFile} with the certificate chain of {@code certFile}. */
    static KeyStore pemKeyStore(Path certFile, Path keyFile, char[] password) {
        List<Certificate> chain;
        try (InputStream in = Files.newInputStream(certFile)) {
            chain = new ArrayList<>(CertificateFactory.getInstance("X.509").generateCertificates(in));
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalArgumentException(
                    "tollgate.tls.certificate.file: cannot read certificates from " + certFile + ": " + e.getMessage(),
                    e);
        }
        if (chain.isEmpty()) {
            throw new IllegalArgumentException(
                    "tollgate.tls.certificate.file: " + certFile + " holds no PEM certificate");
        }
        PrivateKey key = pemPrivateKey(keyFile);
        requireMatch(key, chain.get(0), certFile, keyFile);
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setKeyEntry("tollgate", key, password, chain.toArray(Certificate[]::new));
            return store;
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalArgumentException(
                    "tollgate.tls.certificate.file: cannot store the chain of " + certFile + " with the key of "
                            + keyFile + ": " + e.getMessage(),
                    e);
        }
    }

    /**
     * Checks that {@code key} is the private half of {@code certificate}'s public key, by signing and verifying a test
     * message: a key store accepts a mismatched pair, which would only fail at every client's handshake.
     */
    private static void requireMatch(PrivateKey key, Certificate certificate, Path certFile, Path keyFile) {
        String algorithm =
                switch (key.getAlgorithm()) {
                    case "RSA" -> "SHA256withRSA";
                    case "EC" -> "SHA256withECDSA";
                    default -> key.getAlgorithm(); // Ed25519, Ed448
                };
        try {
            byte[] message = "tollgate".getBytes(StandardCharsets.US_ASCII);
            Signature signer = Signature.getInstance(algorithm);
            signer.initSign(key);
            signer.update(message);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(certificate.getPublicKey());
            verifier.update(message);
            if (verifier.verify(signature)) {
                return;
            }
        } catch (GeneralSecurityException e) {
            // a key of another algorithm than the certificate's: reported below
        }
        throw new IllegalArgumentException("tollgate.tls.key.file: the key of " + keyFile
                + " is not the private key of the first certificate of " + certFile
                + " (the server's certificate must come first)");
    }

    private static PrivateKey pemPrivateKey(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new IllegalArgumentException("tollgate.tls.key.file: cannot read " + file + ": " + e.getMessage(), e);
        }
        String begin = "-----BEGIN PRIVATE KEY-----";
        int start = text.indexOf(begin);
        int end = text.indexOf("-----END PRIVATE KEY-----");
        if (start < 0 || end < start) {
            String hint =
                    text.contains("-----BEGIN RSA PRIVATE KEY-----") || text.contains("-----BEGIN EC PRIVATE KEY-----")
                            ? "; it is a PKCS#1 or SEC 1 key: convert it with openssl pkcs8 -topk8 -nocrypt -in <key> -out"
                                    + " <key.pk8.pem>"
                            : text.contains("ENCRYPTED PRIVATE KEY")
                                    ? "; it is encrypted: store it unencrypted, or use a key store"
                                    : "";
            throw new IllegalArgumentException(
                    "tollgate.tls.key.file: " + file + " holds no PEM PKCS#8 private key (BEGIN PRIVATE KEY)" + hint);
        }
        byte[] der;
        try {
            der = Base64.getMimeDecoder().decode(text.substring(start + begin.length(), end));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    "tollgate.tls.key.file: " + file + " is not valid base64: " + e.getMessage());
        }
        for (String algorithm : new String[] {"RSA", "EC", "Ed25519", "Ed448"}) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
            } catch (GeneralSecurityException e) {
                // try the next algorithm
            }
        }
        throw new IllegalArgumentException(
                "tollgate.tls.key.file: " + file + " is not an RSA, EC or EdDSA PKCS#8 private key");
    }
}
