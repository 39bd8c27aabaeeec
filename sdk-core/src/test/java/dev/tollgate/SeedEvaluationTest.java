package dev.tollgate;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SeedEvaluationTest {

    static Schema seedSchema() {
        try (InputStream in = SeedEvaluationTest.class.getResourceAsStream("/seed.graphql")) {
            return Schema.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8), "seed.graphql");
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void root_evaluatesOverridesRulesAndDefault() {
        Schema schema = seedSchema();
        TollgateClient client = TollgateClient.builder(schema).build();
        String snapshot =
                """
                {
                  "format": 1,
                  "revision": 3,
                  "schemaHash": "%s",
                  "fields": {
                    "entitlements.maxTeamSize": {
                      "overrides": [{"by": "context.organization.id", "values": {"org_42": 50}}],
                      "rules": [
                        {"id": "enterprise", "if": {"attribute": "context.organization.plan", "op": "eq", "value": "ENTERPRISE"}, "value": 1000},
                        {"id": "pro", "if": {"attribute": "context.organization.plan", "op": "in", "value": ["PRO"]}, "value": 20}
                      ],
                      "default": 5
                    }
                  }
                }
                """
                        .formatted(schema.hash());
        LoadResult result = client.loadSnapshot(snapshot);
        assertThat(result.status()).isEqualTo(LoadResult.Status.INSTALLED);

        UntypedRoot pro = client.root(context(schema, "org_1", "PRO"));
        UntypedRoot overridden = client.root(context(schema, "org_42", "FREE"));
        UntypedRoot free = client.root(context(schema, "org_2", "FREE"));

        assertThat(pro.intValue("entitlements.maxTeamSize", -1)).isEqualTo(20);
        assertThat(overridden.intValue("entitlements.maxTeamSize", -1)).isEqualTo(50);
        assertThat(free.intValue("entitlements.maxTeamSize", -1)).isEqualTo(5);
        assertThat(pro.detail("entitlements.maxTeamSize", Map.of(), -1).reason())
                .isEqualTo(Reason.rule("pro"));
        assertThat(overridden.detail("entitlements.maxTeamSize", Map.of(), -1).reason())
                .isEqualTo(Reason.override("context.organization.id=org_42"));
        assertThat(free.detail("entitlements.teamRolesEnabled", Map.of(), false)
                        .reason()
                        .fallbackCause())
                .isEqualTo(FallbackCause.NO_LOGIC);
    }

    private static DynamicInput context(Schema schema, String org, String plan) {
        return DynamicInput.context(
                schema, Map.of("organization", Map.of("id", org, "plan", plan), "user", Map.of("id", "u1")));
    }
}
