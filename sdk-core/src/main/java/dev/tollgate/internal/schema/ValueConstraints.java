package dev.tollgate.internal.schema;

import com.google.re2j.Pattern;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;

/**
 * What a field's values must satisfy beyond their type, from the field's directives: {@code @range(min:, max:)} on Int
 * and Float fields, {@code @length(min:, max:)} and {@code @pattern(regex:)} on String fields (on list fields, each
 * element). Every snapshot value of the field is checked at load; the admin API and the dashboard check edits the same
 * way. A bound that is absent is null.
 *
 * @param min the smallest allowed number
 * @param max the largest allowed number
 * @param minLength the fewest characters a string may have
 * @param maxLength the most characters a string may have
 * @param pattern a regular expression (RE2 syntax, linear time) every string must match as a whole
 * @param location where the first constraining directive is written
 */
public record ValueConstraints(
        BigDecimal min,
        BigDecimal max,
        Integer minLength,
        Integer maxLength,
        Pattern pattern,
        SourceLocation location) {
    /** No constraints. */
    public static final ValueConstraints NONE = new ValueConstraints(null, null, null, null, null, null);

    public boolean isEmpty() {
        return min == null && max == null && minLength == null && maxLength == null && pattern == null;
    }

    public boolean hasRange() {
        return min != null || max != null;
    }

    public boolean hasStringRules() {
        return minLength != null || maxLength != null || pattern != null;
    }

    /**
     * Why {@code value} (an Integer, a Double or a String, as snapshots normalize them) breaks these constraints, or
     * null if it does not.
     */
    public String violation(Object value) {
        if (value instanceof Integer || value instanceof Double) {
            BigDecimal number = value instanceof Integer i ? BigDecimal.valueOf(i) : BigDecimal.valueOf((Double) value);
            if (min != null && number.compareTo(min) < 0) {
                return "value " + value + " is below the minimum " + min.toPlainString() + " (@range)";
            }
            if (max != null && number.compareTo(max) > 0) {
                return "value " + value + " is above the maximum " + max.toPlainString() + " (@range)";
            }
            return null;
        }
        if (value instanceof String text) {
            int length = text.codePointCount(0, text.length());
            if (minLength != null && length < minLength) {
                return "value \"" + text + "\" has " + length + " characters, fewer than the minimum " + minLength
                        + " (@length)";
            }
            if (maxLength != null && length > maxLength) {
                return "value of " + length + " characters is longer than the maximum " + maxLength + " (@length)";
            }
            if (pattern != null && !pattern.matches(text)) {
                return "value \"" + text + "\" does not match the pattern " + pattern.pattern() + " (@pattern)";
            }
        }
        return null;
    }

    /** The constraints as a sentence for documentation, such as {@code "from 0 to 100000"}, or an empty string. */
    public String describe() {
        List<String> parts = new ArrayList<>();
        if (hasRange()) {
            parts.add(bounds(plain(min), plain(max), ""));
        }
        if (minLength != null || maxLength != null) {
            parts.add(bounds(minLength, maxLength, " characters"));
        }
        if (pattern != null) {
            parts.add("matching " + pattern.pattern());
        }
        return String.join(", ", parts);
    }

    /** {@code from a to b}, {@code at least a} or {@code at most b}, each followed by {@code unit}. */
    private static String bounds(Object min, Object max, String unit) {
        if (min != null && max != null) {
            return unit.isEmpty() ? "from " + min + " to " + max : min + " to " + max + unit;
        }
        return min != null ? "at least " + min + unit : "at most " + max + unit;
    }

    /** The canonical form the schema hash covers, such as {@code @range(min:0,max:100000)}; empty without any. */
    String canonical() {
        StringBuilder out = new StringBuilder();
        if (hasRange()) {
            out.append(arguments("@range", canonical(min), canonical(max)));
        }
        if (minLength != null || maxLength != null) {
            out.append(arguments("@length", minLength, maxLength));
        }
        if (pattern != null) {
            out.append("@pattern(regex:").append(quoted(pattern.pattern())).append(')');
        }
        return out.toString();
    }

    /** {@code directive(min:a,max:b)} with the bounds that are set. */
    private static String arguments(String directive, Object min, Object max) {
        List<String> bounds = new ArrayList<>(2);
        if (min != null) {
            bounds.add("min:" + min);
        }
        if (max != null) {
            bounds.add("max:" + max);
        }
        return directive + "(" + String.join(",", bounds) + ")";
    }

    private static String plain(BigDecimal bound) {
        return bound == null ? null : bound.toPlainString();
    }

    private static String canonical(BigDecimal bound) {
        return bound == null ? null : bound.stripTrailingZeros().toPlainString();
    }

    private static String quoted(String text) {
        return '"' + text.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
    }
}
