package dev.tollgate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Regression tests, each named after what broke. */
class SnapshotCompilerRegressionTest {
    private static final Schema SCHEMA = Schema.parse(
            """
            input Context { org: String!  score: Float }
            input Filter { kind: String! }
            type Root { seats: Int!  search(filters: [Filter!]): Int!  bySize(size: Int!): Int! }
            """,
            "regression.graphql");

    @Test
    void segmentChainDeeperThanTheLimit_isRejected_notAStackOverflow() throws Exception {
        ObjectMapper mapper = new ObjectMapper();
        ObjectNode root =
                mapper.createObjectNode().put("format", 1).put("revision", 1).put("schemaHash", SCHEMA.hash());
        ObjectNode segments = root.putObject("segments");
        for (int i = 0; i < 2_000; i++) {
            ObjectNode body = segments.putObject("s" + i).putObject("if");
            if (i == 1_999) {
                body.put("attribute", "context.org").put("op", "eq").put("value", "x");
            } else {
                body.put("segment", "s" + (i + 1));
            }
        }
        root.putObject("fields").putObject("seats").put("default", 1);
        TollgateClient client =
                TollgateClient.builder(SCHEMA).logs(LogOptions.disabled()).build();

        InvalidSnapshotException error = catchThrowableOfType(
                InvalidSnapshotException.class, () -> client.loadSnapshot(mapper.writeValueAsBytes(root)));

        assertThat(error.problems())
                .extracting(SnapshotProblem::toString)
                .contains(
                        "segments: s15: if: segment: segments refer to segments deeper than the condition depth limit of 16");
    }

    @Test
    void segmentReferenceAddingNesting_overTheLimit_isRejected() {
        String json =
                """
                {"format": 1, "revision": 1, "schemaHash": "%s",
                 "segments": {"deep": {"if": {"not": {"not": {"not": {"attribute": "context.org", "op": "eq", "value": "x"}}}}}},
                 "fields": {"seats": {"rules": [{"id": "r", "if": {"not": {"not": {"segment": "deep"}}}, "value": 1}]}}}
                """
                        .formatted(SCHEMA.hash());
        TollgateClient client = TollgateClient.builder(SCHEMA)
                .limits(SnapshotLimits.builder().maxConditionDepth(5).build())
                .logs(LogOptions.disabled())
                .build();

        InvalidSnapshotException error =
                catchThrowableOfType(InvalidSnapshotException.class, () -> client.loadSnapshot(json));

        assertThat(error)
                .hasMessage("invalid snapshot: seats: rule \"r\": if: not: not: segment: "
                        + "conditions nest deeper than the limit of 5 through segment \"deep\"");
    }

    @Test
    void listOfInputObjectsArgument_inACondition_isAProblem_notAClassCastException() {
        String json =
                """
                {"format": 1, "revision": 1, "schemaHash": "%s", "fields": {"search": {"rules": [
                  {"id": "r", "if": {"attribute": "args.filters", "op": "contains", "value": {"kind": "x"}}, "value": 1}]}}}
                """
                        .formatted(SCHEMA.hash());
        TollgateClient client =
                TollgateClient.builder(SCHEMA).logs(LogOptions.disabled()).build();

        InvalidSnapshotException error =
                catchThrowableOfType(InvalidSnapshotException.class, () -> client.loadSnapshot(json));

        assertThat(error)
                .hasMessage(
                        "invalid snapshot: search: rule \"r\": if: attribute: argument filters of search "
                                + "is a list of input objects ([Filter!]); conditions read scalars, enums, lists of them and input fields");
    }

    @Test
    void intOverrideKeysWrittenDifferently_doNotSilentlyOverwriteEachOther() {
        String json =
                """
                {"format": 1, "revision": 1, "schemaHash": "%s", "fields": {"bySize": {
                  "overrides": [{"by": "args.size", "values": {"7": 1, "07": 2, "+7": 3}}]}}}
                """
                        .formatted(SCHEMA.hash());
        TollgateClient client =
                TollgateClient.builder(SCHEMA).logs(LogOptions.disabled()).build();

        InvalidSnapshotException error =
                catchThrowableOfType(InvalidSnapshotException.class, () -> client.loadSnapshot(json));

        assertThat(error.problems())
                .extracting(SnapshotProblem::toString)
                .containsExactly(
                        "bySize: overrides[0]: key \"07\": \"07\" is not written as a canonical Int key; write it as 7",
                        "bySize: overrides[0]: key \"+7\": \"+7\" is not written as a canonical Int key; write it as 7");
    }

    @Test
    void negativeZero_comparesEqualToZero_likeArithmetic() {
        String json =
                """
                {"format": 1, "revision": 1, "schemaHash": "%s", "fields": {"seats": {"rules": [
                  {"id": "zero", "if": {"attribute": "context.score", "op": "eq", "value": 0}, "value": 1},
                  {"id": "negative", "if": {"attribute": "context.score", "op": "lt", "value": 0}, "value": 2}]}}}
                """
                        .formatted(SCHEMA.hash());
        TollgateClient client =
                TollgateClient.builder(SCHEMA).logs(LogOptions.disabled()).build();
        client.loadSnapshot(json);

        UntypedRoot root = client.root(DynamicInput.context(SCHEMA, Map.of("org", "o", "score", -0.0)));

        assertThat(root.intValue("seats", -1)).isEqualTo(1);
    }
}
