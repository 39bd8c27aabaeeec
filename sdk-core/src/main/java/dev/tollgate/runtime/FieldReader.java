package dev.tollgate.runtime;

import dev.tollgate.EvaluationDetail;
import dev.tollgate.FallbackCause;
import dev.tollgate.Reason;
import dev.tollgate.UntypedRoot;
import java.util.List;

/**
 * One context bound to one snapshot, read by field index with positional arguments: what generated node classes call.
 * Every read through one reader sees the same revision. Indices and argument positions are the ones the generator
 * recorded for the schema ({@code SchemaField.index()}, in the order of declaration); the accessors for primitive
 * fields allocate nothing, and none throws: whenever the logic cannot give a well-typed answer, the fallback comes back.
 *
 * <p>Implemented by Tollgate only; obtained from {@link TypedClient#read(InputValue)}.
 */
public interface FieldReader {
    /** The revision this reader reads, or 0 when no snapshot was installed when it was taken. */
    long revision();

    boolean booleanValue(int field, Object[] args, boolean fallback);

    int intValue(int field, Object[] args, int fallback);

    double floatValue(int field, Object[] args, double fallback);

    String stringValue(int field, Object[] args, String fallback);

    /** The name of the enum value. */
    String enumValue(int field, Object[] args, String fallback);

    /** The unmodifiable list: strings for String and enum elements, Integer, Double, Boolean. */
    List<?> listValue(int field, Object[] args, List<?> fallback);

    /** The value of any field, an object field as an unmodifiable {@code Map<String, Object>}. */
    Object value(int field, Object[] args, Object fallback);

    /** The value with the reason it came out and the revision it was read from. */
    EvaluationDetail<Object> detail(int field, Object[] args, Object fallback);

    /**
     * Checks {@code used + requested} against Int field {@code field}, as {@link IntLimit#check(int, int, int)}
     * describes; the reason is the one {@link #detail} gives. This default gives no alternatives; Tollgate's readers
     * compute them from the snapshot.
     *
     * @throws IllegalArgumentException if {@code used} or {@code requested} is negative
     */
    default LimitCheck limitCheck(int field, Object[] args, int used, int requested, int fallback) {
        LimitCheck.requireNotNegative("used", used);
        LimitCheck.requireNotNegative("requested", requested);
        EvaluationDetail<Object> detail = detail(field, args, fallback);
        if (detail.isFallback() || detail.value() instanceof Integer) {
            int limit = detail.isFallback() ? fallback : (Integer) detail.value();
            return LimitCheck.of(limit, used, requested, detail.reason(), List.of());
        }
        Reason mismatch = Reason.fallback(
                FallbackCause.TYPE_MISMATCH, "field " + field + " is not an Int field: it gave " + detail.value());
        return LimitCheck.of(fallback, used, requested, mismatch, List.of());
    }

    /**
     * Counts {@code amount} of usage against metered Int field {@code field}, as {@link MeteredLimit#tryConsume(int,
     * int)} describes; {@code amount} 0 only looks. Tollgate's readers count in the client's meters; this default
     * counts nothing and answers {@link Consumption.Status#NOT_COUNTED} with the field's limit.
     *
     * @throws IllegalArgumentException if {@code amount} is negative
     */
    default Consumption consume(int field, Object[] args, int amount, int fallback) {
        Consumption.requireNotNegative("amount", amount);
        EvaluationDetail<Object> detail = detail(field, args, fallback);
        int limit = !detail.isFallback() && detail.value() instanceof Integer value ? value : fallback;
        return Consumption.notCounted(limit, amount, detail.reason(), "this reader does not count usage");
    }

    /** The same context and snapshot, read by field path. */
    UntypedRoot untyped();
}
