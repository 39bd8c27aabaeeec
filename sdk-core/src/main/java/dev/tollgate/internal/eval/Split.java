package dev.tollgate.internal.eval;

import dev.tollgate.runtime.InputValue;

/**
 * A deterministic percentage split: the unit's bucket (see {@link SplitHash}) picks the first arm whose cumulative
 * upper bound exceeds it; buckets past the last arm go to the default arm.
 */
final class Split {
    private final AttributeReader unit;
    private final String seed;
    private final int[] upperBounds;
    private final Outcome[] arms;
    private final Outcome defaultArm;
    private final Outcome missingUnit;

    Split(
            AttributeReader unit,
            String seed,
            int[] upperBounds,
            Outcome[] arms,
            Outcome defaultArm,
            Outcome missingUnit) {
        this.unit = unit;
        this.seed = seed;
        this.upperBounds = upperBounds;
        this.arms = arms;
        this.defaultArm = defaultArm;
        this.missingUnit = missingUnit;
    }

    Outcome choose(InputValue context, Object[] args) {
        Object value = unit.read(context, args);
        String key;
        if (value instanceof String text) {
            key = text;
        } else if (value instanceof Integer number) {
            key = Integer.toString(number);
        } else {
            return missingUnit;
        }
        int bucket = SplitHash.bucket(seed, key);
        for (int i = 0; i < upperBounds.length; i++) {
            if (bucket < upperBounds[i]) {
                return arms[i];
            }
        }
        return defaultArm;
    }
}
