package dev.tollgate.server;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;

/**
 * The server's settings. Each has a property key ({@code tollgate.db.url}) and an environment variable (the key upper
 * case with dots as underscores: {@code TOLLGATE_DB_URL}); the environment wins over the properties file. Every
 * setting and its default is documented in {@code docs/server.md}; keep the two in step.
 */
public final class ServerConfig {
    /**
     * The longest {@code tollgate.expired.override.retention}: 36,500 days, the bound of {@code
     * tollgate.usage.retention.days}; longer ones would move instants past what {@link java.time.Instant} holds.
     */
    static final Duration MAX_EXPIRED_OVERRIDE_RETENTION = Duration.ofDays(36_500);

    static final Duration MAX_WEBHOOK_LEAD = Duration.ofDays(366);

    private static final String RETENTION_BOUND = "must be at most 36500 days (P36500D)";
    /** The longest session limit, idle or absolute. */
    static final Duration MAX_SESSION = Duration.ofDays(365);

    private static final String MAX_SESSION_TEXT = "must be at most 365 days (P365D)";

    private final String bind;
    private final int port;
    private final Path dataDir;
    private final String dbUrl;
    private final String dbUser;
    private final String dbPassword;
    private final int dbPoolSize;
    private final int httpThreads;
    private final int httpQueue;
    private final HttpSettings http;
    private final int maxBodyBytes;
    private final int maxLogBodyBytes;
    private final Path signingKeyFile;
    private final Duration streamHeartbeat;
    private final int maxStreams;
    private final Duration pollInterval;
    private final int authFailuresPerMinute;
    private final int sdkRequestsPerMinute;
    private final List<String> initialEnvironments;
    private final Duration tokenCacheTtl;
    private final int usageRetentionDays;
    private final String initialAdminToken;
    private final Duration lapseCheckInterval;
    private final Duration expiredOverrideRetention;
    private final int webhookThreads;
    private final Duration webhookPollInterval;
    private final Duration webhookTimeout;
    private final Duration webhookExpiringLead;
    private final String oidcIssuer;
    private final String oidcClientId;
    private final String oidcClientSecret;
    private final String oidcRoleClaim;
    private final Map<String, String> oidcRoles;
    private final String oidcProviderName;
    private final String publicUrl;
    private final Duration sessionIdleTimeout;
    private final Duration sessionAbsoluteTimeout;

