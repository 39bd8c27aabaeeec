package dev.tollgate.server;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * How the server's HTTP listener behaves towards its clients: its limits, its timeouts and, when set, its TLS
 * material. Part of {@link ServerConfig}; each value has a property key, documented in {@code docs/server.md}.
 *
 * @param maxConnections the most connections open at once ({@code tollgate.http.max.connections}); past it the
 *     server stops accepting until one closes. Open event streams count.
 * @param idleTimeout how long a connection may stay silent ({@code tollgate.http.idle.timeout.seconds}); longer than
 *     the stream heartbeat, so that open streams never count as idle
 * @param headerTimeout how long a request's line and headers may take to arrive ({@code
 *     tollgate.http.header.timeout.seconds}): a client that sends them a byte at a time (slowloris) is cut off then
 * @param bodyTimeout how long a request's body may take to arrive once its handler reads it ({@code
 *     tollgate.http.body.timeout.seconds}): a body still arriving then is answered 408 and the connection closed
 * @param maxHeaderBytes the largest request line and headers, in bytes ({@code tollgate.http.max.header.bytes}); a
 *     larger request is answered 431
 * @param shutdownGrace how long stopping waits for requests in flight to finish ({@code
 *     tollgate.shutdown.grace.seconds}), after telling stream clients to reconnect
 * @param tls the TLS material, or null for plain HTTP (h2c and HTTP/1.1)
 */
public record HttpSettings(
        int maxConnections,
        Duration idleTimeout,
        Duration headerTimeout,
        Duration bodyTimeout,
        int maxHeaderBytes,
        Duration shutdownGrace,
        Tls tls) {

    /** The defaults documented in {@code docs/server.md}: plain HTTP. */
    public static final HttpSettings DEFAULTS = new HttpSettings(
            20_000,
            Duration.ofSeconds(60),
            Duration.ofSeconds(10),
            Duration.ofSeconds(60),
            16 * 1024,
            Duration.ofSeconds(10),
            null);

    public HttpSettings {
        if (maxConnections < 1) {
            throw new IllegalArgumentException("maxConnections must be at least 1, was " + maxConnections);
        }
        requirePositive("idleTimeout", idleTimeout);
        requirePositive("headerTimeout", headerTimeout);
        requirePositive("bodyTimeout", bodyTimeout);
        if (maxHeaderBytes < 1_024) {
            throw new IllegalArgumentException("maxHeaderBytes must be at least 1024, was " + maxHeaderBytes);
        }
        if (Objects.requireNonNull(shutdownGrace, "shutdownGrace").isNegative()) {
            throw new IllegalArgumentException("shutdownGrace must not be negative, was " + shutdownGrace);
        }
    }

    private static void requirePositive(String name, Duration value) {
        if (Objects.requireNonNull(value, name).isNegative() || value.isZero()) {
            throw new IllegalArgumentException(name + " must be positive, was " + value);
        }
    }

    /** These settings with {@code value} as the TLS material (null: plain HTTP). */
    public HttpSettings withTls(Tls value) {
        return new HttpSettings(
                maxConnections, idleTimeout, headerTimeout, bodyTimeout, maxHeaderBytes, shutdownGrace, value);
    }

    /** These settings with {@code value} as the header timeout. */
    public HttpSettings withHeaderTimeout(Duration value) {
        return new HttpSettings(maxConnections, idleTimeout, value, bodyTimeout, maxHeaderBytes, shutdownGrace, tls);
    }

    /** These settings with {@code value} as the body timeout. */
    public HttpSettings withBodyTimeout(Duration value) {
        return new HttpSettings(maxConnections, idleTimeout, headerTimeout, value, maxHeaderBytes, shutdownGrace, tls);
    }

    /** These settings with {@code value} as the idle timeout. */
    public HttpSettings withIdleTimeout(Duration value) {
        return new HttpSettings(maxConnections, value, headerTimeout, bodyTimeout, maxHeaderBytes, shutdownGrace, tls);
    }

    /** These settings with {@code value} as the connection limit. */
    public HttpSettings withMaxConnections(int value) {
        return new HttpSettings(value, idleTimeout, headerTimeout, bodyTimeout, maxHeaderBytes, shutdownGrace, tls);
    }

    /**
     * Where the server's certificate and private key come from: a key store ({@code tollgate.tls.keystore.file}, with
     * {@code .password} and {@code .type}), or a PEM certificate chain and a PEM PKCS#8 private key ({@code
     * tollgate.tls.certificate.file} and {@code tollgate.tls.key.file}). Exactly one of the two is set.
     *
     * @param keyStore a PKCS#12 or JKS key store with one private key entry, or null
     * @param keyStorePassword its password (also the key's)
     * @param keyStoreType {@code PKCS12} or {@code JKS}
     * @param certificate a PEM file of the certificate chain, the server's first, or null
     * @param privateKey a PEM file of the private key ({@code BEGIN PRIVATE KEY}: PKCS#8, RSA, EC or Ed25519), or null
     */
    public record Tls(Path keyStore, String keyStorePassword, String keyStoreType, Path certificate, Path privateKey) {
        public Tls {
            boolean store = keyStore != null;
            boolean pem = certificate != null || privateKey != null;
            if (store == pem) {
                throw new IllegalArgumentException(
                        store
                                ? "set either tollgate.tls.keystore.file or tollgate.tls.certificate.file and"
                                        + " tollgate.tls.key.file, not both"
                                : "TLS needs tollgate.tls.keystore.file, or tollgate.tls.certificate.file and"
                                        + " tollgate.tls.key.file");
            }
            if (pem && (certificate == null || privateKey == null)) {
                throw new IllegalArgumentException(
                        certificate == null
                                ? "tollgate.tls.key.file is set, so tollgate.tls.certificate.file must be too"
                                : "tollgate.tls.certificate.file is set, so tollgate.tls.key.file must be too");
            }
            keyStorePassword = keyStorePassword == null ? "" : keyStorePassword;
            keyStoreType = keyStoreType == null || keyStoreType.isBlank() ? "PKCS12" : keyStoreType;
        }

        /** TLS from a key store. */
        public static Tls keyStore(Path file, String password, String type) {
            return new Tls(Objects.requireNonNull(file, "file"), password, type, null, null);
        }

        /** TLS from a PEM certificate chain and a PEM private key. */
        public static Tls pem(Path certificate, Path privateKey) {
            return new Tls(
                    null,
                    "",
                    null,
                    Objects.requireNonNull(certificate, "certificate"),
                    Objects.requireNonNull(privateKey, "privateKey"));
        }

        @Override
        public String toString() {
            return keyStore != null
                    ? "Tls[keyStore=" + keyStore + ", type=" + keyStoreType + "]"
                    : "Tls[certificate=" + certificate + ", privateKey=" + privateKey + "]";
        }
    }
}
