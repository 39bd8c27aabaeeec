package dev.tollgate.internal.meter;

import static dev.tollgate.MeteringFixtures.REQUESTS;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.Counts;
import dev.tollgate.MeteringFixtures;
import dev.tollgate.MeteringFixtures.MutableClock;
import dev.tollgate.Reason;
import dev.tollgate.ServerOptions;
import dev.tollgate.internal.ApiAccess;
import dev.tollgate.internal.schema.SchemaModel;
import dev.tollgate.logs.CapturedLog;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import okhttp3.OkHttpClient;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@link FleetSync} against a MockWebServer: what it asks, when it asks again, and how it takes failures. */
class FleetSyncTest {
    private static final SchemaModel MODEL = ApiAccess.model(MeteringFixtures.SCHEMA);
    private static final String HASH = "sha256:" + "ab".repeat(32);

    private final MockWebServer http = new MockWebServer();
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    private final OkHttpClient okHttp = new OkHttpClient();
    private final MeterLedger meters = MeterLedger.create(MODEL, new MutableClock(), 100);
    private FleetSync sync;

    @BeforeEach
    void start() throws IOException {
        http.start();
    }

    @AfterEach
    void stop() throws IOException {
        if (sync != null) {
            sync.close();
        }
        scheduler.shutdownNow();
        okHttp.dispatcher().executorService().shutdownNow();
        http.shutdown();
    }

    private FleetSync sync(Duration interval) {
        ServerOptions options = ServerOptions.builder(http.url("/").toString(), "sdk-secret")
                .environment("staging")
                .usagePollInterval(interval)
                .build();
        sync = new FleetSync(meters, options, okHttp, scheduler, HASH);
        return sync;
    }

    private static MockResponse feed(long version, boolean more, String... rows) {
        return new MockResponse()
                .setHeader("Content-Type", "application/json")
                .setBody("{\"usage\": [" + String.join(", ", rows) + "], \"version\": " + version + ", \"more\": "
                        + more + "}");
    }

    private static String row(long used, long version) {
        return """
                {"field": "entitlements.maxApiRequestsPerDay", "arguments": {"endpoint": "search"}, "key": "org_1",
                 "period": "DAY", "periodStart": "2026-12-06T00:00:00Z", "used": %d, "version": %d}"""
                .formatted(used, version);
    }

    private long used() {
        return meters.consume(
                        MODEL.fieldIndex(REQUESTS),
                        MeteringFixtures.context("org_1", "PRO"),
                        new Object[] {"search"},
                        0,
                        1000,
                        false,
                        Reason.ofDefault())
                .used();
    }

