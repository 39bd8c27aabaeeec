package dev.tollgate;

import dev.tollgate.internal.eval.CompiledSnapshot;
import dev.tollgate.internal.eval.Outcome;
import dev.tollgate.internal.eval.ValueKind;
import dev.tollgate.internal.logs.EvaluationCounters;
import dev.tollgate.internal.logs.MessageLog;
import dev.tollgate.runtime.InputValue;
import dev.tollgate.schema.PathArgument;
import dev.tollgate.schema.Schema;
import dev.tollgate.schema.SchemaField;
import dev.tollgate.schema.TypeRef;
import java.util.List;
import java.util.Map;

/**
 * One context bound to one snapshot: every read through a root sees the same revision, however many snapshots are
 * installed meanwhile. Roots are cheap, immutable and thread-safe; take one per request with {@link
 * TollgateClient#root(InputValue)}.
 *
 * <p>No method throws because of the logic: whenever it cannot give a well-typed answer, the caller's fallback comes
 * back, and {@link #detail(String, Args, Object)} says why. Nor do the path accessors throw for misuse: an unknown
 * path, a type mismatch, or arguments that are wrong or null ({@link FallbackCause#INVALID_ARGUMENTS}) give the
 * fallback too, counted and reported like any other.
 *
 * <p>Two families of accessors: by path ({@code intValue("entitlements.maxTeamSize", 5)}), for integrations and tools,
 * and by field index ({@link SchemaField#index()}) with positional arguments, which generated code calls. The index
 * accessors for primitive fields allocate nothing.
 */
public final class Root {
    private static final Object[] NO_ARGS = new Object[0];
    private static final Outcome NOT_READY =
            Outcome.fallback(FallbackCause.NOT_READY, "no snapshot has been installed yet");

    private final Schema schema;
    private final CompiledSnapshot snapshot;
    private final InputValue context;
    private final EvaluationCounters counters;
    /** The creating thread's counts, long enough for every slot of {@code snapshot}; null when logging is off. */
    private final long[] counts;

    private final Thread owner;
    private final MessageLog messages;

    /** {@code counters} and {@code messages} are null when logging is off. */
    Root(
            Schema schema,
            CompiledSnapshot snapshot,
            InputValue context,
            EvaluationCounters counters,
            MessageLog messages) {
        this.schema = schema;
        this.snapshot = snapshot;
        this.context = context;
        this.counters = counters;
        // A snapshot's slots are registered as it is installed, before it is published, so this array has them all.
        this.counts = counters == null ? null : counters.counts();
        this.owner = Thread.currentThread();
        this.messages = messages;
    }

    /** The revision this root reads, or 0 when no snapshot was installed when it was taken. */
    public long revision() {
        return snapshot == null ? 0 : snapshot.revision();
    }

    public InputValue context() {
        return context;
    }

    public Schema schema() {
        return schema;
    }

    // ---- by path ----

    public boolean booleanValue(String path, boolean fallback) {
        return booleanValue(path, Args.empty(), fallback);
    }

    public boolean booleanValue(String path, Args args, boolean fallback) {
        Outcome outcome = byPath(path, args, ValueKind.BOOLEAN);
        return outcome.isFallback() ? fallback : outcome.booleanValue();
    }

    public int intValue(String path, int fallback) {
        return intValue(path, Args.empty(), fallback);
    }

    public int intValue(String path, Args args, int fallback) {
        Outcome outcome = byPath(path, args, ValueKind.INT);
        return outcome.isFallback() ? fallback : outcome.intValue();
    }

    public double floatValue(String path, double fallback) {
        return floatValue(path, Args.empty(), fallback);
    }

    public double floatValue(String path, Args args, double fallback) {
        Outcome outcome = byPath(path, args, ValueKind.FLOAT);
        return outcome.isFallback() ? fallback : outcome.doubleValue();
    }

    public String stringValue(String path, String fallback) {
        return stringValue(path, Args.empty(), fallback);
    }

    public String stringValue(String path, Args args, String fallback) {
        Outcome outcome = byPath(path, args, ValueKind.STRING);
        return outcome.isFallback() ? fallback : (String) outcome.value();
    }

    /** The name of the enum value of an enum field. */
    public String enumValue(String path, String fallback) {
        return enumValue(path, Args.empty(), fallback);
    }

    public String enumValue(String path, Args args, String fallback) {
        Outcome outcome = byPath(path, args, ValueKind.ENUM);
        return outcome.isFallback() ? fallback : (String) outcome.value();
    }

    /** The unmodifiable list of a list field: strings for String and enum elements, Integer, Double, Boolean. */
    public List<?> listValue(String path, List<?> fallback) {
        return listValue(path, Args.empty(), fallback);
    }

    public List<?> listValue(String path, Args args, List<?> fallback) {
        Outcome outcome = byPath(path, args, ValueKind.LIST);
        return outcome.isFallback() ? fallback : (List<?>) outcome.value();
    }

    /**
     * The value of any field, including a whole object field as an unmodifiable {@code Map<String, Object>}; the
     * fallback is not type-checked.
     */
    public Object value(String path, Args args, Object fallback) {
        Outcome outcome = byPath(path, args, null);
        return outcome.isFallback() ? fallback : outcome.value();
    }

    /** The value with the reason it came out and the revision it was read from. */
    public EvaluationDetail<Object> detail(String path, Args args, Object fallback) {
        int field = schema.fieldIndex(path);
        if (field < 0) {
            return EvaluationDetail.of(fallback, unknownField(path).reason(), revision());
        }
        Object[] positional;
        try {
            positional = positional(schema.fields().get(field), args);
        } catch (IllegalArgumentException e) {
            return EvaluationDetail.of(fallback, invalidArguments(field, e).reason(), revision());
        }
        return detail(field, positional, fallback);
    }

