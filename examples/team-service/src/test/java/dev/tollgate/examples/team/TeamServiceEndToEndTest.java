package dev.tollgate.examples.team;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The service as the README runs it: the snapshot baked in at build time, then the snapshot file beside it; editing the
 * file changes the limit for the next request, with no restart.
 */
class TeamServiceEndToEndTest {

    @Test
    void editingTheSnapshotFile_changesTheLimitWithoutARestart(@TempDir Path dir) throws Exception {
        Path snapshot = dir.resolve("snapshot.json");
        Files.copy(Path.of("tollgate", "snapshot.json"), snapshot);
        TeamService.Settings settings =
                TeamService.Settings.from(Map.of("PORT", "0", "TOLLGATE_SNAPSHOT_FILE", snapshot.toString()));
        try (TeamService service = TeamService.start(settings.tollgate(), 0)) {
            Http http = new Http(service.port());
            for (String user : new String[] {"ana", "ben", "cem", "dia", "eli"}) {
                assertThat(http.addTeamMember("org_hooli", "core", user).status())
                        .isEqualTo(200);
            }
            Http.Reply full = http.addTeamMember("org_hooli", "core", "fay");
            assertThat(full.status()).isEqualTo(403);
            assertThat(full.body().get("maxTeamSize").asInt()).isEqualTo(5);
            assertThat(full.body().get("upgradeTo").toString())
                    .isEqualTo(
                            "[{\"plan\":\"PRO\",\"maxTeamSize\":20},{\"plan\":\"ENTERPRISE\",\"maxTeamSize\":1000}]");

            String raised = Files.readString(snapshot, StandardCharsets.UTF_8)
                    .replace("\"revision\": 1,", "\"revision\": 2,")
                    .replace("{\"org_initech\": 50}", "{\"org_initech\": 50, \"org_hooli\": 8}");
            Path next = dir.resolve("snapshot.json.tmp");
            Files.writeString(next, raised, StandardCharsets.UTF_8);
            Files.move(next, snapshot, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);

            Http.Reply added = waitForStatus(http, 200, 5_000);
            assertThat(added.body().get("currentTeamSize").asInt()).isEqualTo(6);
            assertThat(added.body().get("maxTeamSize").asInt()).isEqualTo(8);
        }
    }

    @Test
    void withoutAFile_theBuildTimeSnapshotAnswers() throws Exception {
        TeamService.Settings settings =
                new TeamService.Settings(TeamService.DEFAULT_BIND, 0, null, null, null, "production");
        try (TeamService service = TeamService.start(settings.tollgate(), 0)) {
            Http http = new Http(service.port());

            Http.Reply pro = http.addTeamMember("org_globex", "design", "ana");
            Http.Reply trial = http.addTeamMember("org_initech", "design", "ana");

            assertThat(pro.body().get("maxTeamSize").asInt()).isEqualTo(20);
            assertThat(trial.body().get("maxTeamSize").asInt()).isEqualTo(50);
            assertThat(http.get("/api/documents/doc_1/history", "org_hooli").status())
                    .isEqualTo(200);
            assertThat(http.get("/api/documents/doc_1/history", "org_initech").status())
                    .isEqualTo(403);
        }
    }

    private static Http.Reply waitForStatus(Http http, int status, long timeoutMillis) throws Exception {
        long deadline = System.currentTimeMillis() + timeoutMillis;
        Http.Reply reply = http.addTeamMember("org_hooli", "core", "fay");
        while (reply.status() != status && System.currentTimeMillis() < deadline) {
            Thread.sleep(20);
            reply = http.addTeamMember("org_hooli", "core", "fay");
        }
        return reply;
    }
}
