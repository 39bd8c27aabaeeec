package dev.tollgate.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Stored usage counters stop at {@link Long#MAX_VALUE} instead of overflowing into the database's error (a retryable
 * 503 for every later batch of that counter) or into negative counts, and sums read back over several saturated rows
 * stop there too. Batches cannot carry such counts (each item is at most 10^12), so the counters are brought near the
 * top directly in the database, as years of a very busy service, or many abusive batches, would.
 */
class UsageCounterSaturationTest {

    @ParameterizedTest
    @EnumSource(TestServers.Storage.class)
    void countersSaturateAtTheLongMaximum_andSoDoTheirSums(TestServers.Storage storage) throws IOException {
        ServerConfig config = TestServers.config(storage).build();
        try (TollgateServer server = TollgateServer.start(config);
                Database db = Database.open(config)) {
            Api admin = TestServers.admin(server);
            Api.Response created =
                    admin.post("/v1/admin/tokens", Map.of("name", "svc", "kind", "sdk", "environment", "production"));
            assertThat(created.status()).as(created.toString()).isEqualTo(201);
            Api sdk = admin.as(created.json().get("token").asText());
            Instant hour = Instant.now().truncatedTo(ChronoUnit.HOURS);
            Instant earlier = hour.minus(1, ChronoUnit.HOURS);
            long limit = UsageStore.MAX_COUNT;

            assertThat(post(sdk, "b-1", earlier, 5, 3).status()).isEqualTo(202);
            assertThat(post(sdk, "b-2", hour, 5, 3).status()).isEqualTo(202);
            // Near the top: evaluation and message counters 10 below it, exposure counters (one per item) 1 below.
            db.transaction(c -> {
                for (Map.Entry<String, Long> e : Map.of(
                                "usage_counts", Long.MAX_VALUE - 10,
                                "sdk_messages", Long.MAX_VALUE - 10,
                                "exposure_counts", Long.MAX_VALUE - 1)
                        .entrySet()) {
                    try (PreparedStatement s = c.prepareStatement("UPDATE " + e.getKey() + " SET n = ?")) {
                        s.setLong(1, e.getValue());
                        assertThat(s.executeUpdate()).isPositive();
                    }
                }
                return null;
            });
            Api.Response full = post(sdk, "b-3", hour, limit, limit);
            Api.Response more = post(sdk, "b-4", hour, 1, 1);

            assertThat(full.status()).as(full.toString()).isEqualTo(202);
            assertThat(more.status()).as(more.toString()).isEqualTo(202);
            assertThat(stored(db, "usage_counts", hour)).isEqualTo(Long.MAX_VALUE);
            assertThat(stored(db, "usage_counts", earlier)).isEqualTo(Long.MAX_VALUE - 10);
            assertThat(stored(db, "exposure_counts", hour)).isEqualTo(Long.MAX_VALUE);
            String env = "/v1/admin/environments/production";
            String window = "?from=" + earlier + "&to=" + hour.plus(1, ChronoUnit.HOURS);
            Api.Response hourly = admin.get(env + "/usage" + window + "&granularity=hour");
            Api.Response total = admin.get(env + "/usage" + window);
            Api.Response exposures = admin.get(env + "/exposures" + window);
            Api.Response messages = admin.get(env + "/messages");

            assertThat(hourly.status()).as(hourly.toString()).isEqualTo(200);
            assertThat(hourly.json().get("counts").findValuesAsText("count"))
                    .containsExactly("9223372036854775797", "9223372036854775807");
            assertThat(total.status()).as(total.toString()).isEqualTo(200);
            assertThat(total.json().at("/counts/0/count").asLong()).isEqualTo(Long.MAX_VALUE);
            assertThat(exposures.status()).as(exposures.toString()).isEqualTo(200);
            assertThat(exposures.json().at("/exposures/0/count").asLong()).isEqualTo(Long.MAX_VALUE);
            assertThat(messages.json().at("/messages/0/count").asLong()).isEqualTo(Long.MAX_VALUE);
        }
    }

    /** A batch at {@code hour}: one evaluation count, one exposure, one message with {@code messageCount}. */
    private static Api.Response post(Api sdk, String id, Instant hour, long count, long messageCount)
            throws IOException {
        String time = hour.plusSeconds(60).toString();
        String batch = "{\"batchId\": \"" + id + "\", \"windowStart\": \"" + time + "\", \"windowEnd\": \"" + time
                + "\", \"evaluations\": [{\"field\": \"entitlements.maxTeamSize\", \"outcome\": \"default\","
                + " \"count\": " + count + "}], \"exposures\": [{\"field\": \"entitlements.teamRolesEnabled\","
                + " \"rule\": \"rollout\", \"arm\": \"on\", \"unit\": \"" + id + "\", \"time\": \"" + time + "\"}],"
                + " \"messages\": [{\"level\": \"WARN\", \"message\": \"rejected a snapshot\", \"count\": "
                + messageCount + ", \"firstSeen\": \"" + time + "\", \"lastSeen\": \"" + time + "\"}]}";
        return ServerApiContract.postLogs(sdk, batch, id);
    }

    private static long stored(Database db, String table, Instant hour) {
        return db.read(c -> {
            try (PreparedStatement s = c.prepareStatement("SELECT n FROM " + table + " WHERE bucket_hour = ?")) {
                s.setTimestamp(1, Timestamp.from(hour));
                try (ResultSet r = s.executeQuery()) {
                    assertThat(r.next()).isTrue();
                    long n = r.getLong(1);
                    assertThat(r.next()).isFalse();
                    return n;
                }
            }
        });
    }
}
