package dev.tollgate.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.testing.ManualClock;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * Metered usage as {@code docs/protocol.md} and {@code docs/server.md} describe it: usage items in log batches, counted
 * exactly once per batch id; {@code GET /v1/usage} and its versions; the {@code usage} stream event; grants, resets
 * and the admin views; periods that end and retention. Run against H2 and PostgreSQL by the subclasses, on a server
 * whose clock the tests move (forward only, by hours, from the middle of a day); each test works in its own
 * environment, whose meter versions start at 1, and batch ids of its own (batch ids are unique across environments).
 */
abstract class MeterContract {
    static final Instant START = Instant.parse("2026-12-06T10:15:00Z");
    static final String API = "entitlements.maxApiRequestsPerDay";
    static final String SEARCH = "{\"endpoint\": \"search\"}";
    private static final AtomicInteger ENVIRONMENTS = new AtomicInteger();

    static TollgateServer server;
    static ManualClock clock;
    static Api admin;

    static void startServer(TestServers.Storage storage) {
        clock = ManualClock.at(START);
        server = TollgateServer.start(TestServers.config(storage).build(), clock);
        admin = TestServers.admin(server);
        Api.Response schema = admin.put("/v1/admin/schema", TestServers.SCHEMA, "If-Match", "\"0\"");
        assertThat(schema.status()).as(schema.toString()).isEqualTo(200);
    }

    @AfterAll
    static void stopServer() {
        if (server != null) {
            server.close();
        }
    }

    /** A new environment and an SDK token for it. */
    record Env(String name, String path, String token, Api sdk) {
        String meters() {
            return path + "/meters";
        }
    }

    static Env newEnvironment() {
        String name = "meters-" + ENVIRONMENTS.incrementAndGet();
        Api.Response created = admin.post("/v1/admin/environments", Map.of("name", name));
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        String token = sdkToken(name);
        return new Env(name, "/v1/admin/environments/" + name, token, admin.as(token));
    }

    static String sdkToken(String environment) {
        Api.Response created =
                admin.post("/v1/admin/tokens", Map.of("name", "service", "kind", "sdk", "environment", environment));
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        return created.json().get("token").asText();
    }

    static String adminToken(String role) {
        Api.Response created =
                admin.post("/v1/admin/tokens", Map.of("name", "test " + role, "kind", "admin", "role", role));
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        return created.json().get("token").asText();
    }

    static Instant hour() {
        return clock.instant().truncatedTo(ChronoUnit.HOURS);
    }

    static Instant day() {
        return clock.instant().truncatedTo(ChronoUnit.DAYS);
    }

    static Instant month() {
        return clock.instant()
                .atZone(ZoneOffset.UTC)
                .withDayOfMonth(1)
                .truncatedTo(ChronoUnit.DAYS)
                .toInstant();
    }

    /** One usage item; {@code arguments} and {@code amount} are written as given (JSON text). */
    static String item(String field, String arguments, String key, String period, Object periodStart, Object amount) {
        return "{\"field\": \"" + field + "\", \"arguments\": " + arguments + ", \"key\": \"" + key
                + "\", \"period\": \"" + period + "\", \"periodStart\": \"" + periodStart + "\", \"amount\": " + amount
                + "}";
    }

    static String batch(String id, List<String> items) {
        Instant now = clock.instant();
        return "{\"batchId\": \"" + id + "\", \"windowStart\": \"" + now + "\", \"windowEnd\": \"" + now
                + "\", \"evaluations\": [], \"usage\": [" + String.join(", ", items) + "]}";
    }

    static Api.Response post(Api sdk, String id, String... items) throws IOException {
        return ServerApiContract.postLogs(sdk, batch(id, List.of(items)), id);
    }

    static Api.Response accepted(Api sdk, String id, String... items) throws IOException {
        Api.Response posted = post(sdk, id, items);
        assertThat(posted.status()).as(posted.toString()).isEqualTo(202);
        return posted;
    }

    /** A row as the server writes it. */
    static String row(String arguments, String key, String period, Instant start, long used, long extra, long version) {
        return "{\"field\":\"" + API + "\",\"arguments\":" + arguments + ",\"key\":\"" + key + "\",\"period\":\""
                + period + "\",\"periodStart\":\"" + start + "\",\"used\":" + used + ",\"extra\":" + extra
                + ",\"version\":" + version + "}";
    }

    static JsonNode usage(Env env, String query) {
        Api.Response usage = env.sdk().get("/v1/usage" + query);
        assertThat(usage.status()).as(usage.toString()).isEqualTo(200);
        return usage.json();
    }

    static String message(Api.Response response) {
        return response.json().at("/error/message").asText();
    }

    // ---- ingest ----

