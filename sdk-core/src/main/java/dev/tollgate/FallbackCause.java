package dev.tollgate;

/** Why an evaluation returned the caller's fallback instead of a value from the logic. */
public enum FallbackCause {
    /** No snapshot has been installed yet. */
    NOT_READY,
    /** The field path is not in the schema. */
    UNKNOWN_FIELD,
    /** The installed snapshot has no logic for the field or any field enclosing it. */
    NO_LOGIC,
    /** The field's logic has no default and no override or rule matched. */
    NO_MATCH,
    /** The caller asked for a type other than the field's (for example an int from a Boolean field). */
    TYPE_MISMATCH,
    /** A context attribute the logic needs, such as a split's unit, is absent. */
    MISSING_CONTEXT_ATTRIBUTE,
    /** The field arguments passed do not match the field's declared arguments. */
    INVALID_ARGUMENTS,
    /** The evaluator failed unexpectedly; the failure is logged. */
    EVALUATION_ERROR
}
