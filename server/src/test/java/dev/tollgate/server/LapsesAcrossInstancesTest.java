package dev.tollgate.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
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
import org.junit.jupiter.api.Test;

/**
 * Several server instances on one PostgreSQL, on one clock: each lapse is recorded exactly once however many instances
 * check at the same moment and across a restart, and expired rows are pruned in exactly one revision.
 */
class LapsesAcrossInstancesTest {
    private static final String TABLE =
            "/v1/admin/environments/production/fields/entitlements.maxTeamSize/overrides/context.organization.id/";

    @Test
    void twoInstancesCheckingAtOnce_andARestart_recordEachLapseOnce_andPruneOnce() throws Exception {
        ManualClock clock = ManualClock.at(Instant.parse("2026-12-01T00:00:00Z"));
        ServerConfig config = TestServers.config(TestServers.Storage.POSTGRES)
                .lapseCheckInterval(Duration.ofHours(1))
                .build();
        TollgateServer first = TollgateServer.start(config, clock);
        TollgateServer second = TollgateServer.start(config, clock);
        try {
            Api admin = TestServers.admin(first);
            assertThat(admin.put("/v1/admin/schema", TestServers.SCHEMA, "If-Match", "\"0\"")
                            .status())
                    .isEqualTo(200);
            Instant until = clock.instant().plus(Duration.ofDays(1));
            for (int i = 0; i < 10; i++) {
                long revision = admin.get("/v1/admin/environments/production")
                        .json()
                        .get("revision")
                        .asLong();
                Api.Response set = admin.put(
                        TABLE + "org_" + i,
                        Map.of("value", 10 + i, "until", until.plusSeconds(i).toString()),
                        "If-Match",
                        Api.ifMatch(revision));
                assertThat(set.status()).as(set.toString()).isEqualTo(200);
            }
            clock.set(until.plus(Duration.ofMinutes(1)));

            atOnce(first::checkWindows, second::checkWindows);

            assertThat(entries(admin, "override.lapsed")).hasSize(10);
            second.close();
            try (TollgateServer restarted = TollgateServer.start(config, clock)) {
                restarted.checkWindows();
                first.checkWindows();
                assertThat(entries(admin, "override.lapsed")).hasSize(10);

                clock.advance(Duration.ofDays(30));
                atOnce(first::checkWindows, restarted::checkWindows);
                first.checkWindows();
                restarted.checkWindows();
            }

            assertThat(entries(admin, "override.pruned")).hasSize(1);
            assertThat(entries(admin, "override.lapsed"))
                    .extracting(entry -> entry.get("target").asText())
                    .doesNotHaveDuplicates()
                    .hasSize(10);
            JsonNode logic =
                    admin.get("/v1/admin/environments/production/logic").json();
            assertThat(logic.path("fields").has("entitlements.maxTeamSize")).isFalse();
        } finally {
            first.close();
            second.close();
        }
    }

    /** Runs the tasks on their own threads, released together. */
    private static void atOnce(Runnable... tasks) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(tasks.length);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<?>> running = new ArrayList<>();
        for (Runnable task : tasks) {
            running.add(pool.submit(() -> {
                start.await();
                task.run();
                return null;
            }));
        }
        start.countDown();
        for (Future<?> future : running) {
            future.get(30, TimeUnit.SECONDS);
        }
        pool.shutdown();
    }

    private static List<JsonNode> entries(Api admin, String action) {
        List<JsonNode> found = new ArrayList<>();
        admin.get("/v1/admin/audit?environment=production&limit=1000")
                .json()
                .get("entries")
                .forEach(entry -> {
                    if (entry.get("action").asText().equals(action)) {
                        found.add(entry);
                    }
                });
        return found;
    }
}
