package dev.tollgate;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A generated snapshot with 100,000 override rows and a 10,000-entry {@code in} list loads and answers correctly. */
class LargeSnapshotTest {
    private static final int OVERRIDES = 100_000;
    private static final int IN_LIST = 10_000;

    private final Schema schema = SeedEvaluationTest.seedSchema();

    @Test
    void loadSnapshot_hundredThousandOverridesAndTenThousandEntryInList_evaluatesCorrectly() throws Exception {
        ObjectMapper mapper = new ObjectMapper();
        ObjectNode root = mapper.createObjectNode();
        root.put("format", 1).put("revision", 1).put("schemaHash", schema.hash());
        ObjectNode fields = root.putObject("fields");

        ObjectNode teamSize = fields.putObject("entitlements.maxTeamSize");
        ObjectNode rows = teamSize.putArray("overrides")
                .addObject()
                .put("by", "context.organization.id")
                .putObject("values");
        for (int i = 0; i < OVERRIDES; i++) {
            rows.put("org_" + i, 10 + i % 1_000);
        }
        teamSize.put("default", 5);

        ObjectNode roles = fields.putObject("entitlements.teamRolesEnabled");
        ObjectNode beta = roles.putArray("rules").addObject().put("id", "beta-users");
        ObjectNode condition =
                beta.putObject("if").put("attribute", "context.user.id").put("op", "in");
        ArrayNode users = condition.putArray("value");
        for (int i = 0; i < IN_LIST; i++) {
            users.add("user_" + (i * 7));
        }
        beta.put("value", true);
        roles.put("default", false);

        byte[] json = mapper.writeValueAsBytes(root);
        TollgateClient client = TollgateClient.builder(schema).build();

        LoadResult result = client.loadSnapshot(json);

        assertThat(result.installed()).isTrue();
        assertThat(json.length).isGreaterThan(1_500_000);
        for (int i = 0; i < OVERRIDES; i += 997) {
            UntypedRoot flags = client.root(context("org_" + i, "user_" + i));
            assertThat(flags.intValue("entitlements.maxTeamSize", -1))
                    .as("org_%d", i)
                    .isEqualTo(10 + i % 1_000);
            assertThat(flags.booleanValue("entitlements.teamRolesEnabled", false))
                    .as("user_%d", i)
                    .isEqualTo(i % 7 == 0 && i / 7 < IN_LIST);
        }
        UntypedRoot unknown = client.root(context("org_unknown", "user_70000"));
        assertThat(unknown.detail("entitlements.maxTeamSize", Map.of(), -1))
                .isEqualTo(EvaluationDetail.of(5, Reason.ofDefault(), 1));
        assertThat(unknown.detail("entitlements.teamRolesEnabled", Map.of(), false))
                .isEqualTo(EvaluationDetail.of(false, Reason.ofDefault(), 1));
        assertThat(client.root(context("org_99999", "user_69993"))
                        .detail("entitlements.teamRolesEnabled", Map.of(), false))
                .isEqualTo(EvaluationDetail.of(true, Reason.rule("beta-users"), 1));
        assertThat(client.root(context("org_99999", "u")).detail("entitlements.maxTeamSize", Map.of(), -1))
                .isEqualTo(EvaluationDetail.of(
                        10 + 99_999 % 1_000, Reason.override("context.organization.id=org_99999"), 1));
    }

    private DynamicInput context(String org, String user) {
        return DynamicInput.context(
                schema, Map.of("organization", Map.of("id", org, "plan", "FREE"), "user", Map.of("id", user)));
    }
}
