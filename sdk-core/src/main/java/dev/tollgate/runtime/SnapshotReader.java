package dev.tollgate.runtime;

import dev.tollgate.EvaluationDetail;
import dev.tollgate.UntypedRoot;
import java.util.List;

/**
 * One snapshot of one client, read for a context by field index with positional arguments: what generated nodes call.
 * A generated root keeps the reader that was current when it was taken, with its context, so every read through it
 * sees the same revision (and, when the snapshot has time windows, the same instant). Indices and argument positions
 * are the ones the generator recorded for the schema ({@code SchemaField.index()}, in the order of declaration); the
 * accessors for primitive fields allocate nothing, and none throws: whenever the logic cannot give a well-typed
 * answer, the fallback comes back.
 *
 * <p>Unlike a {@link FieldReader}, a reader is not bound to a context: it is shared by every root taken while its
 * snapshot is installed, and the context comes with each read. So a root is the generated node and nothing else, an
 * object that escape analysis removes once a request's reads are inlined; a root that held a reader bound to its
 * context would hold a second object, loaded back from the first, which C2 keeps on the heap.
 *
 * <p>Implemented by Tollgate only; obtained from {@link TypedClient#reader(InputValue)}. Thread-safe.
 */
public abstract class SnapshotReader {
    /** For Tollgate's implementation. */
    protected SnapshotReader() {}

    /** The revision this reader reads, or 0 when no snapshot was installed when it was taken. */
    public abstract long revision();

    public abstract boolean booleanValue(InputValue context, int field, Object[] args, boolean fallback);

    public abstract int intValue(InputValue context, int field, Object[] args, int fallback);

    public abstract double floatValue(InputValue context, int field, Object[] args, double fallback);

    public abstract String stringValue(InputValue context, int field, Object[] args, String fallback);

    /** The name of the enum value. */
    public abstract String enumValue(InputValue context, int field, Object[] args, String fallback);

    /** The unmodifiable list: strings for String and enum elements, Integer, Double, Boolean. */
    public abstract List<?> listValue(InputValue context, int field, Object[] args, List<?> fallback);

    /** The value of any field, an object field as an unmodifiable {@code Map<String, Object>}. */
    public abstract Object value(InputValue context, int field, Object[] args, Object fallback);

    /** The value with the reason it came out and the revision it was read from. */
    public abstract EvaluationDetail<Object> detail(InputValue context, int field, Object[] args, Object fallback);

    /**
     * Checks {@code used + requested} against Int field {@code field}, as {@link IntLimit#check(int, int, int)}
     * describes.
     *
     * @throws IllegalArgumentException if {@code used} or {@code requested} is negative
     */
    public abstract LimitCheck limitCheck(
            InputValue context, int field, Object[] args, int used, int requested, int fallback);

    /**
     * Counts {@code amount} of usage against metered Int field {@code field}, as {@link MeteredLimit#tryConsume(int,
     * int)} describes; {@code amount} 0 only looks.
     *
     * @throws IllegalArgumentException if {@code amount} is negative
     */
    public abstract Consumption consume(InputValue context, int field, Object[] args, int amount, int fallback);

    /** This snapshot for {@code context}, read by field path. */
    public abstract UntypedRoot untyped(InputValue context);

    /** This snapshot bound to {@code context}, as the {@link FieldReader} that {@link TypedClient#read} gives. */
    public abstract FieldReader bind(InputValue context);
}
