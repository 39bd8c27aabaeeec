package dev.tollgate.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.internal.schema.SchemaParser;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The schema as the dashboard reads it ({@code GET /v1/admin/schema}'s {@code fields}): here, metered fields. */
class SchemaJsonTest {
    private static final String SCHEMA = TestServers.SCHEMA
            .replace(
                    "maxApiRequestsPerDay(endpoint: String!): Int!",
                    "maxApiRequestsPerDay(endpoint: String!): Int! @metered(period: DAY, by: \"context.organization.id\")")
            .replace(
                    "versionHistoryEnabled: Boolean!",
                    "versionHistoryEnabled: Boolean!\n"
                            + "  maxExportsPerHour: Int! @metered(period: HOUR, by: \"context.user.id\")\n"
                            + "  maxSeatsPerMonth: Int! @metered(period: MONTH, by: \"context.organization.plan\")\n"
                            + "  maxCallsPerRollingDay: Int! @metered(period: DAY, by: \"context.organization.id\","
                            + " window: ROLLING)");

    private static Map<String, JsonNode> fields() {
        Map<String, JsonNode> byPath = new HashMap<>();
        for (JsonNode field : SchemaJson.fields(SchemaParser.parse(SCHEMA, "schema.graphql"))) {
            byPath.put(field.get("path").asText(), field);
        }
        return byPath;
    }

    @Test
    void fields_meteredField_carriesItsPeriodAndCountingAttribute() {
        Map<String, JsonNode> fields = fields();

        assertThat(fields.get("entitlements.maxApiRequestsPerDay")
                        .get("metered")
                        .toString())
                .isEqualTo("{\"period\":\"DAY\",\"by\":\"context.organization.id\"}");
        assertThat(fields.get("entitlements.maxExportsPerHour").get("metered").toString())
                .isEqualTo("{\"period\":\"HOUR\",\"by\":\"context.user.id\"}");
        assertThat(fields.get("entitlements.maxSeatsPerMonth").get("metered").toString())
                .isEqualTo("{\"period\":\"MONTH\",\"by\":\"context.organization.plan\"}");
        assertThat(fields.get("entitlements.maxCallsPerRollingDay")
                        .get("metered")
                        .toString())
                .isEqualTo("{\"period\":\"DAY\",\"by\":\"context.organization.id\",\"window\":\"ROLLING\"}");
    }

    @Test
    void fields_fieldsWithoutMetered_haveNoMeteredKey() {
        Map<String, JsonNode> fields = fields();

        for (String path : new String[] {"entitlements", "entitlements.maxTeamSize", "entitlements.teamRolesEnabled"}) {
            assertThat(fields.get(path).has("metered")).as(path).isFalse();
        }
        assertThat(fields.get("entitlements.maxTeamSize").toString())
                .isEqualTo("{\"path\":\"entitlements.maxTeamSize\",\"type\":\"Int!\",\"object\":false,"
                        + "\"description\":null,\"deprecationReason\":null,\"arguments\":[]}");
    }
}
