package dev.tollgate.examples.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import dev.tollgate.LogOptions;
import dev.tollgate.examples.spring.flags.Tollgate;
import dev.tollgate.spi.LogBatch;
import dev.tollgate.spring.boot.TollgateClientBuilderCustomizer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.autoconfigure.web.servlet.AutoConfigureMockMvc;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.test.web.servlet.MockMvc;

/**
 * The whole application on the starter, with the build-time snapshot (the plain example's logic): the README's
 * walkthrough, the actuator's view of the client, and the logs flushed after each request.
 */
@SpringBootTest
@AutoConfigureMockMvc
class SpringTeamServiceTest {
    /** The seed's 403 for a sixth member of a Free team, byte for byte as the README shows it. */
    static final String SIXTH_MEMBER_REFUSED =
            """
            {
              "error" : "Team size limit reached",
              "teamSize" : 5,
              "maxTeamSize" : 5,
              "requested" : 1,
              "remaining" : 0,
              "reason" : "default",
              "upgradeTo" : [ {
                "plan" : "PRO",
                "maxTeamSize" : 20
              }, {
                "plan" : "ENTERPRISE",
                "maxTeamSize" : 1000
              } ],
              "message" : "Your team has reached the maximum size of 5 members. Upgrade to PRO to add more members."
            }""";

    static final List<LogBatch> BATCHES = new CopyOnWriteArrayList<>();

    @TestConfiguration
    static class CapturedLogs {
        /**
         * Batches go to a list instead of the application's log, so the test can read what was flushed, and the
         * background flush waits ten minutes, so that only the interceptor's flushLogs() can deliver within a test.
         */
        @Bean
        TollgateClientBuilderCustomizer captureLogs() {
            return builder -> builder.logs(LogOptions.builder()
                    .sink(batch -> {
                        BATCHES.add(batch);
                        return CompletableFuture.completedFuture(null);
                    })
                    .flushInterval(Duration.ofMinutes(10))
                    .build());
        }
    }

    @Autowired
    private MockMvc mvc;

    @Autowired
    private Tollgate tollgate;

    @Test
    void addTeamMember_sixthMemberOfAFreeTeam_getsTheSeeds403() throws Exception {
        for (String user : new String[] {"ana", "ben", "cem", "dia", "eli"}) {
            addTeamMember("org_hooli", "core", user).andExpect(status().isOk());
        }

        String body = addTeamMember("org_hooli", "core", "fay")
                .andExpect(status().isForbidden())
                .andReturn()
                .getResponse()
                .getContentAsString();

        assertThat(body).isEqualTo(SIXTH_MEMBER_REFUSED);
    }

    @Test
    void addTeamMember_initechsOverride_allowsFifty() throws Exception {
        addTeamMember("org_initech", "core", "ana")
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.maxTeamSize").value(50));
    }

    @Test
    void addTeamMember_afterTheRequest_flushesItsEvaluation() throws Exception {
        addTeamMember("org_globex", "flush", "ana").andExpect(status().isOk());

        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (countOf("entitlements.maxTeamSize", "rule:pro") == 0 && System.nanoTime() < deadline) {
            Thread.sleep(10); // a flush that follows a burst may wait up to 5 s, the SDK's rate limit
        }
        assertThat(countOf("entitlements.maxTeamSize", "rule:pro"))
                .as("the interceptor's flushLogs() delivered the evaluation, not the background flush")
                .isGreaterThanOrEqualTo(1);
    }

    @Test
    void readiness_includesTollgate_andLivenessDoesNot() throws Exception {
        mvc.perform(get("/actuator/health/readiness"))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.components.tollgate.status").value("UP"))
                .andExpect(jsonPath("$.components.tollgate.details.state").value("VALID"))
                .andExpect(jsonPath("$.components.tollgate.details.revision").value(1));
        mvc.perform(get("/actuator/health/liveness"))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.components.livenessState.status").value("UP"))
                .andExpect(jsonPath("$.components.tollgate").doesNotExist());
    }

    @Test
    void tollgateEndpoint_showsTheBuildTimeSnapshot() throws Exception {
        mvc.perform(get("/actuator/tollgate"))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.state").value("VALID"))
                .andExpect(jsonPath("$.revision").value(1))
                .andExpect(jsonPath("$.schemaHash").value(Tollgate.SCHEMA_HASH))
                .andExpect(jsonPath("$.source").value("embedded(" + Tollgate.BUILD_TIME_SNAPSHOT_RESOURCE + ")"))
                .andExpect(content().string(org.hamcrest.Matchers.containsString("\"lastError\" : null")));
        assertThat(tollgate.revision()).isEqualTo(1);
    }

    private static long countOf(String field, String outcome) {
        return BATCHES.stream()
                .flatMap(batch -> batch.evaluations().stream())
                .filter(count -> count.field().equals(field) && count.outcome().equals(outcome))
                .mapToLong(LogBatch.EvaluationCount::count)
                .sum();
    }

    private org.springframework.test.web.servlet.ResultActions addTeamMember(
            String organization, String team, String user) throws Exception {
        return mvc.perform(post("/api/add-team-member")
                .header("X-Organization-Id", organization)
                .content("{\"userId\": \"" + user + "\", \"teamId\": \"" + team + "\"}"));
    }
}
