package dev.tollgate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.tollgate.testing.SnapshotBuilder;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SnapshotValidationTest {
    private final Schema schema = SeedEvaluationTest.seedSchema();

    @Test
    void loadSnapshot_everyProblemInOnePass_withPathsAndCauses() {
        String bad =
                """
                {
                  "format": 1,
                  "revision": 9,
                  "schemaHash": "%s",
                  "segments": {
                    "loopA": {"if": {"segment": "loopB"}},
                    "loopB": {"if": {"segment": "loopA"}}
                  },
                  "fields": {
                    "entitlements.maxTeamSize": {
                      "rules": [
                        {"id": "pro", "if": {"attribute": "context.organization.plan", "op": "eq", "value": "GOLD"}, "value": "twenty"},
                        {"id": "mail", "if": {"attribute": "context.user.email", "op": "endsWith", "value": "@acme.com"}, "value": 3},
                        {"id": "re", "if": {"attribute": "context.user.id", "op": "matches", "value": "(a"}, "value": 3},
                        {"id": "lt", "if": {"attribute": "context.organization.plan", "op": "lt", "value": "PRO"}, "value": 3}
                      ],
                      "default": 5
                    },
                    "entitlements.maxApiRequestsPerDay": {
                      "rules": [{"id": "search", "if": {"attribute": "args.path", "op": "eq", "value": "/search"}, "value": 10}]
                    },
                    "entitlements.nope": {"default": 1}
                  }
                }
                """
                        .formatted(schema.hash());
        TollgateClient client = TollgateClient.builder(schema).build();

        InvalidSnapshotException error =
                catchThrowableOfType(InvalidSnapshotException.class, () -> client.loadSnapshot(bad));

        assertThat(error.problems())
                .extracting(SnapshotProblem::toString)
                .containsExactly(
                        "segments: loopB: if: segment: segment cycle: loopA -> loopB -> loopA",
                        "entitlements.maxTeamSize: rule \"pro\": if: eq: value \"GOLD\" is not a value of enum Plan (FREE, PRO, ENTERPRISE)",
                        "entitlements.maxTeamSize: rule \"pro\": value \"twenty\" is not an Int",
                        "entitlements.maxTeamSize: rule \"mail\": if: attribute: unknown attribute context.user.email; Context has context.organization.id, context.organization.plan, context.user.id",
                        "entitlements.maxTeamSize: rule \"re\": if: matches: invalid pattern \"(a\": missing closing )",
                        "entitlements.maxTeamSize: rule \"lt\": if: lt: operator lt does not apply to context.organization.plan of type Plan!; it applies to Int, Float and String attributes",
                        "entitlements.maxApiRequestsPerDay: rule \"search\": if: attribute: unknown attribute args.path; entitlements.maxApiRequestsPerDay has args.endpoint",
                        "entitlements.nope: unknown field path; the schema has no field entitlements.nope");
        assertThat(error.getMessage()).startsWith("invalid snapshot (8 problems):\n");
    }

    @Test
    void loadSnapshot_softLimitNotABoolean_orOnAFieldWithoutMetered_isAProblemAtItsPath() {
        Schema metering = MeteringFixtures.SCHEMA;
        String bad = MeteringFixtures.snapshot(
                1,
                """
                "entitlements.maxApiRequestsPerDay": {
                  "softLimit": "yes",
                  "rules": [{"id": "pro", "if": {"attribute": "context.organization.plan", "op": "eq", "value": "PRO"},
                             "value": 3, "softLimit": 1},
                            {"id": "free", "if": {"attribute": "context.organization.plan", "op": "eq", "value": "FREE"},
                             "value": 1, "softLimit": null}],
                  "default": 10},
                "entitlements.maxTeamSize": {
                  "softLimit": true,
                  "rules": [{"id": "pro", "if": {"attribute": "context.organization.plan", "op": "eq", "value": "PRO"},
                             "value": 3, "softLimit": false}],
                  "default": 5},
                "entitlements.seatsPerMonth": {"softLimit": false, "default": 5}""");
        TollgateClient client = TollgateClient.builder(metering).build();

        InvalidSnapshotException error =
                catchThrowableOfType(InvalidSnapshotException.class, () -> client.loadSnapshot(bad));

        assertThat(error.problems())
                .extracting(SnapshotProblem::toString)
                .containsExactly(
                        "entitlements.maxApiRequestsPerDay: softLimit: expected true or false but found \"yes\"",
                        "entitlements.maxApiRequestsPerDay: rule \"pro\": softLimit: expected true or false but found 1",
                        "entitlements.maxApiRequestsPerDay: rule \"free\": softLimit: expected true or false but found null",
                        "entitlements.maxTeamSize: softLimit: softLimit applies to metered fields, but entitlements.maxTeamSize has no @metered in the schema",
                        "entitlements.maxTeamSize: rule \"pro\": softLimit: softLimit applies to metered fields, but entitlements.maxTeamSize has no @metered in the schema");
        assertThat(client.isReady()).isFalse();
    }

    @Test
    void loadSnapshot_softLimitOnMeteredFieldsAndTheirRules_installs() {
        TollgateClient client = TollgateClient.builder(MeteringFixtures.SCHEMA).build();

        client.loadSnapshot(
                MeteringFixtures.snapshot(
                        7,
                        """
                "entitlements.maxApiRequestsPerDay": {"softLimit": false,
                  "rules": [{"id": "pro", "if": {"attribute": "context.organization.plan", "op": "eq", "value": "PRO"},
                             "value": 3, "softLimit": true}],
                  "default": 10},
                "entitlements.seatsPerMonth": {"softLimit": true, "default": 5}"""));

        assertThat(client.revision()).isEqualTo(7);
    }

    @Test
    void loadSnapshot_invalidAfterValid_keepsTheLastGoodSnapshot() {
        TollgateClient client = SnapshotBuilder.forSchema(schema)
                .revision(4)
                .value("entitlements.maxTeamSize", 20)
                .newClient();
        String wrongType = SnapshotBuilder.forSchema(schema)
                .revision(5)
                .value("entitlements.maxTeamSize", true)
                .toJson();

        InvalidSnapshotException error =
                catchThrowableOfType(InvalidSnapshotException.class, () -> client.loadSnapshot(wrongType));

        assertThat(error).hasMessage("invalid snapshot: entitlements.maxTeamSize: default: value true is not an Int");
        assertThat(client.revision()).isEqualTo(4);
        assertThat(client.root(context()).intValue("entitlements.maxTeamSize", -1))
                .isEqualTo(20);
    }

    @Test
    void loadSnapshot_malformedJson_namesLineAndColumn() {
        TollgateClient client = TollgateClient.builder(schema).build();

        InvalidSnapshotException error = catchThrowableOfType(
                InvalidSnapshotException.class, () -> client.loadSnapshot("{\n  \"format\": 1,\n  \"revision\": }"));

        assertThat(error.getMessage())
                .startsWith("invalid snapshot: snapshot is not valid JSON at line 3, column 15: ");
        assertThat(client.isReady()).isFalse();
    }

    @Test
    void loadSnapshot_duplicateOverrideKey_isRejectedNotSilentlyMerged() {
        TollgateClient client = TollgateClient.builder(schema).build();
        String duplicate =
                """
                {"format": 1, "revision": 1, "schemaHash": "%s", "fields": {"entitlements.maxTeamSize": {
                  "overrides": [{"by": "context.organization.id", "values": {"org_1": 10, "org_1": 20}}]}}}
                """
                        .formatted(schema.hash());

        InvalidSnapshotException error =
                catchThrowableOfType(InvalidSnapshotException.class, () -> client.loadSnapshot(duplicate));

        assertThat(error.getMessage()).contains("Duplicate field 'org_1'");
        assertThat(error.getMessage())
                .isEqualTo(
                        "invalid snapshot: snapshot is not valid JSON at line 2, column 82: Duplicate field 'org_1'");
        assertThat(client.isReady()).isFalse();
    }

    @Test
    void loadSnapshot_duplicateKeyInRows_isRejectedAndTheLastGoodSnapshotStays() {
        TollgateClient client = TollgateClient.builder(schema).build();
        client.loadSnapshot(
                """
                {"format": 1, "revision": 1, "schemaHash": "%s", "fields": {"entitlements.maxTeamSize": {
                  "overrides": [{"by": "context.organization.id", "values": {"org_1": 10}}]}}}
                """
                        .formatted(schema.hash()));
        String duplicate =
                """
                {"format": 1, "revision": 2, "schemaHash": "%s", "fields": {"entitlements.maxTeamSize": {
                  "overrides": [{"by": "context.organization.id", "values": {"org_2": 30},
                    "rows": {"org_1": {"value": 10}, "org_3": {"value": 5}, "org_1": {"value": 20}}}]}}}
                """
                        .formatted(schema.hash());

        InvalidSnapshotException error =
                catchThrowableOfType(InvalidSnapshotException.class, () -> client.loadSnapshot(duplicate));

        assertThat(error.getMessage())
                .isEqualTo(
                        "invalid snapshot: snapshot is not valid JSON at line 3, column 68: Duplicate field 'org_1'");
        assertThat(client.revision()).isEqualTo(1);
    }

    @Test
    void loadSnapshot_duplicateNameInsideARowOrNextToTheRows_isRefusedByTheParser() {
        TollgateClient client = TollgateClient.builder(schema).build();
        String insideRow =
                """
                {"format": 1, "revision": 1, "schemaHash": "%s", "fields": {"entitlements.maxTeamSize": {
                  "overrides": [{"by": "context.organization.id", "rows": {"org_1": {"value": 10, "value": 20}}}]}}}
                """
                        .formatted(schema.hash());
        String nextToRows =
                """
                {"format": 1, "revision": 1, "schemaHash": "%s", "fields": {"entitlements.maxTeamSize": {
                  "overrides": [{"by": "context.organization.id", "values": {"org_1": 10}, "values": {"org_2": 20}}]}}}
                """
                        .formatted(schema.hash());

        InvalidSnapshotException inRow =
                catchThrowableOfType(InvalidSnapshotException.class, () -> client.loadSnapshot(insideRow));
        InvalidSnapshotException beside =
                catchThrowableOfType(InvalidSnapshotException.class, () -> client.loadSnapshot(nextToRows));

        assertThat(inRow.getMessage())
                .isEqualTo(
                        "invalid snapshot: snapshot is not valid JSON at line 2, column 90: Duplicate field 'value'");
        assertThat(beside.getMessage())
                .isEqualTo(
                        "invalid snapshot: snapshot is not valid JSON at line 2, column 84: Duplicate field 'values'");
        assertThat(client.isReady()).isFalse();
    }

    @Test
    void loadSnapshot_wrongValueDeepInAHundredThousandRows_isNamedWithItsKey() {
        StringBuilder values = new StringBuilder();
        for (int i = 0; i < 100_000; i++) {
            values.append(i == 0 ? "" : ", ").append("\"org_").append(i).append("\": ");
            values.append(i == 73_456 ? "\"ten\"" : String.valueOf(10 + i % 7));
        }
        String bad =
                """
                {"format": 1, "revision": 1, "schemaHash": "%s", "fields": {"entitlements.maxTeamSize": {
                  "overrides": [{"by": "context.organization.id", "values": {%s}}]}}}
                """
                        .formatted(schema.hash(), values);
        TollgateClient client = TollgateClient.builder(schema).build();

        InvalidSnapshotException error =
                catchThrowableOfType(InvalidSnapshotException.class, () -> client.loadSnapshot(bad));

        assertThat(error.problems())
                .extracting(SnapshotProblem::toString)
                .containsExactly(
                        "entitlements.maxTeamSize: overrides[0]: key \"org_73456\": value \"ten\" is not an Int");
        assertThat(client.isReady()).isFalse();
    }

    @Test
    void loadSnapshot_capsExceeded_nameTheCap() {
        SnapshotLimits small = SnapshotLimits.builder()
                .maxListLength(2)
                .maxRulesPerField(1)
                .maxBytes(2_000)
                .build();
        TollgateClient client = TollgateClient.builder(schema).limits(small).build();
        String json =
                """
                {"format": 1, "revision": 1, "schemaHash": "%s", "fields": {
                  "entitlements.maxTeamSize": {"rules": [
                    {"id": "a", "if": {"attribute": "context.user.id", "op": "in", "value": ["x", "y", "z"]}, "value": 1},
                    {"id": "b", "value": 2}]}}}
                """
                        .formatted(schema.hash());

        InvalidSnapshotException error =
                catchThrowableOfType(InvalidSnapshotException.class, () -> client.loadSnapshot(json));
        InvalidSnapshotException tooLarge =
                catchThrowableOfType(InvalidSnapshotException.class, () -> client.loadSnapshot(" ".repeat(2_001)));

        assertThat(error)
                .hasMessage("invalid snapshot: entitlements.maxTeamSize: rules: 2 rules exceed the limit of 1");
        assertThat(tooLarge).hasMessage("invalid snapshot: snapshot is larger than the limit of 2000 bytes");
    }

    /** Regression: these messages used to name Jackson's {@code StreamReadConstraints}, which users cannot set. */
    @Test
    void loadSnapshot_nestedTooDeep_orAStringTooLong_namesTheSnapshotLimitAndItsSetter() {
        SnapshotLimits small =
                SnapshotLimits.builder().maxNestingDepth(4).maxStringLength(10).build();
        TollgateClient client = TollgateClient.builder(schema).limits(small).build();

        InvalidSnapshotException deep = catchThrowableOfType(
                InvalidSnapshotException.class, () -> client.loadSnapshot("{\"meta\": {\"a\": {\"b\": {\"c\": {}}}}}"));
        InvalidSnapshotException longString = catchThrowableOfType(
                InvalidSnapshotException.class, () -> client.loadSnapshot("{\"meta\": {\"note\": \"abcdefghijk\"}}"));
        InvalidSnapshotException longNumber = catchThrowableOfType(
                InvalidSnapshotException.class, () -> client.loadSnapshot("{\"revision\": " + "9".repeat(65) + "}"));

        assertThat(deep)
                .hasMessage("invalid snapshot: snapshot exceeds a limit: nests 5 levels deep at line 1, column 29,"
                        + " past SnapshotLimits.maxNestingDepth (4); raise it with"
                        + " SnapshotLimits.Builder.maxNestingDepth(int)");
        assertThat(longString)
                .hasMessage("invalid snapshot: snapshot exceeds a limit: has a string of 11 characters at line 1,"
                        + " column 32, past SnapshotLimits.maxStringLength (10); raise it with"
                        + " SnapshotLimits.Builder.maxStringLength(int)");
        assertThat(longNumber)
                .hasMessage("invalid snapshot: snapshot exceeds a limit: has a number of 65 characters at line 1,"
                        + " column 79, past the limit of 64 characters for a number");
    }

    @Test
    void loadSnapshot_olderRevision_isIgnored() {
        TollgateClient client = SnapshotBuilder.forSchema(schema)
                .revision(7)
                .value("entitlements.maxTeamSize", 7)
                .newClient();

        LoadResult older = SnapshotBuilder.forSchema(schema)
                .revision(6)
                .value("entitlements.maxTeamSize", 6)
                .installInto(client);
        LoadResult same = SnapshotBuilder.forSchema(schema)
                .revision(7)
                .value("entitlements.maxTeamSize", 8)
                .installInto(client);

        assertThat(older.status()).isEqualTo(LoadResult.Status.OLDER_IGNORED);
        assertThat(same.status()).isEqualTo(LoadResult.Status.UNCHANGED);
        assertThat(client.root(context()).intValue("entitlements.maxTeamSize", -1))
                .isEqualTo(7);
    }

    private DynamicInput context() {
        return DynamicInput.context(
                schema, Map.of("organization", Map.of("id", "org_1", "plan", "PRO"), "user", Map.of("id", "u1")));
    }
}
