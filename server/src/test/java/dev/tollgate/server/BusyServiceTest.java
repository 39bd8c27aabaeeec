package dev.tollgate.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.DynamicInput;
import dev.tollgate.Schema;
import dev.tollgate.ServerOptions;
import dev.tollgate.TollgateClient;
import dev.tollgate.runtime.InputValue;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Regression: a service that calls {@code flushLogs()} after every request, as the example does, used to send a log
 * batch per request; the server counted them against the same per-token allowance as snapshot fetches, so the fetch
 * after the next admin write got 429 and the change arrived only when the minute was over. The allowance here is 300
 * a minute instead of 3,000, so that the old behaviour used it up within the test's few seconds of load.
 */
class BusyServiceTest {
    private static final String OVERRIDE =
            "/v1/admin/environments/production/fields/entitlements.maxTeamSize/overrides/context.organization.id/org_42";
    private static final int THREADS = 2;
    private static final int REQUESTS_PER_THREAD = 3_000;

    @Test
    void serviceFlushingLogsAfterEveryRequest_underLoad_seesAnAdminWriteWithinOneSecond() throws Exception {
        try (TollgateServer server = TollgateServer.start(TestServers.config(TestServers.Storage.H2)
                .sdkRequestsPerMinute(300)
                .build())) {
            Api admin = TestServers.admin(server);
            assertThat(admin.put("/v1/admin/schema", TestServers.SCHEMA, "If-Match", "\"0\"")
                            .status())
                    .isEqualTo(200);
            String token = admin.post(
                            "/v1/admin/tokens", Map.of("name", "busy", "kind", "sdk", "environment", "production"))
                    .json()
                    .get("token")
                    .asText();
            try (TollgateClient client = client(server, token)) {
                assertThat(client.awaitReady(Duration.ofSeconds(5)).isReady()).isTrue();
                AtomicInteger served = new AtomicInteger();
                List<Thread> load = startLoad(client, served);
                while (served.get() < THREADS * REQUESTS_PER_THREAD / 2
                        && load.stream().anyMatch(Thread::isAlive)) {
                    Thread.sleep(10);
                }

                long micros = writeAndAwait(admin, client, 50);

                for (Thread thread : load) {
                    thread.join();
                }
                System.out.printf(
                        "FIGURE admin write -> visible in a service flushing its logs after each of %d requests"
                                + " (H2, loopback): %.2f ms%n",
                        served.get(), micros / 1000.0);
                assertThat(micros).as("write to visible, in microseconds").isLessThan(1_000_000);
            }
        }
    }

    private static TollgateClient client(TollgateServer server, String token) {
        // Evaluation logs go to the client's server by default, with the same token as the snapshot traffic.
        return TollgateClient.builder(Schema.parse(TestServers.SCHEMA, "schema.graphql"))
                .server(ServerOptions.builder(server.url(), token).build())
                .build();
    }

    /** Threads that each serve a bounded run of requests: an evaluation, then {@code flushLogs()}, not awaited. */
    private static List<Thread> startLoad(TollgateClient client, AtomicInteger served) {
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            Thread thread = new Thread(() -> {
                for (int i = 0; i < REQUESTS_PER_THREAD; i++) {
                    client.root(org42(client)).intValue("entitlements.maxTeamSize", 5);
                    client.flushLogs();
                    served.incrementAndGet();
                    pause();
                }
            });
            thread.start();
            threads.add(thread);
        }
        return threads;
    }

    /** Sets org_42's team size to {@code value} and returns the microseconds until the client answers it (at most 5 s). */
    private static long writeAndAwait(Api admin, TollgateClient client, int value) throws InterruptedException {
        long revision = admin.get("/v1/admin/environments/production")
                .json()
                .get("revision")
                .asLong();
        long start = System.nanoTime();
        Api.Response set = admin.put(OVERRIDE, Map.of("value", value), "If-Match", Api.ifMatch(revision));
        assertThat(set.status()).as(set.toString()).isEqualTo(200);
        long deadline = start + TimeUnit.SECONDS.toNanos(5);
        while (client.root(org42(client)).intValue("entitlements.maxTeamSize", 5) != value
                && System.nanoTime() < deadline) {
            Thread.sleep(0, 200_000);
        }
        return (System.nanoTime() - start) / 1_000;
    }

    private static InputValue org42(TollgateClient client) {
        return DynamicInput.context(
                client.schema(),
                Map.of("organization", Map.of("id", "org_42", "plan", "PRO"), "user", Map.of("id", "u1")));
    }

    private static void pause() {
        try {
            Thread.sleep(0, 500_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
