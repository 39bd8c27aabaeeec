package dev.tollgate.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Counter;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;

/**
 * {@code GET /v1/metrics}: what an instance has served and what its SDKs reported, with the JVM's and the connection
 * pool's meters, in the Prometheus text format or OpenMetrics.
 */
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
                    "tollgate_http_requests_total{route=\"GET /v1/snapshot\",status=\"200\"} 1.0",
                    "tollgate_http_requests_total{route=\"GET /v1/snapshot\",status=\"304\"} 1.0",
                    "tollgate_http_requests_total{route=\"POST /v1/logs\",status=\"202\"} 2.0",
                    "tollgate_http_requests_total{route=\"unmatched\",status=\"404\"} 1.0",
                    "tollgate_streams_open 0.0",
                    "tollgate_environment_revision{environment=\"production\"} " + (double) revision,
                    "tollgate_environment_revision{environment=\"staging\"} " + (double) revision,
                    "tollgate_sdk_log_batches_total{result=\"applied\"} 1.0",
                    "tollgate_sdk_log_batches_total{result=\"duplicate\"} 1.0",
                    "tollgate_sdk_evaluations_total{environment=\"production\","
                            + "field=\"entitlements.maxTeamSize\",outcome=\"fallback:NO_LOGIC\"} 3.0",
                    "tollgate_sdk_evaluations_total{environment=\"production\","
                            + "field=\"entitlements.maxTeamSize\",outcome=\"override\"} 5.0",
                    "tollgate_sdk_evaluations_unrecorded_total 0.0",
                    "# TYPE tollgate_meter_usage_items_total counter",
                    "tollgate_meter_usage_items_total 2.0");
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

    @Test
    void metrics_countEveryRequest_besideTheJvmAndConnectionPoolMeters() throws InterruptedException {
        try (TollgateServer server = TestServers.start(TestServers.Storage.H2)) {
            Api admin = TestServers.admin(server);
            for (int i = 0; i < 3; i++) {
                assertThat(new Api(server.url(), null).get("/v1/health").status())
                        .isEqualTo(200);
            }
            String health = "tollgate_http_requests_total{route=\"GET /v1/health\",status=\"200\"} 3.0";

            List<String> lines =
                    scrapeUntil(admin, List.of(health)).text().lines().toList();

            assertThat(lines)
                    .contains(
                            health,
                            "# TYPE tollgate_http_request_seconds_total counter",
                            "hikaricp_connections_max{pool=\"tollgate-db\"} 10.0",
                            "hikaricp_connections_min{pool=\"tollgate-db\"} 10.0");
            assertThat(value(lines, "tollgate_http_request_seconds_total{route=\"GET /v1/health\"}"))
                    .isPositive();
            assertThat(value(lines, "hikaricp_connections{pool=\"tollgate-db\"}"))
                    .isBetween(1.0, 10.0);
            assertThat(value(lines, "hikaricp_connections_acquire_seconds_count{pool=\"tollgate-db\"}"))
                    .isPositive();
            assertThat(value(lines, "jvm_memory_used_bytes{area=\"heap\",")).isPositive();
            assertThat(value(lines, "jvm_threads_live_threads")).isPositive();
            assertThat(value(lines, "jvm_classes_loaded_classes")).isGreaterThan(1_000);
            assertThat(value(lines, "jvm_gc_max_data_size_bytes")).isPositive();
            assertThat(value(lines, "system_cpu_count"))
                    .isEqualTo(Runtime.getRuntime().availableProcessors());
            assertThat(value(lines, "process_uptime_seconds")).isPositive();
            // The HTTP server's own: Jetty's pool (32 request threads and 8 of Jetty's), connections, the queue.
            assertThat(value(lines, "jetty_threads_config_max")).isEqualTo(40.0);
            assertThat(value(lines, "jetty_threads_busy")).isPositive();
            assertThat(value(lines, "tollgate_http_connections_open")).isPositive();
            assertThat(lines)
                    .contains("tollgate_http_requests_waiting 0.0", "tollgate_http_requests_refused_total 0.0");
            assertThat(lines).contains("tollgate_http_slow_clients_cut_total 0.0");
        }
    }

    @Test
    void metrics_areInOpenMetrics_whenTheScraperAsksForIt() throws InterruptedException {
        try (TollgateServer server = TestServers.start(TestServers.Storage.H2)) {
            Api admin = TestServers.admin(server);
            assertThat(admin.get("/no/such/endpoint").status()).isEqualTo(404);
            String unmatched = "tollgate_http_requests_total{route=\"unmatched\",status=\"404\"} 1.0";
            scrapeUntil(admin, List.of(unmatched));

            // What Prometheus sends.
            Api.Response metrics = admin.get(
                    "/v1/metrics",
                    "Accept",
                    "application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;q=0.75,"
                            + "text/plain;version=0.0.4;q=0.5,*/*;q=0.1");

            assertThat(metrics.status()).isEqualTo(200);
            assertThat(metrics.header("Content-Type"))
                    .isEqualTo("application/openmetrics-text; version=1.0.0; charset=utf-8");
            assertThat(metrics.text().lines())
                    .contains(
                            "# TYPE tollgate_http_requests counter",
                            unmatched,
                            "# TYPE tollgate_http_request_seconds counter",
                            "# TYPE tollgate_start_time_seconds gauge")
                    .last()
                    .isEqualTo("# EOF");
            assertThat(admin.get("/v1/metrics", "Accept", "text/plain").header("Content-Type"))
                    .isEqualTo("text/plain; version=0.0.4; charset=utf-8");
        }
    }

    /** The value of the first sample whose line starts with {@code prefix}. */
    private static double value(List<String> lines, String prefix) {
        String line = lines.stream()
                .filter(l -> l.startsWith(prefix))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no sample starts with " + prefix + " in " + lines));
        return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
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
        try (ServerMetrics metrics = new ServerMetrics(() -> 2, () -> Map.of("prod", 7L), 1_000_000)) {
            metrics.logBatch(
                    "prod",
                    Api.JSON.readTree("{\"evaluations\": [{\"field\": \"f0\", \"outcome\": \"rule:a\\\"b\\\\c\\nd\", "
                            + "\"count\": 4}]}"),
                    true);

            assertThat(metrics.scrape().lines())
                    .contains(
                            "tollgate_sdk_evaluations_total{environment=\"prod\",field=\"f0\",outcome=\"rule:a\\\"b\\\\c\\nd\"} 4.0",
                            "tollgate_streams_open 2.0",
                            "tollgate_environment_revision{environment=\"prod\"} 7.0",
                            "tollgate_start_time_seconds 1000.0");
        }
    }

    @Test
    void environmentRevisions_followTheEnvironments_andADeletedOneLeavesTheScrape() {
        Map<String, Long> environments = new ConcurrentHashMap<>(Map.of("prod", 3L, "staging", 2L));
        try (ServerMetrics metrics = new ServerMetrics(() -> 0, () -> Map.copyOf(environments), 0)) {
            assertThat(metrics.scrape().lines())
                    .contains(
                            "tollgate_environment_revision{environment=\"prod\"} 3.0",
                            "tollgate_environment_revision{environment=\"staging\"} 2.0");

            environments.remove("staging");
            environments.put("prod", 4L);

            assertThat(metrics.scrape().lines())
                    .contains("tollgate_environment_revision{environment=\"prod\"} 4.0")
                    .noneMatch(line -> line.contains("staging"));
        }
    }

    @Test
    void meterBoundToTheRegistry_isScrapedWithTheRest() {
        try (ServerMetrics metrics = new ServerMetrics(() -> 0, Map::of, 0)) {
            Counter.builder("jetty.connections.accepted")
                    .register(metrics.registry())
                    .increment(2);

            assertThat(metrics.scrape().lines()).contains("jetty_connections_accepted_total 2.0");
        }
    }

    @Test
    void evaluationSeries_stopAtTheCap_andTheRestIsCountedAsUnrecorded() throws Exception {
        StringBuilder many = new StringBuilder("{\"evaluations\": [");
        for (int i = 0; i <= ServerMetrics.MAX_EVALUATION_SERIES; i++) {
            many.append(i == 0 ? "" : ",")
                    .append("{\"field\": \"f")
                    .append(i)
                    .append("\", \"outcome\": \"default\", \"count\": 2}");
        }
        String text;
        try (ServerMetrics metrics = new ServerMetrics(() -> 0, Map::of, 0)) {
            metrics.logBatch("prod", Api.JSON.readTree(many.append("]}").toString()), true);
            metrics.logBatch(
                    "prod",
                    Api.JSON.readTree("{\"evaluations\": [{\"field\": \"f1\", \"outcome\": \"default\", \"count\": 1},"
                            + " {\"field\": \"f1\", \"outcome\": \"override\", \"count\": 4}]}"),
                    true);

            text = metrics.scrape();
        }

        assertThat(text.lines().filter(line -> line.startsWith("tollgate_sdk_evaluations_total{")))
                .hasSize(ServerMetrics.MAX_EVALUATION_SERIES);
        assertThat(text.lines())
                .contains(
                        "tollgate_sdk_evaluations_total{environment=\"prod\",field=\"f1\",outcome=\"default\"} 3.0",
                        "tollgate_sdk_evaluations_unrecorded_total 6.0")
                .noneMatch(line -> line.contains("field=\"f10000\"") || line.contains("outcome=\"override\""));
    }
}
