package dev.tollgate.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Many open streams: 5,000 SSE clients on one server instance, then 5,000 split over two instances on one PostgreSQL,
 * each server in a JVM of its own so that its resident memory and threads are its own. Clients are one NIO selector
 * thread in the test's JVM, on loopback. For each of ten writes (an override row set through the admin API of the
 * first instance), the time from sending the write to each client reading the new revision's event is measured; the
 * test prints, per setup, the median and 99th percentile of those times over all notifications, the median and worst
 * of the time until the last client of a write, and the servers' RSS and thread counts with every stream open. It
 * checks that every client got every revision and that the streams hold no threads (a server's thread count stays
 * that of an idle server, whatever the number of streams). The figures in {@code docs/server.md} come from it.
 *
 * <p>Bounded: it opens at most {@code tollgate.load.clients} connections (5,000), stops by itself within a few minutes,
 * and uses loopback only.
 */
class StreamLoadTest {
    private static final int CLIENTS = Integer.getInteger("tollgate.load.clients", 5_000);
    private static final int WRITES = 10;
    private static final Pattern REVISION = Pattern.compile("\"revision\": (\\d+)\\}");

    @Test
    void fiveThousandStreams_onOneInstance() throws Exception {
        Path data = Files.createTempDirectory("tollgate-load-");
        try (ServerProcess server = ServerProcess.start(Map.of("TOLLGATE_DATA_DIR", data.toString()))) {
            run("one instance, H2", List.of(server));
        }
    }

    @Test
    void fiveThousandStreams_onTwoInstances_onePostgres() throws Exception {
        String url = PostgresCluster.get().newDatabase();
        try (ServerProcess first = ServerProcess.start(Map.of("TOLLGATE_DB_URL", url));
                ServerProcess second = ServerProcess.start(Map.of("TOLLGATE_DB_URL", url))) {
            run("two instances, PostgreSQL", List.of(first, second));
        }
    }

    private static void run(String setup, List<ServerProcess> servers) throws Exception {
        Api admin = new Api(servers.get(0).url, TestServers.ADMIN_TOKEN);
        Api.Response schema = admin.put("/v1/admin/schema", TestServers.SCHEMA, "If-Match", "\"0\"");
        assertThat(schema.status()).as(schema.toString()).isEqualTo(200);
        String token = TestServers.sdkToken(admin, "load");
        long revision = admin.get("/v1/admin/environments/production")
                .json()
                .get("revision")
                .asLong();

        long idleThreads = servers.stream().mapToLong(ServerProcess::threads).sum();
        try (Clients clients = new Clients(CLIENTS)) {
            for (int i = 0; i < CLIENTS; i++) {
                URI uri = URI.create(servers.get(i % servers.size()).url);
                clients.connect(new InetSocketAddress(uri.getHost(), uri.getPort()), token);
            }
            clients.awaitRevision(revision, TimeUnit.SECONDS.toNanos(120));
            assertThat(clients.connected())
                    .as("clients connected and told the current revision")
                    .isEqualTo(CLIENTS);

            long rss = servers.stream().mapToLong(ServerProcess::rssKiB).sum();
            long threads = servers.stream().mapToLong(ServerProcess::threads).sum();
            List<Long> all = new ArrayList<>();
            long[] last = new long[WRITES];
            for (int w = 0; w < WRITES; w++) {
                long sent = System.nanoTime();
                Api.Response set = admin.put(
                        "/v1/admin/environments/production/fields/entitlements.maxTeamSize/overrides"
                                + "/context.organization.id/org_" + w,
                        Map.of("value", 10 + w),
                        "If-Match",
                        Api.ifMatch(revision));
                assertThat(set.status()).as(set.toString()).isEqualTo(200);
                revision++;
                long[] arrivals = clients.awaitRevision(revision, TimeUnit.SECONDS.toNanos(60));
                for (long arrival : arrivals) {
                    all.add(arrival - sent);
                }
                last[w] = Arrays.stream(arrivals).max().orElseThrow() - sent;
            }
            all.sort(null);
            Arrays.sort(last);
            System.out.printf(
                    "streams (%s): %d clients, %d writes; write -> client notified: median %.1f ms, p99 %.1f ms;"
                            + " write -> last client: median %.1f ms, worst %.1f ms; servers: RSS %d MiB, %d threads"
                            + " with the streams open (%d before)%n",
                    setup,
                    CLIENTS,
                    WRITES,
                    all.get(all.size() / 2) / 1e6,
                    all.get((int) Math.ceil(all.size() * 0.99) - 1) / 1e6,
                    last[WRITES / 2] / 1e6,
                    last[WRITES - 1] / 1e6,
                    rss / 1024,
                    threads,
                    idleThreads);
            assertThat(all).hasSize(CLIENTS * WRITES);
            // The streams hold no thread: the count is that of the servers before they opened, within the pools'
            // growth under the connect burst (each pool is bounded by tollgate.http.threads + 8).
            assertThat(threads).isLessThan(idleThreads + servers.size() * 40L);
        }
    }

