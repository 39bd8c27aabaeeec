package dev.tollgate.examples.spring;

import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import dev.tollgate.examples.spring.flags.Tollgate;
import dev.tollgate.examples.spring.flags.TollgateTestKit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.autoconfigure.web.servlet.WebMvcTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.http.MediaType;
import org.springframework.test.json.JsonCompareMode;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.ResultActions;

/** The route against entitlements set with the generated test kit: no snapshot, no JSON, no network. */
@WebMvcTest(TeamController.class)
class TeamControllerTest {
    @TestConfiguration
    static class Entitlements {
        /** Every organization, whatever its plan, may have two members. */
        @Bean
        TollgateTestKit kit() {
            return TollgateTestKit.builder().entitlements(e -> e.maxTeamSize(2)).build();
        }

        @Bean
        Tollgate tollgate(TollgateTestKit kit) {
            return kit.tollgate();
        }
    }

    @Autowired
    private MockMvc mvc;

    @Autowired
    private TollgateTestKit kit;

    /** The context, its kit and its teams are shared by the tests: each starts from the kit's values, in a team of its own. */
    @BeforeEach
    void resetTheKit() {
        kit.reset();
    }

    @Test
    void addTeamMember_belowTheKitsLimit_adds() throws Exception {
        addTeamMember("org_hooli", "core", "ana").andExpect(status().isOk());

        addTeamMember("org_hooli", "core", "ben")
                .andExpect(status().isOk())
                .andExpect(content()
                        .json(
                                "{\"success\":true,\"currentTeamSize\":2,\"maxTeamSize\":2,"
                                        + "\"result\":{\"teamId\":\"core\",\"userId\":\"ben\",\"members\":[\"ana\",\"ben\"]}}",
                                JsonCompareMode.STRICT));
    }

    @Test
    void addTeamMember_teamAtTheKitsLimit_gets403WithNoPlanToUpgradeTo() throws Exception {
        addTeamMember("org_globex", "design", "ana").andExpect(status().isOk());
        addTeamMember("org_globex", "design", "ben").andExpect(status().isOk());

        addTeamMember("org_globex", "design", "cem")
                .andExpect(status().isForbidden())
                .andExpect(content()
                        .json(
                                "{\"error\":\"Team size limit reached\",\"teamSize\":2,\"maxTeamSize\":2,"
                                        + "\"requested\":1,\"remaining\":0,\"reason\":\"default\",\"upgradeTo\":[],"
                                        + "\"message\":\"Your team has reached the maximum size of 2 members. "
                                        + "Contact sales to raise the limit.\"}",
                                JsonCompareMode.STRICT));
    }

    @Test
    void addTeamMember_limitRaisedWhileRunning_nextRequestGetsIn() throws Exception {
        addTeamMember("org_umbrella", "ops", "ana").andExpect(status().isOk());
        addTeamMember("org_umbrella", "ops", "ben").andExpect(status().isOk());
        addTeamMember("org_umbrella", "ops", "cem").andExpect(status().isForbidden());

        kit.update(values -> values.entitlements(e -> e.maxTeamSize(3)));

        addTeamMember("org_umbrella", "ops", "cem")
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.currentTeamSize").value(3))
                .andExpect(jsonPath("$.maxTeamSize").value(3));
    }

    @Test
    void addTeamMember_bodySentAsAFormLikeCurlDoes_isReadAsJson() throws Exception {
        mvc.perform(post("/api/add-team-member")
                        .header("X-Organization-Id", "org_hooli")
                        .contentType(MediaType.APPLICATION_FORM_URLENCODED)
                        .content("{\"userId\": \"ana\", \"teamId\": \"form\"}"))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.result.members[0]").value("ana"));
    }

    @Test
    void addTeamMember_memberAlreadyIn_gets409() throws Exception {
        addTeamMember("org_initech", "ops", "ana").andExpect(status().isOk());

        addTeamMember("org_initech", "ops", "ana")
                .andExpect(status().isConflict())
                .andExpect(jsonPath("$.error").value("Already a member"))
                .andExpect(jsonPath("$.message").value("ana is already a member of team ops."));
    }

    @Test
    void addTeamMember_unknownOrganization_gets401NamingTheHeader() throws Exception {
        addTeamMember("org_nobody", "core", "ana")
                .andExpect(status().isUnauthorized())
                .andExpect(jsonPath("$.error").value("Unknown organization"))
                .andExpect(jsonPath("$.message")
                        .value("Send the X-Organization-Id header with one of org_hooli, org_initech, org_globex,"
                                + " org_umbrella."));
    }

    @Test
    void addTeamMember_bodyWithoutTeamId_gets400() throws Exception {
        mvc.perform(post("/api/add-team-member")
                        .header("X-Organization-Id", "org_hooli")
                        .contentType(MediaType.APPLICATION_JSON)
                        .content("{\"userId\": \"ana\"}"))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.message")
                        .value("The body must be a JSON object with string fields userId and teamId."));
    }

    private ResultActions addTeamMember(String organization, String team, String user) throws Exception {
        return mvc.perform(post("/api/add-team-member")
                .header("X-Organization-Id", organization)
                .contentType(MediaType.APPLICATION_JSON)
                .content("{\"userId\": \"" + user + "\", \"teamId\": \"" + team + "\"}"));
    }
}
