package dev.tollgate.examples.team;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tollgate.server.ServerConfig;
import dev.tollgate.server.TollgateServer;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's trial, end to end: the service follows a real Tollgate server; sales grants Hooli (a Free organization,
 * 5 members) a bigger team until two seconds from now through the admin API; the 6th member is accepted, and once the
 * instant has passed a 6th member is refused with a 403 naming the limit and the plan that would allow it. The server
 * sends nothing when the grant lapses: the service's client judges the window itself.
 */
class TeamServiceTrialTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ADMIN_TOKEN = "tga_trial-test-admin-token-0123456789abcdefghijklmno";
    private static final String FIELD = "/v1/admin/environments/production/fields/entitlements.maxTeamSize";
    private static final String HOOLI = FIELD + "/overrides/context.organization.id/org_hooli";
    private static final Duration TRIAL = Duration.ofSeconds(2);

    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    void aTrialGrantThroughTheAdminApi_acceptsThe6thMember_thenRefusesOneAfterItsUntil(@TempDir Path dir)
            throws Exception {
        ServerConfig config = ServerConfig.builder()
                .bind("127.0.0.1")
                .port(0)
                .dataDir(dir)
                .initialAdminToken(ADMIN_TOKEN)
                .initialEnvironments(List.of("production"))
                .build();
        try (TollgateServer server = TollgateServer.start(config)) {
            String base = server.url();
            long revision = setUp(base);
            String sdkToken = admin(
                            base,
                            "POST",
                            "/v1/admin/tokens",
                            null,
                            """
                            {"name": "team-service", "kind": "sdk", "environment": "production"}""")
                    .get("token")
                    .asText();
            TeamService.Settings settings =
                    new TeamService.Settings(TeamService.DEFAULT_BIND, 0, null, base, sdkToken, "production");
            try (TeamService service = TeamService.start(settings.tollgate(), 0)) {
                Http team = new Http(service.port());
                for (String user : List.of("ana", "ben", "cem", "dia", "eli")) {
                    assertThat(team.addTeamMember("org_hooli", "core", user).status())
                            .isEqualTo(200);
                    assertThat(team.addTeamMember("org_hooli", "design", user).status())
                            .isEqualTo(200);
                }
                assertThat(team.addTeamMember("org_hooli", "core", "fay").status())
                        .as("before the trial, Free's 5")
                        .isEqualTo(403);

                Instant until = null;
                Http.Reply sixth = null;
                // The grant lasts two seconds; on a machine too loaded to deliver it in time, grant it again.
                for (int attempt = 0; attempt < 3 && (sixth == null || sixth.status() != 200); attempt++) {
                    until = Instant.now().plus(TRIAL).truncatedTo(ChronoUnit.MILLIS);
                    revision = admin(
                                    base,
                                    "PUT",
                                    HOOLI,
                                    revision,
                                    """
                                    {"value": 10, "until": "%s", "message": "two-second trial, SALES-12"}"""
                                            .formatted(until))
                            .get("revision")
                            .asLong();
                    sixth = addUntil(team, "core", "fay", until);
                }

                assertThat(sixth.status()).as(sixth.toString()).isEqualTo(200);
                assertThat(sixth.body().get("currentTeamSize").asInt()).isEqualTo(6);
                assertThat(sixth.body().get("maxTeamSize").asInt()).isEqualTo(10);

                sleepPast(until);
                Http.Reply refused = team.addTeamMember("org_hooli", "design", "fay");

                assertThat(refused.status()).as(refused.toString()).isEqualTo(403);
                JsonNode body = refused.body();
                assertThat(body.get("error").asText()).isEqualTo("Team size limit reached");
                assertThat(body.get("teamSize").asInt()).isEqualTo(5);
                assertThat(body.get("maxTeamSize").asInt()).isEqualTo(5);
                assertThat(body.get("requested").asInt()).isEqualTo(1);
                assertThat(body.get("remaining").asInt()).isZero();
                assertThat(body.get("upgradeTo")).hasSize(2);
                assertThat(body.at("/upgradeTo/0/plan").asText()).isEqualTo("PRO");
                assertThat(body.at("/upgradeTo/0/maxTeamSize").asInt()).isEqualTo(20);
                assertThat(body.at("/upgradeTo/1/plan").asText()).isEqualTo("ENTERPRISE");
                assertThat(body.at("/upgradeTo/1/maxTeamSize").asInt()).isEqualTo(1000);
                assertThat(body.get("message").asText())
                        .isEqualTo("Your team has reached the maximum size of 5 members. Upgrade to PRO to add more"
                                + " members.");
                assertThat(admin(base, "GET", "/v1/admin/environments/production", null, null)
                                .get("revision")
                                .asLong())
                        .as("no revision was made for the lapse")
                        .isEqualTo(revision);
            }
        }
    }

    /** Uploads the example's schema and the plan's team sizes; answers the revision they made. */
    private long setUp(String base) throws IOException, InterruptedException {
        String schema = Files.readString(Path.of("src", "main", "tollgate", "schema.graphql"));
        admin(base, "PUT", "/v1/admin/schema", 0L, schema);
        long revision = admin(base, "GET", "/v1/admin/environments/production", null, null)
                .get("revision")
                .asLong();
        return admin(
                        base,
                        "PUT",
                        FIELD,
                        revision,
                        """
                        {"rules": [
                          {"id": "enterprise", "if": {"attribute": "context.organization.plan", "op": "eq",
                            "value": "ENTERPRISE"}, "value": 1000},
                          {"id": "pro", "if": {"attribute": "context.organization.plan", "op": "eq",
                            "value": "PRO"}, "value": 20}],
                         "default": 5}""")
                .get("revision")
                .asLong();
    }

    /** Adds {@code user} to {@code teamId} until it is accepted or {@code until} has passed; answers the last reply. */
    private static Http.Reply addUntil(Http team, String teamId, String user, Instant until)
            throws IOException, InterruptedException {
        Http.Reply reply = team.addTeamMember("org_hooli", teamId, user);
        while (reply.status() != 200 && Instant.now().isBefore(until)) {
            Thread.sleep(10);
            reply = team.addTeamMember("org_hooli", teamId, user);
        }
        return reply;
    }

    private static void sleepPast(Instant until) throws InterruptedException {
        long millis = Duration.between(Instant.now(), until).toMillis() + 1;
        if (millis > 0) {
            Thread.sleep(millis);
        }
    }

    private JsonNode admin(String base, String method, String path, Long ifMatch, String body)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path))
                .timeout(Duration.ofSeconds(10))
                .header("Authorization", "Bearer " + ADMIN_TOKEN)
                .method(
                        method,
                        body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (ifMatch != null) {
            request.header("If-Match", "\"" + ifMatch + "\"");
        }
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode())
                .as(method + " " + path + ": " + response.body())
                .isBetween(200, 201);
        return JSON.readTree(response.body());
    }
}
