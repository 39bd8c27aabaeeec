package dev.tollgate.internal.snapshot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The trees and bytes of {@link JsonTrees} are those of Jackson's {@code ObjectMapper}, which it replaces. */
class JsonTreesTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String DOCUMENT =
            """
            {"format": 1, "revision": 9007199254740993, "big": 123456789012345678901234567890,
             "negative": -2147483649, "int": -7, "ratio": 0.25, "exponent": 1.5e300, "tiny": -4.9E-324,
             "text": "Zürich \\u2603 \\"quoted\\" \\n tab\\t", "empty": {}, "none": [], "nothing": null,
             "flags": [true, false, null, 3, "x", {"nested": [[1], {"deep": {"deeper": []}}]}],
             "org_1": 10, "": "empty name"}
            """;

    @Test
    void read_buildsTheTreeObjectMapperBuilds_nodeTypesIncluded() throws Exception {
        JsonNode expected = MAPPER.readTree(DOCUMENT);

        JsonNode actual;
        try (JsonParser parser = new JsonFactory().createParser(DOCUMENT)) {
            actual = JsonTrees.read(parser);
            assertThat(parser.nextToken()).isNull();
        }

        assertThat(actual).isEqualTo(expected);
        assertThat(actual.get("revision").isLong()).isTrue();
        assertThat(actual.get("big").isBigInteger()).isTrue();
        assertThat(actual.get("int").isInt()).isTrue();
        assertThat(actual.get("ratio").isDouble()).isTrue();
        assertThat(actual.get("text").textValue()).isEqualTo("Zürich ☃ \"quoted\" \n tab\t");
    }

    @Test
    void read_duplicateName_isRefusedByAStrictParser_atTheSamePlaceAsForAMapper() throws Exception {
        String json = "{\"values\": {\"org_1\": 1, \"org_1\": 2}}";
        JsonFactory strict = JsonFactory.builder()
                .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .build();
        JsonProcessingException mapper;
        try (JsonParser parser = strict.createParser(json)) {
            mapper = catchThrowableOfType(JsonProcessingException.class, () -> MAPPER.readTree(parser));
        }

        JsonProcessingException ours;
        try (JsonParser parser = strict.createParser(json)) {
            ours = catchThrowableOfType(JsonProcessingException.class, () -> JsonTrees.read(parser));
        }

        assertThat(ours.getOriginalMessage()).isEqualTo("Duplicate field 'org_1'");
        assertThat(ours.getLocation().getColumnNr())
                .isEqualTo(mapper.getLocation().getColumnNr())
                .isEqualTo(32);
    }

    @Test
    void read_ofNoContent_isNull() throws Exception {
        try (JsonParser parser = new JsonFactory().createParser("  ")) {
            assertThat(JsonTrees.read(parser)).isNull();
        }
    }

    @Test
    void write_writesTheBytesObjectMapperWrites() throws Exception {
        JsonNode tree = MAPPER.readTree(DOCUMENT);
        ByteArrayOutputStream out = new ByteArrayOutputStream();

        JsonTrees.write(out, tree);

        assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo(MAPPER.writeValueAsString(tree));
    }

    private static final String SNAPSHOT =
            """
            {"format": 1, "fields": {"f": {"description": {"values": {"a": 1}},
              "overrides": [{"by": "context.id", "values": {"k": [{"a": 1}], "j": {"x": 2}, "k": 3}},
                            {"rows": {"r": {"value": 4, "from": "2026-01-01T00:00:00Z"}}}],
              "rules": [{"if": {"all": [{"b": 1}]}, "values": {"c": 5}}]}}}
            """;

    @Test
    void readSnapshot_readsOverrideRowsAsEntries_inOrder_withRepeatedNames() throws Exception {
        JsonNode tree = readSnapshot(SNAPSHOT);

        OverrideEntries values = OverrideEntries.of(tree.at("/fields/f/overrides/0/values"));
        OverrideEntries rows = OverrideEntries.of(tree.at("/fields/f/overrides/1/rows"));

        assertThat(tree.at("/fields/f/overrides/0/values").isPojo()).isTrue();
        assertThat(values.size()).isEqualTo(3);
        assertThat(List.of(values.name(0), values.name(1), values.name(2))).containsExactly("k", "j", "k");
        assertThat(values.value(0)).isEqualTo(MAPPER.readTree("[{\"a\": 1}]"));
        assertThat(values.value(2).intValue()).isEqualTo(3);
        assertThat(rows.value(0)).isEqualTo(MAPPER.readTree("{\"value\": 4, \"from\": \"2026-01-01T00:00:00Z\"}"));
        assertThat(tree.at("/fields/f/description/values").isObject()).isTrue();
        assertThat(tree.at("/fields/f/rules/0/values").isObject()).isTrue();
    }

    @Test
    void readSnapshot_writesTheBytesOfTheTreeReadWhole() throws Exception {
        String unique = SNAPSHOT.replace(", \"k\": 3", "");
        ByteArrayOutputStream out = new ByteArrayOutputStream();

        JsonTrees.write(out, readSnapshot(unique));

        assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo(MAPPER.writeValueAsString(MAPPER.readTree(unique)));
    }

    @Test
    void readSnapshot_duplicateNamesOutsideTheRowNames_areStillRefusedByAStrictParser() {
        // Values inside the entries, then objects at the entries' depth and below them, which reuse their contexts.
        String[] documents = {
            SNAPSHOT.replace("\"x\": 2", "\"x\": 2, \"x\": 3"),
            SNAPSHOT.replace("\"value\": 4", "\"value\": 4, \"value\": 5"),
            SNAPSHOT.replace("\"values\": {\"c\": 5}", "\"values\": {\"c\": 5, \"c\": 6}"),
            SNAPSHOT.replace("{\"b\": 1}", "{\"b\": 1, \"b\": 2}"),
            SNAPSHOT.replace("\"by\": \"context.id\"", "\"by\": \"context.id\", \"by\": \"x\""),
        };
        for (String document : documents) {
            JsonProcessingException error =
                    catchThrowableOfType(JsonProcessingException.class, () -> readSnapshot(document));

            assertThat(error).as(document).isNotNull();
            assertThat(error.getOriginalMessage()).startsWith("Duplicate field '");
        }
    }

    private static JsonNode readSnapshot(String json) throws Exception {
        JsonFactory strict = JsonFactory.builder()
                .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .build();
        try (JsonParser parser = strict.createParser(json)) {
            JsonNode tree = JsonTrees.readSnapshot(parser);
            assertThat(parser.nextToken()).isNull();
            return tree;
        }
    }
}
