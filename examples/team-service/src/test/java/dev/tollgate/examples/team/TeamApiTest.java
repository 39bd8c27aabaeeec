package dev.tollgate.examples.team;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.examples.team.flags.TollgateTestKit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The routes against entitlements set with the generated test kit: no JSON, no network. */
class TeamApiTest {
    private TeamService service;

    @AfterEach
    void stop() {
        if (service != null) {
            service.close();
        }
    }

    @Test
    void addTeamMember_teamAtItsLimit_gets403() throws Exception {
        TollgateTestKit kit =
                TollgateTestKit.builder().entitlements(e -> e.maxTeamSize(2)).build();
        Http http = start(kit);

        assertThat(http.addTeamMember("org_hooli", "core", "ana").status()).isEqualTo(200);
        assertThat(http.addTeamMember("org_hooli", "core", "ben").status()).isEqualTo(200);
        Http.Reply full = http.addTeamMember("org_hooli", "core", "cem");

        assertThat(full.status()).isEqualTo(403);
        assertThat(full.body().toString())
                .isEqualTo("{\"error\":\"Team size limit reached\",\"teamSize\":2,\"maxTeamSize\":2,"
                        + "\"message\":\"Your team has reached the maximum size of 2 members. "
                        + "Please upgrade your plan to add more members.\"}");
    }

    @Test
    void addTeamMember_underTheLimit_answersTheSeedsShape() throws Exception {
        Http http = start(
                TollgateTestKit.builder().entitlements(e -> e.maxTeamSize(20)).build());

        Http.Reply reply = http.addTeamMember("org_globex", "design", "ana");

        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.body().toString())
                .isEqualTo("{\"success\":true,\"currentTeamSize\":1,\"maxTeamSize\":20,"
                        + "\"result\":{\"teamId\":\"design\",\"userId\":\"ana\",\"members\":[\"ana\"]}}");
    }

    @Test
    void addTeamMember_withoutLogic_usesTheFallbackOfFive() throws Exception {
        Http http = start(TollgateTestKit.create());
        for (String user : new String[] {"a", "b", "c", "d", "e"}) {
            assertThat(http.addTeamMember("org_hooli", "core", user).status()).isEqualTo(200);
        }

        Http.Reply sixth = http.addTeamMember("org_hooli", "core", "f");

        assertThat(sixth.status()).isEqualTo(403);
        assertThat(sixth.body().get("maxTeamSize").asInt()).isEqualTo(TeamApi.DEFAULT_MAX_TEAM_SIZE);
    }

    @Test
    void search_pastTheDailyQuota_gets429() throws Exception {
        TollgateTestKit kit = TollgateTestKit.builder()
                .entitlements(e -> e.maxApiRequestsPerDay(2))
                .build();
        Http http = start(kit);

        assertThat(http.get("/api/search?q=handbook", "org_globex")
                        .body()
                        .get("remainingToday")
                        .asInt())
                .isEqualTo(1);
        assertThat(http.get("/api/search?q=handbook", "org_globex").status()).isEqualTo(200);
        Http.Reply refused = http.get("/api/search?q=handbook", "org_globex");

        assertThat(refused.status()).isEqualTo(429);
        assertThat(refused.body().get("error").asText()).isEqualTo("API quota exceeded");
        assertThat(refused.body().get("message").asText())
                .isEqualTo("Your organization has used all 2 search requests for today. "
                        + "Please upgrade your plan for a higher quota.");
    }

    @Test
    void versionHistory_isGatedByTheEntitlement() throws Exception {
        TollgateTestKit kit = TollgateTestKit.builder()
                .entitlements(e -> e.versionHistoryEnabled(false))
                .build();
        Http http = start(kit);

        Http.Reply refused = http.get("/api/documents/doc_1/history", "org_hooli");
        kit.update(values -> values.entitlements(e -> e.versionHistoryEnabled(true)));
        Http.Reply allowed = http.get("/api/documents/doc_1/history", "org_hooli");

        assertThat(refused.status()).isEqualTo(403);
        assertThat(refused.body().get("error").asText()).isEqualTo("Version history not available");
        assertThat(allowed.status()).isEqualTo(200);
        assertThat(allowed.body().get("versions")).hasSize(3);
    }

    @Test
    void requests_withoutAKnownOrganization_get401() throws Exception {
        Http http = start(TollgateTestKit.create());

        Http.Reply reply = http.addTeamMember("org_nope", "core", "ana");

        assertThat(reply.status()).isEqualTo(401);
        assertThat(reply.body().get("error").asText()).isEqualTo("Unknown organization");
    }

    private Http start(TollgateTestKit kit) {
        service = TeamService.start(kit.tollgate(), 0);
        return new Http(service.port());
    }
}