    @Test
    void aRetriedBatch_isCountedOnce_andBothAnswersHaveTheSameTotals() throws IOException {
        Env env = newEnvironment();
        String five = item(API, SEARCH, "org_1", "DAY", day(), 5);
        String two = item(API, SEARCH, "org_1", "DAY", day(), 2);

        Api.Response first = accepted(env.sdk(), "retried", five, two);
        Api.Response retried = accepted(env.sdk(), "retried", five, two);

        String rows = "[" + row("{\"endpoint\":\"search\"}", "org_1", "DAY", day(), 7, 0, 1) + "]";
        assertThat(first.json().get("duplicate").asBoolean()).isFalse();
        assertThat(first.json().get("usage").toString()).isEqualTo(rows);
        assertThat(retried.json().get("duplicate").asBoolean()).isTrue();
        assertThat(retried.json().get("accepted").asBoolean()).isTrue();
        assertThat(retried.json().get("usage").toString()).isEqualTo(rows);
        assertThat(usage(env, "").toString()).isEqualTo("{\"usage\":" + rows + ",\"version\":1,\"more\":false}");
    }

    @Test
    void batchesOfTwoSdks_onOneKey_addUp_andEachAnswerHasTheFleetTotal() throws IOException {
        Env env = newEnvironment();
        Api other = admin.as(sdkToken(env.name()));
        String euSearch = "{\"endpoint\":\"search\",\"region\":\"eu\"}";

        Api.Response a = accepted(
                env.sdk(),
                "sdk-a",
                item(API, "{\"endpoint\": \"search\", \"region\": \"eu\"}", "org_1", "DAY", day(), 5));
        Api.Response b = accepted(
                other,
                "sdk-b",
                item(API, "{\"region\": \"eu\", \"endpoint\": \"search\"}", "org_1", "DAY", day(), 7),
                item(API, "{}", "org_2", "DAY", day(), 1));

        assertThat(a.json().get("usage").toString())
                .isEqualTo("[" + row(euSearch, "org_1", "DAY", day(), 5, 0, 1) + "]");
        assertThat(b.json().get("usage").toString())
                .as("arguments in any order name one meter; the answer is the total of both SDKs")
                .isEqualTo("[" + row(euSearch, "org_1", "DAY", day(), 12, 0, 2) + ","
                        + row("{}", "org_2", "DAY", day(), 1, 0, 2) + "]");
    }

    @Test
    void aBatchWithoutUsage_answersAnEmptyUsageList_andChangesNoVersion() throws IOException {
        Env env = newEnvironment();

        Api.Response posted = ServerApiContract.postLogs(
                env.sdk(), "{\"batchId\": \"plain\", \"windowStart\": \"" + clock.instant() + "\"}", "plain");

        assertThat(posted.status()).as(posted.toString()).isEqualTo(202);
        assertThat(posted.json().toString()).isEqualTo("{\"accepted\":true,\"duplicate\":false,\"usage\":[]}");
        assertThat(usage(env, "").toString()).isEqualTo("{\"usage\":[],\"version\":0,\"more\":false}");
    }

