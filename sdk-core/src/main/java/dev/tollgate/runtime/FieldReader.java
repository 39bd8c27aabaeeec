package dev.tollgate.runtime;

import dev.tollgate.EvaluationDetail;
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

    /** The same context and snapshot, read by field path. */
    UntypedRoot untyped();
}
