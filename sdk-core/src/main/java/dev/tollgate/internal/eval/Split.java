package dev.tollgate.internal.eval;

import dev.tollgate.runtime.InputValue;

/**
 * A deterministic percentage split: the unit's bucket (see {@link SplitHash}) picks the first arm whose cumulative
 * upper bound exceeds it; buckets past the last arm go to the default arm. Reaching the split records an exposure when
 * logging is on.
 */
final class Split {
    private final AttributeReader unit;
    private final String seed;
    private final int[] upperBounds;
    private final Outcome[] arms;
    private final Outcome defaultArm;
    private final Outcome missingUnit;
    private final String fieldPath;
    private final String ruleId;
    private final ExposureRecorder exposures;

    /** {@code exposures} receives a record per unit reaching the split, or is null when logging is off. */
    Split(
            AttributeReader unit,
            String seed,
            int[] upperBounds,
            Outcome[] arms,
            Outcome defaultArm,
            Outcome missingUnit,
            String fieldPath,
            String ruleId,
            ExposureRecorder exposures) {
        this.unit = unit;
        this.seed = seed;
        this.upperBounds = upperBounds;
        this.arms = arms;
        this.defaultArm = defaultArm;
        this.missingUnit = missingUnit;
        this.fieldPath = fieldPath;
        this.ruleId = ruleId;
        this.exposures = exposures;
    }

    /** The arm for the unit in {@code context}; {@code record} says whether reaching it is an exposure. */
    Outcome choose(InputValue context, Object[] args, boolean record) {
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
        Outcome arm = defaultArm;
        for (int i = 0; i < upperBounds.length; i++) {
            if (bucket < upperBounds[i]) {
                arm = arms[i];
                break;
            }
        }
        if (record && exposures != null) {
            exposures.record(fieldPath, ruleId, arm.reason().arm(), key);
        }
        return arm;
    }
}
