package dev.tollgate;

import dev.tollgate.internal.ApiAccess;
import dev.tollgate.internal.schema.EnumTypeDefinition;
import dev.tollgate.internal.schema.InputAttribute;
import dev.tollgate.internal.schema.InputLayout;
import dev.tollgate.internal.schema.InputTypeDefinition;
import dev.tollgate.internal.schema.InputValueDefinition;
import dev.tollgate.internal.schema.ScalarType;
import dev.tollgate.internal.schema.SchemaModel;
import dev.tollgate.internal.schema.TypeDefinition;
import dev.tollgate.internal.schema.TypeRef;
import dev.tollgate.runtime.InputValue;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * An input value (a context, or a structured field argument) built at run time from a map, for callers without
 * generated code: tests, tools, the server's preview. It is checked against the schema when built: unknown keys,
 * missing required fields and wrongly typed values are rejected with the path of the offending value.
 *
 * <pre>{@code
 * InputValue context = DynamicInput.context(schema, Map.of(
 *         "organization", Map.of("id", "org_42", "plan", "PRO"),
 *         "user", Map.of("id", "u_1")));
 * }</pre>
 *
 * <p>Values: strings for {@code String}; enum names (or Java enums, by name) for enums; any integral {@link Number} in
 * range for {@code Int}; any {@link Number} for {@code Float}; {@link Boolean}; lists for list types; nested maps for
 * input types. Instances are immutable.
 */
public final class DynamicInput implements InputValue {

    private final String typeName;
    private final Map<String, Object> values;
    private final Object[] slots;

    private DynamicInput(String typeName, Map<String, Object> values, Object[] slots) {
        this.typeName = typeName;
        this.values = values;
        this.slots = slots;
    }

    /** A context for {@code schema}'s context type. */
    public static DynamicInput context(Schema schema, Map<String, ?> values) {
        SchemaModel model = ApiAccess.model(schema);
        return of(model, model.contextType().name(), values, model.contextType().name());
    }

    /** A value of the input type {@code inputType}. */
    public static DynamicInput of(Schema schema, String inputType, Map<String, ?> values) {
        return of(ApiAccess.model(schema), inputType, values, inputType);
    }