    private RecordedRequest next() throws InterruptedException {
        RecordedRequest request = http.takeRequest(5, TimeUnit.SECONDS);
        assertThat(request).as("a poll").isNotNull();
        return request;
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("waiting for " + what).isLessThan(deadline);
            Thread.sleep(2);
        }
    }

    @Test
    void poll_asksForTheFeedSinceTheLastVersion_asTheSdk_andInstallsTheRows() throws Exception {
        http.enqueue(feed(5, false, row(40, 5)));
        http.enqueue(feed(6, false));
        FleetSync sync = sync(Duration.ofHours(1));

        sync.poll();
        RecordedRequest first = next();
        await("version 5", () -> meters.feedVersion() == 5);
        sync.poll();
        RecordedRequest second = next();

        assertThat(first.getMethod()).isEqualTo("GET");
        assertThat(first.getPath()).isEqualTo("/v1/usage?environment=staging&since=0");
        assertThat(first.getHeader("Authorization")).isEqualTo("Bearer sdk-secret");
        assertThat(first.getHeader("User-Agent")).startsWith("tollgate-java/");
        assertThat(first.getHeader("Tollgate-Schema-Hash")).isEqualTo(HASH);
        assertThat(second.getPath()).isEqualTo("/v1/usage?environment=staging&since=5");
        assertThat(used()).isEqualTo(40);
    }

    @Test
    void poll_answeredWithMore_pollsAgainAtOnce_untilAnAnswerHasNoRows() throws Exception {
        http.enqueue(feed(5, true, row(40, 5)));
        http.enqueue(feed(8, true, row(45, 8)));
        http.enqueue(feed(8, true));
        FleetSync sync = sync(Duration.ofHours(1));

        sync.poll();

        assertThat(next().getPath()).endsWith("since=0");
        assertThat(next().getPath()).endsWith("since=5");
        assertThat(next().getPath()).endsWith("since=8");
        assertThat(http.takeRequest(200, TimeUnit.MILLISECONDS))
                .as("more, but no rows")
                .isNull();
        assertThat(meters.feedVersion()).isEqualTo(8);
        assertThat(used()).isEqualTo(45);
    }

    @Test
    void announced_pollsOnlyForAVersionNewerThanTheClientHas() throws Exception {
        http.enqueue(feed(5, false));
        http.enqueue(feed(9, false));
        FleetSync sync = sync(Duration.ofHours(1));
        sync.poll();
        next();
        await("version 5", () -> meters.feedVersion() == 5);

        sync.announced(4);
        sync.announced(5);
        RecordedRequest none = http.takeRequest(200, TimeUnit.MILLISECONDS);
        sync.announced(9);

        assertThat(none).isNull();
        assertThat(next().getPath()).endsWith("since=5");
    }

    @Test
    void poll_whileOneIsInFlight_pollsOnceMoreWhenItEnds() throws Exception {
        http.enqueue(feed(5, false).setHeadersDelay(300, TimeUnit.MILLISECONDS));
        http.enqueue(feed(6, false));
        FleetSync sync = sync(Duration.ofHours(1));

        sync.poll();
        next();
        sync.poll();
        sync.announced(99);
        sync.poll();

        assertThat(next().getPath()).endsWith("since=5");
        assertThat(http.takeRequest(200, TimeUnit.MILLISECONDS)).isNull();
        assertThat(http.getRequestCount()).isEqualTo(2);
    }

    @Test
    void poll_failing_warnsOncePerStreak_keepsWhatItHad_andSaysWhenItAnswersAgain() throws Exception {
        http.enqueue(feed(5, false, row(40, 5)));
        http.enqueue(new MockResponse().setResponseCode(500));
        http.enqueue(new MockResponse().setResponseCode(503));
        http.enqueue(
                new MockResponse().setHeader("Content-Type", "application/json").setBody("[]"));
        http.enqueue(feed(6, false));
        String endpoint = "http://" + http.getHostName() + ":" + http.getPort() + "/v1/usage?environment=staging";
        try (CapturedLog log = new CapturedLog()) {
            FleetSync sync = sync(Duration.ofHours(1));

            for (int i = 0; i < 5; i++) {
                sync.poll(); // one request each: a poll asked for while one is in flight follows it
                next();
            }
            // The version is set, then "answers again" is logged, on the HTTP client's thread.
            await(
                    "the last answer",
                    () -> meters.feedVersion() == 6
                            && !log.messages("INFO", FleetSync.class).isEmpty());

            assertThat(log.messages("WARN", FleetSync.class))
                    .containsExactly("The usage endpoint " + endpoint + " answered HTTP 500; metered limits count this"
                            + " client's usage and the fleet's as last reported until it answers");
            assertThat(log.messages("INFO", FleetSync.class))
                    .containsExactly("The usage endpoint " + endpoint + " answers again");
            assertThat(used()).isEqualTo(40);
            assertThat(meters.feedVersion()).isEqualTo(6);
        }
    }

    @Test
    void poll_answeredWithWhatItCannotRead_warnsSayingWhat_andInstallsNothing() throws Exception {
        http.enqueue(
                new MockResponse().setHeader("Content-Type", "application/json").setBody("[]"));
        String endpoint = "http://" + http.getHostName() + ":" + http.getPort() + "/v1/usage?environment=staging";
        try (CapturedLog log = new CapturedLog()) {
            FleetSync sync = sync(Duration.ofHours(1));

            sync.poll();
            next();
            await("the warning", () -> !log.messages("WARN", FleetSync.class).isEmpty());

            assertThat(log.messages("WARN", FleetSync.class))
                    .containsExactly("The usage endpoint " + endpoint + " answered what the client cannot read: the"
                            + " answer must be an object but was START_ARRAY; metered limits count this client's usage"
                            + " and the fleet's as last reported until it answers");
            assertThat(meters.feedVersion()).isZero();
        }
    }

    @Test
    void start_pollsAtOnceAndEveryInterval_andCloseStopsPolling() throws Exception {
        for (int i = 0; i < 20; i++) {
            http.enqueue(feed(i, false));
        }
        FleetSync sync = sync(Duration.ofMillis(30));

        sync.start();
        next();
        next();
        next();
        sync.close();
        // A poll that started before close() may land later still, on a loaded machine much later: the baseline is
        // the count once it has not moved for ten intervals.
        int atClose = Counts.settled(http::getRequestCount, Duration.ofMillis(300));
        sync.poll();
        Thread.sleep(150);

        assertThat(http.getRequestCount()).isEqualTo(atClose);
    }
}
