package dev.tollgate.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * The organization directory's admin API on every storage backend: bulk upsert as JSON and CSV with counts, checking the
 * whole request before writing, search order and bounds, roles and the audit log. Run against H2 and PostgreSQL by the
 * subclasses; the tests share one server and use ids of their own.
 */
abstract class OrganizationDirectoryContract {
    static final String ORGS = "/v1/admin/organizations";
    static final String SCHEMA =
            """
            input Context { organization: Organization!  user: User! }
            input Organization { id: String!  plan: Plan!  region: Region  seats: Int  crm: String }
            input User { id: String! }
            enum Plan { FREE PRO ENTERPRISE }
            enum Region { EU US }

            type Root { entitlements: Entitlements! }
            type Entitlements { maxTeamSize: Int! }
            """;
    private static final AtomicInteger PREFIXES = new AtomicInteger();

    static TestServers.Storage storage;
    static TollgateServer server;
    static Api admin;

    static void startServer(TestServers.Storage which) {
        storage = which;
        server = TestServers.start(which);
        admin = TestServers.admin(server);
        Api.Response schema = admin.put("/v1/admin/schema", SCHEMA, "If-Match", "\"0\"");
        assertThat(schema.status()).as(schema.toString()).isEqualTo(200);
    }

    @AfterAll
    static void stopServer() {
        if (server != null) {
            server.close();
        }
    }

    /** A prefix no other test's ids start with. */
    static String prefix() {
        return "t" + PREFIXES.incrementAndGet() + "_";
    }

    static Map<String, Object> org(String id, String name, String plan, Map<String, Object> attributes) {
        Map<String, Object> org = new LinkedHashMap<>();
        org.put("id", id);
        org.put("name", name);
        org.put("plan", plan);
        if (attributes != null) {
            org.put("attributes", attributes);
        }
        return org;
    }

    static Api.Response csv(Api api, String text) {
        return api.put(ORGS, text, "Content-Type", "text/csv");
    }

    static Api.Response ok(Api.Response response) {
        assertThat(response.status()).as(response.toString()).isEqualTo(200);
        return response;
    }

    static String counts(Api.Response response) {
        JsonNode body = ok(response).json();
        return "created " + body.get("created") + ", updated " + body.get("updated") + ", unchanged "
                + body.get("unchanged") + " of " + body.get("rows");
    }

    static List<String> problems(Api.Response response) {
        assertThat(response.status()).as(response.toString()).isEqualTo(400);
        assertThat(response.json().at("/error/code").asText()).isEqualTo("invalid_organizations");
        List<String> problems = new ArrayList<>();
        response.json()
                .at("/error/problems")
                .forEach(p -> problems.add(
                        p.get("path").asText() + ": " + p.get("message").asText()));
        return problems;
    }

    static List<String> ids(Api.Response response) {
        return ok(response).json().get("organizations").findValuesAsText("id");
    }

    static String adminToken(String role) {
        Api.Response created =
                admin.post("/v1/admin/tokens", Map.of("name", "directory " + role, "kind", "admin", "role", role));
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        return created.json().get("token").asText();
    }

    // ---- upsert ----

    @Test
    void upsertJson_createsThenUpdatesOnlyWhatChanged_andCountsEach() {
        String p = prefix();
        List<Object> first = List.of(
                org(p + "hooli", "Hooli", "PRO", Map.of("organization.region", "US", "organization.seats", 40)),
                org(p + "acme", "Acme", "FREE", null));
        assertThat(counts(admin.put(ORGS, first))).isEqualTo("created 2, updated 0, unchanged 0 of 2");

        List<Object> second = List.of(
                org(p + "hooli", "Hooli", "ENTERPRISE", Map.of("organization.region", "US", "organization.seats", 40)),
                org(p + "acme", "Acme", "FREE", Map.of()),
                org(p + "initech", "Initech", "PRO", null));
        assertThat(counts(admin.put(ORGS, second))).isEqualTo("created 1, updated 1, unchanged 1 of 3");
        assertThat(counts(admin.put(ORGS, second))).isEqualTo("created 0, updated 0, unchanged 3 of 3");

        JsonNode hooli = ok(admin.get(ORGS + "/" + p + "hooli")).json();
        assertThat(hooli.get("name").asText()).isEqualTo("Hooli");
        assertThat(hooli.get("plan").asText()).isEqualTo("ENTERPRISE");
        assertThat(hooli.get("attributes").toString())
                .isEqualTo("{\"organization.region\":\"US\",\"organization.seats\":40}");
        assertThat(hooli.get("updatedBy").asText()).isEqualTo("initial admin (token 1)");
        assertThat(hooli.get("updatedAt").asText()).isNotEmpty();
    }

