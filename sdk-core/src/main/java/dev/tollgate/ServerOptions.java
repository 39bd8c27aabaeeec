package dev.tollgate;

import java.time.Duration;
import java.util.Objects;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;

/**
 * Where and how a client fetches snapshots from a Tollgate server, following {@code docs/protocol.md}: polling {@code GET
 * /v1/snapshot} with {@code ETag}s, and by default also listening on the {@code GET /v1/stream} Server-Sent Events
 * stream, which announces new revisions so they arrive within moments instead of at the next poll.
 *
 * <p>While the stream is connected the client does not poll. When it drops, the client polls at once, then every {@link
 * #pollInterval()}, and reconnects with backoff; so a dead stream never leaves the client staler than one poll interval.
 *
 * <pre>{@code
 * ServerOptions server = ServerOptions.builder("https://flags.example.com", System.getenv("TOLLGATE_TOKEN"))
 *         .environment("production")
 *         .build();
 * }</pre>
 */
public final class ServerOptions {
    private final HttpUrl baseUrl;
    private final HttpUrl snapshotBaseUrl;
    private final String token;
    private final String environment;
    private final boolean streaming;
    private final boolean deltas;
    private final Duration pollInterval;
    private final double pollJitter;
    private final Duration initialBackoff;
    private final Duration maxBackoff;
    private final Duration connectTimeout;
    private final Duration readTimeout;
    private final Duration callTimeout;
    private final Duration streamReadTimeout;
    private final OkHttpClient okHttpClient;
    private final Duration usagePollInterval;

    private ServerOptions(Builder b) {
        usagePollInterval = b.usagePollInterval;
        baseUrl = b.baseUrl;
        snapshotBaseUrl = b.snapshotBaseUrl;
        token = b.token;
        environment = b.environment;
        streaming = b.streaming;
        deltas = b.deltas;
        pollInterval = b.pollInterval;
        pollJitter = b.pollJitter;
        initialBackoff = b.initialBackoff;
        maxBackoff = b.maxBackoff;
        connectTimeout = b.connectTimeout;
        readTimeout = b.readTimeout;
        callTimeout = b.callTimeout;
        streamReadTimeout = b.streamReadTimeout;
        okHttpClient = b.okHttpClient;
    }

    /**
     * Options for the server at {@code baseUrl} (the endpoints live under {@code <baseUrl>/v1/}), authenticating with
     * {@code token}, which is only ever sent in the {@code Authorization} header.
     *
     * @throws IllegalArgumentException if the URL is not an http or https URL, or the token is blank or has whitespace
     */
    public static Builder builder(String baseUrl, String token) {
        return new Builder(baseUrl, token);
    }

    public Builder toBuilder() {
        Builder b = new Builder(baseUrl, token);
        b.environment = environment;
        b.snapshotBaseUrl = snapshotBaseUrl;
        b.streaming = streaming;
        b.deltas = deltas;
        b.pollInterval = pollInterval;
        b.pollJitter = pollJitter;
        b.initialBackoff = initialBackoff;
        b.maxBackoff = maxBackoff;
        b.connectTimeout = connectTimeout;
        b.readTimeout = readTimeout;
        b.callTimeout = callTimeout;
        b.streamReadTimeout = streamReadTimeout;
        b.okHttpClient = okHttpClient;
        b.usagePollInterval = usagePollInterval;
        return b;
    }

