package dev.tollgate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaId;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import dev.tollgate.internal.eval.SplitHash;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Keeps {@code docs/snapshot-format.md} and {@code docs/snapshot-format.schema.json} true: every full snapshot in the
 * page validates against the JSON Schema and installs on the seed schema; every partial snapshot (only {@code
 * segments} and {@code fields}) installs once given a header, or, when a {@code text} block with {@code invalid
 * snapshot} follows it, fails with exactly that message; the published split test vectors and the worked example's
 * answers are what the SDK computes.
 */
class SnapshotFormatDocTest {
    private static final Path DOCS = Path.of("..", "docs");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Schema SEED = SeedEvaluationTest.seedSchema();
    private static final List<Block> BLOCKS = fencedBlocks(read("snapshot-format.md"));
    private static final JsonSchema FORMAT_SCHEMA = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012)
            .getSchema(parse(read("snapshot-format.schema.json")));

    /** A fenced code block of the page: its first line (1-based), its language and its text. */
    record Block(int line, String language, String text) {
        JsonNode json() {
            return parse(text);
        }

        boolean isFullSnapshot() {
            return language.equals("json") && json().has("format");
        }

        boolean isPartialSnapshot() {
            JsonNode node = language.equals("json") ? json() : null;
            return node != null && !node.has("format") && (node.has("fields") || node.has("segments"));
        }

        @Override
        public String toString() {
            return "snapshot-format.md line " + line;
        }
    }

    // ---- full snapshots ----

    static Stream<Named<Block>> fullSnapshots() {
        return BLOCKS.stream().filter(Block::isFullSnapshot).map(block -> Named.of(block.toString(), block));
    }

    @ParameterizedTest
    @MethodSource("fullSnapshots")
    void fullSnapshot_validatesAgainstJsonSchema(Block block) {
        assertThat(FORMAT_SCHEMA.validate(block.json())).isEmpty();
    }

    @ParameterizedTest
    @MethodSource("fullSnapshots")
    void fullSnapshot_installsOnSeedSchemaWithMatchingHash(Block block) {
        LoadResult result = TollgateClient.builder(SEED).build().loadSnapshot(block.text());

        assertThat(result.status()).isEqualTo(LoadResult.Status.INSTALLED);
        assertThat(result.schemaHashMatches())
                .as("the page gives the seed schema's hash; it is now %s", SEED.hash())
                .isTrue();
    }

    // ---- partial snapshots and problem messages ----

    static Stream<Arguments> partialSnapshots() {
        List<Arguments> cases = new ArrayList<>();
        for (int i = 0; i < BLOCKS.size(); i++) {
            Block block = BLOCKS.get(i);
            if (!block.isPartialSnapshot()) {
                continue;
            }
            Block next = i + 1 < BLOCKS.size() ? BLOCKS.get(i + 1) : null;
            String expected = next != null
                            && next.language().equals("text")
                            && next.text().startsWith("invalid snapshot")
                    ? next.text().strip()
                    : null;
            cases.add(Arguments.of(Named.of(block.toString(), block), expected));
        }
        return cases.stream();
    }

    @ParameterizedTest
    @MethodSource("partialSnapshots")
    void partialSnapshot_installsOrFailsWithTheDocumentedMessage(Block block, String expectedMessage) {
        ObjectNode snapshot = withHeader(block.json());
        TollgateClient client = TollgateClient.builder(SEED).build();

        if (expectedMessage == null) {
            assertThat(FORMAT_SCHEMA.validate(snapshot)).isEmpty();
            assertThat(client.loadSnapshot(snapshot.toString()).installed()).isTrue();
        } else {
            assertThatThrownBy(() -> client.loadSnapshot(snapshot.toString()))
                    .isInstanceOf(InvalidSnapshotException.class)
                    .hasMessage(expectedMessage);
        }
    }

    @Test
    void page_hasTheExamplesTheseTestsRelyOn() {
        assertThat(fullSnapshots()).hasSizeGreaterThanOrEqualTo(2);
        assertThat(partialSnapshots().filter(arguments -> arguments.get()[1] == null))
                .hasSizeGreaterThanOrEqualTo(5);
        assertThat(partialSnapshots().filter(arguments -> arguments.get()[1] != null))
                .hasSizeGreaterThanOrEqualTo(5);
    }

    // ---- split test vectors ----

    @Test
    void testVectors_areWhatSplitHashComputes() {
        List<List<String>> rows = tableAfter("### Test vectors");

        assertThat(rows).hasSizeGreaterThanOrEqualTo(10);
        for (List<String> row : rows) {
            String seed = parse(unquote(row.get(0))).textValue();
            JsonNode unitNode = parse(unquote(row.get(1)));
            String unit = unitNode.isInt() ? Integer.toString(unitNode.intValue()) : unitNode.textValue();
            String hash = "0x" + HexFormat.of().toHexDigits(SplitHash.murmur3(seed, unit));

            assertThat(hash).as("murmur3 of %s/%s", seed, unit).isEqualTo(unquote(row.get(2)));
            assertThat(SplitHash.bucket(seed, unit))
                    .as("bucket of %s/%s", seed, unit)
                    .isEqualTo(Integer.parseInt(row.get(3)));
        }
    }

    // ---- the worked example ----

    @Test
    void workedExample_answersAsTheTableSays() {
        Block example = BLOCKS.stream()
                .filter(block -> block.line() > lineOf("## Worked example") && block.isFullSnapshot())
                .findFirst()
                .orElseThrow();
        TollgateClient client = TollgateClient.builder(SEED).build();
        client.loadSnapshot(example.text());
        List<List<String>> rows = tableAfter("### What it answers");

        assertThat(rows).hasSizeGreaterThanOrEqualTo(10);
        for (List<String> row : rows) {
            UntypedRoot root = client.root(DynamicInput.context(
                    SEED,
                    Map.of(
                            "organization",
                            Map.of("id", unquote(row.get(0)), "plan", unquote(row.get(1))),
                            "user",
                            Map.of("id", "u_1"))));
            Map<String, ?> args = row.get(3).isEmpty() ? Map.of() : Map.of("endpoint", unquote(row.get(3)));
            EvaluationDetail<Object> detail = root.detail(unquote(row.get(2)), args, null);

            assertThat(String.valueOf(detail.value())).as("value in %s", row).isEqualTo(unquote(row.get(4)));
            assertThat(detail.reason().toString()).as("reason in %s", row).isEqualTo(unquote(row.get(5)));
        }
    }

    // ---- the JSON Schema itself ----

    @Test
    void jsonSchema_isAValidDraft202012Schema() {
        JsonSchema metaSchema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012)
                .getSchema(SchemaLocation.of(SchemaId.V202012));

        assertThat(metaSchema.validate(parse(read("snapshot-format.schema.json"))))
                .isEmpty();
    }

    static Stream<Arguments> invalidDocuments() {
        return Stream.of(
                invalid("format 2", "const", "\"format\": 1", "\"format\": 2"),
                invalid("revision 0", "minimum", "\"revision\": 1", "\"revision\": 0"),
                invalid("revision with a fraction", "type", "\"revision\": 1", "\"revision\": 1.5"),
                invalid(
                        "hash with an uppercase digit",
                        "pattern",
                        "\"schemaHash\": \"sha256:",
                        "\"schemaHash\": \"sha256:A"),
                invalid("no schemaHash", "required", "\"schemaHash\": \"sha256:", "\"schemaHashes\": \"sha256:"),
                invalid("unknown top-level key", "additionalProperties", "\"fields\":", "\"fieldz\":"),
                invalid("unknown logic key", "additionalProperties", "\"default\": 5", "\"otherwise\": 5"),
                invalid("null default", "type", "\"default\": 5", "\"default\": null"),
                invalid("null inside a list operand", "oneOf", "[\"PRO\"]", "[\"PRO\", null]"),
                invalid("unknown operator", "oneOf", "\"op\": \"in\"", "\"op\": \"oneOf\""),
                invalid(
                        "before with a date only",
                        "pattern",
                        "{\"attribute\": \"context.organization.plan\", \"op\": \"in\", \"value\": [\"PRO\"]}",
                        "{\"attribute\": \"context.organization.id\", \"op\": \"before\", \"value\": \"2024-05-01\"}"),
                invalid(
                        "semver with a v prefix",
                        "pattern",
                        "{\"attribute\": \"context.organization.plan\", \"op\": \"in\", \"value\": [\"PRO\"]}",
                        "{\"attribute\": \"context.user.id\", \"op\": \"semverGte\", \"value\": \"v2.1.0\"}"),
                invalid(
                        "two condition forms",
                        "oneOf",
                        "{\"segment\": \"paying\"}",
                        "{\"segment\": \"paying\", \"not\": {\"segment\": \"paying\"}}"),
                invalid("empty all", "oneOf", "\"value\": 100000}", "\"value\": 100000, \"if\": {\"all\": []}}"),
                invalid("in with a single value", "oneOf", "[\"PRO\"]", "\"PRO\""),
                invalid("rule with value and split", "oneOf", "\"value\": 20}", "\"value\": 20, \"split\": {}}"),
                invalid("rule without id", "required", "{\"id\": \"pro\",", "{"),
                invalid(
                        "rule until with a date only",
                        "pattern",
                        "{\"id\": \"pro\",",
                        "{\"id\": \"pro\", \"until\": \"2027-01-01\","),
                invalid(
                        "windowed row without a value",
                        "required",
                        "\"values\": {\"org_42\": 5000}",
                        "\"rows\": {\"org_42\": {\"until\": \"2027-01-01T00:00:00Z\"}}"),
                invalid(
                        "table without values or rows",
                        "required",
                        "\"values\": {\"org_42\": 5000}",
                        "\"description\": \"none\""),
                invalid("weight with three decimals", "multipleOf", "\"weight\": 25", "\"weight\": 25.125"),
                invalid("weight over 100", "maximum", "\"weight\": 25", "\"weight\": 100.5"),
                invalid(
                        "empty arms",
                        "minItems",
                        "\"arms\": [{\"id\": \"on\", \"weight\": 25, \"value\": true}]",
                        "\"arms\": []"),
                invalid("bad segment name", "propertyNames", "\"segments\": {\"paying\"", "\"segments\": {\"-paying\""),
                invalid(
                        "attribute without a prefix",
                        "pattern",
                        "\"by\": \"context.organization.id\"",
                        "\"by\": \"organization.id\""));
    }

    private static Arguments invalid(String name, String keyword, String find, String replacement) {
        return Arguments.of(Named.of(name, find), replacement, keyword);
    }

    @ParameterizedTest
    @MethodSource("invalidDocuments")
    void invalidDocument_failsTheJsonSchemaAndTheSdk(String find, String replacement, String keyword) {
        String valid = ANCHOR_DOCUMENT.formatted(SEED.hash());
        assertThat(valid).contains(find);
        String invalid = valid.replaceFirst(java.util.regex.Pattern.quote(find), replacement);

        Set<ValidationMessage> messages = FORMAT_SCHEMA.validate(parse(invalid));

        assertThat(messages.stream().map(ValidationMessage::getType).collect(Collectors.toSet()))
                .as("JSON Schema messages %s", messages)
                .contains(keyword);
        assertThatThrownBy(() -> TollgateClient.builder(SEED).build().loadSnapshot(invalid))
                .as("the SDK rejects it too")
                .isInstanceOf(InvalidSnapshotException.class);
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "context.organization.id | before    | 2024-05-01T09:30:00Z",
                "context.organization.id | after     | 2024-05-01t11:30:00.123456789+02:00",
                "context.user.id         | semverGte | 2.1.0",
                "context.user.id         | semverLt  | 2.1.0-rc.1+build.5",
                "context.user.id         | semverEq  | 1.0.0-alpha-1.0",
            })
    void dateTimeAndVersionOperands_validateAgainstTheJsonSchemaAndInstall(String attribute, String op, String value) {
        String valid = ANCHOR_DOCUMENT
                .formatted(SEED.hash())
                .replace(
                        "{\"attribute\": \"context.organization.plan\", \"op\": \"in\", \"value\": [\"PRO\"]}",
                        "{\"attribute\": \"%s\", \"op\": \"%s\", \"value\": \"%s\"}".formatted(attribute, op, value));

        assertThat(valid).contains("\"op\": \"" + op + "\"");
        assertThat(FORMAT_SCHEMA.validate(parse(valid))).isEmpty();
        assertThat(TollgateClient.builder(SEED).build().loadSnapshot(valid).installed())
                .isTrue();
    }

    @Test
    void anchorDocument_isValid() {
        String valid = ANCHOR_DOCUMENT.formatted(SEED.hash());

        assertThat(FORMAT_SCHEMA.validate(parse(valid))).isEmpty();
        assertThat(TollgateClient.builder(SEED).build().loadSnapshot(valid).installed())
                .isTrue();
    }

    /** A valid snapshot that {@link #invalidDocuments()} breaks one way at a time. */
    private static final String ANCHOR_DOCUMENT =
            """
            {
              "format": 1,
              "revision": 1,
              "schemaHash": "%s",
              "segments": {"paying": {"if": {"attribute": "context.organization.plan", "op": "in", "value": ["PRO"]}}},
              "fields": {
                "entitlements.maxTeamSize": {
                  "rules": [{"id": "pro", "if": {"segment": "paying"}, "value": 20}],
                  "default": 5
                },
                "entitlements.maxApiRequestsPerDay": {
                  "overrides": [{"by": "context.organization.id", "values": {"org_42": 5000}}],
                  "rules": [{"id": "big", "value": 100000}]
                },
                "entitlements.versionHistoryEnabled": {
                  "rules": [
                    {
                      "id": "rollout",
                      "split": {
                        "by": "context.organization.id",
                        "seed": "version-history",
                        "arms": [{"id": "on", "weight": 25, "value": true}],
                        "defaultArm": {"id": "off", "value": false}
                      }
                    }
                  ]
                }
              }
            }
            """;

    // ---- reading the page ----

    private static ObjectNode withHeader(JsonNode partial) {
        ObjectNode snapshot = JSON.createObjectNode();
        snapshot.put("format", 1);
        snapshot.put("revision", 1);
        snapshot.put("schemaHash", SEED.hash());
        snapshot.setAll((ObjectNode) partial);
        return snapshot;
    }

    private static List<Block> fencedBlocks(String markdown) {
        List<Block> blocks = new ArrayList<>();
        String[] lines = markdown.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String fence = lines[i].strip();
            if (!fence.startsWith("```") || fence.length() == 3) {
                continue;
            }
            int start = i;
            StringBuilder text = new StringBuilder();
            for (i++; i < lines.length && !lines[i].strip().equals("```"); i++) {
                text.append(lines[i]).append('\n');
            }
            blocks.add(new Block(start + 1, fence.substring(3), text.toString()));
        }
        return blocks;
    }

    /** The cells of the body rows of the first Markdown table after {@code heading}. */
    private static List<List<String>> tableAfter(String heading) {
        String[] lines = read("snapshot-format.md").split("\n", -1);
        List<List<String>> rows = new ArrayList<>();
        int i = lineOf(heading);
        while (i < lines.length && !lines[i].startsWith("|")) {
            i++;
        }
        for (i += 2; i < lines.length && lines[i].startsWith("|"); i++) {
            List<String> cells = new ArrayList<>();
            for (String cell : lines[i].substring(1, lines[i].lastIndexOf('|')).split("\\|", -1)) {
                cells.add(cell.strip());
            }
            rows.add(cells);
        }
        return rows;
    }

    private static int lineOf(String heading) {
        List<String> lines = List.of(read("snapshot-format.md").split("\n", -1));
        int index = lines.indexOf(heading);
        assertThat(index).as("heading %s", heading).isNotNegative();
        return index;
    }

    private static String unquote(String cell) {
        return cell.startsWith("`") && cell.endsWith("`") ? cell.substring(1, cell.length() - 1) : cell;
    }

    private static String read(String file) {
        try {
            return Files.readString(DOCS.resolve(file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static JsonNode parse(String json) {
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
