package dev.tollgate.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * The storage and admin API behaviour every storage backend must show; run against H2 and against PostgreSQL by the
 * subclasses. Each test works in its own environment, so the tests share one server.
 */
abstract class ServerApiContract {
    private static final AtomicInteger ENVIRONMENTS = new AtomicInteger();
    private static final String ORG_42 = "/fields/entitlements.maxTeamSize/overrides/context.organization.id/org_42";
    private static final String ORG_1 = "/fields/entitlements.maxTeamSize/overrides/context.organization.id/org_1";

    static TollgateServer server;
    static Api admin;

    static void startServer(TestServers.Storage storage) {
        server = TestServers.start(storage);
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
        String name = "env-" + ENVIRONMENTS.incrementAndGet();
        Api.Response created = admin.post("/v1/admin/environments", Map.of("name", name));
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        assertThat(created.json().get("revision").asLong()).isEqualTo(1);
        return "/v1/admin/environments/" + name;
    }

    static String token(String kind, String roleOrEnvironment) {
        Map<String, String> body = kind.equals("sdk")
                ? Map.of("name", "test " + kind, "kind", kind, "environment", roleOrEnvironment)
                : Map.of("name", "test " + roleOrEnvironment, "kind", kind, "role", roleOrEnvironment);
        Api.Response created = admin.post("/v1/admin/tokens", body);
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        return created.json().get("token").asText();
    }

    static String environmentName(String env) {
        return env.substring(env.lastIndexOf('/') + 1);
    }

    static JsonNode logic(String env) {
        Api.Response logic = admin.get(env + "/logic");
        assertThat(logic.status()).as(logic.toString()).isEqualTo(200);
        return logic.json();
    }

    @Test
    void firstStart_createsConfiguredEnvironments_atRevisionOneAfterTheSchema() {
        JsonNode environments = admin.get("/v1/admin/environments").json().get("environments");
        assertThat(environments.findValuesAsText("name")).contains("production", "staging");
        JsonNode production = admin.get("/v1/admin/environments/production").json();
        assertThat(production.get("revision").asLong()).isGreaterThanOrEqualTo(1);
        JsonNode schema = admin.get("/v1/admin/schema").json();
        assertThat(schema.get("version").asLong()).isEqualTo(1);
        assertThat(schema.get("sdl").asText()).contains("maxTeamSize: Int!");
        assertThat(schema.get("contextAttributes").toString())
                .isEqualTo("[{\"attribute\":\"context.organization.id\",\"type\":\"String!\"},"
                        + "{\"attribute\":\"context.organization.plan\",\"type\":\"Plan!\","
                        + "\"enumValues\":[\"FREE\",\"PRO\",\"ENTERPRISE\"]},"
                        + "{\"attribute\":\"context.user.id\",\"type\":\"String!\"}]");
        assertThat(schema.get("fields").findValuesAsText("path"))
                .containsExactly(
                        "entitlements",
                        "entitlements.teamRolesEnabled",
                        "entitlements.maxTeamSize",
                        "entitlements.maxApiRequestsPerDay",
                        "entitlements.versionHistoryEnabled");
        assertThat(schema.get("fields").get(1).get("description").asText())
                .isEqualTo("Whether custom team roles can be created.");
        assertThat(schema.get("fields").get(3).get("arguments").toString())
                .isEqualTo("[{\"name\":\"endpoint\",\"type\":\"String!\",\"attribute\":\"args.endpoint\","
                        + "\"declaredOn\":\"entitlements.maxApiRequestsPerDay\"}]");
    }

    @Test
    void setOverride_storesNewRevision_withAuthorMessageAndValue() {
        String env = newEnvironment();
        Api.Response set =
                admin.put(env + ORG_42, Map.of("value", 50, "message", "trial for org_42"), "If-Match", "\"1\"");

        assertThat(set.status()).as(set.toString()).isEqualTo(200);
        assertThat(set.header("ETag")).isEqualTo("\"2\"");
        assertThat(set.json().get("revision").asLong()).isEqualTo(2);
        assertThat(set.json().get("message").asText()).isEqualTo("trial for org_42");
        assertThat(set.json().get("author").asText()).isEqualTo("initial admin (token 1)");
        JsonNode logic = logic(env);
        assertThat(logic.get("revision").asLong()).isEqualTo(2);
        assertThat(logic.at("/fields/entitlements.maxTeamSize/overrides/0/by").asText())
                .isEqualTo("context.organization.id");
        assertThat(logic.at("/fields/entitlements.maxTeamSize/overrides/0/values/org_42")
                        .asInt())
                .isEqualTo(50);
    }

    @Test
    void clearOverride_removesTheRow_andTheEmptyTable() {
        String env = newEnvironment();
        admin.put(env + ORG_42, Map.of("value", 50), "If-Match", "\"1\"");
        Api.Response cleared = admin.delete(env + ORG_42, "If-Match", "\"2\"");

        assertThat(cleared.status()).as(cleared.toString()).isEqualTo(200);
        assertThat(logic(env).path("fields").has("entitlements.maxTeamSize")).isFalse();
        Api.Response again = admin.delete(env + ORG_42, "If-Match", "\"3\"");
        assertThat(again.status()).isEqualTo(404);
        assertThat(again.json().at("/error/message").asText())
                .isEqualTo("field entitlements.maxTeamSize has no override for context.organization.id = org_42");
    }

