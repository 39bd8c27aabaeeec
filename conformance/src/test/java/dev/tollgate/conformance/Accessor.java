package dev.tollgate.conformance;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.UntypedRoot;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Predicate;

/** The {@link UntypedRoot} accessor a case reads its field with, named in case files by its lowercase name. */
enum Accessor {
    BOOLEAN(
            JsonNode::isBoolean,
            JsonNode::booleanValue,
            (root, path, args, fallback) -> root.booleanValue(path, args, (Boolean) fallback)),
    INT(
            JsonNode::isInt,
            JsonNode::intValue,
            (root, path, args, fallback) -> root.intValue(path, args, (Integer) fallback)),
    FLOAT(
            JsonNode::isNumber,
            JsonNode::doubleValue,
            (root, path, args, fallback) -> root.floatValue(path, args, (Double) fallback)),
    STRING(
            JsonNode::isTextual,
            JsonNode::textValue,
            (root, path, args, fallback) -> root.stringValue(path, args, (String) fallback)),
    ENUM(
            JsonNode::isTextual,
            JsonNode::textValue,
            (root, path, args, fallback) -> root.enumValue(path, args, (String) fallback)),
    LIST(
            JsonNode::isArray,
            CaseJson::toJava,
            (root, path, args, fallback) -> root.listValue(path, args, (List<?>) fallback)),
    VALUE(node -> true, CaseJson::toJava, UntypedRoot::value);

    /** One {@link UntypedRoot} accessor by path, with its fallback as an {@code Object}. */
    @FunctionalInterface
    private interface Read {
        Object read(UntypedRoot root, String path, Map<String, ?> args, Object fallback);
    }

    private final Predicate<JsonNode> fits;
    private final Function<JsonNode, Object> toJava;
    private final Read read;

    Accessor(Predicate<JsonNode> fits, Function<JsonNode, Object> toJava, Read read) {
        this.fits = fits;
        this.toJava = toJava;
        this.read = read;
    }

    /** The Java fallback the accessor takes, from its JSON form. */
    Object fallback(JsonNode node) {
        if (!fits.test(node)) {
            throw new IllegalArgumentException(
                    "fallback " + node + " does not fit the " + name().toLowerCase(Locale.ROOT) + " accessor");
        }
        return toJava.apply(node);
    }

    Object read(UntypedRoot root, String path, Map<String, ?> args, Object fallback) {
        return read.read(root, path, args, fallback);
    }

    static Accessor named(String name) {
        return valueOf(name.toUpperCase(Locale.ROOT));
    }
}
