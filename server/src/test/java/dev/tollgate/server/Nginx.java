package dev.tollgate.server;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real nginx for the tests, started as a child process with {@code docs/nginx/tollgate-cache.conf} (the
 * configuration {@code docs/server.md} documents) pointed at a test server: the file is included as is, except for the
 * origin's address, the listening port and the cache directories, which move into a temporary directory together with
 * the pid file, the logs and nginx's temporary files. The binary is {@code TOLLGATE_NGINX}, else {@code nginx} from
 * {@code /usr/sbin} or the {@code PATH} (Debian: {@code apt-get install -y nginx}). Without it the test fails saying
 * so: it never skips.
 */
final class Nginx implements AutoCloseable {
    static final Path CONFIG = Path.of("../docs/nginx/tollgate-cache.conf");

    private final Path dir;
    private final Process process;
    private final int port;

    private Nginx(Path dir, Process process, int port) {
        this.dir = dir;
        this.process = process;
        this.port = port;
    }

    /** Starts nginx with the documented configuration in front of the server listening on {@code originPort}. */
    static Nginx start(int originPort) throws IOException, InterruptedException {
        Path binary = binary();
        Path dir = Files.createTempDirectory("tollgate-nginx-");
        int port = freePort();
        String site = Files.readString(CONFIG, StandardCharsets.UTF_8);
        site = replace(site, "server 127.0.0.1:8080;", "server 127.0.0.1:" + originPort + ";");
        site = replace(site, "listen 8081;", "listen 127.0.0.1:" + port + ";");
        site = replace(
                site,
                "/var/cache/nginx/tollgate-snapshots",
                dir.resolve("snapshots").toString());
        site = replace(site, "/run/nginx/tollgate-auth", dir.resolve("auth").toString());
        Files.writeString(dir.resolve("tollgate-cache.conf"), site);
        Files.writeString(dir.resolve("nginx.conf"), mainConfig(dir));
        Process process = new ProcessBuilder(
                        binary.toString(), "-p", dir.toString(), "-c", "nginx.conf", "-g", "daemon off;")
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("stdout.log").toFile())
                .start();
        Nginx nginx = new Nginx(dir, process, port);
        nginx.awaitListening();
        return nginx;
    }

    /**
     * The main configuration around the documented file: everything nginx writes stays in {@code dir}. As root, the
     * workers run as root too, since they write the caches into a directory only root may enter.
     */
    private static String mainConfig(Path dir) {
        String user = System.getProperty("user.name").equals("root") ? "user root;\n" : "";
        return user + "worker_processes 1;\n"
                + "pid " + dir.resolve("nginx.pid") + ";\n"
                + "error_log " + dir.resolve("error.log") + " info;\n"
                + "events { worker_connections 1024; }\n"
                + "http {\n"
                + "    access_log " + dir.resolve("access.log") + ";\n"
                + "    client_body_temp_path " + dir.resolve("client-body") + ";\n"
                + "    proxy_temp_path " + dir.resolve("proxy") + ";\n"
                + "    fastcgi_temp_path " + dir.resolve("fastcgi") + ";\n"
                + "    uwsgi_temp_path " + dir.resolve("uwsgi") + ";\n"
                + "    scgi_temp_path " + dir.resolve("scgi") + ";\n"
                + "    include " + dir.resolve("tollgate-cache.conf") + ";\n"
                + "}\n";
    }

    private static String replace(String config, String documented, String replacement) {
        if (!config.contains(documented)) {
            throw new IllegalStateException(CONFIG + " no longer contains \"" + documented
                    + "\", which the test replaces; update Nginx.java with the file");
        }
        return config.replace(documented, replacement);
    }

    private static Path binary() {
        String configured = System.getenv("TOLLGATE_NGINX");
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured);
        }
        Stream<Path> candidates = Stream.concat(
                Stream.of(Path.of("/usr/sbin/nginx")),
                Stream.of(System.getenv().getOrDefault("PATH", "").split(":"))
                        .filter(entry -> !entry.isEmpty())
                        .map(entry -> Path.of(entry, "nginx")));
        return candidates
                .filter(Files::isExecutable)
                .findFirst()
                .orElseThrow(() -> new IllegalStateException(
                        "nginx is not installed: the caching proxy test runs a real one (Debian: apt-get install -y"
                                + " nginx; .ci/run installs it), or set TOLLGATE_NGINX to the binary"));
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private void awaitListening() throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("nginx exited with " + process.exitValue() + " at start: " + logs());
            }
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return;
            } catch (IOException notYet) {
                Thread.sleep(20);
            }
        }
        close();
        throw new IllegalStateException("nginx did not listen on port " + port + " within 10 s: " + logs());
    }

    /** What nginx printed and logged as errors, for failure messages. */
    String logs() {
        StringBuilder text = new StringBuilder();
        for (String name : List.of("stdout.log", "error.log")) {
            try {
                Path file = dir.resolve(name);
                if (Files.exists(file)) {
                    text.append(name)
                            .append(": ")
                            .append(Files.readString(file))
                            .append('\n');
                }
            } catch (IOException e) {
                text.append(name)
                        .append(": unreadable: ")
                        .append(e.getMessage())
                        .append('\n');
            }
        }
        return text.toString();
    }

    /** The base URL SDKs fetch snapshots from: {@code http://127.0.0.1:<port>}. */
    String url() {
        return "http://127.0.0.1:" + port;
    }

    /** Stops nginx (fast shutdown) and deletes its directory. */
    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder())
                    .forEach(file -> file.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
