package dev.tollgate.codegen;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.Schema;
import dev.tollgate.SnapshotProblem;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class SnapshotValidatorTest {
    private static final Schema SCHEMA = Schema.parse(TestSchemas.resource("schemas/seed.graphql"), "seed");

    private static byte[] snapshot(String hash, String fields) {
        return ("{\"format\": 1, \"revision\": 9, \"schemaHash\": \"" + hash + "\", \"fields\": {" + fields + "}}")
                .getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void validSnapshot_hasNoProblems() {
        SnapshotValidator.ValidationResult result = SnapshotValidator.validate(
                SCHEMA, snapshot(SCHEMA.hash(), "\"entitlements.maxTeamSize\": {\"default\": 5}"));

        assertThat(result.valid()).isTrue();
        assertThat(result.revision()).isEqualTo(9);
        assertThat(result.schemaHash()).isEqualTo(SCHEMA.hash());
        assertThat(result.warnings()).isEmpty();
    }

    @Test
    void invalidSnapshot_listsEveryProblemWithItsPath() {
        SnapshotValidator.ValidationResult result = SnapshotValidator.validate(
                SCHEMA,
                snapshot(
                        SCHEMA.hash(),
                        "\"entitlements.maxTeamSize\": {\"default\": \"big\"}, \"entitlements.nope\": {\"default\": 1}"));

        assertThat(result.valid()).isFalse();
        assertThat(result.problems())
                .extracting(SnapshotProblem::path)
                .containsExactly("entitlements.maxTeamSize: default", "entitlements.nope");
        assertThat(result.revision()).isZero();
    }

    @Test
    void snapshotForAnotherSchemaVersion_isValidWithAWarning() {
        String other = "sha256:" + "0".repeat(64);

        SnapshotValidator.ValidationResult result =
                SnapshotValidator.validate(SCHEMA, snapshot(other, "\"entitlements.maxTeamSize\": {\"default\": 5}"));

        assertThat(result.valid()).isTrue();
        assertThat(result.warnings()).singleElement().asString().startsWith("the snapshot declares schema " + other);
    }

    @Test
    void malformedJson_isAProblem() {
        SnapshotValidator.ValidationResult result =
                SnapshotValidator.validate(SCHEMA, "{not json".getBytes(StandardCharsets.UTF_8));

        assertThat(result.valid()).isFalse();
        assertThat(result.problems()).hasSize(1);
    }
}
