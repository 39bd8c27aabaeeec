package dev.tollgate;

import static dev.tollgate.MeteringFixtures.SCHEMA;
import static dev.tollgate.MeteringFixtures.TOMORROW;
import static dev.tollgate.MeteringFixtures.requests;
import static dev.tollgate.MeteringFixtures.snapshot;
import static dev.tollgate.MeteringServer.feed;
import static dev.tollgate.MeteringServer.json;
import static dev.tollgate.MeteringServer.logsAnswer;
import static dev.tollgate.MeteringServer.requestsRow;
import static dev.tollgate.runtime.Consumption.Status.ALLOWED;
import static dev.tollgate.runtime.Consumption.Status.DENIED;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.MeteringFixtures.MutableClock;
import dev.tollgate.runtime.Consumption;
import dev.tollgate.runtime.MeteredLimit;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The fleet's usage through a client whose server is a MockWebServer: the rows answering its log batches, the usage
 * feed it polls ({@code GET /v1/usage?since=}), and the stream's {@code usage} events. Every limit is 1000 a day.
 */
class FleetUsageTest {
    private static final String THOUSAND = snapshot(1, "\"entitlements.maxApiRequestsPerDay\": {\"default\": 1000}");
    private static final long TOMORROW_MILLIS = TOMORROW.toEpochMilli();

    private final MockWebServer http = new MockWebServer();
    private final MeteringServer server = new MeteringServer(THOUSAND);
    private TollgateClient client;

    @AfterEach
    void stop() throws IOException {
        if (client != null) {
            client.close();
        }
        http.shutdown();
    }

    private TollgateClient start(Duration usagePoll, boolean streaming) throws IOException {
        http.setDispatcher(server);
        http.start();
        ServerOptions options = ServerOptions.builder(http.url("/").toString(), "sdk-secret")
                .streaming(streaming)
                .pollInterval(Duration.ofMinutes(10))
                .pollJitter(0)
                .initialBackoff(Duration.ofMillis(20))
                .maxBackoff(Duration.ofMillis(50))
                .usagePollInterval(usagePoll)
                .build();
        LogOptions logs = LogOptions.builder()
                .flushInterval(Duration.ofHours(1))
                .usageInterval(Duration.ofHours(1))
                .backoff(Duration.ofMillis(10), Duration.ofMillis(20))
                .build();
        client = TollgateClient.builder(SCHEMA)
                .clock(new MutableClock())
                .server(options)
                .logs(logs)
                .build();
        assertThat(client.awaitReady(Duration.ofSeconds(5)).isReady()).isTrue();
        return client;
    }

    private MeteredLimit search(String organization) {
        return requests(client, organization, "FREE", "search");
    }

    // ---- answers to log batches ----

    @Test
    void flushLogs_theAnswersRowsSetTheFleetsUsage_soOnlyWhatTheFleetLeftIsAllowed() throws Exception {
        server.logs(logsAnswer(requestsRow("org_1", "search", 990, 0, 17)));
        start(Duration.ofHours(1), false);
        search("org_1").tryConsume(1, 0);

        client.flushLogs().get(5, TimeUnit.SECONDS);
        Consumption ten = search("org_1").tryConsume(10, 0);
        Consumption one = search("org_1").tryConsume(1, 0);

        assertThat(server.logBody(0).get("usage").toString())
                .isEqualTo(
                        "[{\"field\":\"entitlements.maxApiRequestsPerDay\",\"arguments\":{\"endpoint\":\"search\"},"
                                + "\"key\":\"org_1\",\"period\":\"DAY\",\"periodStart\":\"2026-12-06T00:00:00Z\",\"amount\":1}]");
        assertThat(ten).isEqualTo(Consumption.counted(ALLOWED, 1000, 1000, 10, TOMORROW_MILLIS, Reason.ofDefault()));
        assertThat(one).isEqualTo(Consumption.counted(DENIED, 1000, 1000, 1, TOMORROW_MILLIS, Reason.ofDefault()));
    }

    @Test
    void flushLogs_withAnUnreadableAnswer_countsTheBatchsUsageItself_untilTheFeedReportsIt() throws Exception {
        CountDownLatch feedCatchesUp = new CountDownLatch(1);
        server.logs(json(202, "<html>accepted</html>"))
                .logs(new MockResponse().setResponseCode(202))
                .usage(feed(0, false))
                .usageAfter(feedCatchesUp, feed(4, false, requestsRow("org_1", "search", 9, 0, 4)));
        start(Duration.ofMillis(20), false);
        search("org_1").tryConsume(5, 0);
        client.flushLogs().get(5, TimeUnit.SECONDS);
        search("org_1").tryConsume(4, 0);
        client.flushLogs().get(5, TimeUnit.SECONDS);

        long counted = search("org_1").usage(0).used();
        feedCatchesUp.countDown();
        server.awaitUsageRequests(3);
        long reported = search("org_1").usage(0).used();

        assertThat(counted)
                .as("unreadable answer, then an answer without a body")
                .isEqualTo(9);
        assertThat(reported)
                .as("the feed's row replaces what the client counted")
                .isEqualTo(9);
        assertThat(server.sinces()).startsWith("0", "0", "4");
    }

