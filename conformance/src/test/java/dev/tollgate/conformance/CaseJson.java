package dev.tollgate.conformance;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Iterator;
import java.util.Map;

/** JSON helpers for case files: strict reading, RFC 7386 merge patches and the schema hash placeholder. */
final class CaseJson {
    /** Written in case files where a snapshot's {@code schemaHash} goes; replaced by the schema's real hash. */
    static final String SCHEMA_HASH = "$SCHEMA_HASH";

    static final ObjectMapper MAPPER = new ObjectMapper().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

    private CaseJson() {}

    static JsonNode read(InputStream in, String name) {
        try {
            return MAPPER.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read case file " + name, e);
        }
    }

    /** {@code patch} applied to {@code target} as a JSON merge patch: objects merge, {@code null} removes a key. */
    static JsonNode merge(JsonNode target, JsonNode patch) {
        if (!patch.isObject()) {
            return patch.deepCopy();
        }
        ObjectNode result = target != null && target.isObject() ? target.deepCopy() : MAPPER.createObjectNode();
        for (Iterator<Map.Entry<String, JsonNode>> it = patch.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> entry = it.next();
            if (entry.getValue().isNull()) {
                result.remove(entry.getKey());
            } else {
                result.set(entry.getKey(), merge(result.get(entry.getKey()), entry.getValue()));
            }
        }
        return result;
    }

    /** A copy of {@code node} with every string equal to {@link #SCHEMA_HASH} replaced by {@code hash}. */
    static JsonNode withSchemaHash(JsonNode node, String hash) {
        if (node.isTextual() && node.textValue().equals(SCHEMA_HASH)) {
            return TextNode.valueOf(hash);
        }
        if (node.isObject()) {
            ObjectNode copy = MAPPER.createObjectNode();
            node.fields().forEachRemaining(entry -> copy.set(entry.getKey(), withSchemaHash(entry.getValue(), hash)));
            return copy;
        }
        if (node.isArray()) {
            ArrayNode copy = MAPPER.createArrayNode();
            node.forEach(element -> copy.add(withSchemaHash(element, hash)));
            return copy;
        }
        return node;
    }

    /** A Java value (as the SDK returns it) as JSON, so that Integer, Double, lists and maps compare strictly. */
    static JsonNode tree(Object value) {
        return value == null ? NullNode.getInstance() : MAPPER.valueToTree(value);
    }

    static Object toJava(JsonNode node) {
        return MAPPER.convertValue(node, Object.class);
    }

    static String write(JsonNode node) {
        try {
            return MAPPER.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