    /** As {@link #of(Schema, String, Map)}, naming the value {@code path} in error messages. */
    static DynamicInput of(SchemaModel schema, String inputType, Map<String, ?> values, String path) {
        Objects.requireNonNull(values, "values");
        TypeDefinition type = schema.type(inputType).orElse(null);
        if (!(type instanceof InputTypeDefinition input)) {
            throw new IllegalArgumentException("the schema has no input type " + inputType);
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> converted = (Map<String, Object>) convertInput(schema, input, values, path);
        InputLayout layout = schema.inputLayout(input.name())
                .orElseThrow(() -> new IllegalArgumentException("input type " + input.name()
                        + " is not used by the context or by any field argument of the schema"));
        Object[] slots = new Object[layout.size()];
        for (InputAttribute attribute : layout.attributes()) {
            slots[attribute.slot()] = lookup(converted, attribute.segments());
        }
        return new DynamicInput(input.name(), converted, slots);
    }

    @Override
    public String inputTypeName() {
        return typeName;
    }

    @Override
    public Object attribute(int slot) {
        return slots[slot];
    }

    /** The normalized values as nested unmodifiable maps. */
    public Map<String, Object> values() {
        return values;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DynamicInput d && typeName.equals(d.typeName) && values.equals(d.values);
    }

    @Override
    public int hashCode() {
        return typeName.hashCode() * 31 + values.hashCode();
    }

    @Override
    public String toString() {
        return typeName + values;
    }

    /**
     * Converts {@code value} to the normalized Java form of {@code type}, or throws {@link IllegalArgumentException}
     * naming {@code path}. {@code null} is returned for an absent nullable value.
     */
    static Object convert(SchemaModel schema, TypeRef type, Object value, String path) {
        if (value == null) {
            if (type.nonNull()) {
                throw new IllegalArgumentException(path + ": required " + type + " is missing");
            }
            return null;
        }
        if (type instanceof TypeRef.ListOf list) {
            List<?> items = value instanceof List<?> l ? l : value instanceof Object[] a ? Arrays.asList(a) : null;
            if (items == null) {
                throw mismatch(path, value, "a list " + type);
            }
            List<Object> converted = new ArrayList<>(items.size());
            for (int i = 0; i < items.size(); i++) {
                converted.add(convert(schema, list.element(), items.get(i), path + "[" + i + "]"));
            }
            return Collections.unmodifiableList(converted);
        }
        if (type.scalar() != null) {
            return convertScalar(type.scalar(), value, path);
        }
        String name = type.namedType();
        TypeDefinition definition = schema.type(name).orElseThrow();
        if (definition instanceof EnumTypeDefinition enumType) {
            String valueName = value instanceof Enum<?> e ? e.name() : value instanceof String s ? s : null;
            if (valueName == null || !enumType.hasValue(valueName)) {
                throw mismatch(path, value, "a value of enum " + enumType.name());
            }
            return valueName;
        }
        InputTypeDefinition input = (InputTypeDefinition) definition;
        if (value instanceof DynamicInput dynamic && dynamic.typeName.equals(input.name())) {
            return dynamic.values;
        }
        if (!(value instanceof Map<?, ?> map)) {
            throw mismatch(path, value, "a " + input.name() + " object (a map)");
        }
        return convertInput(schema, input, stringKeys(map, path), path);
    }

    private static Object convertScalar(ScalarType scalar, Object value, String path) {
        return switch (scalar) {
            case STRING -> {
                if (value instanceof String) {
                    yield value;
                }
                throw mismatch(path, value, "a String");
            }
            case BOOLEAN -> {
                if (value instanceof Boolean) {
                    yield value;
                }
                throw mismatch(path, value, "a Boolean");
            }
            case INT -> toInt(value, path);
            case FLOAT -> {
                if (value instanceof Number number && Double.isFinite(number.doubleValue())) {
                    yield number.doubleValue();
                }
                throw mismatch(path, value, "a finite Float");
            }
        };
    }

    private static Object convertInput(
            SchemaModel schema, InputTypeDefinition input, Map<String, ?> values, String path) {
        for (String key : values.keySet()) {
            if (input.field(key).isEmpty()) {
                throw new IllegalArgumentException(path + ": " + input.name() + " has no field " + key);
            }
        }
        Map<String, Object> converted = new LinkedHashMap<>();
        for (InputValueDefinition field : input.fields()) {
            Object value = convert(schema, field.type(), values.get(field.name()), path + "." + field.name());
            if (value != null) {
                converted.put(field.name(), value);
            }
        }
        return Collections.unmodifiableMap(converted);
    }

    private static Integer toInt(Object value, String path) {
        if (value instanceof Integer integer) {
            return integer;
        }
        if (value instanceof Long || value instanceof Short || value instanceof Byte || value instanceof BigInteger) {
            BigInteger big = value instanceof BigInteger b ? b : BigInteger.valueOf(((Number) value).longValue());
            if (big.bitLength() < 32) {
                return big.intValue();
            }
        }
        throw mismatch(path, value, "an Int");
    }

    private static IllegalArgumentException mismatch(String path, Object value, String expected) {
        String shown = value instanceof String s ? "\"" + s + "\"" : String.valueOf(value);
        return new IllegalArgumentException(path + ": " + shown + " is not " + expected);
    }

    private static Map<String, Object> stringKeys(Map<?, ?> map, String path) {
        Map<String, Object> result = new LinkedHashMap<>();
        for (Map.Entry<?, ?> entry : map.entrySet()) {
            if (!(entry.getKey() instanceof String key)) {
                throw new IllegalArgumentException(path + ": keys must be strings, found " + entry.getKey());
            }
            result.put(key, entry.getValue());
        }
        return result;
    }

    private static Object lookup(Map<String, Object> values, List<String> segments) {
        Object current = values;
        for (String segment : segments) {
            if (!(current instanceof Map<?, ?> map)) {
                return null;
            }
            current = map.get(segment);
        }
        return current;
    }
}