    @Test
    void invalidUsageItems_areRefusedNamingTheItem_andNothingOfTheBatchIsCounted() throws IOException {
        Env env = newEnvironment();
        String valid = item(API, SEARCH, "org_1", "DAY", "2026-12-06T00:00:00Z", 1);
        Map<String, String> refusals = new LinkedHashMap<>();
        refusals.put(
                "{\"arguments\": {}, \"key\": \"org_1\", \"period\": \"DAY\", \"periodStart\": \"2026-12-06T00:00:00Z\","
                        + " \"amount\": 1}",
                "log batch: usage[1].field must be a non-empty string");
        refusals.put(
                item("f".repeat(257), "{}", "org_1", "DAY", "2026-12-06T00:00:00Z", 1),
                "log batch: usage[1].field is longer than 256 characters");
        refusals.put(
                item(API, "[\"search\"]", "org_1", "DAY", "2026-12-06T00:00:00Z", 1),
                "log batch: usage[1].arguments must be a JSON object");
        refusals.put(
                item(API, "{\"endpoint\": {\"path\": \"/search\"}}", "org_1", "DAY", "2026-12-06T00:00:00Z", 1),
                "log batch: usage[1].arguments.endpoint must be a string, number or boolean");
        refusals.put(
                item(API, seventeenArguments(), "org_1", "DAY", "2026-12-06T00:00:00Z", 1),
                "log batch: usage[1].arguments has 17 entries, more than 16");
        refusals.put(
                item(API, "{\"endpoint\": \"" + "x".repeat(1_010) + "\"}", "org_1", "DAY", "2026-12-06T00:00:00Z", 1),
                "log batch: usage[1].arguments is longer than 1024 characters as compact JSON");
        refusals.put(
                item(API, SEARCH, "", "DAY", "2026-12-06T00:00:00Z", 1),
                "log batch: usage[1].key must be a non-empty string");
        refusals.put(
                item(API, SEARCH, "k".repeat(257), "DAY", "2026-12-06T00:00:00Z", 1),
                "log batch: usage[1].key is longer than 256 characters");
        refusals.put(
                item(API, SEARCH, "org_1", "WEEK", "2026-12-06T00:00:00Z", 1),
                "log batch: usage[1].period must be HOUR, DAY or MONTH, was \"WEEK\"");
        refusals.put(
                "{\"field\": \"" + API + "\", \"key\": \"org_1\", \"periodStart\": \"2026-12-06T00:00:00Z\","
                        + " \"amount\": 1}",
                "log batch: usage[1].period must be HOUR, DAY or MONTH, was missing");
        refusals.put(
                item(API, SEARCH, "org_1", "DAY", "yesterday", 1),
                "log batch: usage[1].periodStart must be an ISO-8601 instant such as \"2026-12-06T00:00:00Z\","
                        + " was \"yesterday\"");
        refusals.put(
                item(API, SEARCH, "org_1", "DAY", "2026-12-06T05:00:00Z", 1),
                "log batch: usage[1].periodStart 2026-12-06T05:00:00Z is not the start of a UTC calendar DAY;"
                        + " that DAY starts at 2026-12-06T00:00:00Z");
        refusals.put(
                item(API, SEARCH, "org_1", "HOUR", "2026-12-06T10:30:00Z", 1),
                "log batch: usage[1].periodStart 2026-12-06T10:30:00Z is not the start of a UTC calendar HOUR;"
                        + " that HOUR starts at 2026-12-06T10:00:00Z");
        refusals.put(
                item(API, SEARCH, "org_1", "MONTH", "2026-12-06T00:00:00Z", 1),
                "log batch: usage[1].periodStart 2026-12-06T00:00:00Z is not the start of a UTC calendar MONTH;"
                        + " that MONTH starts at 2026-12-01T00:00:00Z");
        refusals.put(
                item(API, SEARCH, "org_1", "DAY", "+10000-01-01T00:00:00Z", 1),
                "log batch: usage[1].periodStart +10000-01-01T00:00:00Z is not from 1970-01-01T00:00:00Z to"
                        + " 9999-12-31T23:59:59Z");
        refusals.put(
                item(API, SEARCH, "org_1", "DAY", "2026-12-06T00:00:00Z", 0),
                "log batch: usage[1].amount must be an integer from 1 to 1000000000000, was 0");
        refusals.put(
                item(API, SEARCH, "org_1", "DAY", "2026-12-06T00:00:00Z", -3),
                "log batch: usage[1].amount must be an integer from 1 to 1000000000000, was -3");
        refusals.put(
                item(API, SEARCH, "org_1", "DAY", "2026-12-06T00:00:00Z", 1_000_000_000_001L),
                "log batch: usage[1].amount must be an integer from 1 to 1000000000000, was 1000000000001");
        refusals.put(
                item(API, SEARCH, "org_1", "DAY", "2026-12-06T00:00:00Z", "1e30"),
                "log batch: usage[1].amount must be an integer from 1 to 1000000000000, was 1E+30");
        refusals.put(
                item(API, SEARCH, "org_1", "DAY", "2026-12-06T00:00:00Z", 1.5),
                "log batch: usage[1].amount must be an integer from 1 to 1000000000000, was 1.5");
        refusals.put(
                item(API, SEARCH, "org_1", "DAY", "2026-12-06T00:00:00Z", "\"5\""),
                "log batch: usage[1].amount must be an integer from 1 to 1000000000000, was \"5\"");
        refusals.put("5", "log batch: usage[1] must be an object");

        for (Map.Entry<String, String> refusal : refusals.entrySet()) {
            Api.Response refused = post(env.sdk(), "refused", valid, refusal.getKey());

            assertThat(refused.status()).as(refusal.getKey()).isEqualTo(400);
            assertThat(refused.json().at("/error/code").asText()).isEqualTo("bad_request");
            assertThat(message(refused)).as(refusal.getKey()).isEqualTo(refusal.getValue());
        }
        Api.Response notAnArray = ServerApiContract.postLogs(
                env.sdk(),
                "{\"batchId\": \"refused\", \"windowStart\": \"" + clock.instant() + "\", \"usage\": {}}",
                "refused");
        assertThat(notAnArray.status()).isEqualTo(400);
        assertThat(message(notAnArray)).isEqualTo("log batch: \"usage\" must be an array");
        assertThat(usage(env, "").toString()).isEqualTo("{\"usage\":[],\"version\":0,\"more\":false}");
        Api.Response afterwards = accepted(env.sdk(), "refused", valid);
        assertThat(afterwards.json().get("duplicate").asBoolean())
                .as("a refused batch does not use up its id")
                .isFalse();
        assertThat(afterwards.json().at("/usage/0/used").asLong()).isEqualTo(1);
    }

