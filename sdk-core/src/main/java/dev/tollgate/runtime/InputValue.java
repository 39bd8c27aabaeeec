package dev.tollgate.runtime;

/**
 * The contract between input values (contexts and structured arguments) and the evaluator: attribute access by slot,
 * with no reflection and no per-call map.
 *
 * <p>Slots are those of the input type's {@link dev.tollgate.internal.schema.InputLayout}: every scalar, enum or list attribute
 * reachable through nested input fields, numbered depth-first in declaration order. Snapshots are compiled against the
 * layout, so evaluation reads {@code attribute(slot)} directly.
 *
 * <p>Values are: {@link String} for {@code String}; the value's name as a {@link String} for enums; {@link Integer}
 * for {@code Int}; {@link Double} for {@code Float}; {@link Boolean}; an unmodifiable {@link java.util.List} of these
 * for lists; {@code null} when the attribute (or an input object on its way) is absent. Implementations are immutable
 * and must not allocate in {@code attribute}. Generated input classes implement this interface; {@link
 * dev.tollgate.DynamicInput} implements it for callers without generated code.
 */
public interface InputValue {

    /** The name of the schema input type this value is an instance of. */
    String inputTypeName();

    /** The attribute at {@code slot}, or {@code null} when it is absent. */
    Object attribute(int slot);
}
