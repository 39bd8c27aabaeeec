package dev.tollgate.internal.snapshot;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.json.DupDetector;
import com.fasterxml.jackson.core.json.JsonReadContext;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.POJONode;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Iterator;
import java.util.Map;

/**
 * JSON trees read from and written to Jackson's streaming parser and generator directly, with the same nodes {@code
 * ObjectMapper.readTree} builds and the same bytes its {@code writeValue} writes. Not going through an {@code
 * ObjectMapper} spares a client that loads a snapshot the start of Jackson's data binding: some 300 classes (its
 * serializers, deserializers and type introspection), about 150 ms of a cold start.
 */
public final class JsonTrees {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final JsonFactory WRITER = new JsonFactory();

    private JsonTrees() {}

    /**
     * The tree of the next value of {@code parser}, or null when it has no more content. Nesting is bounded by the
     * parser's own read constraints, which it checks before this recursion goes deeper.
     */
    public static JsonNode read(JsonParser parser) throws IOException {
        JsonToken token = parser.nextToken();
        return token == null ? null : value(parser, token);
    }

    /**
     * The tree of a whole snapshot document, as {@link #read} makes it except for the {@code values} and {@code rows}
     * objects of override tables ({@code fields.<path>.overrides[i].values}): each of those is read into {@link
     * OverrideEntries}, which a {@link POJONode} holds, without a map and without the parser's duplicate detection for
     * its own names (the compiler refuses a repeated name as it puts the rows into their table). Every other object,
     * including those inside the entries' values, keeps the parser's duplicate detection.
     */
    public static JsonNode readSnapshot(JsonParser parser) throws IOException {
        JsonToken token = parser.nextToken();
        return token == null ? null : value(parser, token, Position.DOCUMENT);
    }

    /** Where a value sits in a snapshot document, as far as finding the override tables' rows goes. */
    private enum Position {
        DOCUMENT,
        FIELDS,
        LOGIC,
        OVERRIDES,
        TABLE,
        ROWS,
        OTHER;

        /** The position of the value named {@code name} inside an object here. */
        Position inside(String name) {
            return switch (this) {
                case DOCUMENT -> name.equals("fields") ? FIELDS : OTHER;
                case FIELDS -> LOGIC;
                case LOGIC -> name.equals("overrides") ? OVERRIDES : OTHER;
                case TABLE -> name.equals("values") || name.equals("rows") ? ROWS : OTHER;
                default -> OTHER;
            };
        }

        /** The position of an element of an array here. */
        Position element() {
            return this == OVERRIDES ? TABLE : OTHER;
        }
    }

    private static JsonNode value(JsonParser parser, JsonToken token, Position position) throws IOException {
        if (position == Position.OTHER) {
            return value(parser, token);
        }
        if (token == JsonToken.START_OBJECT) {
            return position == Position.ROWS ? entries(parser) : object(parser, position);
        }
        if (token == JsonToken.START_ARRAY) {
            ArrayNode array = NODES.arrayNode();
            for (JsonToken item = parser.nextToken(); item != JsonToken.END_ARRAY; item = parser.nextToken()) {
                array.add(value(parser, item, position.element()));
            }
            return array;
        }
        return value(parser, token);
    }

    private static ObjectNode object(JsonParser parser, Position position) throws IOException {
        ObjectNode object = NODES.objectNode();
        for (String name = parser.nextFieldName(); name != null; name = parser.nextFieldName()) {
            object.set(name, value(parser, parser.nextToken(), position.inside(name)));
        }
        return object;
    }

    /**
     * The entries of the object the parser has just entered. Jackson reuses one read context per nesting depth for the
     * whole document, each with its own duplicate detector: this one's is taken off while the entries are read and put
     * back after, and a container value among the entries gets a detector of its own (its context may have been made
     * while this one had none, and is reused later in the document).
     */
    private static JsonNode entries(JsonParser parser) throws IOException {
        JsonReadContext context = parser.getParsingContext() instanceof JsonReadContext read ? read : null;
        DupDetector detector = context == null ? null : context.getDupDetector();
        if (detector != null) {
            context.withDupDetector(null);
        }
        try {
            OverrideEntries entries = new OverrideEntries(16);
            for (String name = parser.nextFieldName(); name != null; name = parser.nextFieldName()) {
                JsonToken token = parser.nextToken();
                if (detector != null && (token == JsonToken.START_OBJECT || token == JsonToken.START_ARRAY)) {
                    ((JsonReadContext) parser.getParsingContext()).withDupDetector(DupDetector.rootDetector(parser));
                }
                entries.add(name, value(parser, token));
            }
            return NODES.pojoNode(entries);
        } finally {
            if (detector != null) {
                context.withDupDetector(detector);
            }
        }
    }

