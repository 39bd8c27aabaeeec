package dev.tollgate.internal.eval;

import java.util.Objects;

/**
 * The stable name of a value outcome: the field path it answers and its {@link dev.tollgate.Reason#label() label},
 * such as {@code entitlements.maxTeamSize} and {@code rule:pro}. Unlike an outcome's id, which numbers the outcomes of
 * one compiled snapshot, the key means the same in every snapshot, so counts kept under it survive snapshot swaps.
 */
public record OutcomeKey(String fieldPath, String label) {
    /*
     * equals and hashCode are written out: a record's own are linked by an invokedynamic bootstrap
     * (java.lang.runtime.ObjectMethods) on first use, some 20 ms of a cold start, and a client hashes these keys as it
     * starts.
     */

    @Override
    public boolean equals(Object o) {
        return o instanceof OutcomeKey other
                && Objects.equals(fieldPath, other.fieldPath)
                && Objects.equals(label, other.label);
    }

    @Override
    public int hashCode() {
        return 31 * Objects.hashCode(fieldPath) + Objects.hashCode(label);
    }

    @Override
    public String toString() {
        return fieldPath + " " + label;
    }
}
