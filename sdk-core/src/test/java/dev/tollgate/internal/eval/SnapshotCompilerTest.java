package dev.tollgate.internal.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.tollgate.InvalidSnapshotException;
import dev.tollgate.SnapshotLimits;
import dev.tollgate.internal.schema.SchemaModel;
import dev.tollgate.internal.schema.SchemaParser;
import java.nio.charset.StandardCharsets;
import java.util.IdentityHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What {@link SnapshotCompiler} makes of a valid snapshot; its problems are in the client's validation tests. */
class SnapshotCompilerTest {
    private static final SchemaModel SCHEMA = SchemaParser.parse(
            """
            input Context { org: String  tier: Int }
            type Root { a: Int!  b: Int!  c: Int!  d: Int! }
            """,
            "compiler.graphql");

    @Test
    void compile_tablesWithTheSameKeysInAnyOrder_shareOneInstancePerKey() {
        String json =
                """
                {"format": 1, "revision": 1, "schemaHash": "%s", "fields": {
                  "a": {"overrides": [{"by": "context.org", "values": {"x1": 1, "x2": 2, "x3": 3}}]},
                  "b": {"overrides": [{"by": "context.org", "values": {"x1": 4, "x2": 5, "x3": 6}}]},
                  "c": {"overrides": [{"by": "context.org", "values": {"x3": 7, "x1": 8},
                                       "rows": {"x2": {"value": 9, "until": "2030-01-01T00:00:00Z"}}}]},
                  "d": {"overrides": [{"by": "context.org", "values": {"x2": 1, "x4": 2, "x1": 3, "x3": 4}}]}}}
                """
                        .formatted(SCHEMA.hash());

        CompiledSnapshot snapshot =
                SnapshotCompiler.compile(SCHEMA, SnapshotLimits.defaults(), json.getBytes(StandardCharsets.UTF_8));

        Map<Object, Boolean> instances = new IdentityHashMap<>();
        for (String field : new String[] {"a", "b", "c", "d"}) {
            int index = SCHEMA.field(field).orElseThrow().index();
            for (Object key : snapshot.plan(index).own().table(0).compiledKeys()) {
                instances.put(key, true);
            }
        }
        assertThat(instances.keySet()).hasSize(4).containsExactlyInAnyOrder("x1", "x2", "x3", "x4");
    }

    @Test
    void compile_keyRepeatedInOverrideValues_failsAsTheParserDoesForAnyRepeatedName() {
        String json =
                "{\"format\": 1, \"revision\": 1, \"schemaHash\": \"%s\", \"fields\": {\"a\": {\"overrides\": [{\"by\": \"context.tier\", \"values\": {\"7\": 1, \"8\": 2, \"7\": 3}}]}}}"
                        .formatted(SCHEMA.hash());

        InvalidSnapshotException error = catchThrowableOfType(
                InvalidSnapshotException.class,
                () -> SnapshotCompiler.compile(
                        SCHEMA, SnapshotLimits.defaults(), json.getBytes(StandardCharsets.UTF_8)));

        assertThat(error.getMessage())
                .isEqualTo("invalid snapshot: snapshot is not valid JSON at line 1, column 203: Duplicate field '7'");
    }
}
