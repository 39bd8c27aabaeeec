package dev.tollgate.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.DynamicInput;
import dev.tollgate.LogOptions;
import dev.tollgate.Schema;
import dev.tollgate.ServerOptions;
import dev.tollgate.TollgateClient;
import dev.tollgate.internal.ApiAccess;
import dev.tollgate.runtime.Consumption;
import dev.tollgate.runtime.FieldReader;
import dev.tollgate.runtime.MeteredLimit;
import dev.tollgate.testing.ManualClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * Three SDK clients against one server consume one organization's metered limit of 1,000 concurrently, each at most
 * {@link #RATE} a second: the fleet grants at least the limit and no more than the bound of {@code docs/metering.md},
 * {@code limit + (N - 1) * r * L} with {@code L = 2 * usageInterval + 2 * round trip}; the server counts every grant
 * exactly once; and when the period ends (the clients' clock moves a day on) all three allow again. Prints the granted
 * total, the bound and the limit. Run on H2 and on PostgreSQL.
 */
abstract class MeteredFleetContract {
    static final String SCHEMA = TestServers.SCHEMA.replace(
            "maxApiRequestsPerDay(endpoint: String!): Int!",
            "maxApiRequestsPerDay(endpoint: String!): Int! @metered(period: DAY, by: \"context.organization.id\")");
    static final String FIELD = "entitlements.maxApiRequestsPerDay";
    static final int LIMIT = 1_000;
    static final int CLIENTS = 3;
    /** Grants per second one client makes at most: one call, then a 5 ms pause. */
    static final int RATE = 200;

    static final Duration USAGE_INTERVAL = Duration.ofMillis(100);
    /** A loopback round trip with a database write, generously: CI machines are busy. */
    static final Duration ROUND_TRIP = Duration.ofMillis(100);
    /** Denials in a row after which a client stops: by then every report has come back. */
    static final int DENIALS_TO_STOP = 40;

    static TollgateServer server;
    static Api admin;
    static String sdkToken;
    static String storage;

    static void startServer(TestServers.Storage kind) {
        storage = kind.name();
        server = TestServers.start(kind);
        admin = TestServers.admin(server);
        assertThat(admin.put("/v1/admin/schema", SCHEMA, "If-Match", "\"0\"").status())
                .isEqualTo(200);
        Map<String, Object> logic = Map.of("fields", Map.of(FIELD, Map.of("default", LIMIT)));
        Api.Response seeded = admin.put("/v1/admin/environments/production/logic", logic, "If-Match", "\"1\"");
        assertThat(seeded.status()).as(seeded.toString()).isEqualTo(200);
        sdkToken = TestServers.sdkToken(admin, "fleet");
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    private static TollgateClient client(ManualClock clock) {
        TollgateClient client = TollgateClient.builder(Schema.parse(SCHEMA, "schema.graphql"))
                .server(ServerOptions.builder(server.url(), sdkToken)
                        .usagePollInterval(Duration.ofMillis(200))
                        .build())
                .logs(LogOptions.builder().usageInterval(USAGE_INTERVAL).build())
                .clock(clock)
                .build();
        assertThat(client.awaitReady(Duration.ofSeconds(10)).isReady()).isTrue();
        return client;
    }

    private static MeteredLimit search(TollgateClient client, String organization) {
        FieldReader reader = ApiAccess.bind(
                client,
                DynamicInput.context(
                        client.schema(),
                        Map.of("organization", Map.of("id", organization, "plan", "FREE"), "user", Map.of("id", "u"))));
        return MeteredLimit.of(reader, ApiAccess.model(client.schema()).fieldIndex(FIELD), new Object[] {"search"});
    }

    @Test
    void threeClients_consumingConcurrently_grantWithinTheBound_countedOnce_andAgainAfterTheReset() throws Exception {
        ManualClock clock = ManualClock.at(Instant.now());
        List<TollgateClient> clients = new ArrayList<>();
        ExecutorService threads = Executors.newFixedThreadPool(CLIENTS);
        try {
            for (int i = 0; i < CLIENTS; i++) {
                clients.add(client(clock));
            }
            AtomicBoolean timeUp = new AtomicBoolean();
            CountDownLatch go = new CountDownLatch(1);
            List<Future<Integer>> granted = new ArrayList<>();
            for (TollgateClient client : clients) {
                granted.add(threads.submit(() -> consumeUntilDenied(client, go, timeUp)));
            }
            go.countDown();
            int total = 0;
            for (Future<Integer> one : granted) {
                total += one.get(60, TimeUnit.SECONDS);
            }
            for (TollgateClient client : clients) {
                client.flushLogs().get(10, TimeUnit.SECONDS);
            }
            double lag = 2 * USAGE_INTERVAL.toMillis() / 1000.0 + 2 * ROUND_TRIP.toMillis() / 1000.0;
            long bound = LIMIT + Math.round((CLIENTS - 1) * RATE * lag);
            System.out.printf(
                    "Metered fleet on %s: %d clients granted %d against a limit of %d; the bound is %d"
                            + " (limit + (N - 1) * r * L = %d + %d * %d/s * %.2f s)%n",
                    storage, CLIENTS, total, LIMIT, bound, LIMIT, CLIENTS - 1, RATE, lag);

            assertThat(timeUp)
                    .as("every client saw the limit within the time allowed")
                    .isFalse();
            assertThat(total).isBetween(LIMIT, (int) bound);
            assertThat(serverUsed("org_fleet"))
                    .as("the server counts each grant once")
                    .isEqualTo(total);

            clock.advance(Duration.ofDays(1));
            for (TollgateClient client : clients) {
                Consumption next = search(client, "org_fleet").tryConsume(1, 5);
                assertThat(next.status()).as(next.toString()).isEqualTo(Consumption.Status.ALLOWED);
                assertThat(next.used()).isBetween(1L, (long) CLIENTS);
            }
        } finally {
            threads.shutdownNow();
            clients.forEach(TollgateClient::close);
        }
    }

    /** Consumes one at a time, pausing 5 ms, until {@link #DENIALS_TO_STOP} denials in a row; returns the grants. */
    private static int consumeUntilDenied(TollgateClient client, CountDownLatch go, AtomicBoolean timeUp)
            throws InterruptedException {
        go.await();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        int granted = 0;
        int denials = 0;
        AtomicInteger calls = new AtomicInteger();
        while (denials < DENIALS_TO_STOP) {
            if (System.nanoTime() > deadline) {
                timeUp.set(true);
                break;
            }
            calls.incrementAndGet();
            if (search(client, "org_fleet").tryConsume(1, 5).allowed()) {
                granted++;
                denials = 0;
            } else {
                denials++;
            }
            Thread.sleep(1000 / RATE);
        }
        return granted;
    }

    /** The fleet's usage of the organization's searches today, as the server's usage feed reports it. */
    private static long serverUsed(String organization) {
        JsonNode rows =
                new Api(server.url(), sdkToken).get("/v1/usage?since=0").json().get("usage");
        long used = -1;
        for (JsonNode row : rows) {
            if (row.get("field").asText().equals(FIELD)
                    && row.get("key").asText().equals(organization)) {
                used = row.get("used").asLong();
            }
        }
        return used;
    }
}
