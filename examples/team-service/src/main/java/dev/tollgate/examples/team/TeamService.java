package dev.tollgate.examples.team;

import com.sun.net.httpserver.HttpServer;
import dev.tollgate.ReadyResult;
import dev.tollgate.ServerOptions;
import dev.tollgate.examples.team.domain.Organizations;
import dev.tollgate.examples.team.domain.Teams;
import dev.tollgate.examples.team.flags.Tollgate;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The example team service: an HTTP API whose team-size limit, API quota and version-history gate come from Tollgate.
 *
 * <p>By default it runs on its embedded snapshot, baked in at build time, and follows the snapshot file next to it
 * ({@code examples/team-service/tollgate/snapshot.json}): edit the file and the next request sees the change. Set
 * {@code TOLLGATE_SERVER_URL} and {@code TOLLGATE_SDK_TOKEN} to follow a Tollgate server instead. {@code BIND} is the
 * address to listen on (default {@value #DEFAULT_BIND}, every interface) and {@code PORT} the port (default 8080).
 */
public final class TeamService implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(TeamService.class);
    private static final int THREADS = 8;
    static final String DEFAULT_BIND = "0.0.0.0";
    static final String NODELAY_PROPERTY = "sun.net.httpserver.nodelay";

    static {
        // The JDK's HTTP server reads this once, when it first starts a server: without it, a small response on a
        // kept-alive connection waits for the client's delayed ACK (Nagle's algorithm), about 40 ms per request.
        if (System.getProperty(NODELAY_PROPERTY) == null) {
            System.setProperty(NODELAY_PROPERTY, "true");
        }
    }

    private final Tollgate tollgate;
    private final HttpServer server;
    private final ExecutorService executor;

    private TeamService(Tollgate tollgate, HttpServer server, ExecutorService executor) {
        this.tollgate = tollgate;
        this.server = server;
        this.executor = executor;
    }

    public static void main(String[] args) {
        Settings settings = Settings.from(System.getenv());
        Tollgate tollgate = settings.tollgate();
        ReadyResult ready = tollgate.client().awaitReady(Duration.ofSeconds(5));
        TeamService service = start(tollgate, settings.bind(), settings.port());
        Runtime.getRuntime().addShutdownHook(new Thread(service::close, "team-service-shutdown"));
        System.out.println("Team service listening on http://" + settings.bind() + ":" + service.port());
        System.out.println("Entitlements: " + settings.describeSource() + "; " + ready);
    }

    /**
     * Starts the API on every interface at {@code port} (0 for any free port) over {@code tollgate}, which the service
     * closes.
     */
    public static TeamService start(Tollgate tollgate, int port) {
        return start(tollgate, DEFAULT_BIND, port);
    }

    /** Starts the API on address {@code bind} at {@code port} (0 for any free port) over {@code tollgate}. */
    public static TeamService start(Tollgate tollgate, String bind, int port) {
        HttpServer server;
        try {
            server = HttpServer.create(new InetSocketAddress(bind, port), 0);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen on " + bind + " port " + port + ": " + e.getMessage(), e);
        }
        ExecutorService executor =
                new ThreadPoolExecutor(THREADS, THREADS, 0, TimeUnit.SECONDS, new LinkedBlockingQueue<>(1_000));
        TeamApi api = new TeamApi(tollgate, Organizations.demo(), new Teams());
        server.createContext("/api/", api::handle);
        server.setExecutor(executor);
        server.start();
        return new TeamService(tollgate, server, executor);
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /** The address the service listens on. */
    InetSocketAddress address() {
        return server.getAddress();
    }

    /** Stops taking requests, then closes Tollgate, which flushes the evaluation logs. */
    @Override
    public void close() {
        server.stop(0);
        executor.shutdown();
        try {
            if (!executor.awaitTermination(5, TimeUnit.SECONDS)) {
                executor.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        tollgate.close();
        LOG.info("Team service stopped");
    }

    /** Where the service gets its entitlements from, read from the environment. */
    record Settings(String bind, int port, Path snapshotFile, String serverUrl, String sdkToken, String environment) {

        static Settings from(Map<String, String> env) {
            int port = Integer.parseInt(env.getOrDefault("PORT", "8080"));
            Path file = env.containsKey("TOLLGATE_SNAPSHOT_FILE")
                    ? Path.of(env.get("TOLLGATE_SNAPSHOT_FILE"))
                    : defaultSnapshotFile();
            return new Settings(
                    env.getOrDefault("BIND", DEFAULT_BIND),
                    port,
                    file,
                    env.get("TOLLGATE_SERVER_URL"),
                    env.get("TOLLGATE_SDK_TOKEN"),
                    env.getOrDefault("TOLLGATE_ENVIRONMENT", "production"));
        }

        Tollgate tollgate() {
            Tollgate.Builder builder = Tollgate.builder();
            if (serverUrl != null) {
                if (sdkToken == null) {
                    throw new IllegalStateException("TOLLGATE_SERVER_URL is set but TOLLGATE_SDK_TOKEN is not");
                }
                builder.server(ServerOptions.builder(serverUrl, sdkToken)
                        .environment(environment)
                        .build());
            } else if (snapshotFile != null) {
                builder.snapshotFile(snapshotFile);
            }
            return builder.build();
        }

        String describeSource() {
            if (serverUrl != null) {
                return "Tollgate server " + serverUrl + " (environment " + environment + ")";
            }
            return snapshotFile == null
                    ? "the snapshot embedded at build time"
                    : "the snapshot embedded at build time, then " + snapshotFile + " (reloaded on change)";
        }

        /** {@code tollgate/snapshot.json} beside the module the jar was built in, when it is there. */
        private static Path defaultSnapshotFile() {
            try {
                Path jar = Path.of(TeamService.class
                        .getProtectionDomain()
                        .getCodeSource()
                        .getLocation()
                        .toURI());
                Path module = jar.getParent() == null ? null : jar.getParent().getParent();
                Path file = module == null ? null : module.resolve("tollgate").resolve("snapshot.json");
                return file != null && Files.isRegularFile(file) ? file : null;
            } catch (URISyntaxException | SecurityException e) {
                return null;
            }
        }
    }
}
