package dev.tollgate.server;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * A throwaway PostgreSQL cluster for the tests: {@code initdb} in a temporary directory, {@code pg_ctl start} on a free
 * loopback port, one fresh database per caller, stopped and deleted when the JVM exits. The binaries come from {@code
 * TOLLGATE_PG_BIN}, else the newest {@code /usr/lib/postgresql/<version>/bin}. As root, PostgreSQL is run as the {@code
 * postgres} OS user through {@code runuser}. If it cannot start, the tests fail with the reason: they never skip.
 */
final class PostgresCluster {
    private static final AtomicInteger DATABASES = new AtomicInteger();
    private static PostgresCluster instance;

    private final Path bin;
    private final Path dir;
    private final int port;
    private final boolean asPostgresUser;

    private PostgresCluster(Path bin, Path dir, int port, boolean asPostgresUser) {
        this.bin = bin;
        this.dir = dir;
        this.port = port;
        this.asPostgresUser = asPostgresUser;
    }

    /** The shared cluster, started on first use. */
    static synchronized PostgresCluster get() {
        if (instance == null) {
            instance = start();
            Runtime.getRuntime().addShutdownHook(new Thread(instance::stop, "postgres-stop"));
        }
        return instance;
    }

    /** A JDBC URL of a new, empty database in the cluster. */
    String newDatabase() {
        String name = "tollgate_test_" + DATABASES.incrementAndGet();
        try (Connection c = DriverManager.getConnection(url("postgres"), "postgres", "");
                Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create test database " + name + ": " + e.getMessage(), e);
        }
        return url(name);
    }

    String url(String database) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + database + "?user=postgres";
    }

    private static PostgresCluster start() {
        Path bin = findBin();
        boolean root = "root".equals(System.getProperty("user.name"));
        try {
            Path dir = Files.createTempDirectory("tollgate-pg-");
            Path data = dir.resolve("data");
            if (root) {
                run(List.of("chown", "postgres:postgres", dir.toString()), false, dir);
            }
            int port = freePort();
            PostgresCluster cluster = new PostgresCluster(bin, dir, port, root);
            cluster.pg(List.of(
                    bin.resolve("initdb").toString(),
                    "-D",
                    data.toString(),
                    "-U",
                    "postgres",
                    "-A",
                    "trust",
                    "-E",
                    "UTF8",
                    "--no-sync"));
            cluster.pg(List.of(
                    bin.resolve("pg_ctl").toString(),
                    "-D",
                    data.toString(),
                    "-l",
                    dir.resolve("postgres.log").toString(),
                    "-w",
                    "-t",
                    "60",
                    "-o",
                    "-p " + port + " -k " + dir + " -c listen_addresses=127.0.0.1 -c fsync=off"
                            + " -c synchronous_commit=off -c full_page_writes=off -c max_connections=200",
                    "start"));
            return cluster;
        } catch (IOException e) {
            throw new IllegalStateException("cannot start PostgreSQL for the tests: " + e.getMessage(), e);
        }
    }

    private static Path findBin() {
        String configured = System.getenv("TOLLGATE_PG_BIN");
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured);
        }
        Path base = Path.of("/usr/lib/postgresql");
        if (Files.isDirectory(base)) {
            try (Stream<Path> versions = Files.list(base)) {
                List<Path> candidates = versions.map(v -> v.resolve("bin"))
                        .filter(b -> Files.isExecutable(b.resolve("initdb")))
                        .sorted(Comparator.comparing(p -> Integer.parseInt(
                                p.getParent().getFileName().toString().replaceAll("\\D", "0"))))
                        .toList();
                if (!candidates.isEmpty()) {
                    return candidates.get(candidates.size() - 1);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        throw new IllegalStateException("PostgreSQL is required for the server tests but no initdb was found under"
                + " /usr/lib/postgresql/<version>/bin; install it (apt-get install -y postgresql) or set"
                + " TOLLGATE_PG_BIN to the directory holding initdb and pg_ctl");
    }

    private void pg(List<String> command) throws IOException {
        run(command, asPostgresUser, dir);
    }

    private static void run(List<String> command, boolean asPostgres, Path dir) throws IOException {
        List<String> full = new ArrayList<>();
        if (asPostgres) {
            full.addAll(List.of("runuser", "-u", "postgres", "--"));
        }
        full.addAll(command);
        Process process = new ProcessBuilder(full)
                .directory(dir.toFile())
                .redirectErrorStream(true)
                .start();
        try {
            if (!process.waitFor(90, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IOException(String.join(" ", full) + " did not finish in 90 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (process.exitValue() != 0) {
            String log = "";
            Path logFile = dir.resolve("postgres.log");
            if (Files.exists(logFile)) {
                log = "\nserver log:\n" + Files.readString(logFile);
            }
            throw new IOException(
                    String.join(" ", full) + " failed with exit code " + process.exitValue() + ":\n" + output + log);
        }
    }

    private void stop() {
        try {
            pg(List.of(
                    bin.resolve("pg_ctl").toString(),
                    "-D",
                    dir.resolve("data").toString(),
                    "-m",
                    "immediate",
                    "-w",
                    "stop"));
        } catch (IOException e) {
            System.err.println("could not stop the test PostgreSQL: " + e.getMessage());
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            System.err.println("could not delete " + dir + ": " + e.getMessage());
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
