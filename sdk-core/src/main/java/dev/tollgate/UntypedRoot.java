package dev.tollgate;

import dev.tollgate.internal.ApiAccess;
import dev.tollgate.internal.BoundRoot;
import dev.tollgate.internal.eval.Outcome;
import dev.tollgate.internal.eval.ValueKind;
import dev.tollgate.internal.schema.PathArgument;
import dev.tollgate.internal.schema.SchemaField;
import dev.tollgate.internal.schema.SchemaModel;
import dev.tollgate.internal.schema.TypeRef;
import dev.tollgate.runtime.InputValue;
import java.util.List;
import java.util.Map;

/**
 * One context bound to one snapshot, read by field path: every read through a root sees the same revision, however
 * many snapshots are installed meanwhile. Roots are cheap, immutable and thread-safe; take one per request with {@link
 * TollgateClient#root(InputValue)}. Code generated from the schema reads the same through its typed root instead.
 *
 * <p>No method throws because of the logic: whenever it cannot give a well-typed answer, the caller's fallback comes
 * back, and {@link #detail(String, Map, Object)} says why. Nor do the accessors throw for misuse: an unknown path, a
 * type mismatch, or arguments that are wrong or null ({@link FallbackCause#INVALID_ARGUMENTS}) give the fallback too,
 * counted and reported like any other.
 */
public final class UntypedRoot {
    private static final Object[] NO_ARGS = new Object[0];

    static {
        ApiAccess.registerRoots(UntypedRoot::new);
    }

    private final BoundRoot bound;
    private final SchemaModel schema;

    private UntypedRoot(BoundRoot bound) {
        this.bound = bound;
        this.schema = bound.schema();
    }

    /** The revision this root reads, or 0 when no snapshot was installed when it was taken. */
    public long revision() {
        return bound.revision();
    }

    public InputValue context() {
        return bound.context();
    }

    public boolean booleanValue(String path, boolean fallback) {
        return booleanValue(path, Map.of(), fallback);
    }

    public boolean booleanValue(String path, Map<String, ?> args, boolean fallback) {
        Outcome outcome = byPath(path, args, ValueKind.BOOLEAN);
        return outcome.isFallback() ? fallback : outcome.booleanValue();
    }

    public int intValue(String path, int fallback) {
        return intValue(path, Map.of(), fallback);
    }

    public int intValue(String path, Map<String, ?> args, int fallback) {
        Outcome outcome = byPath(path, args, ValueKind.INT);
        return outcome.isFallback() ? fallback : outcome.intValue();
    }

    public double floatValue(String path, double fallback) {
        return floatValue(path, Map.of(), fallback);
    }

    public double floatValue(String path, Map<String, ?> args, double fallback) {
        Outcome outcome = byPath(path, args, ValueKind.FLOAT);
        return outcome.isFallback() ? fallback : outcome.doubleValue();
    }

    public String stringValue(String path, String fallback) {
        return stringValue(path, Map.of(), fallback);
    }

    public String stringValue(String path, Map<String, ?> args, String fallback) {
        Outcome outcome = byPath(path, args, ValueKind.STRING);
        return outcome.isFallback() ? fallback : (String) outcome.value();
    }

    /** The name of the enum value of an enum field. */
    public String enumValue(String path, String fallback) {
        return enumValue(path, Map.of(), fallback);
    }

    public String enumValue(String path, Map<String, ?> args, String fallback) {
        Outcome outcome = byPath(path, args, ValueKind.ENUM);
        return outcome.isFallback() ? fallback : (String) outcome.value();
    }

    /** The unmodifiable list of a list field: strings for String and enum elements, Integer, Double, Boolean. */
    public List<?> listValue(String path, List<?> fallback) {
        return listValue(path, Map.of(), fallback);
    }

    public List<?> listValue(String path, Map<String, ?> args, List<?> fallback) {
        Outcome outcome = byPath(path, args, ValueKind.LIST);
        return outcome.isFallback() ? fallback : (List<?>) outcome.value();
    }

    /**
     * The value of any field, including a whole object field as an unmodifiable {@code Map<String, Object>}; the
     * fallback is not type-checked.
     */
    public Object value(String path, Map<String, ?> args, Object fallback) {
        Outcome outcome = byPath(path, args, null);
        return outcome.isFallback() ? fallback : outcome.value();
    }

    /** The value with the reason it came out and the revision it was read from. */
    public EvaluationDetail<Object> detail(String path, Map<String, ?> args, Object fallback) {
        int field = schema.fieldIndex(path);
        if (field < 0) {
            return EvaluationDetail.of(fallback, bound.unknownField(path).reason(), revision());
        }
        Object[] positional;
        try {
            positional = positional(schema.fields().get(field), args);
        } catch (IllegalArgumentException e) {
            return EvaluationDetail.of(
                    fallback, bound.invalidArguments(field, e).reason(), revision());
        }
        return bound.detail(field, positional, fallback);
    }

    private Outcome byPath(String path, Map<String, ?> args, ValueKind expected) {
        int field = schema.fieldIndex(path);
        if (field < 0) {
            return bound.unknownField(path);
        }
        Object[] positional;
        try {
            positional = positional(schema.fields().get(field), args);
        } catch (IllegalArgumentException e) {
            return bound.invalidArguments(field, e);
        }
        return bound.outcome(field, positional, expected);
    }

    private Object[] positional(SchemaField field, Map<String, ?> args) {
        if (args == null) {
            throw new IllegalArgumentException(
                    field.path() + ": the arguments are null; pass Map.of() for a field without arguments");
        }
        List<PathArgument> declared = field.arguments();
        Map<String, ?> given = args;
        if (declared.isEmpty() && given.isEmpty()) {
            return NO_ARGS;
        }
        for (String name : given.keySet()) {
            if (declared.stream().noneMatch(argument -> argument.name().equals(name))) {
                throw new IllegalArgumentException(field.path() + " has no argument " + name);
            }
        }
        Object[] positional = new Object[declared.size()];
        for (PathArgument argument : declared) {
            Object value = given.get(argument.name());
            String where = field.path() + "(" + argument.name() + ")";
            TypeRef type = argument.type();
            if (value instanceof InputValue input && type instanceof TypeRef.Named) {
                if (!input.inputTypeName().equals(type.namedType())) {
                    throw new IllegalArgumentException(
                            where + ": expected " + type.namedType() + " but got " + input.inputTypeName());
                }
                positional[argument.position()] = input;
            } else if (value instanceof Map<?, ?> map
                    && type instanceof TypeRef.Named
                    && schema.inputLayout(type.namedType()).isPresent()) {
                positional[argument.position()] =
                        DynamicInput.of(schema, type.namedType(), castKeys(map, where), where);
            } else {
                positional[argument.position()] = DynamicInput.convert(schema, type, value, where);
            }
        }
        return positional;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, ?> castKeys(Map<?, ?> map, String where) {
        for (Object key : map.keySet()) {
            if (!(key instanceof String)) {
                throw new IllegalArgumentException(where + ": keys must be strings, found " + key);
            }
        }
        return (Map<String, ?>) map;
    }

    @Override
    public String toString() {
        return "UntypedRoot[revision=" + revision() + ", context=" + context() + "]";
    }
}
