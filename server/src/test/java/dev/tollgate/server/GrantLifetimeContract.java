package dev.tollgate.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.testing.ManualClock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * Override rows with a lifetime through the admin API: setting, ending and extending a window, the refusals, and the
 * Expiring view; run against H2 and PostgreSQL by the subclasses, on a server whose clock the tests move. Each test
 * works in its own environment and reads the time from the clock, so the tests share one server.
 */
abstract class GrantLifetimeContract {
    static final Instant START = Instant.parse("2026-12-01T00:00:00Z");
    static final String FIELD = "/fields/entitlements.maxTeamSize";
    static final String TABLE = FIELD + "/overrides/context.organization.id/";
    private static final AtomicInteger ENVIRONMENTS = new AtomicInteger();
    private static final DateTimeFormatter LOCAL = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss");

    static ServerConfig config;
    static TollgateServer server;
    static ManualClock clock;
    static Api admin;

    static void startServer(TestServers.Storage storage) {
        clock = ManualClock.at(START);
        // Rounds of lapse checks and pruning run when a test calls them, not on the server's schedule.
        config = TestServers.config(storage)
                .lapseCheckInterval(Duration.ofHours(1))
                .build();
        server = TollgateServer.start(config, clock);
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

    /** A new environment at revision 1 with empty logic. */
    static String newEnvironment() {
        String name = "grants-" + ENVIRONMENTS.incrementAndGet();
        Api.Response created = admin.post("/v1/admin/environments", Map.of("name", name));
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        return "/v1/admin/environments/" + name;
    }

    static Instant now() {
        return clock.instant();
    }

    static Map<String, Object> body(Object... pairs) {
        Map<String, Object> body = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            body.put((String) pairs[i], pairs[i + 1]);
        }
        return body;
    }

    /** Sets a row on the environment's current revision and answers the new revision. */
    static long set(String env, String key, Map<String, Object> body) {
        long revision = revision(env);
        Api.Response set = admin.put(env + TABLE + key, body, "If-Match", Api.ifMatch(revision));
        assertThat(set.status()).as(set.toString()).isEqualTo(200);
        return set.json().get("revision").asLong();
    }

    /** Replaces the environment's whole logic, as GitOps does, and answers the new revision. */
    static long putLogic(String env, Map<String, Object> logic) {
        Api.Response put = admin.put(env + "/logic", logic, "If-Match", Api.ifMatch(revision(env)));
        assertThat(put.status()).as(put.toString()).isIn(200, 201);
        return put.json().get("revision").asLong();
    }

    /** A table by organization id with only {@code rows}, no {@code values}, as the only logic of the field. */
    static Map<String, Object> rowsOnlyLogic(Map<String, Object> rows) {
        return Map.of(
                "fields",
                Map.of(
                        "entitlements.maxTeamSize",
                        Map.of("overrides", List.of(body("by", "context.organization.id", "rows", rows)))));
    }

    /** {@code instant} written at the wall-clock time of {@code offset} (such as +19:00, which java.time refuses). */
    static String atOffset(Instant instant, int offsetMinutes, String offset) {
        return LOCAL.format(LocalDateTime.ofInstant(instant.plus(Duration.ofMinutes(offsetMinutes)), ZoneOffset.UTC))
                + offset;
    }

    /** The field's logic in a new environment (revision 1): Pro gets 20, everyone else 5. */
    static void putPlanRules(String env) {
        Api.Response rules = admin.put(
                env + FIELD,
                body(
                        "rules",
                        List.of(body(
                                "id",
                                "pro",
                                "if",
                                Map.of("attribute", "context.organization.plan", "op", "eq", "value", "PRO"),
                                "value",
                                20)),
                        "default",
                        5),
                "If-Match",
                "\"1\"");
        assertThat(rules.status()).as(rules.toString()).isEqualTo(200);
    }

    static long revision(String env) {
        return admin.get(env).json().get("revision").asLong();
    }

    static JsonNode table(String env) {
        Api.Response field = admin.get(env + FIELD);
        assertThat(field.status()).as(field.toString()).isEqualTo(200);
        return field.json().at("/overrides/0");
    }

    static String token(String role) {
        Api.Response created =
                admin.post("/v1/admin/tokens", Map.of("name", "test " + role, "kind", "admin", "role", role));
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        return created.json().get("token").asText();
    }

    static JsonNode audit(String env) {
        return admin.get("/v1/admin/audit?environment=" + env.substring(env.lastIndexOf('/') + 1))
                .json()
                .get("entries");
    }

