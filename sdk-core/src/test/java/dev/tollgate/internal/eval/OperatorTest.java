package dev.tollgate.internal.eval;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tollgate.DynamicInput;
import dev.tollgate.SnapshotLimits;
import dev.tollgate.SnapshotProblem;
import dev.tollgate.internal.ApiAccess;
import dev.tollgate.internal.schema.InputAttribute;
import dev.tollgate.internal.schema.SchemaModel;
import dev.tollgate.internal.schema.SchemaParser;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

/** Each operator compiled on its own and evaluated against one attribute; the semantics tables and the messages. */
class OperatorTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Object[] NO_ARGS = new Object[0];
    private static final int EVALUATIONS = 200_000;
    private static final SchemaModel SCHEMA = SchemaParser.parse(
            """
            input Context { text: String  count: Int  ratio: Float  on: Boolean  plan: Plan  tags: [String!] }
            enum Plan { FREE PRO }
            type Root { x: Boolean! }
            """,
            "operators.graphql");

    private final Problems problems = new Problems();

    @Test
    void named_findsOperatorsByTheirExactJsonName() {
        assertThat(Operator.named("notIn")).contains(Operator.NOT_IN);
        assertThat(Operator.named("startsWith")).contains(Operator.STARTS_WITH);
        assertThat(Operator.named("NOTIN")).isEmpty();
        assertThat(Operator.named("like")).isEmpty();
        for (Operator operator : Operator.values()) {
            assertThat(Operator.named(operator.jsonName())).contains(operator);
        }
    }

    /**
     * Regression: the compiler kept its operator names in one list and their logic in a string {@code switch} whose
     * {@code default} was {@code contains}, so a name added to the list without a case of its own compiled as {@code
     * contains}. Now every operator is a constant that must declare its own condition; there is no default to fall to.
     */
    @ParameterizedTest
    @EnumSource(Operator.class)
    void everyOperator_compilesWithLogicOfItsOwn_notAFallThrough(Operator operator) throws Exception {
        Class<?> body = operator.getClass();

        assertThat(body).as("%s has a body of its own", operator).isNotEqualTo(Operator.class);
        assertThat(body.getDeclaredMethod("condition", AttributeReader.class, ValueKind.class, Object.class))
                .as("%s declares its own condition", operator)
                .isNotNull();
    }

    /**
     * Every String operator on values chosen so that each operator's answer differs from {@code contains}'s somewhere:
     * an operator compiled as another would fail a row.
     */
    @ParameterizedTest(name = "{1} {0} {2}: {3}")
    @CsvSource(
            delimiter = '|',
            value = {
                "eq         | abc      | '\"abc\"'       | true",
                "eq         | xabcx    | '\"abc\"'       | false",
                "ne         | abc      | '\"abc\"'       | false",
                "ne         | xabcx    | '\"abc\"'       | true",
                "in         | abc      | '[\"abc\", \"d\"]' | true",
                "in         | xabcx    | '[\"abc\", \"d\"]' | false",
                "notIn      | xabcx    | '[\"abc\", \"d\"]' | true",
                "notIn      | d        | '[\"abc\", \"d\"]' | false",
                "lt         | abb      | '\"abc\"'       | true",
                "lt         | abc      | '\"abc\"'       | false",
                "lte        | abc      | '\"abc\"'       | true",
                "lte        | abcd     | '\"abc\"'       | false",
                "gt         | abd      | '\"abc\"'       | true",
                "gt         | abc      | '\"abc\"'       | false",
                "gte        | abc      | '\"abc\"'       | true",
                "gte        | B        | '\"abc\"'       | false",
                "startsWith | abcx     | '\"abc\"'       | true",
                "startsWith | xabc     | '\"abc\"'       | false",
                "endsWith   | xabc     | '\"abc\"'       | true",
                "endsWith   | abcx     | '\"abc\"'       | false",
                "contains   | xabcx    | '\"abc\"'       | true",
                "contains   | xabx     | '\"abc\"'       | false",
                "matches    | x-42     | '\"^x-[0-9]+$\"' | true",
                "matches    | x-42y    | '\"^x-[0-9]+$\"' | false",
                "before     | 2023-12-31T23:59:59.999999999Z | '\"2024-01-01T00:00:00Z\"' | true",
                "before     | 2024-01-01T00:00:00Z           | '\"2024-01-01T00:00:00Z\"' | false",
                "before     | 2024-01-01T01:00:00+02:00      | '\"2024-01-01T00:00:00Z\"' | true",
                "before     | x 2023-01-01T00:00:00Z         | '\"2024-01-01T00:00:00Z\"' | false",
                "after      | 2024-01-01T00:00:00.000000001Z | '\"2024-01-01T00:00:00Z\"' | true",
                "after      | 2024-01-01T00:00:00Z           | '\"2024-01-01T00:00:00Z\"' | false",
                "after      | 2024-01-01T00:00:00-00:01      | '\"2024-01-01T00:00:00Z\"' | true",
                "after      | 2025-01-01                     | '\"2024-01-01T00:00:00Z\"' | false",
                "semverEq   | 1.0.0+build.7 | '\"1.0.0\"'       | true",
                "semverEq   | 1.0.0-rc.1    | '\"1.0.0\"'       | false",
                "semverLt   | 1.0.0-rc.1    | '\"1.0.0\"'       | true",
                "semverLt   | 1.0.0         | '\"1.0.0\"'       | false",
                "semverLt   | 1.0.0-rc.2    | '\"1.0.0-rc.10\"' | true",
                "semverLt   | v0.1.0        | '\"1.0.0\"'       | false",
                "semverLte  | 1.0.0         | '\"1.0.0\"'       | true",
                "semverLte  | 1.0.1         | '\"1.0.0\"'       | false",
                "semverGt   | 1.10.0        | '\"1.9.0\"'       | true",
                "semverGt   | 1.0.0-beta    | '\"1.0.0-alpha.1\"' | true",
                "semverGt   | 1.0.0         | '\"1.0.0\"'       | false",
                "semverGte  | 1.0.0         | '\"1.0.0\"'       | true",
                "semverGte  | 1.0.0-alpha   | '\"1.0.0\"'       | false",
                "semverGte  | 1.2           | '\"1.0.0\"'       | false",
            })
    void operator_onAString_holdsAsItsTableSays(String op, String value, String operand, boolean expected) {
        Condition condition = compile(op, "text", operand);

        assertThat(problems()).isEmpty();
        assertThat(condition.test(context("text", value), NO_ARGS, 0L)).isEqualTo(expected);
        assertThat(condition.test(context("count", 1), NO_ARGS, 0L))
                .as("absent attribute")
                .isFalse();
    }

    @ParameterizedTest(name = "{0} {1} {2}: {3}")
    @CsvSource(
            delimiter = '|',
            value = {
                "eq  | count | 20    | 20  | true",
                "eq  | ratio | 0     | -0.0 | true",
                "ne  | count | 20    | 21  | true",
                "in  | count | [1, 2] | 2  | true",
                "lt  | count | 20    | 19  | true",
                "lt  | ratio | 1.5   | 1.5 | false",
                "gte | ratio | 1.5   | 1.5 | true",
                "eq  | on    | true  | true | true",
                "ne  | plan  | '\"PRO\"' | FREE | true",
                "notIn | plan | '[\"PRO\"]' | PRO | false",
            })
    void operator_onOtherTypes_holdsAsItsTableSays(
            String op, String attribute, String operand, String value, boolean expected) {
        Condition condition = compile(op, attribute, operand);
        Object attributeValue =
                switch (attribute) {
                    case "count" -> Integer.valueOf(value);
                    case "ratio" -> Double.valueOf(value);
                    case "on" -> Boolean.valueOf(value);
                    default -> value;
                };

        assertThat(problems()).isEmpty();
        assertThat(condition.test(context(attribute, attributeValue), NO_ARGS, 0L))
                .isEqualTo(expected);
    }

    @Test
    void contains_onAList_looksForAnElement() {
        Condition condition = compile("contains", "tags", "\"beta\"");

        assertThat(condition.test(context("tags", List.of("alpha", "beta")), NO_ARGS, 0L))
                .isTrue();
        assertThat(condition.test(context("tags", List.of("alphabeta")), NO_ARGS, 0L))
                .isFalse();
    }

    /** The hints are built from the operators' types and shapes; these are the messages the conformance cases assert. */
    @ParameterizedTest(name = "{0} on {1}")
    @CsvSource(
            delimiter = '|',
            value = {
                "lt         | on    | '\"a\"' | operator lt does not apply to context.on of type Boolean; it applies to Int, Float and String attributes",
                "gte        | plan  | '\"a\"' | operator gte does not apply to context.plan of type Plan; it applies to Int, Float and String attributes",
                "startsWith | count | '\"a\"' | operator startsWith does not apply to context.count of type Int; it applies to String attributes, and contains also to lists",
                "contains   | ratio | '\"a\"' | operator contains does not apply to context.ratio of type Float; it applies to String attributes, and contains also to lists",
                "matches    | plan  | '\"a\"' | operator matches does not apply to context.plan of type Plan; it applies to String attributes",
                "eq         | tags  | '\"a\"' | operator eq does not apply to context.tags of type [String!]; list attributes take only contains",
                "in         | tags  | '[\"a\"]' | operator in does not apply to context.tags of type [String!]; list attributes take only contains",
                "before     | count | '\"2024-01-01T00:00:00Z\"' | operator before does not apply to context.count of type Int; it applies to String attributes",
                "semverGte  | tags  | '\"1.0.0\"' | operator semverGte does not apply to context.tags of type [String!]; list attributes take only contains",
            })
    void operator_onATypeItDoesNotApplyTo_isAProblemNamingWhatItTakes(
            String op, String attribute, String operand, String message) {
        assertThat(compile(op, attribute, operand)).isNull();

        assertThat(problems()).extracting(SnapshotProblem::toString).containsExactly("if: " + op + ": " + message);
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource(
            delimiter = '|',
            value = {
                "before    | '\"2024-13-01T00:00:00Z\"' | expected an RFC 3339 date-time such as \"2024-05-01T09:30:00Z\" but found \"2024-13-01T00:00:00Z\"",
                "after     | '\"2024-01-01\"'           | expected an RFC 3339 date-time such as \"2024-05-01T09:30:00Z\" but found \"2024-01-01\"",
                "after     | 1714555800                 | expected an RFC 3339 date-time such as \"2024-05-01T09:30:00Z\" but found 1714555800",
                "semverGte | '\"v1.2.3\"'               | expected a semantic version (semver.org 2.0) such as \"2.1.0\" or \"2.1.0-rc.1\" but found \"v1.2.3\"",
                "semverLt  | '\"1.2.3-01\"'             | expected a semantic version (semver.org 2.0) such as \"2.1.0\" or \"2.1.0-rc.1\" but found \"1.2.3-01\"",
                "semverEq  | '[\"1.2.3\"]'              | expected a semantic version (semver.org 2.0) such as \"2.1.0\" or \"2.1.0-rc.1\" but found an array",
            })
    void operand_thatDoesNotParse_isAProblemAtTheOperator(String op, String operand, String message) {
        assertThat(compile(op, "text", operand)).isNull();

        assertThat(problems()).extracting(SnapshotProblem::toString).containsExactly("if: " + op + ": " + message);
    }

    /** The operand is read once at load; each evaluation reads the attribute's text in place. */
    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            value = {
                "before    | '\"2024-01-01T00:00:00Z\"' | 2023-06-30T12:00:00.250+02:00",
                "after     | '\"2023-01-01T00:00:00Z\"' | 2023-06-30T12:00:00.250+02:00",
                "semverGte | '\"2.1.0-rc.2\"'           | 2.1.0-rc.10+build.5",
                "semverLt  | '\"2.1.0\"'                | 2.1.0-beta.3",
            })
    void newOperators_allocateNothingPerEvaluation(String op, String operand, String value) {
        Condition condition = compile(op, "text", operand);
        DynamicInput context = context("text", value);
        com.sun.management.ThreadMXBean threads =
                (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        long threadId = Thread.currentThread().getId();
        int holds = evaluate(condition, context);

        long before = threads.getThreadAllocatedBytes(threadId);
        holds += evaluate(condition, context);
        long allocated = threads.getThreadAllocatedBytes(threadId) - before;

        assertThat(holds).isEqualTo(2 * EVALUATIONS);
        assertThat(allocated)
                .as("bytes allocated by %d evaluations", EVALUATIONS)
                .isLessThan(4_096);
    }

    private static int evaluate(Condition condition, DynamicInput context) {
        int holds = 0;
        for (int i = 0; i < EVALUATIONS; i++) {
            holds += condition.test(context, NO_ARGS, 0L) ? 1 : 0;
        }
        return holds;
    }

    @Test
    void names_listEveryOperatorInDeclarationOrder() {
        List<String> names = new ArrayList<>();
        for (Operator operator : Operator.values()) {
            names.add(operator.jsonName());
        }

        assertThat(Operator.names()).isEqualTo(String.join(", ", names));
        assertThat(Operator.names())
                .isEqualTo(
                        "eq, ne, in, notIn, lt, lte, gt, gte, startsWith, endsWith, contains, matches, before, after,"
                                + " semverEq, semverLt, semverLte, semverGt, semverGte");
    }

    private Condition compile(String op, String attribute, String operandJson) {
        Operator operator = Operator.named(op).orElseThrow();
        InputAttribute slot = SCHEMA.contextLayout().attribute(attribute).orElseThrow();
        SnapshotLimits limits = SnapshotLimits.defaults();
        Operator.Compilation compilation =
                new Operator.Compilation(new ValueReader(SCHEMA, limits, problems), limits, problems);
        return operator.compile(
                AttributeReader.context("context." + attribute, slot.slot()),
                slot.type(),
                ValueKind.of(slot.type(), SCHEMA),
                parse(operandJson),
                Where.ROOT.child("if").child(op),
                compilation);
    }

    private List<SnapshotProblem> problems() {
        return problems.isEmpty() ? List.of() : problems.failure().problems();
    }

    private static DynamicInput context(String attribute, Object value) {
        Map<String, Object> values = new HashMap<>();
        values.put(attribute, value);
        return DynamicInput.context(ApiAccess.schema(SCHEMA), values);
    }

    private static JsonNode parse(String json) {
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
