package dev.tollgate.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Change requests through the admin API: an environment that requires approval turns edits into requests (202,
 * nothing published); another person approves (published, the SDK sees it) or rejects; the rules on roles and
 * authors; stale requests; an editor's request for a field without an override table; the audit log. Each test makes
 * its own environment on one server.
 */
class ChangeRequestsTest {
    private static final String TEAM = "entitlements.maxTeamSize";
    private static final String CALLS = "entitlements.maxApiRequestsPerDay";
    private static final String ORG_1 = "/fields/" + TEAM + "/overrides/context.organization.id/org_1";

    private static TollgateServer server;
    private static Api admin;
    private static Api alice; // editor
    private static Api bob; // approver
    private static long aliceId;
    private static long bobId;
    private static int environments;

    @BeforeAll
    static void start() {
        server = TestServers.start(TestServers.Storage.H2);
        admin = TestServers.admin(server);
        assertThat(admin.put("/v1/admin/schema", TestServers.SCHEMA, "If-Match", "\"0\"")
                        .status())
                .isEqualTo(200);
        JsonNode editor = token("alice", "editor");
        JsonNode approver = token("bob", "approver");
        alice = admin.as(editor.get("token").asText());
        aliceId = editor.get("id").asLong();
        bob = admin.as(approver.get("token").asText());
        bobId = approver.get("id").asLong();
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    private static JsonNode token(String name, String role) {
        Api.Response created = admin.post("/v1/admin/tokens", Map.of("name", name, "kind", "admin", "role", role));
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        return created.json();
    }

    /** A new environment whose logic has maxTeamSize with org_1 = 7 in its table by organization id. */
    private static String environment(boolean requireApproval) {
        String name = "env" + (++environments);
        assertThat(admin.post("/v1/admin/environments", Map.of("name", name)).status())
                .isEqualTo(201);
        Map<String, Object> team = Map.of(
                "overrides",
                List.of(Map.of("by", "context.organization.id", "values", Map.of("org_1", 7))),
                "rules",
                List.of(TestServers.planRule("pro", "PRO", 20)),
                "default",
                5);
        Map<String, Object> logic = Map.of(
                "fields",
                Map.of(TEAM, team, CALLS, Map.of("default", 1000)),
                "segments",
                Map.of(
                        "beta",
                        Map.of(
                                "if",
                                Map.of(
                                        "attribute",
                                        "context.organization.id",
                                        "op",
                                        "in",
                                        "value",
                                        List.of("org_1")))));
        assertThat(admin.put(env(name) + "/logic", logic, "If-Match", "\"1\"").status())
                .isEqualTo(200);
        Api.Response set = admin.put(env(name) + "/settings", Map.of("requireApproval", requireApproval));
        assertThat(set.status()).as(set.toString()).isEqualTo(200);
        return name;
    }

    private static String env(String name) {
        return "/v1/admin/environments/" + name;
    }

    private static long revision(String name) {
        return Long.parseLong(admin.get(env(name) + "/logic").header("ETag").replace("\"", ""));
    }

    private static JsonNode field(String name, String path) {
        return admin.get(env(name) + "/fields/" + path).json();
    }

    private static Api.Response setOrg1(Api who, String name, int value, String message) {
        return who.put(
                env(name) + ORG_1, Map.of("value", value, "message", message), "If-Match", Api.ifMatch(revision(name)));
    }

    private static Api.Response review(Api who, String name, long id, String verb, String comment) {
        return who.post(
                env(name) + "/change-requests/" + id + "/" + verb,
                comment == null ? Map.of() : Map.of("comment", comment));
    }

    private static String error(Api.Response response) {
        return response.json().at("/error/message").asText();
    }

    @Test
    void anEdit_inAnEnvironmentThatRequiresApproval_isAnsweredWithAChangeRequest_andPublishesNothing()
            throws Exception {
        String name = environment(true);
        long before = revision(name);

        Api.Response answer = setOrg1(alice, name, 50, "trial, ticket SALES-12");

        assertThat(answer.status()).as(answer.toString()).isEqualTo(202);
        JsonNode request = answer.json();
        long id = request.get("id").asLong();
        assertThat(answer.header("Location")).isEqualTo(env(name) + "/change-requests/" + id);
        assertThat(request.get("status").asText()).isEqualTo("open");
        assertThat(request.get("edit"))
                .isEqualTo(Api.JSON.readTree("{\"method\":\"PUT\",\"path\":\"" + ORG_1
                        + "\",\"body\":{\"value\":50,\"message\":\"trial, ticket SALES-12\"}}"));
        assertThat(request.get("baseRevision").asLong()).isEqualTo(before);
        assertThat(request.get("requiredRole").asText()).isEqualTo("approver");
        assertThat(request.get("author").asText()).isEqualTo("alice (token " + aliceId + ")");
        assertThat(request.get("authorIdentity").asText()).isEqualTo("token:" + aliceId);
        assertThat(request.get("message").asText()).isEqualTo("trial, ticket SALES-12");
        assertThat(request.get("diff").toString())
                .isEqualTo("[{\"kind\":\"field\",\"path\":\"" + TEAM + "\",\"change\":\"modified\",\"details\":"
                        + "[\"override context.organization.id = org_1: 7 -> 50\"]}]");
        assertThat(revision(name)).isEqualTo(before);
        assertThat(field(name, TEAM).at("/overrides/0/values/org_1").asInt()).isEqualTo(7);
        JsonNode open = admin.get(env(name) + "/change-requests?status=open").json();
        assertThat(open.get("requireApproval").asBoolean()).isTrue();
        assertThat(open.get("changeRequests")).hasSize(1);
        assertThat(admin.get(env(name) + "/change-requests/" + id).json()).isEqualTo(request);
    }

    @Test
    void approve_byAnotherPerson_publishesTheEditOnTheCurrentRevision_andTheSdkSnapshotChanges() {
        String name = environment(true);
        Api sdk = admin.as(admin.post("/v1/admin/tokens", Map.of("name", "svc", "kind", "sdk", "environment", name))
                .json()
                .get("token")
                .asText());
        long id = setOrg1(alice, name, 50, "trial").json().get("id").asLong();
        long before = revision(name);

        Api.Response approved = review(bob, name, id, "approve", "looks right");

        assertThat(approved.status()).as(approved.toString()).isEqualTo(200);
        assertThat(approved.json().get("status").asText()).isEqualTo("approved");
        assertThat(approved.json().get("reviewer").asText()).isEqualTo("bob (token " + bobId + ")");
        assertThat(approved.json().get("reviewComment").asText()).isEqualTo("looks right");
        assertThat(approved.json().get("revision").asLong()).isEqualTo(before + 1);
        JsonNode published = admin.get(env(name) + "/revisions/" + (before + 1)).json();
        assertThat(published.get("message").asText())
                .isEqualTo("change request " + id + " by alice (token " + aliceId + "), approved by bob (token " + bobId
                        + "): trial");
        assertThat(published.get("author").asText()).isEqualTo("bob (token " + bobId + ")");
        Api.Response snapshot = sdk.get("/v1/snapshot");
        assertThat(snapshot.status()).isEqualTo(200);
        assertThat(snapshot.json()
                        .get("fields")
                        .get(TEAM)
                        .at("/overrides/0/values/org_1")
                        .asInt())
                .isEqualTo(50);
        assertThat(snapshot.json().get("revision").asLong()).isEqualTo(before + 1);
        Api.Response again = review(admin, name, id, "approve", null);
        assertThat(again.status()).isEqualTo(409);
        assertThat(error(again)).isEqualTo("change request " + id + " is approved, not open");
    }

    @Test
    void theAuthor_cannotApproveOrRejectTheirOwnChangeRequest_whateverTheirRole() {
        String name = environment(true);
        long bobs = setOrg1(bob, name, 60, "mine").json().get("id").asLong();
        long admins = setOrg1(admin, name, 70, "admin's own").json().get("id").asLong();

        Api.Response approve = review(bob, name, bobs, "approve", null);
        Api.Response reject = review(bob, name, bobs, "reject", "no");
        Api.Response adminApprove = review(admin, name, admins, "approve", null);

        assertThat(approve.status()).isEqualTo(403);
        assertThat(error(approve)).isEqualTo("you cannot approve your own change request");
        assertThat(reject.status()).isEqualTo(403);
        assertThat(error(reject)).isEqualTo("you cannot reject your own change request");
        assertThat(adminApprove.status()).isEqualTo(403);
        assertThat(error(adminApprove)).isEqualTo("you cannot approve your own change request");
        assertThat(field(name, TEAM).at("/overrides/0/values/org_1").asInt()).isEqualTo(7);
    }

    @Test
    void aChangeOfFieldLogic_needsAnAdminToApprove_notAnApproverOrEditor() {
        String name = environment(true);
        Map<String, Object> logic = Map.of("default", 2000);
        Api.Response asked = admin.put(
                env(name) + "/fields/" + CALLS,
                Map.of("logic", logic, "message", "more calls for everyone"),
                "If-Match",
                Api.ifMatch(revision(name)));
        assertThat(asked.status()).as(asked.toString()).isEqualTo(202);
        long id = asked.json().get("id").asLong();
        assertThat(asked.json().get("requiredRole").asText()).isEqualTo("admin");
        assertThat(asked.json().at("/diff/0/details/0").asText()).isEqualTo("default: 1000 -> 2000");

        Api.Response byApprover = review(bob, name, id, "approve", null);
        Api.Response byEditor = review(alice, name, id, "approve", null);
        Api.Response carol = admin.as(token("carol", "admin").get("token").asText())
                .post(env(name) + "/change-requests/" + id + "/approve", Map.of());

        assertThat(byApprover.status()).isEqualTo(403);
        assertThat(error(byApprover))
                .isEqualTo("to approve change request " + id + " needs the admin role (it changes a field's logic);"
                        + " the token has approver");
        assertThat(byEditor.status()).isEqualTo(403);
        assertThat(error(byEditor)).endsWith("the token has editor");
        assertThat(carol.status()).as(carol.toString()).isEqualTo(200);
        assertThat(field(name, CALLS).get("default").asInt()).isEqualTo(2000);
    }

    @Test
    void anAdminsOverride_thatCreatesATable_needsAnotherAdmin_notAnApprover() {
        String name = environment(true);
        Api.Response asked = admin.put(
                env(name) + "/fields/" + CALLS + "/overrides/context.organization.id/org_1",
                Map.of("value", 5000, "message", "partner"),
                "If-Match",
                Api.ifMatch(revision(name)));
        long id = asked.json().get("id").asLong();

        Api.Response byApprover = review(bob, name, id, "approve", null);

        assertThat(asked.status()).isEqualTo(202);
        assertThat(asked.json().get("requiredRole").asText()).isEqualTo("admin");
        assertThat(byApprover.status()).isEqualTo(403);
        assertThat(error(byApprover))
                .isEqualTo("to approve change request " + id + " needs the admin role (it needs a new override"
                        + " table); the token has approver");
    }

    @Test
    void reject_keepsTheLogic_andRecordsWhy_butNeedsAComment() {
        String name = environment(true);
        long id = setOrg1(alice, name, 50, "trial").json().get("id").asLong();
        long before = revision(name);

        Api.Response withoutComment = review(bob, name, id, "reject", null);
        Api.Response rejected = review(bob, name, id, "reject", "no trial for org_1");

        assertThat(withoutComment.status()).isEqualTo(400);
        assertThat(error(withoutComment)).isEqualTo("a rejection needs a \"comment\" saying why");
        assertThat(rejected.status()).isEqualTo(200);
        assertThat(rejected.json().get("status").asText()).isEqualTo("rejected");
        assertThat(rejected.json().get("reviewComment").asText()).isEqualTo("no trial for org_1");
        assertThat(revision(name)).isEqualTo(before);
        assertThat(field(name, TEAM).at("/overrides/0/values/org_1").asInt()).isEqualTo(7);
        assertThat(admin.get(env(name) + "/change-requests?status=open").json().get("changeRequests"))
                .isEmpty();
    }

    @Test
    void approve_ofARequestWhoseRowChangedSince_is409_andTheRequestStaysOpen() {
        String name = environment(true);
        long stale = setOrg1(alice, name, 50, "trial").json().get("id").asLong();
        long base = revision(name);
        long other = setOrg1(admin, name, 9, "contract").json().get("id").asLong();
        assertThat(review(bob, name, other, "approve", null).status()).isEqualTo(200);

        Api.Response approve = review(bob, name, stale, "approve", null);

        assertThat(approve.status()).isEqualTo(409);
        assertThat(approve.json().at("/error/code").asText()).isEqualTo("change_request_stale");
        assertThat(error(approve))
                .isEqualTo("change request " + stale + " no longer applies to revision " + (base + 1) + ": " + ORG_1
                        + " changed since revision " + base + ", so the edit would now make another change than the"
                        + " one reviewed. It stays open: reject it, or ask its author for a new one");
        assertThat(admin.get(env(name) + "/change-requests/" + stale)
                        .json()
                        .get("status")
                        .asText())
                .isEqualTo("open");
        assertThat(field(name, TEAM).at("/overrides/0/values/org_1").asInt()).isEqualTo(9);
    }

    @Test
    void anEditorsRequest_forAFieldWithoutAnOverrideTable_isApprovedByAnAdmin_evenWithoutRequireApproval() {
        String name = environment(false);
        String path = "/fields/" + CALLS + "/overrides/context.organization.id/org_1";
        Api.Response direct = alice.put(
                env(name) + path,
                Map.of("value", 5000, "message", "more calls"),
                "If-Match",
                Api.ifMatch(revision(name)));
        assertThat(direct.status()).isEqualTo(403);

        Map<String, Object> ask = new LinkedHashMap<>();
        ask.put("method", "PUT");
        ask.put("path", path);
        ask.put("body", Map.of("value", 5000));
        ask.put("message", "more calls for org_1");
        Api.Response asked = alice.post(env(name) + "/change-requests", ask, "If-Match", Api.ifMatch(revision(name)));
        assertThat(asked.status()).as(asked.toString()).isEqualTo(201);
        long id = asked.json().get("id").asLong();
        assertThat(asked.json().get("requiredRole").asText()).isEqualTo("admin");
        Api.Response byApprover = review(bob, name, id, "approve", null);
        Api.Response byAdmin = review(admin, name, id, "approve", null);

        assertThat(byApprover.status()).isEqualTo(403);
        assertThat(error(byApprover))
                .isEqualTo("to approve change request " + id + " needs the admin role (it needs a new override"
                        + " table); the token has approver");
        assertThat(byAdmin.status()).as(byAdmin.toString()).isEqualTo(200);
        assertThat(field(name, CALLS).get("overrides").toString())
                .isEqualTo("[{\"by\":\"context.organization.id\",\"values\":{\"org_1\":5000}}]");
    }

    @Test
    void withoutRequireApproval_anEditorsEdit_isPublishedAtOnce_asToday() {
        String name = environment(false);
        long before = revision(name);

        Api.Response set = setOrg1(alice, name, 50, "trial");

        assertThat(set.status()).isEqualTo(200);
        assertThat(set.json().get("revision").asLong()).isEqualTo(before + 1);
        assertThat(field(name, TEAM).at("/overrides/0/values/org_1").asInt()).isEqualTo(50);
        assertThat(admin.get(env(name) + "/change-requests").json().get("changeRequests"))
                .isEmpty();
        assertThat(admin.get(env(name) + "/settings").json().toString())
                .isEqualTo("{\"environment\":\"" + name
                        + "\",\"requireApproval\":false,\"requireSigning\":false,\"signingKey\":false}");
    }

    @Test
    void segmentMembers_becomeRequestsToo_andOnlyTheAuthorWithdraws_andANewerRequestSupersedes() {
        String name = environment(true);
        String member = env(name) + "/segments/beta/members/org_2";
        Api.Response first = alice.put(member, null, "If-Match", Api.ifMatch(revision(name)));
        assertThat(first.status()).as(first.toString()).isEqualTo(202);
        long firstId = first.json().get("id").asLong();
        long secondId = alice.put(member, null, "If-Match", Api.ifMatch(revision(name)), "Tollgate-Message", "again")
                .json()
                .get("id")
                .asLong();

        Api.Response byOther = review(bob, name, secondId, "withdraw", null);
        Api.Response byAuthor = review(alice, name, secondId, "withdraw", null);

        assertThat(admin.get(env(name) + "/change-requests/" + firstId)
                        .json()
                        .get("status")
                        .asText())
                .isEqualTo("superseded");
        assertThat(byOther.status()).isEqualTo(403);
        assertThat(error(byOther))
                .isEqualTo("only the author of a change request withdraws it; alice (token " + aliceId
                        + ") made this one");
        assertThat(byAuthor.json().get("status").asText()).isEqualTo("withdrawn");
        assertThat(admin.get(env(name) + "/change-requests?status=superseded")
                        .json()
                        .at("/changeRequests/0/id")
                        .asLong())
                .isEqualTo(firstId);
        assertThat(admin.get(env(name) + "/change-requests?status=maybe")
                        .json()
                        .at("/error/message")
                        .asText())
                .isEqualTo("status must be open, approved, rejected, withdrawn or superseded, was \"maybe\"");
    }

    @Test
    void everyStep_isAudited_withWhoDidIt() {
        String name = environment(false);
        admin.put(env(name) + "/settings", Map.of("requireApproval", true, "message", "SOX"));
        long id = setOrg1(alice, name, 50, "trial").json().get("id").asLong();
        review(bob, name, id, "approve", "ok");

        JsonNode entries = admin.get("/v1/admin/audit?environment=" + name + "&limit=5")
                .json()
                .get("entries");

        assertThat(entries.get(0).get("action").asText()).isEqualTo("change_request.approve");
        assertThat(entries.get(0).get("actor").asText()).isEqualTo("bob (token " + bobId + ")");
        assertThat(entries.get(0).get("target").asText())
                .isEqualTo("change request " + id + ": " + TEAM + " context.organization.id=org_1 -> 50");
        assertThat(entries.get(1).get("action").asText()).isEqualTo("override.set");
        assertThat(entries.get(1).get("actor").asText()).isEqualTo("bob (token " + bobId + ")");
        assertThat(entries.get(2).get("action").asText()).isEqualTo("change_request.create");
        assertThat(entries.get(2).get("actor").asText()).isEqualTo("alice (token " + aliceId + ")");
        assertThat(entries.get(2).get("detail").asText()).isEqualTo("trial");
        assertThat(entries.get(3).get("action").asText()).isEqualTo("environment.settings");
        assertThat(entries.get(3).get("detail").asText()).isEqualTo("requireApproval false -> true: SOX");
    }

    @Test
    void anEnvironment_keepsAtMostAHundredOpenRequests() {
        String name = environment(true);
        long revision = revision(name);
        for (int i = 0; i < ChangeRequests.MAX_OPEN; i++) {
            Api.Response asked = alice.put(
                    env(name) + "/fields/" + TEAM + "/overrides/context.organization.id/org_x" + i,
                    Map.of("value", i),
                    "If-Match",
                    Api.ifMatch(revision));
            assertThat(asked.status()).isEqualTo(202);
        }

        Api.Response full = setOrg1(alice, name, 50, "one more");

        assertThat(full.status()).isEqualTo(409);
        assertThat(full.json().at("/error/code").asText()).isEqualTo("too_many_change_requests");
        assertThat(error(full))
                .isEqualTo("environment \"" + name + "\" has 100 open change requests, the most it keeps: approve,"
                        + " reject or withdraw some first");
    }

    @Test
    void tokens_takeTheApproverRole_andNameTheRolesWhenRefused() {
        Api.Response bad = admin.post("/v1/admin/tokens", Map.of("name", "x", "kind", "admin", "role", "boss"));

        assertThat(bob.get("/v1/admin/me").json().get("role").asText()).isEqualTo("approver");
        assertThat(bad.status()).isEqualTo(400);
        assertThat(error(bad)).isEqualTo("role must be viewer, editor, approver or admin, was \"boss\"");
        Api.Response settings = bob.put(env("production") + "/settings", Map.of("requireApproval", true));
        assertThat(settings.status()).isEqualTo(403);
        assertThat(error(settings)).isEqualTo("this needs the admin role; the token has approver");
    }
}