    @Test
    void invalidLogic_isRefusedWithTheSdkProblems_andNothingIsStored() {
        String env = newEnvironment();
        admin.put(env + ORG_42, Map.of("value", 50), "If-Match", "\"1\"");

        Api.Response refused = admin.put(
                env + "/fields/entitlements.maxTeamSize",
                Map.of("rules", List.of(Map.of("id", "pro", "value", "twenty")), "default", 5),
                "If-Match",
                "\"2\"");

        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.json().at("/error/code").asText()).isEqualTo("invalid_logic");
        assertThat(refused.json().at("/error/problems/0/path").asText())
                .isEqualTo("entitlements.maxTeamSize: rule \"pro\"");
        assertThat(refused.json().at("/error/problems/0/message").asText()).isEqualTo("value \"twenty\" is not an Int");
        JsonNode logic = logic(env);
        assertThat(logic.get("revision").asLong()).isEqualTo(2);
        assertThat(logic.at("/fields/entitlements.maxTeamSize/overrides/0/values/org_42")
                        .asInt())
                .isEqualTo(50);
        assertThat(admin.get(env + "/revisions").json().get("revisions")).hasSize(2);
    }

    @Test
    void staleIfMatch_is409_missingIfMatch_is428_andNothingIsStored() {
        String env = newEnvironment();
        admin.put(env + ORG_42, Map.of("value", 50), "If-Match", "\"1\"");

        Api.Response stale = admin.put(env + ORG_42, Map.of("value", 60), "If-Match", "\"1\"");
        Api.Response missing = admin.put(env + ORG_42, Map.of("value", 70));

        assertThat(stale.status()).isEqualTo(409);
        assertThat(stale.json().at("/error/code").asText()).isEqualTo("revision_mismatch");
        assertThat(stale.json().at("/error/currentRevision").asLong()).isEqualTo(2);
        assertThat(missing.status()).isEqualTo(428);
        assertThat(missing.json().at("/error/code").asText()).isEqualTo("precondition_required");
        assertThat(logic(env)
                        .at("/fields/entitlements.maxTeamSize/overrides/0/values/org_42")
                        .asInt())
                .isEqualTo(50);
    }

    @Test
    void concurrentWritersOnOneRevision_exactlyOneWins_theOthersGet409() throws Exception {
        String env = newEnvironment();
        int writers = 8;
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Integer>> statuses = new ArrayList<>();
        for (int i = 0; i < writers; i++) {
            int value = 100 + i;
            statuses.add(pool.submit(() -> {
                start.await();
                return admin.put(env + ORG_42, Map.of("value", value), "If-Match", "\"1\"")
                        .status();
            }));
        }
        start.countDown();
        List<Integer> results = new ArrayList<>();
        for (Future<Integer> status : statuses) {
            results.add(status.get(30, TimeUnit.SECONDS));
        }
        pool.shutdown();

        assertThat(results).containsOnly(200, 409);
        assertThat(results.stream().filter(status -> status == 200)).hasSize(1);
        assertThat(logic(env).get("revision").asLong()).isEqualTo(2);
        assertThat(admin.get(env + "/revisions").json().get("revisions")).hasSize(2);
    }

    @Test
    void roles_viewerReads_editorSetsOverrides_onlyAdminEditsRules() {
        String env = newEnvironment();
        Api viewer = admin.as(token("admin", "viewer"));
        Api editor = admin.as(token("admin", "editor"));
        Api sdk = admin.as(token("sdk", environmentName(env)));

        assertThat(viewer.get(env + "/logic").status()).isEqualTo(200);
        Api.Response viewerWrite = viewer.put(env + ORG_42, Map.of("value", 50), "If-Match", "\"1\"");
        assertThat(viewerWrite.status()).isEqualTo(403);
        assertThat(viewerWrite.json().at("/error/message").asText())
                .isEqualTo("this needs the editor role; the token has viewer");
        // An admin creates the override table (with a first row); the editor sets rows in it.
        assertThat(admin.put(env + ORG_1, Map.of("value", 10), "If-Match", "\"1\"")
                        .status())
                .isEqualTo(200);
        assertThat(editor.put(env + ORG_42, Map.of("value", 50), "If-Match", "\"2\"")
                        .status())
                .isEqualTo(200);
        Api.Response editorRules =
                editor.put(env + "/fields/entitlements.maxTeamSize", Map.of("default", 5), "If-Match", "\"3\"");
        assertThat(editorRules.status()).isEqualTo(403);
        assertThat(editor.post("/v1/admin/tokens", Map.of("name", "x", "kind", "admin", "role", "admin"))
                        .status())
                .isEqualTo(403);
        assertThat(sdk.get(env + "/logic").status()).isEqualTo(403);
        assertThat(admin.as(null).get(env + "/logic").status()).isEqualTo(401);
        assertThat(admin.as("tga_not-a-token").get(env + "/logic").status()).isEqualTo(401);
        assertThat(logic(env).get("revision").asLong()).isEqualTo(3);
    }

    /**
     * Editors set per-organization rows; what a whole plan gets is the admins' (docs/server.md, docs/dashboard.md). An
     * editor may add, change and remove rows only in override tables the field already has: keying a new table by the
     * plan (or by anything else) is refused, and the plan's rule keeps answering.
     */
    @Test
    void editor_setsRowsOnlyInExistingOverrideTables_onlyAnAdminCreatesATable() {
        String env = newEnvironment();
        Api editor = admin.as(token("admin", "editor"));
        Map<String, Object> planRule = Map.of(
                "id",
                "pro",
                "if",
                Map.of("attribute", "context.organization.plan", "op", "eq", "value", "PRO"),
                "value",
                20);
        Api.Response seeded = admin.put(
                env + "/fields/entitlements.maxTeamSize",
                Map.of(
                        "overrides",
                        List.of(Map.of("by", "context.organization.id", "values", Map.of("org_1", 10))),
                        "rules",
                        List.of(planRule),
                        "default",
                        5),
                "If-Match",
                "\"1\"");
        assertThat(seeded.status()).as(seeded.toString()).isEqualTo(200);
        String byPlan = "/fields/entitlements.maxTeamSize/overrides/context.organization.plan/PRO";

        Api.Response wholePlan = editor.put(env + byPlan, Map.of("value", 1000), "If-Match", "\"2\"");
        Api.Response noLogic = editor.put(
                env + "/fields/entitlements.teamRolesEnabled/overrides/context.organization.id/org_42",
                Map.of("value", true),
                "If-Match",
                "\"2\"");

        assertThat(wholePlan.status()).as(wholePlan.toString()).isEqualTo(403);
        assertThat(wholePlan.json().at("/error/code").asText()).isEqualTo("forbidden");
        assertThat(wholePlan.json().at("/error/message").asText())
                .isEqualTo("field entitlements.maxTeamSize has no override table by context.organization.plan:"
                        + " editors set rows only in the override tables a field already has;"
                        + " an admin must create the table");
        assertThat(noLogic.status()).isEqualTo(403);
        assertThat(noLogic.json().at("/error/message").asText())
                .startsWith("field entitlements.teamRolesEnabled has no override table by context.organization.id:");
        assertThat(logic(env).get("revision").asLong()).isEqualTo(2);
        JsonNode anyProOrg = admin.post(
                        env + "/explain",
                        Map.of(
                                "context",
                                Map.of(
                                        "organization",
                                        Map.of("id", "org_9", "plan", "PRO"),
                                        "user",
                                        Map.of("id", "u1")),
                                "fields",
                                List.of("entitlements.maxTeamSize")))
                .json();
        assertThat(anyProOrg.at("/fields/0/value").asInt()).isEqualTo(20);
        assertThat(anyProOrg.at("/fields/0/reason/kind").asText()).isEqualTo("RULE");

        // Rows of the existing table: set, change, and clear, even the last one; the emptied table stays for the
        // next row, since creating and dropping tables is the admins'.
        assertThat(editor.put(env + ORG_42, Map.of("value", 50), "If-Match", "\"2\"")
                        .status())
                .isEqualTo(200);
        assertThat(editor.put(env + ORG_42, Map.of("value", 60), "If-Match", "\"3\"")
                        .status())
                .isEqualTo(200);
        assertThat(editor.delete(env + ORG_42, "If-Match", "\"4\"").status()).isEqualTo(200);
        assertThat(editor.delete(env + ORG_1, "If-Match", "\"5\"").status()).isEqualTo(200);
        assertThat(logic(env).at("/fields/entitlements.maxTeamSize/overrides"))
                .isEqualTo(json("[{\"by\": \"context.organization.id\", \"values\": {}}]"));
        assertThat(editor.put(env + ORG_42, Map.of("value", 70), "If-Match", "\"6\"")
                        .status())
                .isEqualTo(200);
        assertThat(logic(env)
                        .at("/fields/entitlements.maxTeamSize/overrides/0/values/org_42")
                        .asInt())
                .isEqualTo(70);

        // An admin still creates a table by any attribute with the first row.
        Api.Response adminPlan = admin.put(env + byPlan, Map.of("value", 30), "If-Match", "\"7\"");
        assertThat(adminPlan.status()).as(adminPlan.toString()).isEqualTo(200);
        assertThat(logic(env).at("/fields/entitlements.maxTeamSize/overrides/1"))
                .isEqualTo(json("{\"by\": \"context.organization.plan\", \"values\": {\"PRO\": 30}}"));
    }

    /** Parsed JSON, for comparisons that ignore the order of object keys. */
    private static JsonNode json(String text) {
        try {
            return Api.JSON.readTree(text);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void oversizedAndMalformedBodies_areRefused_andNothingIsStored() {
        String env = newEnvironment();
        byte[] huge = new byte[17 * 1024 * 1024];
        Arrays.fill(huge, (byte) ' ');

        Api.Response tooLarge =
                admin.put(env + "/logic", huge, "If-Match", "\"1\"", "Content-Type", "application/json");
        Api.Response malformed =
                admin.put(env + ORG_42, "{\"value\": 5", "If-Match", "\"1\"", "Content-Type", "application/json");
        Api.Response duplicateKeys = admin.put(
                env + ORG_42, "{\"value\": 5, \"value\": 6}", "If-Match", "\"1\"", "Content-Type", "application/json");

        assertThat(tooLarge.status()).isEqualTo(413);
        assertThat(tooLarge.json().at("/error/code").asText()).isEqualTo("too_large");
        assertThat(malformed.status()).isEqualTo(400);
        assertThat(malformed.json().at("/error/message").asText()).startsWith("malformed JSON: ");
        assertThat(duplicateKeys.status()).isEqualTo(400);
        assertThat(duplicateKeys.json().at("/error/message").asText()).contains("Duplicate field 'value'");
        assertThat(logic(env).get("revision").asLong()).isEqualTo(1);
    }

    @Test
    void history_diff_andRestore() {
        String env = newEnvironment();
        admin.put(env + ORG_42, Map.of("value", 20), "If-Match", "\"1\"");
        admin.put(env + ORG_42, Map.of("value", 50), "If-Match", "\"2\"");
        admin.put(
                env + "/fields/entitlements.teamRolesEnabled",
                Map.of("logic", Map.of("default", false), "message", "roles off"),
                "If-Match",
                "\"3\"");

        JsonNode revisions = admin.get(env + "/revisions").json().get("revisions");
        assertThat(revisions.findValuesAsText("revision")).containsExactly("4", "3", "2", "1");
        assertThat(revisions.get(0).get("message").asText()).isEqualTo("roles off");
        JsonNode diff = admin.get(env + "/diff?from=2&to=4").json().get("changes");
        assertThat(diff.get(0).get("path").asText()).isEqualTo("entitlements.maxTeamSize");
        assertThat(diff.get(0).get("details").get(0).asText())
                .isEqualTo("override context.organization.id = org_42: 20 -> 50");
        assertThat(diff.get(1).get("path").asText()).isEqualTo("entitlements.teamRolesEnabled");
        assertThat(diff.get(1).get("change").asText()).isEqualTo("added");

        Api.Response restored =
                admin.post(env + "/revisions/2/restore", Map.of("message", "undo"), "If-Match", "\"4\"");

        assertThat(restored.status()).as(restored.toString()).isEqualTo(200);
        assertThat(restored.json().get("revision").asLong()).isEqualTo(5);
        assertThat(restored.json().get("restoredFrom").asLong()).isEqualTo(2);
        JsonNode logic = logic(env);
        assertThat(logic.get("revision").asLong()).isEqualTo(5);
        assertThat(logic.at("/fields/entitlements.maxTeamSize/overrides/0/values/org_42")
                        .asInt())
                .isEqualTo(20);
        assertThat(logic.path("fields").has("entitlements.teamRolesEnabled")).isFalse();
        assertThat(admin.get(env + "/revisions/4")
                        .json()
                        .at("/document/fields/entitlements.teamRolesEnabled/default")
                        .asBoolean(true))
                .isFalse();
    }

    @Test
    void explain_saysWhoSetAnOverride_whenAndWhy_onlyWhileTheRowHasTheValueTheySet() {
        String env = newEnvironment();
        admin.put(env + ORG_42, Map.of("value", 50, "message", "trial, ticket SALES-12"), "If-Match", "\"1\"");
        admin.put(env + ORG_42, Map.of("value", 5, "message", "back to five"), "If-Match", "\"2\"");
        admin.put(env + ORG_42, Map.of("value", 50, "message", "trial again"), "If-Match", "\"3\"");
        Map<String, Object> org42 = Map.of(
                "context",
                Map.of("organization", Map.of("id", "org_42", "plan", "FREE"), "user", Map.of("id", "u1")),
                "fields",
                List.of("entitlements.maxTeamSize"));

        JsonNode reason = field(admin.post(env + "/explain", org42).json(), "entitlements.maxTeamSize")
                .get("reason");

        assertThat(reason.get("kind").asText()).isEqualTo("OVERRIDE");
        assertThat(reason.get("setBy").asText()).isEqualTo("initial admin (token 1)");
        assertThat(reason.get("setMessage").asText()).isEqualTo("trial again");
        assertThat(Instant.parse(reason.get("setAt").asText())).isBeforeOrEqualTo(Instant.now());

        // A restore brings back 5 without an override.set of its own: no one is named for it.
        assertThat(admin.post(env + "/revisions/3/restore", Map.of(), "If-Match", "\"4\"")
                        .status())
                .isEqualTo(200);
        JsonNode restored = field(admin.post(env + "/explain", org42).json(), "entitlements.maxTeamSize")
                .get("reason");
        assertThat(restored.get("override").asText()).isEqualTo("context.organization.id=org_42");
        assertThat(restored.has("setBy")).isFalse();
    }

    @Test
    void explain_givesEveryFieldsValueAndReason() {
        String env = newEnvironment();
        admin.put(
                env + "/fields/entitlements.maxTeamSize",
                Map.of(
                        "rules",
                        List.of(Map.of(
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
        admin.put(env + ORG_42, Map.of("value", 50), "If-Match", "\"2\"");
        Map<String, Object> context =
                Map.of("organization", Map.of("id", "org_7", "plan", "PRO"), "user", Map.of("id", "u1"));

        JsonNode pro = admin.post(env + "/explain", Map.of("context", context)).json();
        JsonNode org42 = admin.post(
                        env + "/explain",
                        Map.of(
                                "context",
                                Map.of(
                                        "organization",
                                        Map.of("id", "org_42", "plan", "FREE"),
                                        "user",
                                        Map.of("id", "u1")),
                                "fields",
                                List.of("entitlements.maxTeamSize")))
                .json();
        Api.Response badContext =
                admin.post(env + "/explain", Map.of("context", Map.of("organization", Map.of("id", "org_7"))));

        assertThat(pro.get("revision").asLong()).isEqualTo(3);
        JsonNode maxTeamSize = field(pro, "entitlements.maxTeamSize");
        assertThat(maxTeamSize.get("value").asInt()).isEqualTo(20);
        assertThat(maxTeamSize.at("/reason/kind").asText()).isEqualTo("RULE");
        assertThat(maxTeamSize.at("/reason/rule").asText()).isEqualTo("pro");
        assertThat(field(pro, "entitlements.teamRolesEnabled")
                        .at("/reason/fallbackCause")
                        .asText())
                .isEqualTo("NO_LOGIC");
        assertThat(org42.get("fields")).hasSize(1);
        assertThat(field(org42, "entitlements.maxTeamSize").get("value").asInt())
                .isEqualTo(50);
        assertThat(field(org42, "entitlements.maxTeamSize")
                        .at("/reason/override")
                        .asText())
                .isEqualTo("context.organization.id=org_42");
        assertThat(badContext.status()).isEqualTo(400);
        assertThat(badContext.json().at("/error/message").asText()).startsWith("invalid context: ");
    }

    private static JsonNode field(JsonNode explanation, String path) {
        for (JsonNode field : explanation.get("fields")) {
            if (field.get("path").asText().equals(path)) {
                return field;
            }
        }
        throw new AssertionError("no field " + path + " in " + explanation);
    }

    @Test
    void segments_adminDefines_editorManagesMembership() {
        String env = newEnvironment();
        Api editor = admin.as(token("admin", "editor"));
        Map<String, Object> segment = Map.of(
                "description",
                "beta",
                "if",
                Map.of("attribute", "context.organization.id", "op", "in", "value", List.of("org_1")));
        assertThat(editor.put(env + "/segments/beta", segment, "If-Match", "\"1\"")
                        .status())
                .isEqualTo(403);
        assertThat(admin.put(env + "/segments/beta", segment, "If-Match", "\"1\"")
                        .status())
                .isEqualTo(200);

        Api.Response added = editor.put(env + "/segments/beta/members/org_42", null, "If-Match", "\"2\"");
        Api.Response again = editor.put(env + "/segments/beta/members/org_42", null, "If-Match", "\"3\"");
        Api.Response removed = editor.delete(env + "/segments/beta/members/org_1", "If-Match", "\"3\"");

        assertThat(added.status()).as(added.toString()).isEqualTo(200);
        assertThat(again.status()).isEqualTo(409);
        assertThat(removed.status()).isEqualTo(200);
        assertThat(admin.get(env + "/segments/beta").json().at("/if/value").toString())
                .isEqualTo("[\"org_42\"]");
        Api.Response unknownSegmentUse = admin.put(
                env + "/fields/entitlements.teamRolesEnabled",
                Map.of("rules", List.of(Map.of("id", "b", "if", Map.of("segment", "nope"), "value", true))),
                "If-Match",
                "\"4\"");
        assertThat(unknownSegmentUse.status()).isEqualTo(400);
        assertThat(unknownSegmentUse.json().at("/error/problems/0/message").asText())
                .contains("nope");
    }

    @Test
    void schemaChange_thatBreaksLogic_isRefusedListingWhatBreaks() {
        String env = newEnvironment();
        admin.put(env + "/fields/entitlements.versionHistoryEnabled", Map.of("default", true), "If-Match", "\"1\"");
        String withoutField = TestServers.SCHEMA.replace("  versionHistoryEnabled: Boolean!\n", "");
        long version = admin.get("/v1/admin/schema").json().get("version").asLong();

        Api.Response refused = admin.put("/v1/admin/schema", withoutField, "If-Match", Api.ifMatch(version));
        Api.Response stale = admin.put("/v1/admin/schema", TestServers.SCHEMA, "If-Match", Api.ifMatch(version + 5));
        Api.Response invalid = admin.put("/v1/admin/schema", "type Root {", "If-Match", Api.ifMatch(version));

        assertThat(refused.status()).isEqualTo(409);
        assertThat(refused.json().at("/error/code").asText()).isEqualTo("schema_breaks_logic");
        JsonNode broken = null;
        for (JsonNode e : refused.json().at("/error/environments")) {
            if (e.get("environment").asText().equals(environmentName(env))) {
                broken = e;
            }
        }
        assertThat(broken).as(refused.toString()).isNotNull();
        assertThat(broken.at("/problems/0/path").asText()).isEqualTo("entitlements.versionHistoryEnabled");
        assertThat(stale.status()).isEqualTo(409);
        assertThat(invalid.status()).isEqualTo(400);
        assertThat(invalid.json().at("/error/code").asText()).isEqualTo("invalid_schema");
        assertThat(invalid.json().at("/error/problems/0/location").asText()).startsWith("schema.graphql:1:");
        assertThat(admin.get("/v1/admin/schema").json().get("version").asLong()).isEqualTo(version);
    }

    @Test
    void snapshotEndpoint_servesEtag304AndGzip_forTheTokensEnvironment() throws IOException {
        String env = newEnvironment();
        Map<String, Integer> deals = new TreeMap<>();
        for (int i = 0; i < 100; i++) {
            deals.put("org_" + (1000 + i), i);
        }
        admin.put(
                env + "/fields/entitlements.maxTeamSize",
                Map.of("overrides", List.of(Map.of("by", "context.organization.id", "values", deals))),
                "If-Match",
                "\"1\"");
        admin.put(env + ORG_42, Map.of("value", 50), "If-Match", "\"2\"");
        Api sdk = admin.as(token("sdk", environmentName(env)));

        Api.Response full = sdk.get("/v1/snapshot");
        Api.Response notModified = sdk.get("/v1/snapshot", "If-None-Match", full.header("ETag"));
        Api.Response stale = sdk.get("/v1/snapshot", "If-None-Match", "\"1-0000000000000000\"");
        Api.Response gzipped = sdk.get("/v1/snapshot", "Accept-Encoding", "gzip");

        assertThat(full.status()).isEqualTo(200);
        assertThat(full.header("ETag"))
                .isEqualTo(SnapshotCache.etag(3, full.raw().body()))
                .matches("\"3-[0-9a-f]{16}\"");
        assertThat(full.header("Cache-Control")).isEqualTo("no-cache");
        assertThat(full.header("Content-Type")).isEqualTo("application/json");
        assertThat(stale.status()).isEqualTo(200);
        assertThat(full.text()).isEqualTo(admin.get(env + "/logic").text());
        assertThat(full.json()
                        .at("/fields/entitlements.maxTeamSize/overrides/0/values/org_42")
                        .asInt())
                .isEqualTo(50);
        assertThat(notModified.status()).isEqualTo(304);
        assertThat(notModified.raw().body()).isEmpty();
        assertThat(gzipped.header("Content-Encoding")).isEqualTo("gzip");
        assertThat(new String(
                        new GZIPInputStream(
                                        new ByteArrayInputStream(gzipped.raw().body()))
                                .readAllBytes(),
                        StandardCharsets.UTF_8))
                .isEqualTo(full.text());
        assertThat(admin.get("/v1/snapshot").status()).isEqualTo(403);
    }

    @Test
    void logIngestion_isIdempotent_andAggregatesPerFieldOutcomeAndHour() throws IOException {
        String env = newEnvironment();
        Api sdk = admin.as(token("sdk", environmentName(env)));
        String batch =
                """
                {"batchId": "%s", "sdk": {"name": "tollgate-java", "version": "0.1.0"}, "schemaHash": "sha256:x",
                 "revision": 1, "windowStart": "2026-01-02T10:15:00Z", "windowEnd": "2026-01-02T10:15:05Z",
                 "evaluations": [{"field": "entitlements.maxTeamSize", "outcome": "override", "count": 7},
                                 {"field": "entitlements.maxTeamSize", "outcome": "default", "count": 3}],
                 "exposures": [{"field": "entitlements.teamRolesEnabled", "rule": "r", "arm": "on", "unit": "org_1",
                                "time": "2026-01-02T10:15:01Z"}],
                 "messages": [{"level": "WARN", "message": "rejected a snapshot", "count": 2,
                               "firstSeen": "2026-01-02T10:15:00Z", "lastSeen": "2026-01-02T10:15:04Z"}],
                 "dropped": {"exposures": 0, "messages": 0, "evaluations": 0}}
                """;

        Api.Response first = postLogs(sdk, batch.formatted("b-1"), "b-1");
        Api.Response repeated = postLogs(sdk, batch.formatted("b-1"), "b-1");
        Api.Response second = postLogs(sdk, batch.formatted("b-2"), "b-2");
        Api.Response malformed = postLogs(sdk, "{\"batchId\": 5}", "5");
        Api.Response mismatch = postLogs(sdk, batch.formatted("b-3"), "other");

        assertThat(first.status()).isEqualTo(202);
        assertThat(repeated.status()).isEqualTo(202);
        assertThat(repeated.json().get("duplicate").asBoolean()).isTrue();
        assertThat(second.status()).isEqualTo(202);
        assertThat(malformed.status()).isEqualTo(400);
        assertThat(mismatch.status()).isEqualTo(400);
        JsonNode usage = admin.get(env + "/usage?from=2026-01-02T00:00:00Z&to=2026-01-03T00:00:00Z&granularity=hour")
                .json()
                .get("counts");
        assertThat(usage.toString())
                .isEqualTo("[{\"hour\":\"2026-01-02T10:00:00Z\",\"field\":\"entitlements.maxTeamSize\",\"outcome\":"
                        + "\"default\",\"count\":6},{\"hour\":\"2026-01-02T10:00:00Z\",\"field\":"
                        + "\"entitlements.maxTeamSize\",\"outcome\":\"override\",\"count\":14}]");
        JsonNode messages = admin.get(env + "/messages").json().get("messages");
        assertThat(messages.get(0).get("count").asLong()).isEqualTo(4);
        JsonNode exposures = admin.get(env + "/exposures?from=2026-01-02T00:00:00Z&to=2026-01-03T00:00:00Z")
                .json()
                .get("exposures");
        assertThat(exposures.get(0).get("count").asLong()).isEqualTo(2);
    }

    @Test
    void logIngestion_refusesAdminTokens_oversizedAndGzipBombBatches_andCountsNothing() throws IOException {
        String env = newEnvironment();
        Api sdk = admin.as(token("sdk", environmentName(env)));
        byte[] zeros = new byte[5 * 1024 * 1024];

        Api.Response byAdmin = postLogs(admin, "{}", "x");
        ByteArrayOutputStream bomb = new ByteArrayOutputStream();
        try (GZIPOutputStream gzip = new GZIPOutputStream(bomb)) {
            gzip.write(zeros);
        }
        Api.Response tooLarge = sdk.post(
                "/v1/logs", bomb.toByteArray(), "Content-Type", "application/json", "Content-Encoding", "gzip");
        Api.Response notGzip = sdk.post(
                "/v1/logs",
                "{}".getBytes(StandardCharsets.UTF_8),
                "Content-Type",
                "application/json",
                "Content-Encoding",
                "gzip");

        assertThat(byAdmin.status()).isEqualTo(403);
        assertThat(bomb.size()).isLessThan(10_000);
        assertThat(tooLarge.status()).isEqualTo(413);
        assertThat(notGzip.status()).isEqualTo(400);
        assertThat(admin.get(env + "/usage").json().get("counts")).isEmpty();
    }

    /**
     * An SDK token cannot lower or break usage counts: each item's count is at most 10^12, and a batch with one over it
     * is refused with 400 naming the item (not the retryable 503 of a database overflow), with nothing counted.
     */
    @Test
    void logIngestion_refusesACountOverTheLimit_namingTheItem_andCountsNothingOfThatBatch() throws IOException {
        String env = newEnvironment();
        Api sdk = admin.as(token("sdk", environmentName(env)));
        Instant hour = Instant.now().truncatedTo(ChronoUnit.HOURS);
        long max = Long.MAX_VALUE;

        Api.Response wrapping = postLogs(sdk, countsBatch("b-wrap", hour, List.of(max, max), List.of()), "b-wrap");
        Api.Response fourth =
                postLogs(sdk, countsBatch("b-fourth", hour, List.of(100, 5, 7, max), List.of()), "b-fourth");
        Api.Response justOver =
                postLogs(sdk, countsBatch("b-over", hour, List.of(1_000_000_000_001L), List.of()), "b-over");
        Api.Response exponent = postLogs(sdk, countsBatch("b-exp", hour, List.of("1e30"), List.of()), "b-exp");
        Api.Response negative = postLogs(sdk, countsBatch("b-neg", hour, List.of(3, -1), List.of()), "b-neg");
        Api.Response messageOver =
                postLogs(sdk, countsBatch("b-msg", hour, List.of(1), List.of(2, 2_000_000_000_000L)), "b-msg");

        assertThat(wrapping.status()).as(wrapping.toString()).isEqualTo(400);
        assertThat(wrapping.json().at("/error/code").asText()).isEqualTo("bad_request");
        assertThat(wrapping.json().at("/error/message").asText())
                .isEqualTo("log batch: evaluations[0].count 9223372036854775807 is over the limit of 1000000000000");
        assertThat(fourth.status()).isEqualTo(400);
        assertThat(fourth.json().at("/error/message").asText())
                .isEqualTo("log batch: evaluations[3].count 9223372036854775807 is over the limit of 1000000000000");
        assertThat(justOver.status()).isEqualTo(400);
        assertThat(justOver.json().at("/error/message").asText())
                .isEqualTo("log batch: evaluations[0].count 1000000000001 is over the limit of 1000000000000");
        assertThat(exponent.status()).isEqualTo(400);
        assertThat(exponent.json().at("/error/message").asText())
                .isEqualTo("log batch: evaluations[0].count 1E+30 is over the limit of 1000000000000");
        assertThat(negative.status()).isEqualTo(400);
        assertThat(negative.json().at("/error/message").asText())
                .isEqualTo("log batch: evaluations[1].count must be a non-negative integer");
        assertThat(messageOver.status()).isEqualTo(400);
        assertThat(messageOver.json().at("/error/message").asText())
                .isEqualTo("log batch: messages[1].count 2000000000000 is over the limit of 1000000000000");
        String window = "?from=" + hour + "&to=" + hour.plus(1, ChronoUnit.HOURS);
        assertThat(admin.get(env + "/usage" + window).json().get("counts")).isEmpty();
        assertThat(admin.get(env + "/messages").json().get("messages")).isEmpty();

        // Counts at the limit are taken and summed exactly within the batch; the refused batch's id was not used up.
        long limit = 1_000_000_000_000L;
        Api.Response atLimit =
                postLogs(sdk, countsBatch("b-fourth", hour, List.of(limit, limit), List.of(limit)), "b-fourth");
        assertThat(atLimit.status()).as(atLimit.toString()).isEqualTo(202);
        assertThat(atLimit.json().get("duplicate").asBoolean()).isFalse();
        assertThat(admin.get(env + "/usage" + window).json().get("counts").toString())
                .isEqualTo("[{\"field\":\"entitlements.maxTeamSize\",\"outcome\":\"default\","
                        + "\"count\":2000000000000}]");
        assertThat(admin.get(env + "/messages").json().at("/messages/0/count").asLong())
                .isEqualTo(limit);
    }

    /**
     * A log batch at {@code hour} with one {@code entitlements.maxTeamSize}/{@code default} evaluation item per count
     * and one message (all with the same text) per message count; counts are written as given (a string as is).
     */
    static String countsBatch(String id, Instant hour, List<?> counts, List<?> messageCounts) {
        List<String> evaluations = new ArrayList<>();
        for (Object count : counts) {
            evaluations.add(
                    "{\"field\": \"entitlements.maxTeamSize\", \"outcome\": \"default\", \"count\": " + count + "}");
        }
        List<String> messages = new ArrayList<>();
        for (Object count : messageCounts) {
            messages.add("{\"level\": \"WARN\", \"message\": \"rejected a snapshot\", \"count\": " + count
                    + ", \"firstSeen\": \"" + hour + "\", \"lastSeen\": \"" + hour + "\"}");
        }
        return "{\"batchId\": \"" + id + "\", \"windowStart\": \"" + hour + "\", \"windowEnd\": \"" + hour
                + "\", \"evaluations\": [" + String.join(", ", evaluations) + "], \"messages\": ["
                + String.join(", ", messages) + "]}";
    }

    static Api.Response postLogs(Api sdk, String json, String key) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gzip = new GZIPOutputStream(out)) {
            gzip.write(json.getBytes(StandardCharsets.UTF_8));
        }
        return sdk.post(
                "/v1/logs",
                out.toByteArray(),
                "Content-Type",
                "application/json",
                "Content-Encoding",
                "gzip",
                "Idempotency-Key",
                key);
    }

    @Test
    void sdkClients_areCountedBySchemaHashAndUserAgent_forTheDashboard() {
        String env = newEnvironment();
        Api sdk = admin.as(token("sdk", environmentName(env)));
        String current = admin.get("/v1/admin/schema").json().get("hash").asText();
        String old = "sha256:" + "0".repeat(64);

        sdk.get("/v1/snapshot", "Tollgate-Schema-Hash", current, "User-Agent", "tollgate-java/0.2.0");
        sdk.get("/v1/snapshot", "Tollgate-Schema-Hash", current, "User-Agent", "tollgate-java/0.2.0");
        Api.Response oldClient =
                sdk.get("/v1/snapshot", "Tollgate-Schema-Hash", old, "User-Agent", "tollgate-java/0.1.0");
        server.flushClientStats();
        JsonNode clients = admin.get(env + "/clients").json();

        assertThat(oldClient.status())
                .as("the schema hash never refuses a request")
                .isEqualTo(200);
        assertThat(clients.get("currentSchemaHash").asText()).isEqualTo(current);
        assertThat(clients.get("clients")).hasSize(2);
        for (JsonNode client : clients.get("clients")) {
            boolean isCurrent = client.get("schemaHash").asText().equals(current);
            assertThat(client.get("schemaIsCurrent").asBoolean()).isEqualTo(isCurrent);
            assertThat(client.get("userAgent").asText())
                    .isEqualTo(isCurrent ? "tollgate-java/0.2.0" : "tollgate-java/0.1.0");
            assertThat(client.get("requests").asLong()).isEqualTo(isCurrent ? 2 : 1);
        }
    }

    @Test
    void tokens_areShownOnce_listedWithoutSecret_andRevocable() {
        Api.Response created = admin.post("/v1/admin/tokens", Map.of("name", "ci", "kind", "admin", "role", "viewer"));
        String secret = created.json().get("token").asText();
        long id = created.json().get("id").asLong();
        Api ci = admin.as(secret);

        assertThat(secret).startsWith("tga_").hasSizeGreaterThan(40);
        assertThat(ci.get("/v1/admin/me").json().get("role").asText()).isEqualTo("viewer");
        assertThat(admin.get("/v1/admin/tokens").text()).doesNotContain(secret).contains("\"name\":\"ci\"");
        Api.Response revoked = admin.delete("/v1/admin/tokens/" + id);
        assertThat(revoked.json().get("revokedAt").isNull()).isFalse();
        assertThat(ci.get("/v1/admin/me").status()).isEqualTo(401);
        JsonNode audit = admin.get("/v1/admin/audit?limit=20").json().get("entries");
        assertThat(audit.findValuesAsText("action")).contains("token.create", "token.revoke");
    }

    /**
     * A token name may have 200 characters; the author stored with what that token creates (name and token id) is then
     * longer than the 200-character column and is cut, as revisions and the audit log cut it: no 503.
     */
    @Test
    void anAdminWithA200CharacterName_createsTokens_withTheAuthorCutTo200Characters() {
        String longName = "n".repeat(200);
        Api.Response longNamed =
                admin.post("/v1/admin/tokens", Map.of("name", longName, "kind", "admin", "role", "admin"));
        assertThat(longNamed.status()).as(longNamed.toString()).isEqualTo(201);
        long longNamedId = longNamed.json().get("id").asLong();
        Api longAdmin = admin.as(longNamed.json().get("token").asText());

        Api.Response created =
                longAdmin.post("/v1/admin/tokens", Map.of("name", "ci", "kind", "admin", "role", "viewer"));

        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        String author = longName + " (token " + longNamedId + ")";
        String cut = "n".repeat(197) + "...";
        assertThat(author).hasSizeGreaterThan(200);
        assertThat(created.json().get("createdBy").asText()).isEqualTo(cut).hasSize(200);
        long id = created.json().get("id").asLong();
        JsonNode listed = admin.get("/v1/admin/tokens").json().get("tokens");
        for (JsonNode token : listed) {
            if (token.get("id").asLong() == id) {
                assertThat(token.get("createdBy").asText()).isEqualTo(cut);
                assertThat(token.get("name").asText()).isEqualTo("ci");
            }
        }
        assertThat(listed.findValuesAsText("id")).contains(Long.toString(id));
        assertThat(admin.as(created.json().get("token").asText())
                        .get("/v1/admin/me")
                        .json()
                        .get("role")
                        .asText())
                .isEqualTo("viewer");
    }

    @Test
    void expiringTokens_stopWorkingAtTheirExpiry() throws Exception {
        Instant expiry = Instant.now().plusMillis(1_500).truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
        Api.Response created = admin.post(
                "/v1/admin/tokens",
                Map.of("name", "ci job", "kind", "admin", "role", "viewer", "expiresAt", expiry.toString()));
        Api.Response past = admin.post(
                "/v1/admin/tokens",
                Map.of("name", "x", "kind", "admin", "role", "viewer", "expiresAt", "2020-01-01T00:00:00Z"));
        Api ci = admin.as(created.json().get("token").asText());

        assertThat(created.json().get("expiresAt").asText()).isEqualTo(expiry.toString());
        assertThat(past.status()).isEqualTo(400);
        assertThat(ci.get("/v1/admin/me").status()).isEqualTo(200);
        Thread.sleep(Math.max(0, Duration.between(Instant.now(), expiry).toMillis() + 100));
        assertThat(ci.get("/v1/admin/me").status()).isEqualTo(401);
    }

    @Test
    void auditLog_recordsEveryWrite_withTokenAndTarget() {
        String env = newEnvironment();
        admin.put(env + ORG_42, Map.of("value", 50, "message", "deal"), "If-Match", "\"1\"");

        JsonNode entries = admin.get("/v1/admin/audit?environment=" + environmentName(env))
                .json()
                .get("entries");

        assertThat(entries.get(0).get("action").asText()).isEqualTo("override.set");
        assertThat(entries.get(0).get("target").asText())
                .isEqualTo("entitlements.maxTeamSize context.organization.id=org_42 -> 50");
        assertThat(entries.get(0).get("detail").asText()).isEqualTo("revision 2: deal");
        assertThat(entries.get(0).get("tokenId").asLong()).isEqualTo(1);
        assertThat(entries.findValuesAsText("action")).contains("environment.create");
    }

    @Test
    void unknownPathsAndMethods_getJsonErrors() {
        Api.Response missing = admin.get("/v1/admin/nothing");
        Api.Response method = admin.send("PATCH", "/v1/admin/schema", null, Map.of());
        Api.Response unknownField = admin.put(
                "/v1/admin/environments/production/fields/entitlements.nope",
                Map.of("default", 1),
                "If-Match",
                "\"1\"");
        Api.Response unknownEnv = admin.get("/v1/admin/environments/nope/logic");

        assertThat(missing.status()).isEqualTo(404);
        assertThat(missing.json().at("/error/code").asText()).isEqualTo("not_found");
        assertThat(method.status()).isEqualTo(405);
        assertThat(unknownField.status()).isEqualTo(404);
        assertThat(unknownField.json().at("/error/message").asText())
                .isEqualTo("the schema has no field entitlements.nope");
        assertThat(unknownEnv.json().at("/error/message").asText()).isEqualTo("no environment \"nope\"");
    }
}
