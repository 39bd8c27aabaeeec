package dev.tollgate.examples.team;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.LoadResult;
import dev.tollgate.LogOptions;
import dev.tollgate.examples.team.flags.Tollgate;
import dev.tollgate.examples.team.flags.TollgateTestKit;
import dev.tollgate.testing.ManualClock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
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
                .as("the kit's value answers for every plan, so no plan would allow a third member")
                .isEqualTo("{\"error\":\"Team size limit reached\",\"teamSize\":2,\"maxTeamSize\":2,"
                        + "\"requested\":1,\"remaining\":0,\"reason\":\"default\",\"upgradeTo\":[],"
                        + "\"message\":\"Your team has reached the maximum size of 2 members. "
                        + "Contact sales to raise the limit.\"}");
    }

    @Test
    void addTeamMember_fullFreeTeam_gets403NamingThePlansThatWouldAllowIt() throws Exception {
        Http http = startWithTheExampleSnapshot();
        for (String user : new String[] {"ana", "ben", "cem", "dia", "eli"}) {
            assertThat(http.addTeamMember("org_hooli", "core", user).status()).isEqualTo(200);
        }

        Http.Reply sixth = http.addTeamMember("org_hooli", "core", "fay");

        assertThat(sixth.status()).isEqualTo(403);
        assertThat(sixth.body().toString())
                .isEqualTo("{\"error\":\"Team size limit reached\",\"teamSize\":5,\"maxTeamSize\":5,"
                        + "\"requested\":1,\"remaining\":0,\"reason\":\"default\","
                        + "\"upgradeTo\":[{\"plan\":\"PRO\",\"maxTeamSize\":20},"
                        + "{\"plan\":\"ENTERPRISE\",\"maxTeamSize\":1000}],"
                        + "\"message\":\"Your team has reached the maximum size of 5 members. "
                        + "Upgrade to PRO to add more members.\"}");
    }

    @Test
    void addTeamMember_fullProTeam_isOfferedEnterpriseOnly() throws Exception {
        Http http = startWithTheExampleSnapshot();
        for (int user = 0; user < 20; user++) {
            assertThat(http.addTeamMember("org_globex", "design", "u" + user).status())
                    .isEqualTo(200);
        }

        Http.Reply full = http.addTeamMember("org_globex", "design", "u20");

        assertThat(full.status()).isEqualTo(403);
        assertThat(full.body().get("reason").asText()).isEqualTo("rule:pro");
        assertThat(full.body().get("upgradeTo").toString())
                .isEqualTo("[{\"plan\":\"ENTERPRISE\",\"maxTeamSize\":1000}]");
        assertThat(full.body().get("message").asText())
                .isEqualTo("Your team has reached the maximum size of 20 members. Upgrade to ENTERPRISE to add more"
                        + " members.");
    }

    @Test
    void addTeamMember_overrideForTheOrganization_offersNoPlan() throws Exception {
        Http http = startWithTheExampleSnapshot();
        for (int user = 0; user < 50; user++) {
            assertThat(http.addTeamMember("org_initech", "ops", "u" + user).status())
                    .isEqualTo(200);
        }

        Http.Reply full = http.addTeamMember("org_initech", "ops", "u50");

        assertThat(full.status()).isEqualTo(403);
        assertThat(full.body().get("reason").asText()).isEqualTo("override context.organization.id=org_initech");
        assertThat(full.body().get("upgradeTo")).isEmpty();
        assertThat(full.body().get("message").asText())
                .isEqualTo("Your team has reached the maximum size of 50 members. Contact sales to raise the limit.");
    }

    @Test
    void addTeamMember_afterATrialLapses_isRefusedWithThePlanLimitAndTheUpgrade() throws Exception {
        Instant until = Instant.parse("2027-01-01T00:00:00Z");
        ManualClock clock = ManualClock.at(until.minusSeconds(2));
        Http http = startWithAHooliTrial(clock);
        for (String user : new String[] {"ana", "ben", "cem", "dia", "eli"}) {
            assertThat(http.addTeamMember("org_hooli", "core", user).status()).isEqualTo(200);
        }

        Http.Reply sixth = http.addTeamMember("org_hooli", "core", "fay");
        clock.set(until);
        Http.Reply seventh = http.addTeamMember("org_hooli", "core", "gus");

        assertThat(sixth.status()).isEqualTo(200);
        assertThat(sixth.body().get("maxTeamSize").asInt()).isEqualTo(10);
        assertThat(seventh.status()).isEqualTo(403);
        assertThat(seventh.body().toString())
                .isEqualTo("{\"error\":\"Team size limit reached\",\"teamSize\":6,\"maxTeamSize\":5,"
                        + "\"requested\":1,\"remaining\":0,\"reason\":\"default (override"
                        + " context.organization.id=org_hooli lapsed at 2027-01-01T00:00:00Z)\","
                        + "\"upgradeTo\":[{\"plan\":\"PRO\",\"maxTeamSize\":20},"
                        + "{\"plan\":\"ENTERPRISE\",\"maxTeamSize\":1000}],"
                        + "\"message\":\"Your team has reached the maximum size of 5 members. "
                        + "Upgrade to PRO to add more members.\"}");
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
        assertThat(refused.body().get("limit").asLong()).isEqualTo(2);
        assertThat(refused.body().get("used").asLong()).isEqualTo(2);
        java.time.Instant midnight = java.time.Instant.now()
                .truncatedTo(java.time.temporal.ChronoUnit.DAYS)
                .plus(java.time.Duration.ofDays(1));
        assertThat(refused.body().get("resetsAt").asText()).isEqualTo(midnight.toString());
        assertThat(http.get("/api/search?q=handbook", "org_hooli").status())
                .as("another organization has its own quota")
                .isEqualTo(200);
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

    /** The service on the example's own snapshot, the one built into the jar. */
    private Http startWithTheExampleSnapshot() {
        Tollgate tollgate = Tollgate.builder().logs(LogOptions.disabled()).build();
        assertThat(tollgate.revision()).as("the snapshot built in").isEqualTo(1);
        service = TeamService.start(tollgate, 0);
        return new Http(service.port());
    }

    /**
     * The service on the example's own snapshot as a newer revision than the one built in, with a trial for Hooli (10 members until 2027-01-01T00:00Z) beside
     * Initech's grant, read on {@code clock}.
     */
    private Http startWithAHooliTrial(Clock clock) throws Exception {
        String snapshot = Files.readString(Path.of("tollgate", "snapshot.json"), StandardCharsets.UTF_8)
                .replace("\"revision\": 1,", "\"revision\": 2,")
                .replace(
                        "{\"by\": \"context.organization.id\", \"values\": {\"org_initech\": 50}}",
                        "{\"by\": \"context.organization.id\", \"values\": {\"org_initech\": 50},"
                                + " \"rows\": {\"org_hooli\": {\"value\": 10, \"until\": \"2027-01-01T00:00:00Z\"}}}");
        assertThat(snapshot).contains("\"org_hooli\": {\"value\": 10");
        Tollgate tollgate =
                Tollgate.builder().clock(clock).logs(LogOptions.disabled()).build();
        assertThat(tollgate.loadSnapshot(snapshot).status())
                .as("newer than the snapshot built in")
                .isEqualTo(LoadResult.Status.INSTALLED);
        service = TeamService.start(tollgate, 0);
        return new Http(service.port());
    }
}
