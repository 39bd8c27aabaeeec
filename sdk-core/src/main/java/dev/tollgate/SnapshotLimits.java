package dev.tollgate;

/**
 * Caps enforced when a snapshot is loaded, so that a bad or hostile document cannot exhaust memory or time. A snapshot
 * over any cap is rejected with a message naming the cap. The defaults suit tens of thousands of overrides per field.
 */
public final class SnapshotLimits {
    private static final SnapshotLimits DEFAULTS = new Builder().build();

    private final int maxBytes;
    private final int maxNestingDepth;
    private final int maxConditionDepth;
    private final int maxRulesPerField;
    private final int maxListLength;
    private final int maxOverrideRows;
    private final int maxSegments;
    private final int maxStringLength;
    private final int maxPatternLength;

    private SnapshotLimits(Builder b) {
        maxBytes = b.maxBytes;
        maxNestingDepth = b.maxNestingDepth;
        maxConditionDepth = b.maxConditionDepth;
        maxRulesPerField = b.maxRulesPerField;
        maxListLength = b.maxListLength;
        maxOverrideRows = b.maxOverrideRows;
        maxSegments = b.maxSegments;
        maxStringLength = b.maxStringLength;
        maxPatternLength = b.maxPatternLength;
    }

    public static SnapshotLimits defaults() {
        return DEFAULTS;
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        Builder b = new Builder();
        b.maxBytes = maxBytes;
        b.maxNestingDepth = maxNestingDepth;
        b.maxConditionDepth = maxConditionDepth;
        b.maxRulesPerField = maxRulesPerField;
        b.maxListLength = maxListLength;
        b.maxOverrideRows = maxOverrideRows;
        b.maxSegments = maxSegments;
        b.maxStringLength = maxStringLength;
        b.maxPatternLength = maxPatternLength;
        return b;
    }

    /** The largest snapshot document, in bytes. Default 64 MiB. */
    public int maxBytes() {
        return maxBytes;
    }

    /** The deepest JSON nesting of arrays and objects. Default 64. */
    public int maxNestingDepth() {
        return maxNestingDepth;
    }

    /** The deepest nesting of {@code all}, {@code any}, {@code not} and segment references. Default 16. */
    public int maxConditionDepth() {
        return maxConditionDepth;
    }

    /** The most rules one field may have. Default 1,000. */
    public int maxRulesPerField() {
        return maxRulesPerField;
    }

    /** The longest list: {@code in} and {@code notIn} operands and list values. Default 100,000. */
    public int maxListLength() {
        return maxListLength;
    }

    /** The most rows one override table may have. Default 1,000,000. */
    public int maxOverrideRows() {
        return maxOverrideRows;
    }

    /** The most segments a snapshot may define. Default 10,000. */
    public int maxSegments() {
        return maxSegments;
    }

    /** The longest string, in characters. Default 65,536. */
    public int maxStringLength() {
        return maxStringLength;
    }

    /** The longest regular expression for {@code matches}, in characters. Default 1,000. */
    public int maxPatternLength() {
        return maxPatternLength;
    }

    @Override
    public String toString() {
        return "SnapshotLimits[maxBytes=" + maxBytes + ", maxNestingDepth=" + maxNestingDepth
                + ", maxConditionDepth=" + maxConditionDepth + ", maxRulesPerField=" + maxRulesPerField
                + ", maxListLength=" + maxListLength + ", maxOverrideRows=" + maxOverrideRows + ", maxSegments="
                + maxSegments + ", maxStringLength=" + maxStringLength + ", maxPatternLength=" + maxPatternLength + "]";
    }

    /** Builds {@link SnapshotLimits}; every value must be positive. */
    public static final class Builder {
        private int maxBytes = 64 * 1024 * 1024;
        private int maxNestingDepth = 64;
        private int maxConditionDepth = 16;
        private int maxRulesPerField = 1_000;
        private int maxListLength = 100_000;
        private int maxOverrideRows = 1_000_000;
        private int maxSegments = 10_000;
        private int maxStringLength = 65_536;
        private int maxPatternLength = 1_000;

        private Builder() {}

        public Builder maxBytes(int value) {
            maxBytes = positive("maxBytes", value);
            return this;
        }

        public Builder maxNestingDepth(int value) {
            maxNestingDepth = positive("maxNestingDepth", value);
            return this;
        }

        public Builder maxConditionDepth(int value) {
            maxConditionDepth = positive("maxConditionDepth", value);
            return this;
        }

        public Builder maxRulesPerField(int value) {
            maxRulesPerField = positive("maxRulesPerField", value);
            return this;
        }

        public Builder maxListLength(int value) {
            maxListLength = positive("maxListLength", value);
            return this;
        }

        public Builder maxOverrideRows(int value) {
            maxOverrideRows = positive("maxOverrideRows", value);
            return this;
        }

        public Builder maxSegments(int value) {
            maxSegments = positive("maxSegments", value);
            return this;
        }

        public Builder maxStringLength(int value) {
            maxStringLength = positive("maxStringLength", value);
            return this;
        }

        public Builder maxPatternLength(int value) {
            maxPatternLength = positive("maxPatternLength", value);
            return this;
        }

        public SnapshotLimits build() {
            return new SnapshotLimits(this);
        }

        private static int positive(String name, int value) {
            if (value <= 0) {
                throw new IllegalArgumentException(name + " must be positive, was " + value);
            }
            return value;
        }
    }
}