    private static String seventeenArguments() {
        List<String> entries = new ArrayList<>();
        for (int i = 0; i < 17; i++) {
            entries.add("\"a" + i + "\": " + i);
        }
        return "{" + String.join(", ", entries) + "}";
    }

    @Test
    void moreThanTenThousandUsageItems_areRefusedWith413() throws IOException {
        Env env = newEnvironment();
        String[] items = new String[10_001];
        Arrays.fill(items, item(API, SEARCH, "org_1", "DAY", day(), 1));

        Api.Response refused = post(env.sdk(), "many", items);

        assertThat(refused.status()).isEqualTo(413);
        assertThat(refused.json().at("/error/code").asText()).isEqualTo("too_large");
        assertThat(message(refused)).isEqualTo("log batch: \"usage\" has 10001 items, more than 10000");
    }

    @Test
    void argumentValues_mayBeStringsNumbersAndBooleans_andAreKeptAsSent() throws IOException {
        Env env = newEnvironment();

        Api.Response posted = accepted(
                env.sdk(),
                "typed",
                item(
                        API,
                        "{\"tier\": 2, \"beta\": true, \"ratio\": 0.25, \"endpoint\": \"search\"}",
                        "org_1",
                        "HOUR",
                        hour(),
                        3));

        assertThat(posted.json().at("/usage/0/arguments").toString())
                .isEqualTo("{\"beta\":true,\"endpoint\":\"search\",\"ratio\":0.25,\"tier\":2}");
        assertThat(usage(env, "").at("/usage/0/arguments").toString())
                .isEqualTo("{\"beta\":true,\"endpoint\":\"search\",\"ratio\":0.25,\"tier\":2}");
    }

    // ---- GET /v1/usage ----

    @Test
    void usageSince_answersOnlyNewerRows_inVersionOrder_andPagesOnVersionBoundaries() throws IOException {
        Env env = newEnvironment();
        accepted(env.sdk(), "v1", item(API, SEARCH, "a", "DAY", day(), 1), item(API, SEARCH, "b", "DAY", day(), 1));
        accepted(env.sdk(), "v2", item(API, SEARCH, "c", "DAY", day(), 1));
        accepted(env.sdk(), "v3", item(API, SEARCH, "a", "DAY", day(), 1));

        assertThat(keysAndVersions(usage(env, ""))).isEqualTo("[b@1, c@2, a@3] version 3, more false");
        assertThat(keysAndVersions(usage(env, "?since=1"))).isEqualTo("[c@2, a@3] version 3, more false");
        assertThat(keysAndVersions(usage(env, "?since=3"))).isEqualTo("[] version 3, more false");
        assertThat(keysAndVersions(usage(env, "?since=0&limit=1"))).isEqualTo("[b@1] version 1, more true");
        assertThat(keysAndVersions(usage(env, "?since=1&limit=1"))).isEqualTo("[c@2] version 2, more true");
        assertThat(keysAndVersions(usage(env, "?since=2&limit=1"))).isEqualTo("[a@3] version 3, more false");

        accepted(env.sdk(), "v4", item(API, SEARCH, "d", "DAY", day(), 1), item(API, SEARCH, "e", "DAY", day(), 1));
        assertThat(keysAndVersions(usage(env, "?since=2&limit=2")))
                .as("the rows of one version are never split: the page stops before version 4")
                .isEqualTo("[a@3] version 3, more true");
        assertThat(keysAndVersions(usage(env, "?since=3&limit=1")))
                .as("a version with more rows than the limit comes whole")
                .isEqualTo("[d@4, e@4] version 4, more false");
        accepted(env.sdk(), "v5", item(API, SEARCH, "f", "DAY", day(), 1));
        assertThat(keysAndVersions(usage(env, "?since=3&limit=1"))).isEqualTo("[d@4, e@4] version 4, more true");
    }

    /**
     * Writers of one environment are serialized by its version row, so a poller that follows {@code since} while
     * batches (and their retries) arrive concurrently ends with every meter's final value, and each applied batch took
     * exactly one version.
     */
    @Test
    void concurrentBatchesAndRetries_areCountedOnce_andAPollerFollowingSince_endsWithEveryTotal() throws Exception {
        Env env = newEnvironment();
        int writers = 4;
        int batches = 15;
        ExecutorService pool = Executors.newFixedThreadPool(writers + 1);
        AtomicBoolean writing = new AtomicBoolean(true);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int w = 0; w < writers; w++) {
                String own = "writer-" + w;
                done.add(pool.submit(() -> {
                    for (int b = 0; b < batches; b++) {
                        String[] items = {
                            item(API, SEARCH, "shared", "DAY", day(), 1), item(API, SEARCH, own, "DAY", day(), 2)
                        };
                        accepted(env.sdk(), own + "-" + b, items);
                        accepted(env.sdk(), own + "-" + b, items); // the retry of a lost answer
                    }
                    return null;
                }));
            }
            Future<Map<String, Long>> seen = pool.submit(() -> follow(env, writing));
            for (Future<?> writer : done) {
                writer.get(60, TimeUnit.SECONDS);
            }
            writing.set(false);