    /** The server's base URL, without a trailing slash. */
    public String baseUrl() {
        String url = baseUrl.toString();
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

    /**
     * Where snapshots are fetched by revision, such as a CDN or a caching proxy in front of the server (without a
     * trailing slash), or {@code null} (the default) to fetch {@code GET <baseUrl>/v1/snapshot}. With it, the client
     * asks the server ({@code GET <baseUrl>/v1/snapshot/latest}) for the current revision and fetches {@code
     * GET <snapshotBaseUrl>/v1/environments/<env>/snapshots/<revision>}, an immutable URL that caches keep for everyone;
     * the token is sent there too, for the cache to check. When the environment requires signing, a snapshot from there
     * without a valid signature by the server's key is refused. The stream, the logs and the usage feed stay at {@link
     * #baseUrl()}. See {@code docs/server.md}, "A CDN or a caching proxy in front".
     */
    public String snapshotBaseUrl() {
        if (snapshotBaseUrl == null) {
            return null;
        }
        String url = snapshotBaseUrl.toString();
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

    /** The token sent as {@code Authorization: Bearer <token>}. */
    public String token() {
        return token;
    }

    /** The environment asked for, or {@code null} to use the one the token belongs to. */
    public String environment() {
        return environment;
    }

    /** Whether to listen on the revision stream. Default true. */
    public boolean streaming() {
        return streaming;
    }

    /**
     * Whether the stream may carry changes as {@code delta} events, applied to the installed snapshot without fetching
     * it ({@code docs/protocol.md}, "The delta event"). Default true; a client that verifies signatures takes none
     * whatever this says, since a delta carries no signature. False fetches every revision whole, as through a cache
     * whose hits should be counted.
     */
    public boolean deltas() {
        return deltas;
    }

    /**
     * How often the fleet's usage of metered fields is polled ({@code GET <baseUrl>/v1/usage}), for a schema with
     * {@code @metered} fields; the stream's {@code usage} events poll at once besides. Default 5 seconds.
     */
    public Duration usagePollInterval() {
        return usagePollInterval;
    }

    /** How often to poll: always without streaming, only while the stream is down with it. Default 30 seconds. */
    public Duration pollInterval() {
        return pollInterval;
    }

    /** The fraction by which each poll interval is randomly shortened or lengthened, from 0 to 0.5. Default 0.1. */
    public double pollJitter() {
        return pollJitter;
    }

    /** The first retry delay after a failure; it doubles per consecutive failure, with jitter. Default 1 second. */
    public Duration initialBackoff() {
        return initialBackoff;
    }

    /** The cap on retry and reconnect delays. Default 60 seconds. */
    public Duration maxBackoff() {
        return maxBackoff;
    }

    /** Default 10 seconds. */
    public Duration connectTimeout() {
        return connectTimeout;
    }

    /** The longest wait for the next bytes of a snapshot response. Default 10 seconds. */
    public Duration readTimeout() {
        return readTimeout;
    }

    /** The longest a whole snapshot request may take, connection and body included. Default 60 seconds. */
    public Duration callTimeout() {
        return callTimeout;
    }

    /**
     * The longest the stream may stay silent before the client reconnects; the server sends a comment at least every
     * 15 seconds. Default 60 seconds.
     */
    public Duration streamReadTimeout() {
        return streamReadTimeout;
    }

    /**
     * The caller's OkHttp client, whose connection pool, dispatcher and interceptors are shared, or {@code null} to let
     * the Tollgate client make and own one. The timeouts above still apply to the requests Tollgate makes.
     */
    public OkHttpClient okHttpClient() {
        return okHttpClient;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ServerOptions s
                && baseUrl.equals(s.baseUrl)
                && Objects.equals(snapshotBaseUrl, s.snapshotBaseUrl)
                && token.equals(s.token)
                && Objects.equals(environment, s.environment)
                && streaming == s.streaming
                && deltas == s.deltas
                && pollInterval.equals(s.pollInterval)
                && pollJitter == s.pollJitter
                && initialBackoff.equals(s.initialBackoff)
                && maxBackoff.equals(s.maxBackoff)
                && connectTimeout.equals(s.connectTimeout)
                && readTimeout.equals(s.readTimeout)
                && callTimeout.equals(s.callTimeout)
                && streamReadTimeout.equals(s.streamReadTimeout)
                && usagePollInterval.equals(s.usagePollInterval)
                && Objects.equals(okHttpClient, s.okHttpClient);
    }

    @Override
    public int hashCode() {
        return Objects.hash(baseUrl, token, environment, streaming, pollInterval, initialBackoff, maxBackoff);
    }

    /** Shows everything but the token. */
    @Override
    public String toString() {
        return "ServerOptions[" + baseUrl() + (environment == null ? "" : ", environment " + environment)
                + (snapshotBaseUrl == null ? "" : ", snapshots from " + snapshotBaseUrl())
                + ", token <redacted>, streaming " + streaming + ", poll every " + pollInterval + " ±"
                + Math.round(pollJitter * 100) + "%, backoff " + initialBackoff + ".." + maxBackoff + "]";
    }

    /** Builds {@link ServerOptions}. */
    public static final class Builder {
        private final HttpUrl baseUrl;
        private final String token;
        private HttpUrl snapshotBaseUrl;
        private String environment;
        private boolean streaming = true;
        private boolean deltas = true;
        private Duration pollInterval = Duration.ofSeconds(30);
        private double pollJitter = 0.1;
        private Duration initialBackoff = Duration.ofSeconds(1);
        private Duration maxBackoff = Duration.ofSeconds(60);
        private Duration connectTimeout = Duration.ofSeconds(10);
        private Duration readTimeout = Duration.ofSeconds(10);
        private Duration callTimeout = Duration.ofSeconds(60);
        private Duration streamReadTimeout = Duration.ofSeconds(60);
        private OkHttpClient okHttpClient;
        private Duration usagePollInterval = Duration.ofSeconds(5);

        private Builder(String baseUrl, String token) {
            this.baseUrl = parseUrl(Objects.requireNonNull(baseUrl, "baseUrl"));
            this.token = checkToken(Objects.requireNonNull(token, "token"));
        }

        private Builder(HttpUrl baseUrl, String token) {
            this.baseUrl = baseUrl;
            this.token = token;
        }

        /** The environment to fetch, sent as the {@code environment} query parameter; unset uses the token's. */
        public Builder environment(String environment) {
            if (environment != null && environment.isBlank()) {
                throw new IllegalArgumentException("environment must not be blank");
            }
            this.environment = environment;
            return this;
        }

        /**
         * Fetches snapshots by revision from {@code url}, a CDN or a caching proxy; see {@link
         * ServerOptions#snapshotBaseUrl()}. {@code null} (the default) fetches {@code GET <baseUrl>/v1/snapshot}.
         *
         * @throws IllegalArgumentException if it is not an http or https URL, or carries credentials or a query
         */
        public Builder snapshotBaseUrl(String url) {
            this.snapshotBaseUrl = url == null ? null : parseSnapshotBaseUrl(url);
            return this;
        }

        public Builder streaming(boolean streaming) {
            this.streaming = streaming;
            return this;
        }

        /** Whether the stream may carry changes as deltas; see {@link ServerOptions#deltas()}. Default true. */
        public Builder deltas(boolean deltas) {
            this.deltas = deltas;
            return this;
        }

        public Builder pollInterval(Duration pollInterval) {
            this.pollInterval = positive("pollInterval", pollInterval);
            return this;
        }

        /** How often the fleet's usage is polled; see {@link ServerOptions#usagePollInterval()}. */
        public Builder usagePollInterval(Duration interval) {
            this.usagePollInterval = positive("usagePollInterval", interval);
            return this;
        }

        public Builder pollJitter(double pollJitter) {
            if (!(pollJitter >= 0 && pollJitter <= 0.5)) {
                throw new IllegalArgumentException("pollJitter must be from 0 to 0.5, was " + pollJitter);
            }
            this.pollJitter = pollJitter;
            return this;
        }

        public Builder initialBackoff(Duration initialBackoff) {
            this.initialBackoff = positive("initialBackoff", initialBackoff);
            return this;
        }

        public Builder maxBackoff(Duration maxBackoff) {
            this.maxBackoff = positive("maxBackoff", maxBackoff);
            return this;
        }

        public Builder connectTimeout(Duration connectTimeout) {
            this.connectTimeout = positive("connectTimeout", connectTimeout);
            return this;
        }

        public Builder readTimeout(Duration readTimeout) {
            this.readTimeout = positive("readTimeout", readTimeout);
            return this;
        }

        public Builder callTimeout(Duration callTimeout) {
            this.callTimeout = positive("callTimeout", callTimeout);
            return this;
        }

        public Builder streamReadTimeout(Duration streamReadTimeout) {
            this.streamReadTimeout = positive("streamReadTimeout", streamReadTimeout);
            return this;
        }

        /** Shares the caller's OkHttp client; {@code null} (the default) lets Tollgate own one. */
        public Builder okHttpClient(OkHttpClient okHttpClient) {
            this.okHttpClient = okHttpClient;
            return this;
        }

        /**
         * @throws IllegalArgumentException if {@code maxBackoff} is shorter than {@code initialBackoff}
         */
        public ServerOptions build() {
            if (maxBackoff.compareTo(initialBackoff) < 0) {
                throw new IllegalArgumentException(
                        "maxBackoff " + maxBackoff + " is shorter than initialBackoff " + initialBackoff);
            }
            return new ServerOptions(this);
        }

        private static HttpUrl parseUrl(String url) {
            HttpUrl parsed = HttpUrl.parse(url);
            if (parsed == null) {
                throw new IllegalArgumentException("not an http or https URL: " + url);
            }
            if (!parsed.username().isEmpty() || !parsed.password().isEmpty() || parsed.query() != null) {
                throw new IllegalArgumentException(
                        "the base URL must not carry credentials or a query; pass the token separately: "
                                + parsed.redact());
            }
            return parsed;
        }

        private static HttpUrl parseSnapshotBaseUrl(String url) {
            HttpUrl parsed = HttpUrl.parse(url);
            if (parsed == null) {
                throw new IllegalArgumentException("the snapshot base URL is not an http or https URL: " + url);
            }
            if (!parsed.username().isEmpty() || !parsed.password().isEmpty() || parsed.query() != null) {
                throw new IllegalArgumentException(
                        "the snapshot base URL must not carry credentials or a query: " + parsed.redact());
            }
            return parsed;
        }

        private static String checkToken(String token) {
            if (token.isEmpty() || token.chars().anyMatch(c -> c <= ' ' || c == 0x7f)) {
                throw new IllegalArgumentException(
                        "the token must be non-empty, without whitespace or control characters");
            }
            return token;
        }

        private static Duration positive(String name, Duration value) {
            Objects.requireNonNull(value, name);
            if (value.isNegative() || value.isZero()) {
                throw new IllegalArgumentException(name + " must be positive, was " + value);
            }
            return value;
        }
    }
}