    static JsonNode logic(String env) {
        return admin.get(env + "/logic").json();
    }

    static List<JsonNode> entries(String env, String action) {
        List<JsonNode> found = new java.util.ArrayList<>();
        audit(env).forEach(entry -> {
            if (entry.get("action").asText().equals(action)) {
                found.add(entry);
            }
        });
        return found;
    }

    @Test
    void setOverride_withUntil_storesTheRowUnderRows_andTheAuditNamesTheWindow() {
        String env = newEnvironment();
        Instant until = now().plus(Duration.ofDays(14));

        set(env, "org_hooli", body("value", 10, "until", until.toString(), "message", "trial"));

        JsonNode table = table(env);
        assertThat(table.get("rows").toString())
                .isEqualTo("{\"org_hooli\":{\"value\":10,\"until\":\"" + until + "\"}}");
        assertThat(table.get("values").has("org_hooli")).isFalse();
        JsonNode entry = audit(env).get(0);
        assertThat(entry.get("action").asText()).isEqualTo("override.set");
        assertThat(entry.get("target").asText())
                .isEqualTo("entitlements.maxTeamSize context.organization.id=org_hooli -> 10 until " + until);
        assertThat(entry.get("detail").asText()).isEqualTo("revision 2: trial");
    }

    @Test
    void setOverride_withFromAndUntil_inAnotherOffset_storesThemNormalizedToUtc() {
        String env = newEnvironment();

        set(
                env,
                "org_77",
                body("value", 250, "from", "2027-01-01T01:00:00+01:00", "until", "2027-03-01t00:00:00.250z"));

        assertThat(table(env).at("/rows/org_77").toString())
                .isEqualTo("{\"value\":250,\"from\":\"2027-01-01T00:00:00Z\",\"until\":\"2027-03-01T00:00:00.250Z\"}");
        assertThat(audit(env).get(0).get("target").asText())
                .isEqualTo("entitlements.maxTeamSize context.organization.id=org_77 -> 250"
                        + " from 2027-01-01T00:00:00Z until 2027-03-01T00:00:00.250Z");
    }

    @Test
    void setOverride_permanentOverATrial_endsTheWindow_andATrialOverAPermanentValue_startsOne() {
        String env = newEnvironment();
        Instant until = now().plus(Duration.ofDays(7));
        set(env, "org_hooli", body("value", 10, "until", until.toString()));

        set(env, "org_hooli", body("value", 10));

        JsonNode table = table(env);
        assertThat(table.get("values").toString()).isEqualTo("{\"org_hooli\":10}");
        assertThat(table.has("rows")).as("an emptied rows object goes").isFalse();

        set(env, "org_hooli", body("value", 12, "until", until.toString()));

        table = table(env);
        assertThat(table.get("values").toString()).isEqualTo("{}");
        assertThat(table.get("rows").toString())
                .isEqualTo("{\"org_hooli\":{\"value\":12,\"until\":\"" + until + "\"}}");
    }

    @Test
    void setOverride_sameValueWithALaterUntil_extendsTheGrant() {
        String env = newEnvironment();
        Instant until = now().plus(Duration.ofDays(3));
        Instant later = until.plus(Duration.ofDays(14));
        set(env, "org_hooli", body("value", 10, "until", until.toString()));
        set(env, "org_other", body("value", 7, "until", until.toString()));

        long extended = set(env, "org_hooli", body("value", 10, "until", later.toString(), "message", "extend"));

        assertThat(extended).isEqualTo(4);
        assertThat(table(env).get("rows").toString())
                .isEqualTo("{\"org_hooli\":{\"value\":10,\"until\":\"" + later + "\"},"
                        + "\"org_other\":{\"value\":7,\"until\":\"" + until + "\"}}");
    }

    @Test
    void clearOverride_ofATrialRow_removesItFromRows_andTheEmptiedTable() {
        String env = newEnvironment();
        set(
                env,
                "org_hooli",
                body("value", 10, "until", now().plus(Duration.ofDays(3)).toString()));

        Api.Response cleared = admin.delete(env + TABLE + "org_hooli", "If-Match", Api.ifMatch(revision(env)));

        assertThat(cleared.status()).as(cleared.toString()).isEqualTo(200);
        assertThat(admin.get(env + "/logic").json().path("fields").has("entitlements.maxTeamSize"))
                .isFalse();
    }