            Map<String, Long> expected = new TreeMap<>(Map.of("shared", (long) writers * batches));
            for (int w = 0; w < writers; w++) {
                expected.put("writer-" + w, 2L * batches);
            }
            assertThat(seen.get(60, TimeUnit.SECONDS)).isEqualTo(expected);
            assertThat(usage(env, "?since=" + (writers * batches))
                            .get("version")
                            .asLong())
                    .as("one version per applied batch, none for a retry")
                    .isEqualTo(writers * batches);
        } finally {
            pool.shutdownNow();
        }
    }

    /** Polls {@code since} until {@code writing} is false and a last poll found nothing; answers used per key. */
    private static Map<String, Long> follow(Env env, AtomicBoolean writing) {
        Map<String, Long> used = new TreeMap<>();
        long since = 0;
        while (true) {
            boolean last = !writing.get();
            JsonNode page = usage(env, "?since=" + since + "&limit=3");
            page.get("usage")
                    .forEach(row ->
                            used.put(row.get("key").asText(), row.get("used").asLong()));
            since = page.get("version").asLong();
            if (last && !page.get("more").asBoolean()) {
                return used;
            }
        }
    }

    /** {@code [key@version, ...] version n, more b}; rows of one version are ordered by their id, so sorted here. */
    private static String keysAndVersions(JsonNode page) {
        List<String> rows = new ArrayList<>();
        page.get("usage")
                .forEach(row -> rows.add(
                        row.get("key").asText() + "@" + row.get("version").asLong()));
        rows.sort((x, y) -> {
            int byVersion = Long.compare(version(x), version(y));
            return byVersion != 0 ? byVersion : x.compareTo(y);
        });
        return rows + " version " + page.get("version").asLong() + ", more "
                + page.get("more").asBoolean();
    }

    private static long version(String keyAtVersion) {
        return Long.parseLong(keyAtVersion.substring(keyAtVersion.indexOf('@') + 1));
    }

    @Test
    void usageParameters_outOfRange_are400NamingTheParameter() {
        Env env = newEnvironment();
        Map<String, String> refusals = new LinkedHashMap<>();
        refusals.put("?since=-1", "since must be a meter version, 0 or more, was -1");
        refusals.put("?since=yesterday", "query parameter since must be an integer, was \"yesterday\"");
        refusals.put("?limit=0", "limit must be 1 to 10000, was 0");
        refusals.put("?limit=10001", "limit must be 1 to 10000, was 10001");
        refusals.put("?limit=many", "query parameter limit must be an integer, was \"many\"");

        for (Map.Entry<String, String> refusal : refusals.entrySet()) {
            Api.Response refused = env.sdk().get("/v1/usage" + refusal.getKey());

            assertThat(refused.status()).as(refusal.getKey()).isEqualTo(400);
            assertThat(message(refused)).as(refusal.getKey()).isEqualTo(refusal.getValue());
        }
        assertThat(admin.get("/v1/usage").status()).as("an admin token").isEqualTo(403);
    }

    @Test
    void anSdkToken_readsOnlyItsOwnEnvironmentsMeters() throws IOException {
        Env env = newEnvironment();
        Env other = newEnvironment();
        accepted(env.sdk(), "own", item(API, SEARCH, "org_1", "DAY", day(), 4));

        Api.Response elsewhere = env.sdk().get("/v1/usage?environment=" + other.name());

        assertThat(elsewhere.status()).isEqualTo(403);
        assertThat(usage(other, "").get("usage")).isEmpty();
        assertThat(usage(env, "?environment=" + env.name()).at("/usage/0/used").asLong())
                .isEqualTo(4);
    }

    @Test
    void rowsOfAPeriodThatEnded_areAnsweredForOnePeriodMore_thenNoLonger() throws IOException {
        Env env = newEnvironment();
        Instant hour = hour();
        accepted(
                env.sdk(),
                "periods",
                item(API, SEARCH, "org_1", "HOUR", hour, 3),
                item(API, SEARCH, "org_1", "DAY", day(), 3));
        assertThat(usage(env, "").get("usage")).hasSize(2);

        clock.advance(Duration.ofHours(1));

        assertThat(usage(env, "").get("usage").findValuesAsText("period"))
                .as("the feed answers the hour just ended: a rolling window still covers part of it")
                .containsExactlyInAnyOrder("HOUR", "DAY");
        JsonNode ofKey = admin.get(env.meters() + "?key=org_1").json();
        assertThat(ofKey.get("now").asText()).isEqualTo(clock.instant().toString());
        assertThat(ofKey.get("usage").findValuesAsText("period"))
                .as("the admin view shows current periods only")
                .containsExactly("DAY");
        Api.Response late = accepted(env.sdk(), "late", item(API, SEARCH, "org_1", "HOUR", hour, 2));
        assertThat(late.json().at("/usage/0/used").asLong())
                .as("a late batch still counts in its own period")
                .isEqualTo(5);
        assertThat(usage(env, "?since=1").toString())
                .isEqualTo("{\"usage\":[" + row("{\"endpoint\":\"search\"}", "org_1", "HOUR", hour, 5, 0, 2)
                        + "],\"version\":2,\"more\":false}");

        clock.advance(Duration.ofHours(1));

        assertThat(usage(env, "").toString())
                .as("two hours on, the first hour is no longer answered")
                .isEqualTo("{\"usage\":[" + row("{\"endpoint\":\"search\"}", "org_1", "DAY", day(), 3, 0, 1)
                        + "],\"version\":1,\"more\":false}");
    }

    // ---- admin ----

    @Test
    void grantAndReset_changeTheCurrentPeriod_areAudited_andAnnouncedWithNewVersions() throws IOException {
        Env env = newEnvironment();
        accepted(env.sdk(), "used", item(API, SEARCH, "org_1", "DAY", day(), 30));
        Map<String, Object> meter =
                Map.of("field", API, "arguments", Map.of("endpoint", "search"), "key", "org_1", "period", "DAY");

        Api.Response granted = admin.post(env.meters() + "/grants", with(meter, "amount", 100, "message", "trial"));
        Api.Response again = admin.post(env.meters() + "/grants", with(meter, "amount", 50));
        Api.Response reset = admin.post(env.meters() + "/reset", with(meter, "message", "new contract"));

        String search = "{\"endpoint\":\"search\"}";
        assertThat(granted.status()).as(granted.toString()).isEqualTo(200);
        assertThat(granted.json().toString()).isEqualTo(row(search, "org_1", "DAY", day(), 30, 100, 2));
        assertThat(again.json().toString()).isEqualTo(row(search, "org_1", "DAY", day(), 30, 150, 3));
        assertThat(reset.status()).as(reset.toString()).isEqualTo(200);
        assertThat(reset.json().toString()).isEqualTo(row(search, "org_1", "DAY", day(), 0, 150, 4));
        assertThat(usage(env, "?since=1").toString())
                .isEqualTo("{\"usage\":[" + reset.json() + "],\"version\":4,\"more\":false}");
        Api.Response more = accepted(env.sdk(), "more", item(API, SEARCH, "org_1", "DAY", day(), 4));
        assertThat(more.json().get("usage").toString())
                .isEqualTo("[" + row(search, "org_1", "DAY", day(), 4, 150, 5) + "]");

        String target = API + " " + search + " key=org_1 DAY " + day();
        assertThat(auditEntries(env, "usage.grant"))
                .containsExactly(target + " | extra +50 -> 150", target + " | extra +100 -> 100: trial");
        assertThat(auditEntries(env, "usage.reset")).containsExactly(target + " | used 30 -> 0: new contract");
    }

    @Test
    void aGrantForAMeterWithoutUsage_createsItsRowInTheCurrentPeriod() {
        Env env = newEnvironment();

        Api.Response granted = admin.post(
                env.meters() + "/grants",
                Map.of("field", API, "key", "org_9", "period", "MONTH", "amount", 1_000, "message", "add-on"));
        Api.Response reset =
                admin.post(env.meters() + "/reset", Map.of("field", API, "key", "org_8", "period", "HOUR"));

        assertThat(granted.json().toString()).isEqualTo(row("{}", "org_9", "MONTH", month(), 0, 1_000, 1));
        assertThat(reset.json().toString()).isEqualTo(row("{}", "org_8", "HOUR", hour(), 0, 0, 2));
        assertThat(auditEntries(env, "usage.reset"))
                .containsExactly(API + " {} key=org_8 HOUR " + hour() + " | used 0 -> 0");
    }

    @Test
    void grantsAndResets_refuseBadBodies_withMessagesNamingTheKey_andChangeNothing() {
        Env env = newEnvironment();
        Map<Map<String, Object>, String> refusals = new LinkedHashMap<>();
        refusals.put(
                Map.of("key", "org_1", "period", "DAY", "amount", 5), "usage grant: field must be a non-empty string");
        refusals.put(
                Map.of("field", API, "key", "org_1", "period", "WEEK", "amount", 5),
                "usage grant: period must be HOUR, DAY or MONTH, was \"WEEK\"");
        refusals.put(
                Map.of("field", API, "key", "org_1", "period", "DAY"),
                "usage grant: amount must be an integer from 1 to 1000000000000, was missing");
        refusals.put(
                Map.of("field", API, "key", "org_1", "period", "DAY", "amount", 5, "until", "tomorrow"),
                "unknown key \"until\" in a usage grant; the keys are field, arguments, key, period, amount and"
                        + " message");
        for (Map.Entry<Map<String, Object>, String> refusal : refusals.entrySet()) {
            Api.Response refused = admin.post(env.meters() + "/grants", refusal.getKey());

            assertThat(refused.status()).as(refusal.getKey().toString()).isEqualTo(400);
            assertThat(message(refused)).isEqualTo(refusal.getValue());
        }
        Api.Response resetWithAmount =
                admin.post(env.meters() + "/reset", Map.of("field", API, "key", "org_1", "period", "DAY", "amount", 5));
        Api.Response unknownField = admin.post(
                env.meters() + "/grants",
                Map.of("field", "entitlements.nope", "key", "org_1", "period", "DAY", "amount", 5));
        Api.Response unknownEnvironment = admin.post(
                "/v1/admin/environments/nope/meters/grants",
                Map.of("field", API, "key", "org_1", "period", "DAY", "amount", 5));

        assertThat(message(resetWithAmount))
                .isEqualTo("unknown key \"amount\" in a usage reset; the keys are field, arguments, key, period and"
                        + " message");
        assertThat(unknownField.status()).isEqualTo(404);
        assertThat(message(unknownField)).isEqualTo("the schema has no field entitlements.nope");
        assertThat(unknownEnvironment.status()).isEqualTo(404);
        assertThat(message(unknownEnvironment)).isEqualTo("no environment \"nope\"");
        assertThat(usage(env, "").toString()).isEqualTo("{\"usage\":[],\"version\":0,\"more\":false}");
    }

    @Test
    void viewers_readMeters_butOnlyEditorsGrantAndReset() {
        Env env = newEnvironment();
        Api viewer = admin.as(adminToken("viewer"));
        Api editor = admin.as(adminToken("editor"));
        Map<String, Object> grant = Map.of("field", API, "key", "org_1", "period", "DAY", "amount", 5);
        Map<String, Object> reset = Map.of("field", API, "key", "org_1", "period", "DAY");

        Api.Response viewerGrant = viewer.post(env.meters() + "/grants", grant);
        Api.Response viewerReset = viewer.post(env.meters() + "/reset", reset);
        Api.Response sdkGrant = env.sdk().post(env.meters() + "/grants", grant);
        Api.Response editorGrant = editor.post(env.meters() + "/grants", grant);
        Api.Response viewerRead = viewer.get(env.meters() + "?key=org_1");

        assertThat(viewerGrant.status()).isEqualTo(403);
        assertThat(message(viewerGrant)).isEqualTo("this needs the editor role; the token has viewer");
        assertThat(viewerReset.status()).isEqualTo(403);
        assertThat(sdkGrant.status()).isEqualTo(403);
        assertThat(message(sdkGrant)).isEqualTo("SDK tokens cannot use the admin API");
        assertThat(editorGrant.status()).as(editorGrant.toString()).isEqualTo(200);
        assertThat(viewerRead.status()).isEqualTo(200);
        assertThat(viewerRead.json().at("/usage/0/extra").asLong()).isEqualTo(5);
        assertThat(auditEntries(env, "usage.grant")).hasSize(1);
    }

    @Test
    void theMetersOfAKey_andTheTopKeysOfAField_areListedForCurrentPeriods() throws IOException {
        Env env = newEnvironment();
        accepted(
                env.sdk(),
                "fleet",
                item(API, SEARCH, "org_1", "DAY", day(), 10),
                item(API, "{\"endpoint\": \"export\"}", "org_1", "DAY", day(), 2),
                item(API, SEARCH, "org_2", "DAY", day(), 40),
                item(API, SEARCH, "org_3", "DAY", day(), 25),
                item("entitlements.maxTeamSize", "{}", "org_1", "MONTH", month(), 1),
                item(API, SEARCH, "org_4", "DAY", day().minus(1, ChronoUnit.DAYS), 99));

        JsonNode ofKey = admin.get(env.meters() + "?key=org_1").json();
        JsonNode top = admin.get(env.meters() + "?field=" + API + "&limit=2").json();
        Api.Response neither = admin.get(env.meters());
        Api.Response both = admin.get(env.meters() + "?key=org_1&field=" + API);
        Api.Response badLimit = admin.get(env.meters() + "?field=" + API + "&limit=1001");

        assertThat(ofKey.get("environment").asText()).isEqualTo(env.name());
        assertThat(ofKey.get("key").asText()).isEqualTo("org_1");
        assertThat(ofKey.get("now").asText()).isEqualTo(clock.instant().toString());
        assertThat(ofKey.get("usage").toString())
                .isEqualTo("[" + row("{\"endpoint\":\"export\"}", "org_1", "DAY", day(), 2, 0, 1) + ","
                        + row("{\"endpoint\":\"search\"}", "org_1", "DAY", day(), 10, 0, 1) + ","
                        + row("{}", "org_1", "MONTH", month(), 1, 0, 1).replace(API, "entitlements.maxTeamSize")
                        + "]");
        assertThat(top.get("field").asText()).isEqualTo(API);
        assertThat(top.get("limit").asLong()).isEqualTo(2);
        assertThat(top.get("usage").findValuesAsText("key"))
                .as("the most used first; yesterday's org_4 has ended")
                .containsExactly("org_2", "org_3");
        assertThat(neither.status()).isEqualTo(400);
        assertThat(message(neither)).isEqualTo("give either key (a counting key) or field (a field path), was neither");
        assertThat(message(both)).isEqualTo("give either key (a counting key) or field (a field path), was both");
        assertThat(message(badLimit)).isEqualTo("limit must be 1 to 1000, was 1001");
    }

    /** The {@code action} entries of the environment, newest first, as {@code target | detail}. */
    static List<String> auditEntries(Env env, String action) {
        List<String> found = new ArrayList<>();
        admin.get("/v1/admin/audit?environment=" + env.name())
                .json()
                .get("entries")
                .forEach(entry -> {
                    if (entry.get("action").asText().equals(action)) {
                        found.add(entry.get("target").asText() + " | "
                                + entry.get("detail").asText());
                    }
                });
        return found;
    }

    static Map<String, Object> with(Map<String, Object> base, Object... pairs) {
        Map<String, Object> body = new LinkedHashMap<>(base);
        for (int i = 0; i < pairs.length; i += 2) {
            body.put((String) pairs[i], pairs[i + 1]);
        }
        return body;
    }

    // ---- stream, retention ----

    @Test
    void meterChanges_areAnnouncedOnTheStream_asUsageEventsWithoutAnId_atMostOncePerSecond() throws Exception {
        Env env = newEnvironment();
        try (SseClient stream = new SseClient(server.url(), env.token())) {
            assertThat(stream.awaitRevision(1, 2_000)).as("the stream is open").isNotNull();

            accepted(env.sdk(), "first", item(API, SEARCH, "org_1", "DAY", day(), 1));
            SseClient.UsageEvent first = stream.awaitUsage(1, 3_000);

            assertThat(first).as("a usage event after the ingest").isNotNull();
            assertThat(first.version()).isEqualTo(1);
            assertThat(first.id())
                    .as("usage events have no id: ids are revisions")
                    .isNull();

            for (int i = 2; i <= 6; i++) {
                accepted(env.sdk(), "burst-" + i, item(API, SEARCH, "org_1", "DAY", day(), 1));
            }
            List<SseClient.UsageEvent> burst = stream.usageEventsWithin(2_500);

            assertThat(burst).isNotEmpty().hasSizeLessThanOrEqualTo(3);
            assertThat(burst.get(burst.size() - 1).version()).isEqualTo(6);
            for (int i = 1; i < burst.size(); i++) {
                assertThat(Duration.ofNanos(
                                burst.get(i).receivedNanos() - burst.get(i - 1).receivedNanos()))
                        .as("coalesced to one event a second")
                        .isGreaterThan(Duration.ofMillis(800));
            }
        }
    }

    @Test
    void retention_deletesMeterRowsWhosePeriodEndedMoreThanTheRetentionAgo() throws IOException {
        Env env = newEnvironment();
        Instant old = day().minus(91, ChronoUnit.DAYS);
        Instant kept = day().minus(90, ChronoUnit.DAYS);
        String[] items = {item(API, SEARCH, "org_1", "DAY", old, 5), item(API, SEARCH, "org_1", "DAY", kept, 6)};
        accepted(env.sdk(), "old", items);

        server.purgeUsage();

        Api.Response after = accepted(env.sdk(), "old", items);
        assertThat(after.json().get("duplicate").asBoolean()).isTrue();
        assertThat(after.json().get("usage").toString())
                .as("the retention is 90 days: a day that ended 90 days and 10 hours ago is deleted, one that ended"
                        + " 89 days and 10 hours ago kept")
                .isEqualTo("[" + row("{\"endpoint\":\"search\"}", "org_1", "DAY", old, 0, 0, 0) + ","
                        + row("{\"endpoint\":\"search\"}", "org_1", "DAY", kept, 6, 0, 1) + "]");
    }
}