    @Test
    void upsertCsv_readsTheHeaderQuotesAndTypedAttributes_andAnEmptyCellIsNoValue() {
        String p = prefix();
        String text = "id,name,plan,organization.region,organization.seats\r\n"
                + p + "hooli,\"Hooli, Inc.\",PRO,US,40\r\n"
                + p + "pied,\"Pied \"\"Piper\"\"\",FREE,,\r\n";
        assertThat(counts(csv(admin, text))).isEqualTo("created 2, updated 0, unchanged 0 of 2");

        JsonNode hooli = ok(admin.get(ORGS + "/" + p + "hooli")).json();
        assertThat(hooli.get("name").asText()).isEqualTo("Hooli, Inc.");
        assertThat(hooli.get("attributes").toString())
                .isEqualTo("{\"organization.region\":\"US\",\"organization.seats\":40}");
        JsonNode pied = ok(admin.get(ORGS + "/" + p + "pied")).json();
        assertThat(pied.get("name").asText()).isEqualTo("Pied \"Piper\"");
        assertThat(pied.get("attributes").toString()).isEqualTo("{}");
        assertThat(counts(admin.put(
                        ORGS,
                        List.of(
                                org(
                                        p + "hooli",
                                        "Hooli, Inc.",
                                        "PRO",
                                        Map.of("organization.region", "US", "organization.seats", 40)),
                                org(p + "pied", "Pied \"Piper\"", "FREE", null)))))
                .as("the same rows as JSON change nothing")
                .isEqualTo("created 0, updated 0, unchanged 2 of 2");
    }

    @Test
    void dryRun_countsWithoutWriting() {
        String p = prefix();
        Api.Response dry = admin.put(ORGS + "?dryRun=true", List.of(org(p + "a", "A", "PRO", null)));

        assertThat(counts(dry)).isEqualTo("created 1, updated 0, unchanged 0 of 1");
        assertThat(dry.json().get("dryRun").asBoolean()).isTrue();
        assertThat(dry.json().get("preview").toString())
                .isEqualTo("[{\"id\":\"" + p + "a\",\"name\":\"A\",\"plan\":\"PRO\",\"attributes\":{}}]");
        assertThat(admin.get(ORGS + "/" + p + "a").status()).isEqualTo(404);
        assertThat(ok(admin.put(ORGS, List.of(org(p + "a", "A", "PRO", null))))
                        .json()
                        .has("preview"))
                .isFalse();
        assertThat(admin.put(ORGS + "?dryRun=maybe", List.of())
                        .json()
                        .at("/error/message")
                        .asText())
                .isEqualTo("dryRun must be true or false, was \"maybe\"");
    }

    // ---- validation ----