    private static JsonNode value(JsonParser parser, JsonToken token) throws IOException {
        return switch (token) {
            case START_OBJECT -> object(parser);
            case START_ARRAY -> array(parser);
            case VALUE_STRING -> NODES.textNode(parser.getText());
            case VALUE_NUMBER_INT -> switch (parser.getNumberType()) {
                case INT -> NODES.numberNode(parser.getIntValue());
                case LONG -> NODES.numberNode(parser.getLongValue());
                default -> NODES.numberNode(parser.getBigIntegerValue());
            };
            case VALUE_NUMBER_FLOAT -> NODES.numberNode(parser.getDoubleValue());
            case VALUE_TRUE -> NODES.booleanNode(true);
            case VALUE_FALSE -> NODES.booleanNode(false);
            case VALUE_NULL -> NODES.nullNode();
            default -> throw new IOException("unexpected JSON token " + token + " at " + parser.currentLocation());
        };
    }

    /** An object; duplicate names are the parser's to refuse ({@code STRICT_DUPLICATE_DETECTION}), as for a mapper. */
    private static ObjectNode object(JsonParser parser) throws IOException {
        ObjectNode object = NODES.objectNode();
        for (String name = parser.nextFieldName(); name != null; name = parser.nextFieldName()) {
            object.set(name, value(parser, parser.nextToken()));
        }
        return object;
    }

    private static ArrayNode array(JsonParser parser) throws IOException {
        ArrayNode array = NODES.arrayNode();
        for (JsonToken token = parser.nextToken(); token != JsonToken.END_ARRAY; token = parser.nextToken()) {
            array.add(value(parser, token));
        }
        return array;
    }

    /** Writes {@code node} to {@code out} as compact JSON, as {@code ObjectMapper.writeValue} does. */
    public static void write(OutputStream out, JsonNode node) throws IOException {
        try (JsonGenerator generator = WRITER.createGenerator(out)) {
            write(generator, node);
        }
    }

    private static void write(JsonGenerator generator, JsonNode node) throws IOException {
        switch (node.getNodeType()) {
            case OBJECT -> {
                generator.writeStartObject();
                for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                    Map.Entry<String, JsonNode> field = it.next();
                    generator.writeFieldName(field.getKey());
                    write(generator, field.getValue());
                }
                generator.writeEndObject();
            }
            case ARRAY -> {
                generator.writeStartArray();
                for (JsonNode item : node) {
                    write(generator, item);
                }
                generator.writeEndArray();
            }
            case STRING -> generator.writeString(node.textValue());
            case NUMBER -> {
                switch (node.numberType()) {
                    case INT -> generator.writeNumber(node.intValue());
                    case LONG -> generator.writeNumber(node.longValue());
                    case BIG_INTEGER -> generator.writeNumber(node.bigIntegerValue());
                    case FLOAT -> generator.writeNumber(node.floatValue());
                    case BIG_DECIMAL -> generator.writeNumber(node.decimalValue());
                    default -> generator.writeNumber(node.doubleValue());
                }
            }
            case BOOLEAN -> generator.writeBoolean(node.booleanValue());
            case NULL -> generator.writeNull();
            case POJO -> writeEntries(generator, node);
            default -> throw new IOException("cannot write a " + node.getNodeType() + " node as JSON");
        }
    }

    /** {@link OverrideEntries} as the object they were read from. */
    private static void writeEntries(JsonGenerator generator, JsonNode node) throws IOException {
        if (!(((POJONode) node).getPojo() instanceof OverrideEntries entries)) {
            throw new IOException("cannot write a POJO node as JSON");
        }
        generator.writeStartObject();
        for (int i = 0; i < entries.size(); i++) {
            generator.writeFieldName(entries.name(i));
            write(generator, entries.value(i));
        }
        generator.writeEndObject();
    }
}
