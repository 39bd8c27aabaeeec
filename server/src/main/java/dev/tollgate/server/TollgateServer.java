package dev.tollgate.server;

import dev.tollgate.SnapshotLimits;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running Tollgate server: storage, the SDK endpoints and the admin API on Jetty ({@link WebServer}: HTTP/1.1 and
 * HTTP/2, optional TLS, a bounded thread pool). {@link #start(ServerConfig)} opens (and migrates) the database, creates the initial environments and,
 * when there is no admin token yet, a first one, and starts listening.
 *
 * <pre>{@code
 * try (TollgateServer server = TollgateServer.start(ServerConfig.fromEnvironment(System.getenv()))) {
 *     server.initialAdminToken().ifPresent(token -> System.out.println("admin token: " + token));
 *     server.awaitTermination();
 * }
 * }</pre>
 */
public final class TollgateServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(TollgateServer.class);
    /** How often each instance reads every environment's meter version, to learn of other instances' meter changes. */
    private static final Duration METER_POLL_INTERVAL = Duration.ofSeconds(1);
    /** What streams are told as the server stops: reconnect after this (to another instance, or this one again). */
    private static final Duration STREAM_RETRY_AFTER_STOP = Duration.ofSeconds(2);

    private final Database db;
    private final WebServer http;
    private final RevisionEvents events;
    private final MeterEvents meterEvents;
    private final UsageStore usage;
    private final MeterStore meters;
    private final int usageRetentionDays;
    private final StreamHub streams;
    private final Explainer explainer;
    private final SdkClients clients;
    private final ScheduledExecutorService maintenance;
    private final WindowKeeper windows;
    private final WebhookOutbox outbox;
    private final LogicStore store;
    private final WebhookSender webhooks;
    private final String initialAdminToken;
    private final ServerMetrics metrics;
    private volatile boolean closed;

    private TollgateServer(ServerConfig config, Clock clock) throws IOException {
        SnapshotSigner signer =
                config.signingKeyFile().map(SnapshotSigner::fromFile).orElse(null);
        db = Database.open(config);
        // What has threads or a port, newest first: closed again when starting fails half-way.
        java.util.Deque<AutoCloseable> opened = new java.util.ArrayDeque<>();
        try {
            AuditLog audit = new AuditLog(clock);
            events = new RevisionEvents(db, config.pollInterval());
            opened.push(events);
            SnapshotLimits limits = SnapshotLimits.defaults();
            store = new LogicStore(db, clock, limits, audit, events);
            Tokens tokens = new Tokens(db, clock, config.tokenCacheTtl());
            meters = new MeterStore(db, clock);
            meterEvents = new MeterEvents(meters, METER_POLL_INTERVAL);
            opened.push(meterEvents);
            usage = new UsageStore(db, clock, meters);
            usageRetentionDays = config.usageRetentionDays();
            clients = new SdkClients(db, clock);
            outbox = new WebhookOutbox(clock, db.isPostgres());
            WebhookEvents webhookEvents = new WebhookEvents(store, outbox, config.webhookExpiringLead());
            store.webhooks(webhookEvents);
            usage.webhooks(webhookEvents);
            SnapshotCache snapshots = new SnapshotCache(store, signer);
            SnapshotSigning signing = new SnapshotSigning(store, audit, signer);
            Duration tokenRecheck = config.tokenCacheTtl().compareTo(Duration.ofSeconds(1)) < 0
                    ? Duration.ofSeconds(1)
                    : config.tokenCacheTtl();
            streams = new StreamHub(
                    config.streamHeartbeat(),
                    config.maxStreams(),
                    tokenRecheck,
                    tokens::validAmong,
                    clock,
                    snapshots::deltaEvent);
            opened.push(streams);
            explainer = new Explainer(limits, clock);
            opened.push(explainer);
            events.addListener(snapshots);
            events.addListener(streams);
            meterEvents.addListener(streams);
            store.createInitialEnvironments(config.initialEnvironments());
            initialAdminToken = createFirstAdminToken(db, config, tokens, audit, clock);
            metrics = new ServerMetrics(streams::openStreams, () -> revisions(store), clock.millis());
            opened.push(metrics);
            db.bindMetrics(metrics.registry());
            OidcSignIn signIn = new OidcSignIn(config, db, audit, clock);
            Router router = new Router(
                    tokens,
                    new MinuteWindows(clock, config.authFailuresPerMinute()),
                    new MinuteWindows(clock, config.sdkRequestsPerMinute()),
                    metrics,
                    config.oidcEnabled() ? signIn : null);
            new SdkApi(
                            snapshots,
                            signing,
                            streams,
                            usage,
                            meters,
                            meterEvents,
                            clients,
                            metrics,
                            config.maxLogBodyBytes())
                    .register(router);
            new AdminApi(store, tokens, streams, audit, usage, clients, clock, config.maxBodyBytes()).register(router);
            ChangeRequests changeRequests = new ChangeRequests(store, audit, clock);
            new LogicApi(store, changeRequests, explainer, clock, config.maxBodyBytes()).register(router);
            new ChangeRequestApi(store, changeRequests, signing, clock, config.maxBodyBytes()).register(router);
            new DirectoryApi(store, new OrganizationDirectory(clock), audit).register(router);
            new MeterApi(store, meters, meterEvents, audit, config.maxBodyBytes()).register(router);
            new WebhookApi(store, outbox, audit, config.maxBodyBytes()).register(router);
            windows = new WindowKeeper(store, audit, clock, config.expiredOverrideRetention(), webhookEvents);
            webhooks = new WebhookSender(
                    db, outbox, audit, config.webhookThreads(), config.webhookPollInterval(), config.webhookTimeout());
            opened.push(webhooks);
            new Dashboard().register(router);
            signIn.register(router);
            router.add("GET", "/v1/health", Router.Access.PUBLIC, call -> health(call));
            router.add("GET", "/v1/metrics", Router.Access.VIEWER, call -> {
                ServerMetrics.Scrape scrape = metrics.scrape(call.header("Accept"));
                call.bytes(200, scrape.contentType(), scrape.body());
            });
            events.start();
            meterEvents.start();
            webhooks.start();
            ScheduledExecutorService chores = DaemonThreads.scheduler("tollgate-maintenance");
            opened.push(chores::shutdownNow);
            maintenance = chores;
            maintenance.scheduleWithFixedDelay(this::purgeUsage, 1, 60, TimeUnit.MINUTES);
            maintenance.scheduleWithFixedDelay(this::flushClientStats, 1, 1, TimeUnit.MINUTES);
            long lapseMillis = config.lapseCheckInterval().toMillis();
            maintenance.scheduleWithFixedDelay(this::checkWindows, lapseMillis, lapseMillis, TimeUnit.MILLISECONDS);
            http = new WebServer(
                    config.bind(), config.port(), config.httpThreads(), config.httpQueue(), config.http(), router);
            http.bindMetrics(metrics.registry());
        } catch (IOException | RuntimeException e) {
            while (!opened.isEmpty()) {
                try {
                    opened.pop().close();
                } catch (Exception suppressed) {
                    e.addSuppressed(suppressed);
                }
            }
            db.close();
            throw e;
        }
        LOG.info("Tollgate server listening on {}", url());
    }

    /** Starts a server; throws if the database or the port cannot be opened. */
    public static TollgateServer start(ServerConfig config) {
        return start(config, Clock.systemUTC());
    }

    /**
     * Starts a server that reads the time from {@code clock}: token expiry, usage hours, the audit log, and the windows
     * of override rows (the Expiring view, lapses, pruning). Tests pass a clock they move.
     */
    static TollgateServer start(ServerConfig config, Clock clock) {
        try {
            return new TollgateServer(config, clock);
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "cannot start the Tollgate server on " + config.bind() + ":" + config.port(), e);
        }
    }

    /**
     * Creates an admin token when no valid one with the admin role is left: on first start, so that someone can log in,
     * and after the last one expired, which is also the way back in (a restart).
     */
    private static String createFirstAdminToken(
            Database db, ServerConfig config, Tokens tokens, AuditLog audit, Clock clock) {
        return db.transaction(c -> {
            if (Tokens.validAdminTokens(c, clock.instant()) > 0) {
                return null;
            }
            String configured = config.initialAdminToken();
            if (!configured.isEmpty() && Tokens.exists(c, configured)) {
                LOG.warn("TOLLGATE_INITIAL_ADMIN_TOKEN was used before and is revoked or expired; creating a new one");
                configured = "";
            }
            String secret = configured.isEmpty() ? Tokens.newSecret(false) : configured;
            tokens.create(c, secret, "initial admin", Role.ADMIN, null, "system", null);
            audit.record(c, null, null, "token.create", null, "initial admin token", null);
            return secret;
        });
    }

    /**
     * Deletes the usage counts, SDK messages and clients, meter rows, and finished webhook deliveries and sent-once
     * notices past the retention, in a transaction each;
     * hourly on the maintenance thread, and from tests.
     */
    void purgeUsage() {
        try {
            usage.purge(usageRetentionDays);
        } catch (RuntimeException e) {
            LOG.warn("Purging old usage counts failed: {}", e.getMessage());
        }
        try {
            meters.purge(usageRetentionDays);
        } catch (RuntimeException e) {
            LOG.warn("Purging old meter rows failed: {}", e.getMessage());
        }
        try {
            outbox.purge(db, usageRetentionDays);
        } catch (RuntimeException e) {
            LOG.warn("Purging old webhook deliveries failed: {}", e.getMessage());
        }
    }

    /** Adds the counted SDK clients to the database; every minute, at shutdown, and from tests. */
    void flushClientStats() {
        try {
            clients.flush();
        } catch (RuntimeException e) {
            LOG.warn("Recording SDK clients failed: {}", e.getMessage());
        }
    }

    /** Records lapsed windows and prunes expired override rows; on the maintenance thread, and from tests. */
    void checkWindows() {
        try {
            windows.run();
        } catch (RuntimeException e) {
            LOG.warn("Checking time windows failed: {}", e.getMessage());
        }
    }

    /** The logic store, for tests that write inside a transaction of their own. */
    LogicStore store() {
        return store;
    }

    /** What sends webhook deliveries, for tests that poll it at once. */
    WebhookSender webhooks() {
        return webhooks;
    }

    /** What records lapses and prunes, for tests that drive one step of it. */
    WindowKeeper windows() {
        return windows;
    }

    /** Each environment's current revision, for the metrics. */
    private static java.util.Map<String, Long> revisions(LogicStore store) {
        java.util.Map<String, Long> revisions = new java.util.TreeMap<>();
        store.db().read(store::environments).forEach(env -> revisions.put(env.name(), env.revision()));
        return revisions;
    }

    private void health(Call call) throws IOException {
        db.read(c -> c.isValid(2));
        com.fasterxml.jackson.databind.node.ObjectNode body = Json.object();
        body.put("status", "ok");
        body.put("database", db.isPostgres() ? "postgresql" : "h2");
        body.put("streams", streams.openStreams());
        call.json(200, body);
    }

    /** The port the server listens on (useful with port 0). */
    public int port() {
        return http.address().getPort();
    }

    /** The base URL, such as {@code http://localhost:8080}. */
    public String url() {
        java.net.InetSocketAddress address = http.address();
        String host = address.getAddress() == null || address.getAddress().isAnyLocalAddress()
                ? "localhost"
                : address.getAddress().getHostAddress();
        if (host.contains(":")) {
            host = "[" + host + "]";
        }
        return (http.tls() ? "https://" : "http://") + host + ":" + port();
    }

    /** The first admin token, when this start created it (first start on an empty database). */
    public Optional<String> initialAdminToken() {
        return Optional.ofNullable(initialAdminToken);
    }

    /** Whether storage is PostgreSQL (else embedded H2). */
    public boolean usesPostgres() {
        return db.isPostgres();
    }

    /** Blocks until {@link #close()} is called from another thread (or the JVM shuts down). */
    public void awaitTermination() throws InterruptedException {
        synchronized (this) {
            while (!closed) {
                wait();
            }
        }
    }

    /**
     * Lets a maintenance task that is running finish (a lapse check or a prune is one short transaction each) and runs
     * no more; interrupts it after ten seconds.
     */
    private void stopMaintenance() {
        maintenance.shutdown();
        try {
            if (!maintenance.awaitTermination(10, TimeUnit.SECONDS)) {
                maintenance.shutdownNow();
                maintenance.awaitTermination(2, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            maintenance.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Tells stream clients to reconnect in two seconds and closes their streams, stops accepting connections, lets
     * requests in flight finish for up to {@code tollgate.shutdown.grace.seconds}, and waits for a running maintenance
     * task (see {@link #stopMaintenance}).
     */
    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            notifyAll();
        }
        streams.close(STREAM_RETRY_AFTER_STOP);
        http.close();
        stopMaintenance();
        webhooks.close();
        flushClientStats();
        events.close();
        meterEvents.close();
        explainer.close();
        metrics.close();
        db.close();
        LOG.info("Tollgate server stopped");
    }
}