    @Test
    void editor_setsATrialRow_inAnExistingTable() {
        String env = newEnvironment();
        set(env, "org_1", body("value", 5));
        Api editor = admin.as(token("editor"));
        Instant until = now().plus(Duration.ofDays(30));

        Api.Response set = editor.put(
                env + TABLE + "org_hooli",
                body("value", 10, "until", until.toString()),
                "If-Match",
                Api.ifMatch(revision(env)));

        assertThat(set.status()).as(set.toString()).isEqualTo(200);
        assertThat(table(env).at("/rows/org_hooli/until").asText()).isEqualTo(until.toString());
    }

    /**
     * Regression: an editor's clear of the last row of a table that has {@code rows} and no {@code values} dropped the
     * emptied {@code rows}, leaving a table with neither, which the validator refuses (400 invalid_logic).
     */
    @Test
    void editor_clearsTheLastRowOfATableWithOnlyRows_andTheEmptiedTableStays_forRowsAgain() {
        String env = newEnvironment();
        Instant until = now().plus(Duration.ofDays(7));
        putLogic(env, rowsOnlyLogic(Map.of("org_hooli", body("value", 10, "until", until.toString()))));
        Api editor = admin.as(token("editor"));

        Api.Response cleared = editor.delete(env + TABLE + "org_hooli", "If-Match", Api.ifMatch(revision(env)));

        assertThat(cleared.status()).as(cleared.toString()).isEqualTo(200);
        assertThat(table(env).toString()).isEqualTo("{\"by\":\"context.organization.id\",\"rows\":{}}");
        Api.Response trial = editor.put(
                env + TABLE + "org_acme",
                body("value", 12, "until", until.toString()),
                "If-Match",
                Api.ifMatch(revision(env)));
        assertThat(trial.status()).as(trial.toString()).isEqualTo(200);
        Api.Response permanent =
                editor.put(env + TABLE + "org_initech", body("value", 7), "If-Match", Api.ifMatch(revision(env)));
        assertThat(permanent.status()).as(permanent.toString()).isEqualTo(200);
        assertThat(table(env).toString())
                .isEqualTo("{\"by\":\"context.organization.id\",\"rows\":{\"org_acme\":{\"value\":12,\"until\":\""
                        + until + "\"}},\"values\":{\"org_initech\":7}}");
    }

    /**
     * Regression: the server read instants with java.time, which refuses what the SDK reads (offsets past ±18:00, a
     * leap second, more than nine fraction digits), so it refused such a grant although every SDK would honour it.
     */
    @Test
    void setOverride_withInstantsTheSdkReads_storesThemNormalizedToUtc() {
        String env = newEnvironment();
        Instant midnight = now().truncatedTo(ChronoUnit.DAYS).plus(Duration.ofDays(2));
        String leapSecond = midnight.toString().substring(0, 10) + "T23:59:60.5000000000Z";
        String farEast = atOffset(midnight.plus(Duration.ofDays(2)), 23 * 60 + 59, "+23:59");

        set(env, "org_hooli", body("value", 10, "from", leapSecond, "until", farEast));

        assertThat(table(env).at("/rows/org_hooli").toString())
                .isEqualTo("{\"value\":10,\"from\":\"" + midnight.plusMillis(86_399_500) + "\",\"until\":\""
                        + midnight.plus(Duration.ofDays(2)) + "\"}");
    }

    /**
     * Regression: a row stored through PUT /logic (or GitOps) with instants only the SDK's parser reads was honoured by
     * every SDK, but the server took its window for absent: not listed as expiring, its lapse never recorded, never
     * pruned.
     */
    @Test
    void rowsStoredWithInstantsTheSdkReads_areListedAsExpiring_recordedAsLapsed_andPruned() {
        String env = newEnvironment();
        Instant midnight = now().truncatedTo(ChronoUnit.DAYS).plus(Duration.ofDays(2));
        Instant lastSecond = midnight.plusSeconds(86_399);
        Instant nextDay = midnight.plus(Duration.ofDays(1));
        long revision = putLogic(
                env,
                rowsOnlyLogic(Map.of(
                        "org_far_east",
                        body("value", 10, "until", atOffset(midnight, 19 * 60, "+19:00")),
                        "org_leap",
                        body("value", 11, "until", midnight.toString().substring(0, 10) + "T23:59:60Z"),
                        "org_digits",
                        body("value", 12, "until", nextDay.toString().replace("Z", ".0000000000Z")))));

        JsonNode grants = admin.get(env + "/expiring?days=30").json().get("grants");

        assertThat(grants.findValuesAsText("key")).containsExactly("org_far_east", "org_leap", "org_digits");
        assertThat(grants.findValuesAsText("until"))
                .containsExactly(midnight.toString(), lastSecond.toString(), nextDay.toString());
        clock.set(nextDay);
        server.checkWindows();
        assertThat(entries(env, "override.lapsed"))
                .extracting(entry -> entry.get("detail").asText())
                .containsExactlyInAnyOrder(
                        "value 10 until " + midnight + " (revision " + revision + ")",
                        "value 11 until " + lastSecond + " (revision " + revision + ")",
                        "value 12 until " + nextDay + " (revision " + revision + ")");
        clock.set(nextDay.plus(Duration.ofDays(30)));
        server.checkWindows();
        assertThat(revision(env)).isEqualTo(revision + 1);
        assertThat(admin.get(env + "/revisions")
                        .json()
                        .at("/revisions/0/message")
                        .asText())
                .startsWith("pruned 3 override rows expired for 30 days or more: ");
        assertThat(logic(env).path("fields").has("entitlements.maxTeamSize")).isFalse();
    }

