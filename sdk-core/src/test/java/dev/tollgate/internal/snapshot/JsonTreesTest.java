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
}
