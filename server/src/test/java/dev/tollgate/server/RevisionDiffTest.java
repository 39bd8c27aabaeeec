package dev.tollgate.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class RevisionDiffTest {

    static Stream<Arguments> cases() {
        return Stream.of(
                Arguments.of("{}", "{'fields': {'a.b': {'default': 5}}}", List.of("field a.b added: {\"default\":5}")),
                Arguments.of(
                        "{'fields': {'a.b': {'default': 5}}}",
                        "{}",
                        List.of("field a.b removed (was {\"default\":5})")),
                Arguments.of(
                        "{'fields': {'a.b': {'default': 5}}}",
                        "{'fields': {'a.b': {'default': 10, 'description': 'seats'}}}",
                        List.of("description set to \"seats\"", "default: 5 -> 10")),
                Arguments.of(
                        "{'fields': {'a.b': {'overrides': [{'by': 'context.org', 'values': {'o1': 1, 'o2': 2}}]}}}",
                        "{'fields': {'a.b': {'overrides': [{'by': 'context.org', 'values': {'o2': 3, 'o3': 4}}]}}}",
                        List.of(
                                "override context.org = o1: removed (was 1)",
                                "override context.org = o2: 2 -> 3",
                                "override context.org = o3: set to 4")),
                Arguments.of(
                        "{'fields': {'a.b': {'overrides': [{'by': 'context.org', 'values': {'o1': 1}}]}}}",
                        "{'fields': {'a.b': {'overrides': [{'by': 'context.plan', 'values': {'PRO': 1}}]}}}",
                        List.of(
                                "override table by context.org removed (1 row)",
                                "override table by context.plan added",
                                "override context.plan = PRO: set to 1")),
                Arguments.of(
                        "{'fields': {'a.b': {'rules': [{'id': 'x', 'value': 1}, {'id': 'y', 'value': 2}]}}}",
                        "{'fields': {'a.b': {'rules': [{'id': 'y', 'value': 3}, {'id': 'x', 'value': 1},"
                                + " {'id': 'z', 'value': 9}]}}}",
                        List.of(
                                "rule y value: 2 -> 3",
                                "rule z added at position 3: {\"id\":\"z\",\"value\":9}",
                                "rules reordered: [x, y] -> [y, x]")),
                Arguments.of(
                        "{'segments': {'s': {'if': {'segment': 't'}}}}",
                        "{'segments': {'s': {'if': {'segment': 'u'}}}}",
                        List.of("if: {\"segment\":\"t\"} -> {\"segment\":\"u\"}")));
    }

    @ParameterizedTest
    @MethodSource("cases")
    void diff_describesEachChangeInASentence(String from, String to, List<String> expected) throws Exception {
        JsonNode changes = RevisionDiff.diff(json(from), json(to));

        List<String> lines = new ArrayList<>();
        changes.forEach(change -> change.get("details").forEach(line -> lines.add(line.asText())));
        assertThat(lines).isEqualTo(expected);
    }

    @ParameterizedTest
    @MethodSource("cases")
    void diff_ofADocumentWithItself_isEmpty(String from, String to, List<String> expected) throws Exception {
        assertThat(RevisionDiff.diff(json(to), json(to))).isEmpty();
    }

    private static ObjectNode json(String text) throws Exception {
        return (ObjectNode) Api.JSON.readTree(text.replace('\'', '"'));
    }
}