    @Test
    void badWindows_areRefusedWith400NamingTheKey_andNothingIsStored() {
        String env = newEnvironment();
        Instant now = now();
        String future = now.plus(Duration.ofDays(10)).toString();
        String earlier = now.plus(Duration.ofDays(5)).toString();
        Map<Map<String, Object>, String> refusals = new LinkedHashMap<>();
        refusals.put(
                body("value", 10, "until", "next week"),
                "until: \"next week\" is not an RFC 3339 instant such as \"2026-12-20T00:00:00Z\"");
        refusals.put(
                body("value", 10, "until", "2026-12-20"),
                "until: \"2026-12-20\" is not an RFC 3339 instant such as \"2026-12-20T00:00:00Z\"");
        refusals.put(
                body("value", 10, "until", "2027-02-30T00:00:00Z"),
                "until: \"2027-02-30T00:00:00Z\" is not an RFC 3339 instant such as \"2026-12-20T00:00:00Z\"");
        refusals.put(
                body("value", 10, "until", 1_800_000_000),
                "until: 1800000000 is not an RFC 3339 instant such as \"2026-12-20T00:00:00Z\"");
        refusals.put(
                body("value", 10, "from", true, "until", future),
                "from: true is not an RFC 3339 instant such as \"2026-12-20T00:00:00Z\"");
        refusals.put(
                body("value", 10, "until", "2027-01-01T00:00:00.0001Z"),
                "until: \"2027-01-01T00:00:00.0001Z\" has more than millisecond precision (at most three fraction"
                        + " digits)");
        refusals.put(
                body("value", 10, "until", "9999-12-31T23:00:00-05:00"),
                "until: \"9999-12-31T23:00:00-05:00\" is +10000-01-01T04:00:00Z in UTC, outside the years 0000 to 9999"
                        + " that a snapshot's instants have");
        refusals.put(
                body("value", 10, "from", "0000-01-01T00:30:00+01:00", "until", future),
                "from: \"0000-01-01T00:30:00+01:00\" is -0001-12-31T23:30:00Z in UTC, outside the years 0000 to 9999"
                        + " that a snapshot's instants have");
        refusals.put(
                body("value", 10, "from", future, "until", earlier),
                "until " + earlier + " is not after from " + future + "; a window must not be empty");
        refusals.put(
                body("value", 10, "from", future, "until", future),
                "until " + future + " is not after from " + future + "; a window must not be empty");
        refusals.put(
                body("value", 10, "until", now.minusSeconds(1).toString()),
                "until " + now.minusSeconds(1)
                        + " is not in the future; set allowPastUntil to store a grant that has already lapsed");
        refusals.put(
                body("value", 10, "until", now.toString()),
                "until " + now + " is not in the future; set allowPastUntil to store a grant that has already lapsed");
        refusals.put(
                body("value", 10, "until", now.toString(), "allowPastUntil", "yes"),
                "allowPastUntil: must be true or false, was \"yes\"");
        refusals.put(
                body("value", 10, "expires", future),
                "unknown key \"expires\" in the override; the keys are value, from, until, allowPastUntil and message");

        refusals.forEach((body, message) -> {
            Api.Response refused = admin.put(env + TABLE + "org_hooli", body, "If-Match", "\"1\"");
            assertThat(refused.status()).as(body + " -> " + refused).isEqualTo(400);
            assertThat(refused.json().at("/error/message").asText())
                    .as(body.toString())
                    .isEqualTo(message);
        });
        assertThat(revision(env)).isEqualTo(1);
        assertThat(admin.get(env + "/revisions").json().get("revisions")).hasSize(1);
        assertThat(audit(env).findValuesAsText("action")).doesNotContain("override.set");
    }

