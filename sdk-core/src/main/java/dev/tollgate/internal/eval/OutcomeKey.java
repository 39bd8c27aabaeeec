package dev.tollgate.internal.eval;

/**
 * The stable name of a value outcome: the field path it answers and its {@link dev.tollgate.Reason#label() label},
 * such as {@code entitlements.maxTeamSize} and {@code rule:pro}. Unlike an outcome's id, which numbers the outcomes of
 * one compiled snapshot, the key means the same in every snapshot, so counts kept under it survive snapshot swaps.
 */
public record OutcomeKey(String fieldPath, String label) {
    @Override
    public String toString() {
        return fieldPath + " " + label;
    }
}