    /** Stream clients on one selector thread: connect, send the request, and note when each reads each revision. */
    private static final class Clients implements AutoCloseable {
        private final Selector selector = Selector.open();
        private final List<Client> clients = new ArrayList<>();
        private final ByteBuffer buffer = ByteBuffer.allocateDirect(64 * 1024);

        Clients(int capacity) throws IOException {
            ((ArrayList<Client>) clients).ensureCapacity(capacity);
        }

        void connect(InetSocketAddress address, String token) throws IOException {
            SocketChannel channel = SocketChannel.open();
            channel.configureBlocking(false);
            Client client = new Client(
                    clients.size(),
                    ("GET /v1/stream HTTP/1.1\r\nHost: " + address.getHostString() + "\r\nAuthorization: Bearer "
                                    + token + "\r\nAccept: text/event-stream\r\n\r\n")
                            .getBytes(StandardCharsets.US_ASCII));
            clients.add(client);
            channel.connect(address);
            channel.register(selector, SelectionKey.OP_CONNECT, client);
            if (clients.size() % 250 == 0) {
                poll(0); // let connections complete as they are opened, so the backlog never overflows
            }
        }

        int connected() {
            return (int) clients.stream().filter(c -> c.latest > 0).count();
        }

        /** Reads until every client has seen {@code revision}; returns when each saw it, in nanoTime. */
        long[] awaitRevision(long revision, long timeoutNanos) throws IOException {
            long deadline = System.nanoTime() + timeoutNanos;
            while (clients.stream().anyMatch(c -> c.latest < revision)) {
                if (System.nanoTime() > deadline) {
                    long missing =
                            clients.stream().filter(c -> c.latest < revision).count();
                    throw new AssertionError(missing + " of " + clients.size() + " clients did not get revision "
                            + revision + "; first failure: "
                            + clients.stream()
                                    .filter(c -> c.failure != null)
                                    .map(c -> c.failure)
                                    .findFirst()
                                    .orElse("none"));
                }
                poll(100);
            }
            long[] arrivals = new long[clients.size()];
            for (int i = 0; i < arrivals.length; i++) {
                arrivals[i] = clients.get(i).arrivals.get(revision);
            }
            return arrivals;
        }

        private void poll(long millis) throws IOException {
            if (millis == 0 ? selector.selectNow() == 0 : selector.select(millis) == 0) {
                return;
            }
            long now = System.nanoTime();
            for (SelectionKey key : selector.selectedKeys()) {
                Client client = (Client) key.attachment();
                SocketChannel channel = (SocketChannel) key.channel();
                try {
                    if (key.isConnectable()) {
                        channel.finishConnect();
                        channel.write(ByteBuffer.wrap(client.request));
                        key.interestOps(SelectionKey.OP_READ);
                    } else if (key.isReadable()) {
                        buffer.clear();
                        int n = channel.read(buffer);
                        if (n < 0) {
                            client.failure = "client " + client.index + ": the server closed the stream";
                            key.cancel();
                            channel.close();
                            continue;
                        }
                        buffer.flip();
                        client.read(StandardCharsets.US_ASCII.decode(buffer), now);
                    }
                } catch (IOException e) {
                    client.failure = "client " + client.index + ": " + e;
                    key.cancel();
                    channel.close();
                }
            }
            selector.selectedKeys().clear();
        }