    @Test
    void allowPastUntil_storesAGrantThatHasAlreadyLapsed() {
        String env = newEnvironment();
        Instant past = now().minus(Duration.ofDays(2));

        set(env, "org_hooli", body("value", 10, "until", past.toString(), "allowPastUntil", true));

        assertThat(table(env).at("/rows/org_hooli").toString()).isEqualTo("{\"value\":10,\"until\":\"" + past + "\"}");
    }

    @Test
    void expiring_listsTheRowsLapsingWithinTheDays_byUntilThenFieldThenKey() {
        String env = newEnvironment();
        Instant now = now();
        Instant inOneDay = now.plus(Duration.ofDays(1));
        Instant inThreeDays = now.plus(Duration.ofDays(3));
        set(env, "org_b", body("value", 10, "until", inThreeDays.toString()));
        set(
                env,
                "org_a",
                body(
                        "value",
                        11,
                        "until",
                        inThreeDays.toString(),
                        "from",
                        now.minusSeconds(60).toString()));
        set(
                env,
                "org_late",
                body("value", 12, "until", now.plus(Duration.ofDays(14)).toString()));
        set(
                env,
                "org_last",
                body(
                        "value",
                        13,
                        "until",
                        now.plus(Duration.ofDays(14)).minusMillis(1).toString()));
        set(env, "org_lapsed", body("value", 14, "until", now.minusMillis(1).toString(), "allowPastUntil", true));
        set(env, "org_now", body("value", 15, "until", now.toString(), "allowPastUntil", true));
        set(env, "org_starts", body("value", 16, "from", inOneDay.toString()));
        set(env, "org_forever", body("value", 17));
        long revision = set(env, "org_roles", body("value", 18, "until", inOneDay.toString()));
        Api.Response roles = admin.put(
                env + "/fields/entitlements.teamRolesEnabled/overrides/context.organization.id/org_z",
                body("value", true, "until", inThreeDays.toString()),
                "If-Match",
                Api.ifMatch(revision));
        assertThat(roles.status()).as(roles.toString()).isEqualTo(200);

        Api.Response expiring = admin.get(env + "/expiring");

        assertThat(expiring.status()).as(expiring.toString()).isEqualTo(200);
        JsonNode body = expiring.json();
        assertThat(body.get("environment").asText()).isEqualTo(env.substring(env.lastIndexOf('/') + 1));
        assertThat(body.get("revision").asLong()).isEqualTo(revision + 1);
        assertThat(body.get("now").asText()).isEqualTo(now.toString());
        assertThat(body.get("days").asInt()).isEqualTo(14);
        List<String> listed = body.get("grants").findValuesAsText("key");
        assertThat(listed)
                .as("until is exclusive: a row whose until is now has lapsed, and lapsed rows are not listed")
                .containsExactly("org_roles", "org_a", "org_b", "org_z", "org_last");
        assertThat(body.get("grants").get(1).toString())
                .isEqualTo("{\"field\":\"entitlements.maxTeamSize\",\"attribute\":\"context.organization.id\","
                        + "\"key\":\"org_a\",\"value\":11,\"from\":\"" + now.minusSeconds(60) + "\",\"until\":\""
                        + inThreeDays + "\"}");
        assertThat(body.get("grants").get(3).get("field").asText()).isEqualTo("entitlements.teamRolesEnabled");
        assertThat(body.get("grants").get(0).get("from").isNull()).isTrue();
        assertThat(admin.get(env + "/expiring?days=2").json().get("grants").findValuesAsText("key"))
                .containsExactly("org_roles");
        assertThat(admin.get(env + "/expiring?days=15").json().get("grants").findValuesAsText("key"))
                .containsExactly("org_roles", "org_a", "org_b", "org_z", "org_last", "org_late");
        clock.set(now.minusMillis(1));
        assertThat(admin.get(env + "/expiring").json().get("grants").findValuesAsText("key"))
                .as("a millisecond before its until, the row is listed")
                .startsWith("org_now", "org_roles");
        clock.set(now);
    }

    @Test
    void expiring_refusesDaysOutside1To366_namingDays() {
        String env = newEnvironment();
        for (String days : List.of("0", "367", "-1", "seven", "1.5", "")) {
            Api.Response refused = admin.get(env + "/expiring?days=" + days);
            assertThat(refused.status()).as(days).isEqualTo(400);
            assertThat(refused.json().at("/error/message").asText())
                    .isEqualTo("days must be an integer from 1 to 366, was \"" + days + "\"");
        }
        assertThat(admin.get(env + "/expiring?days=366").status()).isEqualTo(200);
        assertThat(admin.get(env + "/expiring?days=1").json().get("grants")).isEmpty();
    }

