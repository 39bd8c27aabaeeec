package dev.tollgate.runtime;

import dev.tollgate.EvaluationDetail;
import dev.tollgate.FallbackCause;
import dev.tollgate.Reason;
import dev.tollgate.Schema;
import dev.tollgate.internal.ApiAccess;
import dev.tollgate.internal.schema.SchemaModel;
import dev.tollgate.internal.schema.SchemaParser;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.function.Function;

/**
 * Helpers that generated code calls: loading and checking the embedded schema, building argument arrays, typing
 * details, and enum and list conversions. Not for application code; it changes with the generator.
 */
public final class GeneratedSupport {
    /** The argument array of fields without arguments; shared, never written. */
    public static final Object[] NO_ARGUMENTS = {};

    private GeneratedSupport() {}

    /**
     * Parses the embedded schema and checks that the runtime on the class path assigns the field indices and attribute
     * slots the generated code was compiled against.
     */
    public static Schema loadSchema(String sdl, String file, String hash, String layout) {
        SchemaModel schema = SchemaParser.parse(sdl, file);
        if (!schema.hash().equals(hash)) {
            throw new IllegalStateException(
                    "the embedded schema should hash to " + hash + " but the runtime computes " + schema.hash());
        }
        if (!schema.layoutDigest().equals(layout)) {
            throw new IllegalStateException(
                    "this version of tollgate-sdk-core numbers the schema's fields differently from the one the code was generated for; regenerate it with the tollgate-codegen version matching tollgate-sdk-core");
        }
        return ApiAccess.schema(schema);
    }

    /**
     * The enclosing fields' arguments followed by a field's own; one allocation.
     */
    public static Object[] arguments(Object[] inherited, Object first) {
        Object[] arguments = Arrays.copyOf(inherited, inherited.length + 1);
        arguments[inherited.length] = first;
        return arguments;
    }

    public static Object[] arguments(Object[] inherited, Object first, Object second) {
        Object[] arguments = Arrays.copyOf(inherited, inherited.length + 2);
        arguments[inherited.length] = first;
        arguments[inherited.length + 1] = second;
        return arguments;
    }

    public static Object[] arguments(Object[] inherited, Object first, Object second, Object third) {
        Object[] arguments = Arrays.copyOf(inherited, inherited.length + 3);
        arguments[inherited.length] = first;
        arguments[inherited.length + 1] = second;
        arguments[inherited.length + 2] = third;
        return arguments;
    }

    public static Object[] appendArguments(Object[] inherited, Object[] own) {
        Object[] arguments = Arrays.copyOf(inherited, inherited.length + own.length);
        System.arraycopy(own, 0, arguments, inherited.length, own.length);
        return arguments;
    }

    /**
     * A detail as its field's type: the value is the snapshot's, which the schema types, or the caller's fallback of
     * that type.
     */
    @SuppressWarnings("unchecked")
    public static <T> EvaluationDetail<T> typed(EvaluationDetail<Object> detail) {
        return (EvaluationDetail<T>) (EvaluationDetail<?>) detail;
    }

    /**
     * A detail of an enum field; a value this code does not know gives the fallback.
     */
    public static <E> EvaluationDetail<E> enumDetail(
            EvaluationDetail<Object> detail, Function<String, E> lookup, E fallback, String enumName) {
        if (detail.isFallback()) {
            return EvaluationDetail.of(fallback, detail.reason(), detail.revision());
        }
        E value = detail.value() instanceof String name ? lookup.apply(name) : null;
        if (value == null) {
            return EvaluationDetail.of(fallback, unknown(detail, enumName), detail.revision());
        }
        return EvaluationDetail.of(value, detail.reason(), detail.revision());
    }

    /**
     * Enum values by schema name, or {@code null} if {@code names} is or any name is unknown.
     */
    public static <E> List<E> enumList(List<?> names, Function<String, E> lookup) {
        if (names == null) {
            return null;
        }
        List<E> values = new ArrayList<>(names.size());
        for (Object name : names) {
            E value = name instanceof String text ? lookup.apply(text) : null;
            if (value == null) {
                return null;
            }
            values.add(value);
        }
        return Collections.unmodifiableList(values);
    }

    /**
     * A detail of an enum list field; a value this code does not know gives the fallback.
     */
    public static <E> EvaluationDetail<List<E>> enumListDetail(
            EvaluationDetail<Object> detail, Function<String, E> lookup, List<E> fallback, String enumName) {
        if (detail.isFallback()) {
            return EvaluationDetail.of(fallback, detail.reason(), detail.revision());
        }
        List<E> values = detail.value() instanceof List<?> names ? enumList(names, lookup) : null;
        if (values == null) {
            return EvaluationDetail.of(fallback, unknown(detail, enumName), detail.revision());
        }
        return EvaluationDetail.of(values, detail.reason(), detail.revision());
    }

    private static Reason unknown(EvaluationDetail<Object> detail, String enumName) {
        return Reason.fallback(
                FallbackCause.TYPE_MISMATCH,
                "the snapshot's value " + detail.value() + " is not a value of " + enumName
                        + " that this code knows; regenerate it from the current schema");
    }

    /**
     * A list value as its field's element type, which the schema guarantees; the runtime's lists are unmodifiable.
     */
    @SuppressWarnings("unchecked")
    public static <T> List<T> list(List<?> list) {
        return (List<T>) list;
    }

    /**
     * An unmodifiable copy of a list argument; null stays null.
     */
    public static List<?> listArgument(List<?> list) {
        return list == null ? null : Collections.unmodifiableList(new ArrayList<>(list));
    }

    /**
     * An unmodifiable copy of a list for an input or arguments builder.
     */
    public static <T> List<T> copyList(List<T> list, String field, boolean required, boolean nonNullElements) {
        if (list == null) {
            if (required) {
                throw new NullPointerException(field + " must not be null");
            }
            return null;
        }
        List<T> copy = new ArrayList<>(list);
        if (nonNullElements && copy.contains(null)) {
            throw new NullPointerException(field + " must not contain null");
        }
        return Collections.unmodifiableList(copy);
    }

    /**
     * The schema names of enum values, as the evaluator reads them; null stays null.
     */
    public static <E> List<String> enumNames(List<E> values, Function<E, String> name) {
        if (values == null) {
            return null;
        }
        List<String> names = new ArrayList<>(values.size());
        for (E value : values) {
            names.add(value == null ? null : name.apply(value));
        }
        return Collections.unmodifiableList(names);
    }

    /**
     * Throws naming every required field that is null; arguments are name, value pairs.
     */
    public static void checkRequired(String owner, Object... namesAndValues) {
        List<String> missing = new ArrayList<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            if (namesAndValues[i + 1] == null) {
                missing.add(owner + "." + namesAndValues[i]);
            }
        }
        if (missing.size() == 1) {
            throw new IllegalStateException(missing.get(0) + " is required but was not set");
        } else if (!missing.isEmpty()) {
            throw new IllegalStateException(String.join(", ", missing) + " are required but were not set");
        }
    }
}