    @Test
    void invalidJsonRows_areAllListedWithTheirRowNumbers_andNothingIsWritten() {
        String p = prefix();
        List<Object> rows = List.of(
                org(p + "ok", "Fine Ltd", "PRO", null),
                org(p + "acme", "Acme", "GOLD", null),
                org(p + "ok", "Again", "PRO", null),
                org(" ", "No Id", "PRO", null),
                org(p + "blank", " ", "", Map.of("organization.region", "MARS", "organization.seats", "many")),
                org(p + "x", "X", "PRO", Map.of("organization.colour", "red", "organization.plan", "PRO")),
                Map.of("id", p + "y", "name", "Y", "plan", "PRO", "tier", 3),
                "not an object");

        Api.Response refused = admin.put(ORGS, rows);

        assertThat(problems(refused))
                .containsExactly(
                        "row 2 (" + p + "acme): plan \"GOLD\" is not one of FREE, PRO, ENTERPRISE",
                        "row 3 (" + p + "ok): id " + p + "ok is also on row 1",
                        "row 4: id is empty",
                        "row 5 (" + p + "blank): name is empty",
                        "row 5 (" + p + "blank): plan is empty",
                        "row 5 (" + p + "blank): organization.region \"MARS\" is not one of EU, US",
                        "row 5 (" + p + "blank): organization.seats must be a whole number (Int), was \"many\"",
                        "row 6 (" + p + "x): attribute \"organization.colour\" is not an attribute of the schema's"
                                + " Context; it has organization.region, organization.seats, organization.crm,"
                                + " user.id",
                        "row 6 (" + p + "x): attribute \"organization.plan\" is the plan column, not an attribute",
                        "row 7 (" + p + "y): unknown key \"tier\"; an organization has id, name, plan and attributes",
                        "row 8: an organization is a JSON object, was string");
        assertThat(refused.json().at("/error/message").asText())
                .isEqualTo("11 problems in the organizations; nothing was written. row 2 (" + p
                        + "acme): plan \"GOLD\" is not one of FREE, PRO, ENTERPRISE");
        assertThat(refused.json().at("/error/problemCount").asInt()).isEqualTo(11);
        assertThat(admin.get(ORGS + "/" + p + "ok").status()).isEqualTo(404);
    }

    @Test
    void boundsOnIdsAndNames_areChecked() {
        String p = prefix();
        String longId = p + "i".repeat(OrganizationRows.MAX_ID);
        Api.Response refused =
                admin.put(ORGS, List.of(org(longId, "Long", "PRO", null), org(p + "n", "n".repeat(201), "PRO", null)));

        assertThat(problems(refused))
                .containsExactly(
                        "row 1 (" + longId + "): id is longer than 200 characters",
                        "row 2 (" + p + "n): name is longer than 200 characters");
    }

    @Test
    void invalidCsvLines_areListedWithTheLineNumberASpreadsheetShows() {
        String p = prefix();
        String text = "id,name,plan,organization.seats\n"
                + p + "a,A,PRO,3\n"
                + "\n"
                + p + "b,B,GOLD,3\n"
                + p + "c,C,PRO\n"
                + p + "d,D,FREE,lots\n";

        assertThat(problems(csv(admin, text)))
                .containsExactly(
                        "line 4 (" + p + "b): plan \"GOLD\" is not one of FREE, PRO, ENTERPRISE",
                        "line 5 (" + p + "c): 3 values, but the header has 4 columns",
                        "line 6 (" + p + "d): organization.seats must be a whole number (Int), was \"lots\"");
        assertThat(admin.get(ORGS + "/" + p + "a").status()).isEqualTo(404);
    }

    @Test
    void aCsvHeaderWithoutRequiredOrWithUnknownColumns_isRefusedBeforeAnyLine() {
        assertThat(problems(csv(admin, "id,name,region,name\nx,X,EU,X\n")))
                .containsExactly(
                        "line 1: the column \"name\" is there twice",
                        "line 1: the header has no \"plan\" column; it starts id,name,plan and then has a column"
                                + " per attribute",
                        "line 1: column \"region\" is not an attribute of the schema's Context; it has"
                                + " organization.region, organization.seats, organization.crm, user.id");
    }

    @Test
    void malformedOrEmptyCsv_andOtherMediaTypes_areRefusedInPlainWords() {
        Api.Response unclosed = csv(admin, "id,name,plan\nx,\"X,PRO\n");
        Api.Response empty = csv(admin, "");
        Api.Response text = admin.put(ORGS, "id,name,plan\n", "Content-Type", "text/plain");
        Api.Response object = admin.put(ORGS, Map.of("id", "x"));

        assertThat(unclosed.json().at("/error/message").asText())
                .isEqualTo("the CSV is malformed: line 2: a quoted value is not closed; nothing was written");
        assertThat(empty.json().at("/error/message").asText())
                .isEqualTo("the CSV is empty: it needs a header line id,name,plan and a line per organization");
        assertThat(text.status()).isEqualTo(415);
        assertThat(text.json().at("/error/message").asText())
                .isEqualTo("the organizations are application/json or text/csv, not text/plain");
        assertThat(object.json().at("/error/message").asText())
                .startsWith("the body must be a JSON array of organizations");
    }