    @Test
    void expiring_isForViewers_andSaysWhenTheEnvironmentIsUnknown() {
        Api viewer = admin.as(token("viewer"));

        assertThat(viewer.get("/v1/admin/environments/production/expiring").status())
                .isEqualTo(200);
        Api.Response unknown = viewer.get("/v1/admin/environments/nope/expiring");
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.json().at("/error/message").asText()).isEqualTo("no environment \"nope\"");
    }

    @Test
    void lapses_areRecordedInTheAuditLog_onceEach_atTheFirstCheckFromUntilOn() {
        String env = newEnvironment();
        Instant until = now().plus(Duration.ofHours(1));
        Instant ruleUntil = now().plus(Duration.ofHours(2));
        Api.Response segment = admin.put(
                env + "/segments/launch-promo",
                body(
                        "until",
                        until.toString(),
                        "if",
                        Map.of("attribute", "context.organization.plan", "op", "eq", "value", "FREE")),
                "If-Match",
                "\"1\"");
        assertThat(segment.status()).as(segment.toString()).isEqualTo(200);
        Api.Response rules = admin.put(
                env + FIELD,
                body(
                        "rules",
                        List.of(
                                body(
                                        "id",
                                        "promo",
                                        "until",
                                        ruleUntil.toString(),
                                        "if",
                                        Map.of("segment", "launch-promo"),
                                        "value",
                                        8),
                                body(
                                        "id",
                                        "pro",
                                        "if",
                                        Map.of("attribute", "context.organization.plan", "op", "eq", "value", "PRO"),
                                        "value",
                                        20)),
                        "default",
                        5),
                "If-Match",
                "\"2\"");
        assertThat(rules.status()).as(rules.toString()).isEqualTo(200);
        long revision = set(env, "org_hooli", body("value", 10, "until", until.toString()));
        set(env, "org_forever", body("value", 50));

        server.checkWindows();
        assertThat(entries(env, "override.lapsed")).as("before until").isEmpty();
        clock.set(until.minusMillis(1));
        server.checkWindows();
        assertThat(entries(env, "override.lapsed"))
                .as("a millisecond before until")
                .isEmpty();

        clock.set(until);
        server.checkWindows();
        server.checkWindows();

        List<JsonNode> lapsed = entries(env, "override.lapsed");
        assertThat(lapsed).hasSize(1);
        assertThat(lapsed.get(0).get("actor").asText()).isEqualTo("tollgate");
        assertThat(lapsed.get(0).get("tokenId").isNull()).isTrue();
        assertThat(lapsed.get(0).get("environment").asText()).isEqualTo(env.substring(env.lastIndexOf('/') + 1));
        assertThat(lapsed.get(0).get("target").asText())
                .isEqualTo("entitlements.maxTeamSize context.organization.id=org_hooli");
        assertThat(lapsed.get(0).get("detail").asText())
                .isEqualTo("value 10 until " + until + " (revision " + (revision + 1) + ")");
        List<JsonNode> segments = entries(env, "segment.lapsed");
        assertThat(segments).hasSize(1);
        assertThat(segments.get(0).get("target").asText()).isEqualTo("segment launch-promo");
        assertThat(entries(env, "rule.lapsed")).isEmpty();

        clock.set(ruleUntil);
        server.checkWindows();
        server.checkWindows();

        List<JsonNode> rule = entries(env, "rule.lapsed");
        assertThat(rule).hasSize(1);
        assertThat(rule.get(0).get("target").asText()).isEqualTo("entitlements.maxTeamSize rule promo");
        assertThat(rule.get(0).get("detail").asText())
                .isEqualTo("value 8 until " + ruleUntil + " (revision " + (revision + 1) + ")");
        assertThat(entries(env, "override.lapsed")).hasSize(1);
        assertThat(revision(env)).as("recording a lapse makes no revision").isEqualTo(revision + 1);
    }

    @Test
    void pruning_removesRowsExpiredForTheRetention_inOneRevisionByTheServer_andNothingBefore() {
        String env = newEnvironment();
        Instant until = now().plus(Duration.ofDays(1));
        set(env, "org_hooli", body("value", 10, "until", until.toString()));
        set(
                env,
                "org_acme",
                body("value", 12, "until", until.plus(Duration.ofDays(2)).toString()));
        Api.Response roles = admin.put(
                env + "/fields/entitlements.teamRolesEnabled/overrides/context.organization.id/org_hooli",
                body("value", true, "until", until.toString()),
                "If-Match",
                Api.ifMatch(revision(env)));
        assertThat(roles.status()).as(roles.toString()).isEqualTo(200);
        long before = revision(env);

        clock.set(until.plus(Duration.ofDays(30)).minusMillis(1));
        server.checkWindows();
        assertThat(revision(env))
                .as("a millisecond before the retention has passed")
                .isEqualTo(before);
        assertThat(entries(env, "override.lapsed")).hasSize(3);

        clock.set(until.plus(Duration.ofDays(30)));
        server.checkWindows();

        assertThat(revision(env)).isEqualTo(before + 1);
        JsonNode logic = logic(env);
        assertThat(logic.at("/fields/entitlements.maxTeamSize/overrides/0/rows").toString())
                .isEqualTo("{\"org_acme\":{\"value\":12,\"until\":\"" + until.plus(Duration.ofDays(2)) + "\"}}");
        assertThat(logic.path("fields").has("entitlements.teamRolesEnabled"))
                .as("a table left empty goes, and then the field's logic, as when an admin clears the last row")
                .isFalse();
        String pruned = "entitlements.maxTeamSize context.organization.id=org_hooli (until " + until + "),"
                + " entitlements.teamRolesEnabled context.organization.id=org_hooli (until " + until + ")";
        JsonNode revision = admin.get(env + "/revisions").json().at("/revisions/0");
        assertThat(revision.get("author").asText()).isEqualTo("tollgate (retention)");
        assertThat(revision.get("message").asText())
                .isEqualTo("pruned 2 override rows expired for 30 days or more: " + pruned);
        List<JsonNode> entries = entries(env, "override.pruned");
        assertThat(entries).hasSize(1);
        assertThat(entries.get(0).get("actor").asText()).isEqualTo("tollgate (retention)");
        assertThat(entries.get(0).get("target").asText()).isEqualTo(pruned);
        assertThat(entries.get(0).get("detail").asText()).startsWith("revision " + (before + 1) + ": pruned 2");

        server.checkWindows();
        assertThat(revision(env)).as("nothing more to prune: no revision").isEqualTo(before + 1);
        assertThat(entries(env, "override.lapsed"))
                .as("pruning records no lapse again")
                .hasSize(3);
    }

    @Test
    void pruning_thatMeetsAConcurrentAdminWrite_getsAConflict_andThatWriteSurvivesTheNextRound() {
        String env = newEnvironment();
        Instant until = now().plus(Duration.ofMinutes(5));
        long seen = set(env, "org_hooli", body("value", 10, "until", until.toString()));
        clock.set(until.plus(Duration.ofDays(31)));
        long written = set(env, "org_new", body("value", 99, "message", "admin write"));

        WindowKeeper.Pruned outcome = server.windows().prune(env.substring(env.lastIndexOf('/') + 1), seen, now());

        assertThat(outcome).isEqualTo(WindowKeeper.Pruned.CONFLICT);
        assertThat(revision(env)).isEqualTo(written);
        server.checkWindows();
        assertThat(revision(env)).isEqualTo(written + 1);
        JsonNode table = logic(env).at("/fields/entitlements.maxTeamSize/overrides/0");
        assertThat(table.toString()).isEqualTo("{\"by\":\"context.organization.id\",\"values\":{\"org_new\":99}}");
    }

    @Test
    void adminWritesDuringPruningRounds_areNeverLost() throws Exception {
        String env = newEnvironment();
        for (int i = 0; i < 5; i++) {
            set(
                    env,
                    "org_trial" + i,
                    body(
                            "value",
                            i,
                            "until",
                            now().plus(Duration.ofMinutes(1 + i)).toString()));
        }
        clock.advance(Duration.ofDays(40));
        java.util.concurrent.ExecutorService writer = java.util.concurrent.Executors.newSingleThreadExecutor();
        java.util.concurrent.Future<List<String>> acknowledged = writer.submit(() -> {
            List<String> keys = new java.util.ArrayList<>();
            for (int i = 0; i < 20; i++) {
                String key = "org_w" + i;
                Api.Response set;
                do {
                    set = admin.put(env + TABLE + key, body("value", 100 + i), "If-Match", Api.ifMatch(revision(env)));
                } while (set.status() == 409);
                assertThat(set.status()).as(set.toString()).isEqualTo(200);
                keys.add(key);
            }
            return keys;
        });
        while (!acknowledged.isDone()) {
            server.checkWindows();
        }
        writer.shutdown();
        server.checkWindows();

        JsonNode table = logic(env).at("/fields/entitlements.maxTeamSize/overrides/0");
        assertThat(table.has("rows")).as("every trial pruned").isFalse();
        List<String> kept = new java.util.ArrayList<>();
        table.get("values").fieldNames().forEachRemaining(kept::add);
        assertThat(kept).containsExactlyInAnyOrderElementsOf(acknowledged.get());
        assertThat(entries(env, "override.pruned")).isNotEmpty();
    }

    /**
     * Support asks "why did Hooli drop back to 20?": the explanation, at the server's instant, names the lapsed row in
     * the reason's notes, and says which instant it evaluated at.
     */
    @Test
    void explain_afterUntil_givesThePlanValue_withANoteThatTheRowLapsed_atTheServersInstant() {
        String env = newEnvironment();
        putPlanRules(env);
        Instant until = now().plus(Duration.ofDays(14));
        set(env, "org_hooli", body("value", 50, "until", until.toString()));
        Map<String, Object> request = Map.of(
                "context",
                Map.of("organization", Map.of("id", "org_hooli", "plan", "PRO"), "user", Map.of("id", "u1")),
                "fields",
                List.of("entitlements.maxTeamSize"));

        clock.set(until.minusMillis(1));
        JsonNode during = admin.post(env + "/explain", request).json();
        clock.set(until);
        JsonNode after = admin.post(env + "/explain", request).json();

        assertThat(during.get("at").asText()).isEqualTo(until.minusMillis(1).toString());
        assertThat(during.at("/fields/0/value").asInt()).isEqualTo(50);
        assertThat(during.at("/fields/0/reason/kind").asText()).isEqualTo("OVERRIDE");
        assertThat(during.at("/fields/0/reason/notes").isMissingNode()).isTrue();
        assertThat(after.get("at").asText()).isEqualTo(until.toString());
        assertThat(after.at("/fields/0/value").asInt()).isEqualTo(20);
        assertThat(after.at("/fields/0/reason/rule").asText()).isEqualTo("pro");
        assertThat(after.at("/fields/0/reason/notes"))
                .extracting(JsonNode::asText)
                .containsExactly("override context.organization.id=org_hooli lapsed at " + until);
    }

    /**
     * An SDK client reading the server's stream evaluates a trial row, and once its own clock passes {@code until} the
     * next root gets the plan's value, with no new snapshot: the server does not need to act for a grant to lapse.
     */
    @Test
    void sdkClient_afterUntilOnItsOwnClock_getsThePlanValue_withNoNewSnapshot() {
        String env = newEnvironment();
        String name = env.substring(env.lastIndexOf('/') + 1);
        putPlanRules(env);
        Instant until = now().plus(Duration.ofDays(14));
        long revision = set(env, "org_hooli", body("value", 50, "until", until.toString(), "message", "trial"));
        Api.Response sdkToken =
                admin.post("/v1/admin/tokens", Map.of("name", "svc", "kind", "sdk", "environment", name));
        ManualClock sdkClock = ManualClock.at(until.minusSeconds(1));

        try (dev.tollgate.TollgateClient client = dev.tollgate.TollgateClient.builder(
                        dev.tollgate.Schema.parse(TestServers.SCHEMA, "schema.graphql"))
                .logs(dev.tollgate.LogOptions.disabled())
                .server(dev.tollgate.ServerOptions.builder(
                                server.url(), sdkToken.json().get("token").asText())
                        .build())
                .clock(sdkClock)
                .build()) {
            assertThat(client.awaitReady(Duration.ofSeconds(10)).isReady()).isTrue();
            dev.tollgate.runtime.InputValue hooli = dev.tollgate.DynamicInput.context(
                    client.schema(),
                    Map.of("organization", Map.of("id", "org_hooli", "plan", "PRO"), "user", Map.of("id", "u1")));
            assertThat(client.revision()).isEqualTo(revision);
            assertThat(client.root(hooli).intValue("entitlements.maxTeamSize", 1))
                    .isEqualTo(50);

            sdkClock.set(until);

            dev.tollgate.UntypedRoot after = client.root(hooli);
            assertThat(after.intValue("entitlements.maxTeamSize", 1)).isEqualTo(20);
            assertThat(after.detail("entitlements.maxTeamSize", Map.of(), 1)
                            .reason()
                            .notes())
                    .containsExactly("override context.organization.id=org_hooli lapsed at " + until);
            assertThat(client.revision()).as("no new snapshot").isEqualTo(revision);
        }
    }
}