    // ---- by index, for generated code ----

    public boolean booleanValue(int field, Object[] args, boolean fallback) {
        Outcome outcome = outcome(field, args, ValueKind.BOOLEAN);
        return outcome.isFallback() ? fallback : outcome.booleanValue();
    }

    public int intValue(int field, Object[] args, int fallback) {
        Outcome outcome = outcome(field, args, ValueKind.INT);
        return outcome.isFallback() ? fallback : outcome.intValue();
    }

    public double floatValue(int field, Object[] args, double fallback) {
        Outcome outcome = outcome(field, args, ValueKind.FLOAT);
        return outcome.isFallback() ? fallback : outcome.doubleValue();
    }

    public String stringValue(int field, Object[] args, String fallback) {
        Outcome outcome = outcome(field, args, ValueKind.STRING);
        return outcome.isFallback() ? fallback : (String) outcome.value();
    }

    public String enumValue(int field, Object[] args, String fallback) {
        Outcome outcome = outcome(field, args, ValueKind.ENUM);
        return outcome.isFallback() ? fallback : (String) outcome.value();
    }

    public List<?> listValue(int field, Object[] args, List<?> fallback) {
        Outcome outcome = outcome(field, args, ValueKind.LIST);
        return outcome.isFallback() ? fallback : (List<?>) outcome.value();
    }

    public Object value(int field, Object[] args, Object fallback) {
        Outcome outcome = outcome(field, args, null);
        return outcome.isFallback() ? fallback : outcome.value();
    }

    public EvaluationDetail<Object> detail(int field, Object[] args, Object fallback) {
        Outcome outcome = outcome(field, args, null);
        Reason reason = outcome.reason();
        if (reason.kind() == Reason.Kind.OVERRIDE) {
            String key = snapshot.matchedOverrideKey(field, context, args);
            reason = Reason.override(key != null ? key : reason.overrideKey());
        }
        return EvaluationDetail.of(outcome.isFallback() ? fallback : outcome.value(), reason, revision());
    }

    // ---- internals ----

    private Outcome byPath(String path, Args args, ValueKind expected) {
        int field = schema.fieldIndex(path);
        if (field < 0) {
            return unknownField(path);
        }
        Object[] positional;
        try {
            positional = positional(schema.fields().get(field), args);
        } catch (IllegalArgumentException e) {
            return invalidArguments(field, e);
        }
        return outcome(field, positional, expected);
    }

    private Outcome outcome(int field, Object[] args, ValueKind expected) {
        if (field < 0 || field >= schema.fields().size()) {
            return problem(
                    Outcome.fallback(FallbackCause.UNKNOWN_FIELD, "the schema has no field with index " + field));
        }
        Outcome outcome;
        if (snapshot == null) {
            outcome = NOT_READY;
        } else if (expected != null && snapshot.kind(field) != expected) {
            outcome = problem(Outcome.fallback(
                    FallbackCause.TYPE_MISMATCH,
                    schema.fields().get(field).path() + " is "
                            + snapshot.kind(field).article() + ", not " + expected.article()));
        } else {
            try {
                outcome = snapshot.evaluate(field, context, args);
            } catch (RuntimeException | StackOverflowError e) {
                snapshot.reportEvaluationError(field, e);
                outcome = problem(Outcome.fallback(
                        FallbackCause.EVALUATION_ERROR,
                        "evaluating " + schema.fields().get(field).path() + " failed: " + e));
            }
        }
        count(field, outcome);
        return outcome;
    }

    /**
     * Counts one evaluation of {@code field} ending in {@code outcome}: an opaque increment in the counts array of the
     * thread that created the root, which the root keeps. A root used from another thread counts in that thread's own
     * array instead, so every array keeps a single writer and counts stay exact.
     */
    private void count(int field, Outcome outcome) {
        if (counts == null) {
            return;
        }
        int slot = outcome.counterSlot();
        if (slot < 0) {
            slot = EvaluationCounters.fallbackSlot(field, outcome.reason().fallbackCause());
        }
        if (Thread.currentThread() == owner) {
            EvaluationCounters.increment(counts, slot);
        } else {
            counters.increment(slot);
        }
    }

    private Outcome invalidArguments(int field, IllegalArgumentException e) {
        Outcome invalid = problem(Outcome.fallback(FallbackCause.INVALID_ARGUMENTS, e.getMessage()));
        count(field, invalid);
        return invalid;
    }

    private Outcome unknownField(String path) {
        return problem(Outcome.fallback(FallbackCause.UNKNOWN_FIELD, "the schema has no field " + path));
    }

    /** Reports a misuse (not a missing snapshot or missing logic) as an SDK message, and returns the outcome. */
    private Outcome problem(Outcome outcome) {
        if (messages != null) {
            messages.warn(
                    outcome.reason().fallbackCause() + ": " + outcome.reason().message());
        }
        return outcome;
    }

    private Object[] positional(SchemaField field, Args args) {
        if (args == null) {
            throw new IllegalArgumentException(
                    field.path() + ": the arguments are null; pass Args.empty() for a field without arguments");
        }
        List<PathArgument> declared = field.arguments();
        Map<String, Object> given = args.values();
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
        return "Root[revision=" + revision() + ", context=" + context + "]";
    }
}
