package dev.tollgate.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code GET /v1/metrics}: what an instance has served and what its SDKs reported, in the Prometheus text format. */
class MetricsTest {
    private static final String BATCH =
            """
            {"batchId": "b-1", "sdk": {"name": "tollgate-java", "version": "0.1.0"}, "schemaHash": "sha256:x",
             "revision": 1, "windowStart": "2026-01-02T10:15:00Z", "windowEnd": "2026-01-02T10:15:05Z",
             "evaluations": [{"field": "entitlements.maxTeamSize", "outcome": "fallback:NO_LOGIC", "count": 3},
                             {"field": "entitlements.maxTeamSize", "outcome": "override", "count": 5}],
             "exposures": [], "messages": [], "dropped": {"exposures": 0, "messages": 0, "evaluations": 0},
             "usage": [{"field": "entitlements.maxApiRequestsPerDay", "arguments": {"endpoint": "search"},
                        "key": "org_1", "period": "DAY", "periodStart": "2026-01-02T00:00:00Z", "amount": 2},
                       {"field": "entitlements.maxApiRequestsPerDay", "arguments": {"endpoint": "export"},
                        "key": "org_1", "period": "DAY", "periodStart": "2026-01-02T00:00:00Z", "amount": 1}]}
            """;

    @Test
    void metrics_countRequestsByRouteAndStatus_andTheEvaluationsSdksReported() throws InterruptedException {
        try (TollgateServer server = TestServers.start(TestServers.Storage.H2)) {
            Api admin = TestServers.admin(server);
            admin.put("/v1/admin/schema", TestServers.SCHEMA, "If-Match", "\"0\"");
            long revision = admin.get("/v1/admin/environments/production")
                    .json()
                    .get("revision")
                    .asLong();
            Api sdk = admin.as(
                    admin.post("/v1/admin/tokens", Map.of("name", "svc", "kind", "sdk", "environment", "production"))
                            .json()
                            .get("token")
                            .asText());
            String etag = sdk.get("/v1/snapshot").header("ETag");
            assertThat(sdk.get("/v1/snapshot", "If-None-Match", etag).status()).isEqualTo(304);
            assertThat(sdk.post("/v1/logs", BATCH, "Content-Type", "application/json", "Idempotency-Key", "b-1")
                            .status())
                    .isEqualTo(202);
            assertThat(sdk.post("/v1/logs", BATCH, "Content-Type", "application/json", "Idempotency-Key", "b-1")
                            .json()
                            .get("duplicate")
                            .asBoolean())
                    .isTrue();
            admin.get("/no/such/endpoint");

            List<String> expected = List.of(
                    "# TYPE tollgate_http_requests_total counter",
                    "tollgate_http_requests_total{route=\"GET /v1/snapshot\",status=\"200\"} 1",
                    "tollgate_http_requests_total{route=\"GET /v1/snapshot\",status=\"304\"} 1",
                    "tollgate_http_requests_total{route=\"POST /v1/logs\",status=\"202\"} 2",
                    "tollgate_http_requests_total{route=\"unmatched\",status=\"404\"} 1",
                    "tollgate_streams_open 0",
                    "tollgate_environment_revision{environment=\"production\"} " + revision,
                    "tollgate_environment_revision{environment=\"staging\"} " + revision,
                    "tollgate_sdk_log_batches_total{result=\"applied\"} 1",
                    "tollgate_sdk_log_batches_total{result=\"duplicate\"} 1",
                    "tollgate_sdk_evaluations_total{environment=\"production\","
                            + "field=\"entitlements.maxTeamSize\",outcome=\"fallback:NO_LOGIC\"} 3",
                    "tollgate_sdk_evaluations_total{environment=\"production\","
                            + "field=\"entitlements.maxTeamSize\",outcome=\"override\"} 5",
                    "tollgate_sdk_evaluations_unrecorded_total 0",
                    "# TYPE tollgate_meter_usage_items_total counter",
                    "tollgate_meter_usage_items_total 2");
            // A request is counted once its answer is sent, so a scrape may overtake the count of an answer just
            // received; scrape until every line is in (a second at most), then check.
            Api.Response metrics = scrapeUntil(admin, expected);

            assertThat(metrics.status()).isEqualTo(200);
            assertThat(metrics.header("Content-Type")).isEqualTo("text/plain; version=0.0.4; charset=utf-8");
            assertThat(metrics.text().lines()).containsAll(expected);
            assertThat(sdk.get("/v1/metrics").status())
                    .as("SDK tokens cannot read metrics")
                    .isEqualTo(403);
            assertThat(new Api(server.url(), null).get("/v1/metrics").status()).isEqualTo(401);
        }
    }

    private static Api.Response scrapeUntil(Api admin, List<String> lines) throws InterruptedException {
        long deadline = System.nanoTime() + 1_000_000_000L;
        Api.Response metrics = admin.get("/v1/metrics");
        while (!metrics.text().lines().toList().containsAll(lines) && System.nanoTime() < deadline) {
            Thread.sleep(10);
            metrics = admin.get("/v1/metrics");
        }
        return metrics;
    }

    @Test
    void labelValues_areEscapedAsTheTextFormatAsks() throws Exception {
        ServerMetrics metrics = new ServerMetrics(() -> 2, () -> Map.of("prod", 7L), 1_000_000);
        metrics.logBatch(
                "prod",
                Api.JSON.readTree("{\"evaluations\": [{\"field\": \"f0\", \"outcome\": \"rule:a\\\"b\\\\c\\nd\", "
                        + "\"count\": 4}]}"),
                true);

        assertThat(metrics.scrape().lines())
                .contains(
                        "tollgate_sdk_evaluations_total{environment=\"prod\",field=\"f0\",outcome=\"rule:a\\\"b\\\\c\\nd\"} 4",
                        "tollgate_streams_open 2",
                        "tollgate_environment_revision{environment=\"prod\"} 7",
                        "tollgate_start_time_seconds 1000");
    }

    @Test
    void evaluationSeries_stopAtTheCap_andTheRestIsCountedAsUnrecorded() throws Exception {
        ServerMetrics metrics = new ServerMetrics(() -> 0, Map::of, 0);
        StringBuilder many = new StringBuilder("{\"evaluations\": [");
        for (int i = 0; i <= ServerMetrics.MAX_EVALUATION_SERIES; i++) {
            many.append(i == 0 ? "" : ",")
                    .append("{\"field\": \"f")
                    .append(i)
                    .append("\", \"outcome\": \"default\", \"count\": 2}");
        }
        metrics.logBatch("prod", Api.JSON.readTree(many.append("]}").toString()), true);
        metrics.logBatch(
                "prod",
                Api.JSON.readTree("{\"evaluations\": [{\"field\": \"f1\", \"outcome\": \"default\", \"count\": 1},"
                        + " {\"field\": \"f1\", \"outcome\": \"override\", \"count\": 4}]}"),
                true);

        String text = metrics.scrape();

        assertThat(text.lines().filter(line -> line.startsWith("tollgate_sdk_evaluations_total{")))
                .hasSize(ServerMetrics.MAX_EVALUATION_SERIES);
        assertThat(text.lines())
                .contains(
                        "tollgate_sdk_evaluations_total{environment=\"prod\",field=\"f1\",outcome=\"default\"} 3",
                        "tollgate_sdk_evaluations_unrecorded_total 6")
                .noneMatch(line -> line.contains("field=\"f10000\"") || line.contains("outcome=\"override\""));
    }
}