    @Test
    void moreThanTheRowCap_isRefusedWith413_andNothingIsWritten() {
        String p = prefix();
        StringBuilder text = new StringBuilder("id,name,plan\n");
        for (int i = 0; i <= OrganizationRows.MAX_ROWS; i++) {
            text.append(p).append(i).append(",Org ").append(i).append(",PRO\n");
        }
        Api.Response refused = csv(admin, text.toString());

        assertThat(refused.status()).isEqualTo(413);
        assertThat(refused.json().at("/error/message").asText())
                .isEqualTo("the request has 10001 organizations; the limit is 10000 per request: send them in"
                        + " several requests");
        assertThat(admin.get(ORGS + "/" + p + "0").status()).isEqualTo(404);
    }

    @Test
    void theRowCapItself_isAccepted_andABodyPastTheByteCapIsRefused() {
        String p = prefix();
        StringBuilder text = new StringBuilder("id,name,plan\n");
        for (int i = 0; i < OrganizationRows.MAX_ROWS; i++) {
            text.append(p).append(i).append(",Org ").append(i).append(",PRO\n");
        }
        assertThat(counts(csv(admin, text.toString()))).isEqualTo("created 10000, updated 0, unchanged 0 of 10000");
        assertThat(counts(csv(admin, text.toString()))).isEqualTo("created 0, updated 0, unchanged 10000 of 10000");

        Api.Response tooLarge = csv(admin, "id,name,plan\n" + "x".repeat(DirectoryApi.MAX_BODY_BYTES));
        assertThat(tooLarge.status()).isEqualTo(413);
        assertThat(tooLarge.json().at("/error/message").asText())
                .isEqualTo("the request body is larger than the limit of 4194304 bytes");
    }

    // ---- search ----

    @Test
    void search_findsByIdOrNameIgnoringCase_exactIdFirst_thenIdPrefix_thenNamePrefix_thenContains() {
        String p = prefix();
        ok(admin.put(
                ORGS,
                List.of(
                        org(p + "hoo", "Zed Corp", "PRO", null),
                        org(p + "hooli", "Hooli", "ENTERPRISE", null),
                        org(p + "x1", (p + "hoo Labs").toUpperCase(java.util.Locale.ROOT), "FREE", null),
                        org(p + "x2", "Big " + p + "HOO", "FREE", null),
                        org(p + "other", "Unrelated", "FREE", null))));

        assertThat(ids(admin.get(ORGS + "?q=" + p.toUpperCase(java.util.Locale.ROOT) + "HOO")))
                .containsExactly(p + "hoo", p + "hooli", p + "x1", p + "x2");
        assertThat(ids(admin.get(ORGS + "?q=" + p + "hoo&limit=2"))).containsExactly(p + "hoo", p + "hooli");
        assertThat(ids(admin.get(ORGS + "?q=unrelat"))).containsExactly(p + "other");
        JsonNode first = ok(admin.get(ORGS + "?q=" + p + "hooli")).json().at("/organizations/0");
        assertThat(first.toString())
                .startsWith("{\"id\":\"" + p + "hooli\",\"name\":\"Hooli\",\"plan\":\"ENTERPRISE\","
                        + "\"attributes\":{},\"updatedAt\":");
    }

    @Test
    void search_treatsWildcardsAsText_andBoundsItsPageAndQuery() {
        String p = prefix();
        ok(admin.put(ORGS, List.of(org(p + "a", "100% Fun_Co", "PRO", null), org(p + "b", "1000 Funny", "PRO", null))));

        assertThat(ids(admin.get(ORGS + "?q=0%25%20fun_"))).containsExactly(p + "a");
        assertThat(admin.get(ORGS + "?limit=0").json().at("/error/message").asText())
                .isEqualTo("limit must be 1 to 100, was 0");
        assertThat(admin.get(ORGS + "?limit=101").json().at("/error/message").asText())
                .isEqualTo("limit must be 1 to 100, was 101");
        assertThat(admin.get(ORGS + "?q=" + "q".repeat(201))
                        .json()
                        .at("/error/message")
                        .asText())
                .isEqualTo("q is longer than 200 characters");
        assertThat(ok(admin.get(ORGS)).json().get("organizations").size()).isEqualTo(20);
    }