    private ServerConfig(Builder b) {
        bind = b.bind;
        port = b.port;
        dataDir = b.dataDir;
        dbUrl = b.dbUrl;
        dbUser = b.dbUser;
        dbPassword = b.dbPassword;
        dbPoolSize = b.dbPoolSize;
        httpThreads = b.httpThreads;
        httpQueue = b.httpQueue;
        http = b.http;
        maxBodyBytes = b.maxBodyBytes;
        maxLogBodyBytes = b.maxLogBodyBytes;
        signingKeyFile = b.signingKeyFile;
        streamHeartbeat = b.streamHeartbeat;
        maxStreams = b.maxStreams;
        pollInterval = b.pollInterval;
        authFailuresPerMinute = b.authFailuresPerMinute;
        sdkRequestsPerMinute = b.sdkRequestsPerMinute;
        initialEnvironments = List.copyOf(b.initialEnvironments);
        tokenCacheTtl = b.tokenCacheTtl;
        usageRetentionDays = b.usageRetentionDays;
        initialAdminToken = b.initialAdminToken;
        lapseCheckInterval = b.lapseCheckInterval;
        expiredOverrideRetention = b.expiredOverrideRetention;
        webhookThreads = b.webhookThreads;
        webhookPollInterval = b.webhookPollInterval;
        webhookTimeout = b.webhookTimeout;
        webhookExpiringLead = b.webhookExpiringLead;
        oidcIssuer = b.oidcIssuer;
        oidcClientId = b.oidcClientId;
        oidcClientSecret = b.oidcClientSecret;
        oidcRoleClaim = b.oidcRoleClaim;
        oidcRoles = Map.copyOf(b.oidcRoles);
        oidcProviderName = b.oidcProviderName;
        publicUrl = b.publicUrl;
        sessionIdleTimeout = b.sessionIdleTimeout;
        sessionAbsoluteTimeout = b.sessionAbsoluteTimeout;
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Reads the settings from {@code environment}, over the properties file named by {@code TOLLGATE_CONFIG} (if any),
     * over the defaults.
     *
     * @throws IllegalArgumentException naming the setting whose value is invalid
     */
    public static ServerConfig fromEnvironment(Map<String, String> environment) {
        Map<String, String> values = new HashMap<>();
        String file = environment.get("TOLLGATE_CONFIG");
        if (file != null && !file.isBlank()) {
            Properties properties = new Properties();
            try (InputStream in = Files.newInputStream(Path.of(file))) {
                properties.load(in);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read the configuration file " + file, e);
            }
            for (String key : properties.stringPropertyNames()) {
                values.put(key, properties.getProperty(key));
            }
        }
        environment.forEach((name, value) -> {
            if (name.startsWith("TOLLGATE_")) {
                values.put(name.toLowerCase(Locale.ROOT).replace('_', '.'), value);
            }
        });
        return fromProperties(values);
    }

    /** Reads the settings from a map of property keys ({@code tollgate.port}) to values; unknown keys are refused. */
    public static ServerConfig fromProperties(Map<String, String> values) {
        Builder b = new Builder();
        Settings s = new Settings(values);
        b.bind = s.string("tollgate.bind", b.bind);
        b.port = s.integer("tollgate.port", b.port, 0, 65_535);
        b.dataDir = Path.of(s.string("tollgate.data.dir", b.dataDir.toString()));
        b.dbUrl = s.string("tollgate.db.url", b.dbUrl);
        b.dbUser = s.string("tollgate.db.user", b.dbUser);
        b.dbPassword = s.string("tollgate.db.password", b.dbPassword);
        b.dbPoolSize = s.integer("tollgate.db.pool.size", b.dbPoolSize, 2, 1_000);
        b.httpThreads = s.integer("tollgate.http.threads", b.httpThreads, 1, 10_000);
        b.httpQueue = s.integer("tollgate.http.queue", b.httpQueue, 1, 1_000_000);
        readHttp(s, b);
        b.maxBodyBytes = s.integer("tollgate.max.body.bytes", b.maxBodyBytes, 1_024, Integer.MAX_VALUE);
        b.maxLogBodyBytes = s.integer("tollgate.max.log.body.bytes", b.maxLogBodyBytes, 1_024, Integer.MAX_VALUE);
        String key = s.string("tollgate.signing.key.file", "");
        b.signingKeyFile = key.isBlank() ? null : Path.of(key);
        b.streamHeartbeat = Duration.ofSeconds(
                s.integer("tollgate.stream.heartbeat.seconds", (int) b.streamHeartbeat.toSeconds(), 1, 3_600));
        b.maxStreams = s.integer("tollgate.max.streams", b.maxStreams, 1, 1_000_000);
        b.pollInterval =
                Duration.ofSeconds(s.integer("tollgate.poll.seconds", (int) b.pollInterval.toSeconds(), 1, 3_600));
        b.authFailuresPerMinute =
                s.integer("tollgate.auth.failures.per.minute", b.authFailuresPerMinute, 1, Integer.MAX_VALUE);
        b.sdkRequestsPerMinute =
                s.integer("tollgate.sdk.requests.per.minute", b.sdkRequestsPerMinute, 1, Integer.MAX_VALUE);
        b.initialEnvironments = Arrays.stream(
                        s.string("tollgate.initial.environments", String.join(",", b.initialEnvironments))
                                .split(","))
                .map(String::strip)
                .filter(name -> !name.isEmpty())
                .toList();
        b.tokenCacheTtl = Duration.ofSeconds(
                s.integer("tollgate.token.cache.seconds", (int) b.tokenCacheTtl.toSeconds(), 0, 3_600));
        b.usageRetentionDays = s.integer("tollgate.usage.retention.days", b.usageRetentionDays, 1, 36_500);
        b.initialAdminToken = s.string("tollgate.initial.admin.token", "");
        b.lapseCheckInterval = Duration.ofSeconds(
                s.integer("tollgate.lapse.check.seconds", (int) b.lapseCheckInterval.toSeconds(), 1, 3_600));
        b.expiredOverrideRetention = s.duration(
                "tollgate.expired.override.retention",
                b.expiredOverrideRetention,
                MAX_EXPIRED_OVERRIDE_RETENTION,
                RETENTION_BOUND);
        b.webhookThreads = s.integer("tollgate.webhook.threads", b.webhookThreads, 1, 64);
        b.webhookPollInterval = Duration.ofMillis(
                s.integer("tollgate.webhook.poll.millis", (int) b.webhookPollInterval.toMillis(), 50, 60_000));
        b.webhookTimeout = Duration.ofSeconds(
                s.integer("tollgate.webhook.timeout.seconds", (int) b.webhookTimeout.toSeconds(), 1, 50));
        b.webhookExpiringLead = s.duration(
                "tollgate.webhook.expiring.lead", b.webhookExpiringLead, MAX_WEBHOOK_LEAD, "must be at most P366D");
        readSignIn(s, b);
        s.rejectUnknown();
        return b.build();
    }

    /** The HTTP listener's settings ({@code tollgate.http.*}, {@code tollgate.tls.*}, {@code tollgate.shutdown.*}). */
    private static void readHttp(Settings s, Builder b) {
        HttpSettings d = b.http;
        String keyStore = s.string("tollgate.tls.keystore.file", "");
        String keyStorePassword = s.string("tollgate.tls.keystore.password", "");
        String keyStoreType = s.string("tollgate.tls.keystore.type", "PKCS12");
        String certificate = s.string("tollgate.tls.certificate.file", "");
        String key = s.string("tollgate.tls.key.file", "");
        HttpSettings.Tls tls = keyStore.isBlank() && certificate.isBlank() && key.isBlank()
                ? null
                : new HttpSettings.Tls(
                        keyStore.isBlank() ? null : Path.of(keyStore),
                        keyStorePassword,
                        keyStoreType,
                        certificate.isBlank() ? null : Path.of(certificate),
                        key.isBlank() ? null : Path.of(key));
        b.http = new HttpSettings(
                s.integer("tollgate.http.max.connections", d.maxConnections(), 1, 10_000_000),
                Duration.ofSeconds(s.integer(
                        "tollgate.http.idle.timeout.seconds",
                        (int) d.idleTimeout().toSeconds(),
                        1,
                        86_400)),
                Duration.ofSeconds(s.integer(
                        "tollgate.http.header.timeout.seconds",
                        (int) d.headerTimeout().toSeconds(),
                        1,
                        3_600)),
                Duration.ofSeconds(s.integer(
                        "tollgate.http.body.timeout.seconds",
                        (int) d.bodyTimeout().toSeconds(),
                        1,
                        86_400)),
                s.integer("tollgate.http.max.header.bytes", d.maxHeaderBytes(), 1_024, 1024 * 1024),
                Duration.ofSeconds(s.integer(
                        "tollgate.shutdown.grace.seconds",
                        (int) d.shutdownGrace().toSeconds(),
                        0,
                        3_600)),
                tls);
    }

    /** The OpenID Connect settings ({@code tollgate.oidc.*}, {@code tollgate.public.url}, {@code tollgate.session.*}). */
    private static void readSignIn(Settings s, Builder b) {
        b.oidcIssuer = s.string("tollgate.oidc.issuer", b.oidcIssuer);
        b.oidcClientId = s.string("tollgate.oidc.client.id", b.oidcClientId);
        b.oidcClientSecret = s.string("tollgate.oidc.client.secret", b.oidcClientSecret);
        b.oidcRoleClaim = s.string("tollgate.oidc.role.claim", b.oidcRoleClaim);
        b.oidcRoles = SignInSettings.parseRoles(s.string("tollgate.oidc.roles", ""));
        b.oidcProviderName = s.string("tollgate.oidc.provider.name", b.oidcProviderName);
        b.publicUrl = s.string("tollgate.public.url", b.publicUrl);
        b.sessionIdleTimeout =
                s.duration("tollgate.session.idle.timeout", b.sessionIdleTimeout, MAX_SESSION, MAX_SESSION_TEXT);
        b.sessionAbsoluteTimeout = s.duration(
                "tollgate.session.absolute.timeout", b.sessionAbsoluteTimeout, MAX_SESSION, MAX_SESSION_TEXT);
    }

    public String bind() {
        return bind;
    }

    public int port() {
        return port;
    }

    public Path dataDir() {
        return dataDir;
    }

    /** The JDBC URL; empty for the embedded H2 database in {@link #dataDir()}. */
    public String dbUrl() {
        return dbUrl;
    }

    public String dbUser() {
        return dbUser;
    }

    public String dbPassword() {
        return dbPassword;
    }

    public int dbPoolSize() {
        return dbPoolSize;
    }

    public int httpThreads() {
        return httpThreads;
    }

    public int httpQueue() {
        return httpQueue;
    }

    /** The HTTP listener's limits, timeouts and TLS material. */
    public HttpSettings http() {
        return http;
    }

    public int maxBodyBytes() {
        return maxBodyBytes;
    }

    public int maxLogBodyBytes() {
        return maxLogBodyBytes;
    }

    public Optional<Path> signingKeyFile() {
        return Optional.ofNullable(signingKeyFile);
    }

    public Duration streamHeartbeat() {
        return streamHeartbeat;
    }

    /** The most open revision streams per instance; more get 503 and reconnect later. */
    public int maxStreams() {
        return maxStreams;
    }

    public Duration pollInterval() {
        return pollInterval;
    }

    public int authFailuresPerMinute() {
        return authFailuresPerMinute;
    }

    /** Requests one SDK token may make from one client address per minute before it gets 429. */
    public int sdkRequestsPerMinute() {
        return sdkRequestsPerMinute;
    }

    public List<String> initialEnvironments() {
        return initialEnvironments;
    }

    public Duration tokenCacheTtl() {
        return tokenCacheTtl;
    }

    public int usageRetentionDays() {
        return usageRetentionDays;
    }

    /** A fixed first admin token to create on first start instead of a random one; empty for random. */
    public String initialAdminToken() {
        return initialAdminToken;
    }

    /** How often each instance records lapsed windows in the audit log and prunes expired override rows. */
    public Duration lapseCheckInterval() {
        return lapseCheckInterval;
    }

    /** How long an override row stays in the logic after its {@code until} before the server prunes it. */
    public Duration expiredOverrideRetention() {
        return expiredOverrideRetention;
    }

    /** How many threads send webhook deliveries (each sends one at a time). */
    public int webhookThreads() {
        return webhookThreads;
    }

    /** How often each instance reads the webhook outbox for due deliveries (and at once after writing one). */
    public Duration webhookPollInterval() {
        return webhookPollInterval;
    }

    /**
     * The longest one webhook attempt may take, connecting and reading the whole answer (its headers within at most 15
     * s); shorter than the 60 s lease of a claimed delivery.
     */
    public Duration webhookTimeout() {
        return webhookTimeout;
    }

    /** How long before an override row's {@code until} its {@code grant.expiring} webhook event is sent. */
    public Duration webhookExpiringLead() {
        return webhookExpiringLead;
    }

    /** The OpenID Connect issuer, such as {@code https://login.example.com/realms/acme}; empty when sign-in is off. */
    public String oidcIssuer() {
        return oidcIssuer;
    }

    /** Whether people sign in to the dashboard through OpenID Connect (besides tokens). */
    public boolean oidcEnabled() {
        return !oidcIssuer.isEmpty();
    }

    public String oidcClientId() {
        return oidcClientId;
    }

    /** The client secret; empty for a public client, which authenticates with PKCE alone. */
    public String oidcClientSecret() {
        return oidcClientSecret;
    }

    /** The ID token claim whose values map to roles, such as {@code groups}. */
    public String oidcRoleClaim() {
        return oidcRoleClaim;
    }

    /** Claim values to role names ({@code viewer}, {@code editor}, {@code admin}). */
    public Map<String, String> oidcRoles() {
        return oidcRoles;
    }

    /** What the sign-in button calls the provider; empty for "your company account". */
    public String oidcProviderName() {
        return oidcProviderName;
    }

    /** The base URL people open the dashboard at, without a trailing slash, such as {@code https://tollgate.example.com}. */
    public String publicUrl() {
        return publicUrl;
    }

    /** A session unused for this long ends. */
    public Duration sessionIdleTimeout() {
        return sessionIdleTimeout;
    }

    /** A session ends this long after sign-in, however much it is used. */
    public Duration sessionAbsoluteTimeout() {
        return sessionAbsoluteTimeout;
    }

    public Builder toBuilder() {
        Builder b = new Builder();
        b.bind = bind;
        b.port = port;
        b.dataDir = dataDir;
        b.dbUrl = dbUrl;
        b.dbUser = dbUser;
        b.dbPassword = dbPassword;
        b.dbPoolSize = dbPoolSize;
        b.httpThreads = httpThreads;
        b.httpQueue = httpQueue;
        b.http = http;
        b.maxBodyBytes = maxBodyBytes;
        b.maxLogBodyBytes = maxLogBodyBytes;
        b.signingKeyFile = signingKeyFile;
        b.streamHeartbeat = streamHeartbeat;
        b.maxStreams = maxStreams;
        b.pollInterval = pollInterval;
        b.authFailuresPerMinute = authFailuresPerMinute;
        b.sdkRequestsPerMinute = sdkRequestsPerMinute;
        b.initialEnvironments = initialEnvironments;
        b.tokenCacheTtl = tokenCacheTtl;
        b.usageRetentionDays = usageRetentionDays;
        b.initialAdminToken = initialAdminToken;
        b.lapseCheckInterval = lapseCheckInterval;
        b.expiredOverrideRetention = expiredOverrideRetention;
        b.webhookThreads = webhookThreads;
        b.webhookPollInterval = webhookPollInterval;
        b.webhookTimeout = webhookTimeout;
        b.webhookExpiringLead = webhookExpiringLead;
        b.oidcIssuer = oidcIssuer;
        b.oidcClientId = oidcClientId;
        b.oidcClientSecret = oidcClientSecret;
        b.oidcRoleClaim = oidcRoleClaim;
        b.oidcRoles = oidcRoles;
        b.oidcProviderName = oidcProviderName;
        b.publicUrl = publicUrl;
        b.sessionIdleTimeout = sessionIdleTimeout;
        b.sessionAbsoluteTimeout = sessionAbsoluteTimeout;
        return b;
    }

    /** Builds a {@link ServerConfig}; the defaults are those documented in {@code docs/server.md}. */
    public static final class Builder {
        private String bind = "0.0.0.0";
        private int port = 8080;
        private Path dataDir = Path.of("tollgate-data");
        private String dbUrl = "";
        private String dbUser = "";
        private String dbPassword = "";
        private int dbPoolSize = 10;
        private int httpThreads = 32;
        private int httpQueue = 1_000;
        private HttpSettings http = HttpSettings.DEFAULTS;
        private int maxBodyBytes = 16 * 1024 * 1024;
        private int maxLogBodyBytes = 4 * 1024 * 1024;
        private Path signingKeyFile;
        private Duration streamHeartbeat = Duration.ofSeconds(15);
        private int maxStreams = 10_000;
        private Duration pollInterval = Duration.ofSeconds(10);
        private int authFailuresPerMinute = 10;
        private int sdkRequestsPerMinute = 3_000;
        private List<String> initialEnvironments = List.of("production", "staging");
        private Duration tokenCacheTtl = Duration.ofSeconds(5);
        private int usageRetentionDays = 90;
        private String initialAdminToken = "";
        private Duration lapseCheckInterval = Duration.ofSeconds(30);
        private Duration expiredOverrideRetention = Duration.ofDays(30);
        private int webhookThreads = 2;
        private Duration webhookPollInterval = Duration.ofSeconds(1);
        private Duration webhookTimeout = Duration.ofSeconds(25);
        private Duration webhookExpiringLead = Duration.ofDays(3);
        private String oidcIssuer = "";
        private String oidcClientId = "";
        private String oidcClientSecret = "";
        private String oidcRoleClaim = "groups";
        private Map<String, String> oidcRoles = Map.of();
        private String oidcProviderName = "";
        private String publicUrl = "";
        private Duration sessionIdleTimeout = Duration.ofMinutes(30);
        private Duration sessionAbsoluteTimeout = Duration.ofHours(12);

        private Builder() {}

        public Builder bind(String value) {
            bind = Objects.requireNonNull(value);
            return this;
        }

        public Builder port(int value) {
            port = value;
            return this;
        }

        public Builder dataDir(Path value) {
            dataDir = Objects.requireNonNull(value);
            return this;
        }

        public Builder dbUrl(String value) {
            dbUrl = Objects.requireNonNull(value);
            return this;
        }

        public Builder dbUser(String value) {
            dbUser = Objects.requireNonNull(value);
            return this;
        }

        public Builder dbPassword(String value) {
            dbPassword = Objects.requireNonNull(value);
            return this;
        }

        public Builder http(HttpSettings value) {
            http = Objects.requireNonNull(value);
            return this;
        }

        public Builder httpThreads(int value) {
            httpThreads = value;
            return this;
        }

        public Builder maxBodyBytes(int value) {
            maxBodyBytes = value;
            return this;
        }

        public Builder maxLogBodyBytes(int value) {
            maxLogBodyBytes = value;
            return this;
        }

        public Builder signingKeyFile(Path value) {
            signingKeyFile = value;
            return this;
        }

        public Builder streamHeartbeat(Duration value) {
            streamHeartbeat = Objects.requireNonNull(value);
            return this;
        }

        public Builder maxStreams(int value) {
            maxStreams = value;
            return this;
        }

        public Builder pollInterval(Duration value) {
            pollInterval = Objects.requireNonNull(value);
            return this;
        }

        public Builder authFailuresPerMinute(int value) {
            authFailuresPerMinute = value;
            return this;
        }

        public Builder sdkRequestsPerMinute(int value) {
            sdkRequestsPerMinute = value;
            return this;
        }

        public Builder initialEnvironments(List<String> value) {
            initialEnvironments = List.copyOf(value);
            return this;
        }

        public Builder tokenCacheTtl(Duration value) {
            tokenCacheTtl = Objects.requireNonNull(value);
            return this;
        }

        public Builder initialAdminToken(String value) {
            initialAdminToken = Objects.requireNonNull(value);
            return this;
        }

        public Builder lapseCheckInterval(Duration value) {
            lapseCheckInterval = positive("lapseCheckInterval", value);
            return this;
        }

        /**
         * Zero prunes a row at the first check after it lapses; negative durations and ones past 36,500 days
         * are refused.
         */
        public Builder expiredOverrideRetention(Duration value) {
            if (value.isNegative()) {
                throw new IllegalArgumentException("expiredOverrideRetention must not be negative, was " + value);
            }
            if (value.compareTo(MAX_EXPIRED_OVERRIDE_RETENTION) > 0) {
                throw new IllegalArgumentException("expiredOverrideRetention " + RETENTION_BOUND + ", was " + value);
            }
            expiredOverrideRetention = value;
            return this;
        }

        /** 1 to 64 threads. */
        public Builder webhookThreads(int value) {
            if (value < 1 || value > 64) {
                throw new IllegalArgumentException("webhookThreads must be 1 to 64, was " + value);
            }
            webhookThreads = value;
            return this;
        }

        public Builder webhookTimeout(Duration value) {
            webhookTimeout = Objects.requireNonNull(value);
            return this;
        }

        public Builder webhookPollInterval(Duration value) {
            webhookPollInterval = positive("webhookPollInterval", value);
            return this;
        }

        /** Zero sends no {@code grant.expiring} before the end itself; at most 366 days. */
        public Builder webhookExpiringLead(Duration value) {
            if (value.isNegative() || value.compareTo(MAX_WEBHOOK_LEAD) > 0) {
                throw new IllegalArgumentException("webhookExpiringLead must be 0 to P366D, was " + value);
            }
            webhookExpiringLead = value;
            return this;
        }

        private static Duration positive(String name, Duration value) {
            if (value.isZero() || value.isNegative()) {
                throw new IllegalArgumentException(name + " must be positive, was " + value);
            }
            return value;
        }

        /** The issuer's URL; https, or http on a loopback address for tests. Empty turns sign-in off. */
        public Builder oidcIssuer(String value) {
            oidcIssuer = Objects.requireNonNull(value);
            return this;
        }

        public Builder oidcClientId(String value) {
            oidcClientId = Objects.requireNonNull(value);
            return this;
        }

        /** Empty for a public client (PKCE only); else sent with HTTP Basic to the token endpoint. */
        public Builder oidcClientSecret(String value) {
            oidcClientSecret = Objects.requireNonNull(value);
            return this;
        }

        public Builder oidcRoleClaim(String value) {
            oidcRoleClaim = Objects.requireNonNull(value);
            return this;
        }

        /** Claim values to role names, such as {@code tollgate-admins -> admin}; checked by {@link #build()}. */
        public Builder oidcRoles(Map<String, String> value) {
            oidcRoles = Map.copyOf(value);
            return this;
        }

        public Builder oidcProviderName(String value) {
            oidcProviderName = Objects.requireNonNull(value);
            return this;
        }

        public Builder publicUrl(String value) {
            publicUrl = Objects.requireNonNull(value);
            return this;
        }

        public Builder sessionIdleTimeout(Duration value) {
            sessionIdleTimeout = Objects.requireNonNull(value);
            return this;
        }

        public Builder sessionAbsoluteTimeout(Duration value) {
            sessionAbsoluteTimeout = Objects.requireNonNull(value);
            return this;
        }

        /**
         * @throws IllegalArgumentException naming the setting whose value is invalid, such as an OpenID Connect issuer
         *     without a client id
         */
        public ServerConfig build() {
            if (http.idleTimeout().compareTo(streamHeartbeat.multipliedBy(2)) < 0) {
                throw new IllegalArgumentException("tollgate.http.idle.timeout.seconds ("
                        + http.idleTimeout().toSeconds()
                        + ") must be at least twice tollgate.stream.heartbeat.seconds ("
                        + streamHeartbeat.toSeconds()
                        + "), or open streams could be cut as idle when a heartbeat is late");
            }
            publicUrl = SignInSettings.publicUrl(publicUrl);
            SignInSettings.check(
                    oidcIssuer,
                    oidcClientId,
                    oidcClientSecret,
                    oidcRoleClaim,
                    oidcRoles,
                    publicUrl,
                    sessionIdleTimeout,
                    sessionAbsoluteTimeout);
            return new ServerConfig(this);
        }
    }

    /** Reads typed values from the raw map, remembering which keys were used. */
    private static final class Settings {
        private final Map<String, String> values;
        private final java.util.Set<String> used = new java.util.HashSet<>();

        Settings(Map<String, String> values) {
            this.values = values;
        }

        String string(String key, String fallback) {
            used.add(key);
            String value = values.get(key);
            return value == null ? fallback : value.strip();
        }

        int integer(String key, int fallback, int min, int max) {
            String text = string(key, null);
            if (text == null || text.isEmpty()) {
                return fallback;
            }
            try {
                int value = Integer.parseInt(text);
                if (value < min || value > max) {
                    throw new IllegalArgumentException(
                            key + " must be between " + min + " and " + max + ", was " + value);
                }
                return value;
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(key + " must be an integer, was \"" + text + "\"", e);
            }
        }

        /**
         * An ISO-8601 duration of zero or more, such as {@code P30D} or {@code PT12H}, and at most {@code max}; {@code
         * maxText} says the bound in the refusal ("must be at most ...").
         */
        Duration duration(String key, Duration fallback, Duration max, String maxText) {
            String text = string(key, null);
            if (text == null || text.isEmpty()) {
                return fallback;
            }
            Duration value;
            try {
                value = Duration.parse(text);
            } catch (java.time.format.DateTimeParseException e) {
                throw new IllegalArgumentException(
                        key + " must be an ISO-8601 duration such as P30D or PT12H, was \"" + text + "\"", e);
            }
            if (value.isNegative()) {
                throw new IllegalArgumentException(key + " must not be negative, was " + text);
            }
            if (value.compareTo(max) > 0) {
                throw new IllegalArgumentException(key + " " + maxText + ", was " + text);
            }
            return value;
        }

        void rejectUnknown() {
            for (String key : values.keySet()) {
                if (key.startsWith("tollgate.") && !used.contains(key) && !key.equals("tollgate.config")) {
                    throw new IllegalArgumentException("unknown setting " + key + " (environment variable "
                            + key.toUpperCase(Locale.ROOT).replace('.', '_') + ")");
                }
            }
        }
    }
}