        @Override
        public void close() throws IOException {
            for (SelectionKey key : selector.keys()) {
                key.channel().close();
            }
            selector.close();
        }
    }

    private static final class Client {
        final int index;
        final byte[] request;
        final Map<Long, Long> arrivals = new java.util.HashMap<>();
        final StringBuilder pending = new StringBuilder();
        long latest;
        String failure;

        Client(int index, byte[] request) {
            this.index = index;
            this.request = request;
        }

        /** Notes each revision event in {@code text}; an event may be split across reads. */
        void read(CharSequence text, long now) {
            pending.append(text);
            Matcher matcher = REVISION.matcher(pending);
            int end = 0;
            while (matcher.find()) {
                long revision = Long.parseLong(matcher.group(1));
                arrivals.putIfAbsent(revision, now);
                latest = Math.max(latest, revision);
                end = matcher.end();
            }
            // Keep only a tail that could hold the start of an event not yet complete.
            pending.delete(0, Math.max(end, pending.length() - 64));
        }
    }

    /** A server in a JVM of its own, started from the test's class path, with an admin token and no rate limit. */
    private static final class ServerProcess implements AutoCloseable {
        final Process process;
        final String url;

        private ServerProcess(Process process, String url) {
            this.process = process;
            this.url = url;
        }

        static ServerProcess start(Map<String, String> settings) throws IOException, InterruptedException {
            Path java = Path.of(System.getProperty("java.home"), "bin", "java");
            ProcessBuilder builder = new ProcessBuilder(
                            java.toString(),
                            "-Xmx512m",
                            "-cp",
                            System.getProperty("java.class.path"),
                            Main.class.getName())
                    .redirectErrorStream(true);
            Map<String, String> env = builder.environment();
            env.keySet().removeIf(name -> name.startsWith("TOLLGATE_"));
            env.put("TOLLGATE_BIND", "127.0.0.1");
            env.put("TOLLGATE_PORT", "0");
            env.put("TOLLGATE_INITIAL_ADMIN_TOKEN", TestServers.ADMIN_TOKEN);
            env.put("TOLLGATE_SDK_REQUESTS_PER_MINUTE", "1000000");
            env.put("TOLLGATE_MAX_STREAMS", "20000");
            env.put("TOLLGATE_POLL_SECONDS", "600");
            env.putAll(settings);
            Process process = builder.start();
            BufferedReader out =
                    new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
            CompletableFuture<String> url = new CompletableFuture<>();
            Thread reader = new Thread(
                    () -> {
                        try {
                            for (String line; (line = out.readLine()) != null; ) {
                                if (line.startsWith("Tollgate server running at ")) {
                                    url.complete(line.substring("Tollgate server running at ".length())
                                            .strip());
                                }
                            }
                        } catch (IOException e) {
                            // the process ended
                        }
                        url.completeExceptionally(new IllegalStateException("the server process ended"));
                    },
                    "load-server-output");
            reader.setDaemon(true);
            reader.start();
            try {
                return new ServerProcess(process, url.get(60, TimeUnit.SECONDS));
            } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                process.destroyForcibly();
                throw new IllegalStateException("the server did not start: " + e.getMessage(), e);
            }
        }

        long rssKiB() {
            return status("VmRSS:");
        }

        long threads() {
            return status("Threads:");
        }

        private long status(String field) {
            try {
                for (String line : Files.readAllLines(Path.of("/proc/" + process.pid() + "/status"))) {
                    if (line.startsWith(field)) {
                        return Long.parseLong(
                                line.substring(field.length()).replace("kB", "").strip());
                    }
                }
            } catch (IOException e) {
                throw new IllegalStateException("cannot read the server's /proc status", e);
            }
            throw new IllegalStateException("no " + field + " in the server's /proc status");
        }

        @Override
        public void close() {
            process.destroy();
            try {
                if (!process.waitFor(30, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
    }
}