    // ---- one organization ----

    @Test
    void getAndDelete_oneOrganization_andAnUnknownIdIs404() {
        String p = prefix();
        ok(admin.put(ORGS, List.of(org(p + "gone", "Gone Inc", "PRO", null))));

        Api.Response deleted = admin.delete(ORGS + "/" + p + "gone");
        assertThat(ok(deleted).json().get("name").asText()).isEqualTo("Gone Inc");
        Api.Response missing = admin.get(ORGS + "/" + p + "gone");
        assertThat(missing.status()).isEqualTo(404);
        assertThat(missing.json().at("/error/message").asText())
                .isEqualTo("no organization " + p + "gone in the directory");
        assertThat(admin.delete(ORGS + "/" + p + "gone").status()).isEqualTo(404);
    }

    // ---- roles and audit ----

    @Test
    void viewersAndEditorsRead_onlyAdminsWrite() {
        String p = prefix();
        ok(admin.put(ORGS, List.of(org(p + "r", "Readable", "PRO", null))));
        for (String role : List.of("viewer", "editor")) {
            Api api = admin.as(adminToken(role));
            assertThat(ids(api.get(ORGS + "?q=" + p))).containsExactly(p + "r");
            assertThat(ok(api.get(ORGS + "/" + p + "r")).json().get("plan").asText())
                    .isEqualTo("PRO");
            Api.Response put = api.put(ORGS, List.of(org(p + "w", "W", "PRO", null)));
            Api.Response delete = api.delete(ORGS + "/" + p + "r");
            assertThat(put.status()).isEqualTo(403);
            assertThat(put.json().at("/error/message").asText())
                    .isEqualTo("this needs the admin role; the token has " + role);
            assertThat(delete.status()).isEqualTo(403);
        }
        assertThat(new Api(server.url(), null).get(ORGS).status()).isEqualTo(401);
        assertThat(admin.get(ORGS + "/" + p + "w").status()).isEqualTo(404);
    }

    @Test
    void eachWriteIsOneAuditEntry_withItsCounts_andRefusalsAndDryRunsAreNone() {
        String p = prefix();
        ok(admin.put(ORGS, List.of(org(p + "a", "A", "PRO", null), org(p + "b", "B", "PRO", null))));
        ok(csv(admin, "id,name,plan\n" + p + "a,A,ENTERPRISE\n" + p + "b,B,PRO\n" + p + "c,C,FREE\n"));
        problems(admin.put(ORGS, List.of(org(p + "d", "D", "GOLD", null))));
        ok(admin.put(ORGS + "?dryRun=true", List.of(org(p + "e", "E", "PRO", null))));
        ok(admin.delete(ORGS + "/" + p + "c"));

        List<String> entries = new ArrayList<>();
        for (JsonNode entry : admin.get("/v1/admin/audit?limit=3").json().get("entries")) {
            entries.add(entry.get("action").asText() + " " + entry.get("target").asText() + ": "
                    + entry.get("detail").asText() + " by " + entry.get("actor").asText());
        }
        assertThat(entries)
                .containsExactly(
                        "directory.delete organization " + p + "c: deleted C (FREE) by initial admin (token 1)",
                        "directory.upsert organizations: created 1, updated 1, unchanged 1 of 3 (CSV) by initial admin"
                                + " (token 1)",
                        "directory.upsert organizations: created 2, updated 0, unchanged 0 of 2 (JSON) by initial admin"
                                + " (token 1)");
    }

    // ---- before a schema ----

    @Test
    void beforeAnySchema_plansAndAttributesAreAcceptedAsText() {
        try (TollgateServer fresh = TestServers.start(storage)) {
            Api api = TestServers.admin(fresh);
            Api.Response stored = csv(api, "id,name,plan,organization.region\nacme,Acme,GOLD,mars\n");

            assertThat(counts(stored)).isEqualTo("created 1, updated 0, unchanged 0 of 1");
            assertThat(ok(api.get(ORGS + "/acme")).json().get("attributes").toString())
                    .isEqualTo("{\"organization.region\":\"mars\"}");
        }
    }
}
