package dev.tollgate.openfeature;

import dev.openfeature.sdk.EvaluationContext;
import dev.openfeature.sdk.Structure;
import dev.openfeature.sdk.Value;
import dev.tollgate.DynamicInput;
import dev.tollgate.Schema;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns an OpenFeature evaluation context into the schema's context and the field arguments, as docs/openfeature.md
 * describes: attributes become the context's fields by name (structures nest, lists stay lists, instants become their
 * ISO-8601 text, integral numbers become longs so they fit both Int and Float), the targeting key goes to the
 * configured attribute path, and the reserved arguments key holds the field arguments. Stateless and thread-safe.
 */
final class ContextMapping {
    private final Schema schema;
    private final List<String> targetingKeyPath;
    private final String argumentsKey;

    ContextMapping(Schema schema, List<String> targetingKeyPath, String argumentsKey) {
        this.schema = schema;
        this.targetingKeyPath = targetingKeyPath;
        this.argumentsKey = argumentsKey;
    }

    /**
     * The context for {@code context}.
     *
     * @throws IllegalArgumentException naming the attribute, when the context does not fit the schema's context type
     */
    DynamicInput context(EvaluationContext context) {
        Map<String, Object> values = new LinkedHashMap<>();
        if (context != null) {
            for (Map.Entry<String, Value> entry : context.asUnmodifiableMap().entrySet()) {
                String key = entry.getKey();
                if (!key.equals(argumentsKey) && !key.equals(EvaluationContext.TARGETING_KEY)) {
                    values.put(key, plain(entry.getValue()));
                }
            }
            putTargetingKey(values, context.getTargetingKey());
        }
        return DynamicInput.context(schema, values);
    }

    /**
     * The field arguments in {@code context}'s arguments key, or an empty map.
     *
     * @throws IllegalArgumentException when the arguments key holds something other than a structure
     */
    Map<String, Object> arguments(EvaluationContext context) {
        Value args = context == null ? null : context.getValue(argumentsKey);
        if (args == null || args.isNull()) {
            return Map.of();
        }
        if (!args.isStructure()) {
            throw new IllegalArgumentException("the context attribute " + argumentsKey
                    + " holds the field arguments and must be a structure, not " + args);
        }
        return structure(args.asStructure());
    }

    /**
     * Puts the targeting key at its attribute path unless the context already has a value there. Intermediate
     * structures are created, or copied when the context gave them, so the caller's maps are never changed.
     */
    private void putTargetingKey(Map<String, Object> values, String targetingKey) {
        if (targetingKeyPath.isEmpty() || targetingKey == null || targetingKey.isEmpty()) {
            return;
        }
        Map<String, Object> level = values;
        for (String segment : targetingKeyPath.subList(0, targetingKeyPath.size() - 1)) {
            Object next = level.get(segment);
            if (next != null && !(next instanceof Map<?, ?>)) {
                return; // the context's own value is kept; DynamicInput reports it if it does not fit
            }
            Map<String, Object> copy = next == null ? new LinkedHashMap<>() : new LinkedHashMap<>(castMap(next));
            level.put(segment, copy);
            level = copy;
        }
        level.putIfAbsent(targetingKeyPath.get(targetingKeyPath.size() - 1), targetingKey);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> castMap(Object map) {
        return (Map<String, Object>) map;
    }

    private static Map<String, Object> structure(Structure structure) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (Map.Entry<String, Value> entry : structure.asUnmodifiableMap().entrySet()) {
            map.put(entry.getKey(), plain(entry.getValue()));
        }
        return map;
    }

    /** The plain Java form of {@code value}: what {@link DynamicInput} takes. */
    static Object plain(Value value) {
        if (value == null || value.isNull()) {
            return null;
        }
        if (value.isStructure()) {
            return structure(value.asStructure());
        }
        if (value.isList()) {
            return list(value.asList());
        }
        if (value.isInstant()) {
            return value.asInstant().toString();
        }
        if (value.isNumber()) {
            return number(value.asObject());
        }
        return value.asObject();
    }

    private static List<Object> list(List<Value> values) {
        List<Object> list = new ArrayList<>(values.size());
        for (Value value : values) {
            list.add(plain(value));
        }
        return Collections.unmodifiableList(list);
    }

    /**
     * Integral doubles become longs: contexts read from JSON carry {@code 3} as {@code 3.0}, which an Int attribute
     * refuses, while a Float attribute takes a long as well.
     */
    private static Object number(Object number) {
        if (number instanceof Double d && Double.isFinite(d) && d == Math.rint(d) && Math.abs(d) < 0x1p53) {
            return d.longValue();
        }
        return number;
    }
}
