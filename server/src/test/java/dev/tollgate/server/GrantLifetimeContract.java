package dev.tollgate.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
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

    static TollgateServer server;
    static TestClock clock;
    static Api admin;

    static void startServer(TestServers.Storage storage) {
        clock = new TestClock(START);
        server = TestServers.start(storage, clock);
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
        assertThat(listed).containsExactly("org_now", "org_roles", "org_a", "org_b", "org_z", "org_last");
        assertThat(body.get("grants").get(2).toString())
                .isEqualTo("{\"field\":\"entitlements.maxTeamSize\",\"attribute\":\"context.organization.id\","
                        + "\"key\":\"org_a\",\"value\":11,\"from\":\"" + now.minusSeconds(60) + "\",\"until\":\""
                        + inThreeDays + "\"}");
        assertThat(body.get("grants").get(4).get("field").asText()).isEqualTo("entitlements.teamRolesEnabled");
        assertThat(body.get("grants").get(1).get("from").isNull()).isTrue();
        assertThat(admin.get(env + "/expiring?days=2").json().get("grants").findValuesAsText("key"))
                .containsExactly("org_now", "org_roles");
        assertThat(admin.get(env + "/expiring?days=15").json().get("grants").findValuesAsText("key"))
                .containsExactly("org_now", "org_roles", "org_a", "org_b", "org_z", "org_last", "org_late");
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
}