    // ---- the usage feed ----

    @Test
    void usageFeed_installsOtherInstancesUsage_andPollsOnFromTheAnswersVersion() throws Exception {
        server.usage(feed(
                        5,
                        false,
                        requestsRow("org_1", "search", 400, 0, 5),
                        requestsRow("org_2", "search", 1000, 0, 3)))
                .usage(feed(5, false));
        start(Duration.ofMillis(20), false);

        server.awaitUsageRequests(3);
        Consumption org1 = search("org_1").tryConsume(1, 0);
        Consumption org2 = search("org_2").tryConsume(1, 0);
        Consumption otherEndpoint = requests(client, "org_1", "FREE", "export").tryConsume(1, 0);

        assertThat(server.sinces()).startsWith("0", "5", "5");
        assertThat(org1.used()).isEqualTo(401);
        assertThat(org2).isEqualTo(Consumption.counted(DENIED, 1000, 1000, 1, TOMORROW_MILLIS, Reason.ofDefault()));
        assertThat(otherEndpoint.used()).isEqualTo(1);
        assertThat(server.usageRequests.get(0).getHeader("Authorization")).isEqualTo("Bearer sdk-secret");
        assertThat(server.usageRequests.get(0).getHeader("Tollgate-Schema-Hash"))
                .isEqualTo(SCHEMA.hash());
    }

    @Test
    void usageFeed_aRowOlderThanTheInstalledOneIsIgnored_andANewerLowerOneResets() throws Exception {
        CountDownLatch second = new CountDownLatch(1);
        CountDownLatch third = new CountDownLatch(1);
        server.usage(feed(10, false, requestsRow("org_1", "search", 400, 0, 10)))
                .usageAfter(second, feed(11, false, requestsRow("org_1", "search", 50, 0, 9)))
                .usageAfter(third, feed(12, false, requestsRow("org_1", "search", 100, 0, 12)));
        start(Duration.ofMillis(20), false);

        server.awaitUsageRequests(2); // the first answer is installed; the second waits for the gate
        long first = search("org_1").usage(0).used();
        second.countDown();
        server.awaitUsageRequests(3);
        long afterOlder = search("org_1").usage(0).used();
        third.countDown();
        server.awaitUsageRequests(4);
        long afterReset = search("org_1").usage(0).used();

        assertThat(first).isEqualTo(400);
        assertThat(afterOlder).isEqualTo(400);
        assertThat(afterReset).isEqualTo(100);
        assertThat(server.sinces()).startsWith("0", "10", "11", "12");
    }

    @Test
    void usageFeed_extraRaisesTheLimitForThePeriod_whileValueStaysTheFieldsValue() throws Exception {
        server.usage(feed(1, false, requestsRow("org_1", "search", 990, 50, 1)));
        start(Duration.ofMillis(20), false);
        server.awaitUsageRequests(2);

        Consumption fifty = search("org_1").tryConsume(50, 0);
        Consumption one = search("org_1").tryConsume(1, 0);

        assertThat(fifty).isEqualTo(Consumption.counted(ALLOWED, 1050, 1040, 50, TOMORROW_MILLIS, Reason.ofDefault()));
        assertThat(one.status()).isEqualTo(ALLOWED);
        assertThat(search("org_1").tryConsume(10, 0).status()).isEqualTo(DENIED);
        assertThat(search("org_1").value(0)).isEqualTo(1000);
    }

    @Test
    void usageFeed_rowsForAnotherPeriod_areNotCountedInThisOne() throws Exception {
        String yesterday = requestsRow("org_1", "search", 700, 0, 2).replace("2026-12-06", "2026-12-05");
        server.usage(feed(2, false, yesterday));
        start(Duration.ofMillis(20), false);
        server.awaitUsageRequests(2);

        assertThat(search("org_1").usage(0).used()).isZero();
    }

    /**
     * The stream ends after its events and the client reconnects, so the same {@code usage} event comes again and
     * again: once the feed answered up to its version, it polls no more. (A notice that arrives while the poll it
     * announces is in flight still costs one more poll.)
     */
    @Test
    void usageEvent_onTheStream_pollsTheFeed_untilTheClientHasThatVersion() throws Exception {
        server.stream("event: revision\ndata: {\"revision\": 1}\n\nevent: usage\ndata: {\"version\": 7}\n\n")
                .usage(feed(3, false))
                .usage(feed(7, false, requestsRow("org_1", "search", 70, 0, 7)));
        start(Duration.ofHours(1), true);

        server.awaitUsageRequests(2);
        MeteringServer.await("four stream connections", () -> server.streamRequests.size() >= 4);
        int settled = server.usageRequests.size();
        MeteringServer.await("four more stream connections", () -> server.streamRequests.size() >= 8);

        assertThat(server.sinces()).startsWith("0", "3");
        assertThat(server.sinces().subList(2, settled))
                .allSatisfy(since -> assertThat(since).isEqualTo("7"));
        assertThat(server.usageRequests)
                .as("polls once the client has version 7")
                .hasSize(settled);
        assertThat(settled).isLessThanOrEqualTo(3);
        assertThat(search("org_1").usage(0).used()).isEqualTo(70);
    }
}
