package dev.tollgate.internal.eval;

import com.google.re2j.Pattern;
import dev.tollgate.runtime.InputValue;
import java.util.List;
import java.util.Set;

/**
 * A compiled condition. Every operator on an absent attribute is false, including {@code ne} and {@code notIn}; {@code
 * not} is plain negation of its operand. Tests use indexed loops and prepared operands: no iterator, lambda, boxing or
 * string building per evaluation.
 */
public abstract class Condition {

    abstract boolean test(InputValue context, Object[] args, long now);

    /**
     * For a plain {@code eq} of a context attribute and a string: the attribute's slot; -1 for any other condition.
     * Rules made of such conditions fold into one lookup (see {@link KeyedLogic}).
     */
    int equalitySlot() {
        return -1;
    }

    /** The string a condition with an {@link #equalitySlot} compares with; null for any other condition. */
    String equalityOperand() {
        return null;
    }

    /**
     * Adds every attribute this condition reads, segments' included, to {@code into}: at load, to know which context
     * attributes a field's answer depends on.
     */
    abstract void addAttributes(List<AttributeReader> into);

    /** The nesting this condition adds when evaluated: 1 for a comparison, more for each enclosing group. */
    int height() {
        return 1;
    }

    public static Condition all(List<Condition> parts) {
        return new Group(parts.toArray(new Condition[0]), false);
    }

    public static Condition any(List<Condition> parts) {
        return new Group(parts.toArray(new Condition[0]), true);
    }

    public static Condition not(Condition operand) {
        return new Not(operand);
    }

    /**
     * {@code condition} limited to the time window {@code [from, until)} in epoch milliseconds: false outside it. It
     * adds no nesting.
     */
    static Condition within(Condition condition, long from, long until) {
        return new Within(condition, from, until);
    }

    /** A reference to a segment's shared condition; it counts as one level of nesting. */
    public static Condition segmentReference(Condition segment) {
        return new SegmentReference(segment);
    }

    /**
     * {@code eq} ({@code negate=false}) or {@code ne} on strings, enums and booleans. A string operand is interned, so
     * that comparing it with an enum attribute's value, which generated inputs give as a literal, is one identity test.
     */
    public static Condition equalTo(AttributeReader attribute, Object operand, boolean negate) {
        return new EqualTo(attribute, operand instanceof String text ? text.intern() : operand, negate);
    }

    /** {@code eq ne lt lte gt gte} on Int and Float attributes. */
    public static Condition numeric(AttributeReader attribute, Comparison comparison, double operand) {
        return new Numeric(attribute, comparison, operand);
    }

    /** {@code lt lte gt gte} on strings, by {@link String#compareTo}. */
    public static Condition ordered(AttributeReader attribute, Comparison comparison, String operand) {
        return new Ordered(attribute, comparison, operand);
    }

    /**
     * {@code in} ({@code negate=false}) or {@code notIn}; {@code members} holds values normalized like attributes. Float
     * members get a primitive hash set, so that {@code -0.0} is a member wherever {@code 0} is, as in arithmetic.
     */
    public static Condition member(AttributeReader attribute, Set<Object> members, boolean negate) {
        boolean floats = !members.isEmpty() && members.stream().allMatch(Double.class::isInstance);
        return floats
                ? new FloatMember(attribute, FloatSet.of(members), negate)
                : new Member(attribute, Set.copyOf(members), negate);
    }

    public static Condition text(AttributeReader attribute, TextTest test, String operand) {
        return new Text(attribute, test, operand);
    }

    /** {@code contains} on a list attribute. */
    public static Condition listContains(AttributeReader attribute, Object element) {
        return new ListContains(attribute, element);
    }

    /** {@code matches}: true when the RE2 pattern matches somewhere in the string (anchor with ^ and $). */
    public static Condition matches(AttributeReader attribute, Pattern pattern) {
        return new Matches(attribute, pattern);
    }

    private static int maxHeight(Condition[] parts) {
        int max = 0;
        for (Condition part : parts) {
            max = Math.max(max, part.height());
        }
        return max;
    }

    /** The ordering comparisons. */
    public enum Comparison {
        EQ,
        NE,
        LT,
        LTE,
        GT,
        GTE;

        boolean holds(double value, double operand) {
            return switch (this) {
                case EQ -> value == operand;
                case NE -> value != operand;
                case LT -> value < operand;
                case LTE -> value <= operand;
                case GT -> value > operand;
                case GTE -> value >= operand;
            };
        }

        boolean holds(int order) {
            return switch (this) {
                case EQ -> order == 0;
                case NE -> order != 0;
                case LT -> order < 0;
                case LTE -> order <= 0;
                case GT -> order > 0;
                case GTE -> order >= 0;
            };
        }
    }

    /** The substring tests on strings. */
    public enum TextTest {
        STARTS_WITH,
        ENDS_WITH,
        CONTAINS
    }

    /** {@code all} ({@code any=false}) or {@code any}: stops at the first operand that decides. */
    private static final class Group extends Condition {
        private final Condition[] parts;
        private final boolean any;

        Group(Condition[] parts, boolean any) {
            this.parts = parts;
            this.any = any;
        }

        @Override
        void addAttributes(List<AttributeReader> into) {
            for (Condition part : parts) {
                part.addAttributes(into);
            }
        }

        @Override
        boolean test(InputValue context, Object[] args, long now) {
            for (int i = 0; i < parts.length; i++) {
                if (parts[i].test(context, args, now) == any) {
                    return any;
                }
            }
            return !any;
        }

        @Override
        int height() {
            return 1 + maxHeight(parts);
        }
    }

    private static final class Within extends Condition {
        private final Condition condition;
        private final long from;
        private final long until;

        Within(Condition condition, long from, long until) {
            this.condition = condition;
            this.from = from;
            this.until = until;
        }

        @Override
        void addAttributes(List<AttributeReader> into) {
            condition.addAttributes(into);
        }

        @Override
        boolean test(InputValue context, Object[] args, long now) {
            return Window.covers(from, until, now) && condition.test(context, args, now);
        }

        @Override
        int height() {
            return condition.height();
        }
    }

    private static final class SegmentReference extends Condition {
        private final Condition segment;

        SegmentReference(Condition segment) {
            this.segment = segment;
        }

        @Override
        void addAttributes(List<AttributeReader> into) {
            segment.addAttributes(into);
        }

        @Override
        boolean test(InputValue context, Object[] args, long now) {
            return segment.test(context, args, now);
        }

        @Override
        int height() {
            return 1 + segment.height();
        }
    }

    private static final class Not extends Condition {
        private final Condition operand;

        Not(Condition operand) {
            this.operand = operand;
        }

        @Override
        int height() {
            return 1 + operand.height();
        }

        @Override
        void addAttributes(List<AttributeReader> into) {
            operand.addAttributes(into);
        }

        @Override
        boolean test(InputValue context, Object[] args, long now) {
            return !operand.test(context, args, now);
        }
    }

    /** A comparison of one attribute: what it reads is the attribute it tests. */
    private abstract static class OnAttribute extends Condition {
        final AttributeReader attribute;

        OnAttribute(AttributeReader attribute) {
            this.attribute = attribute;
        }

        @Override
        final void addAttributes(List<AttributeReader> into) {
            into.add(attribute);
        }
    }

    private static final class EqualTo extends OnAttribute {
        private final Object operand;
        private final boolean negate;

        EqualTo(AttributeReader attribute, Object operand, boolean negate) {
            super(attribute);
            this.operand = operand;
            this.negate = negate;
        }

        @Override
        boolean test(InputValue context, Object[] args, long now) {
            Object value = attribute.read(context, args);
            return value != null && operand.equals(value) != negate;
        }

        @Override
        int equalitySlot() {
            return !negate && operand instanceof String ? attribute.contextSlot() : -1;
        }

        @Override
        String equalityOperand() {
            return equalitySlot() < 0 ? null : (String) operand;
        }
    }

    private static final class Numeric extends OnAttribute {
        private final Comparison comparison;
        private final double operand;

        Numeric(AttributeReader attribute, Comparison comparison, double operand) {
            super(attribute);
            this.comparison = comparison;
            this.operand = operand;
        }

        @Override
        boolean test(InputValue context, Object[] args, long now) {
            return attribute.read(context, args) instanceof Number number
                    && comparison.holds(number.doubleValue(), operand);
        }
    }

    private static final class Ordered extends OnAttribute {
        private final Comparison comparison;
        private final String operand;

        Ordered(AttributeReader attribute, Comparison comparison, String operand) {
            super(attribute);
            this.comparison = comparison;
            this.operand = operand;
        }

        @Override
        boolean test(InputValue context, Object[] args, long now) {
            return attribute.read(context, args) instanceof String value && comparison.holds(value.compareTo(operand));
        }
    }

    private static final class Member extends OnAttribute {
        private final Set<Object> members;
        private final boolean negate;

        Member(AttributeReader attribute, Set<Object> members, boolean negate) {
            super(attribute);
            this.members = members;
            this.negate = negate;
        }

        @Override
        boolean test(InputValue context, Object[] args, long now) {
            Object value = attribute.read(context, args);
            return value != null && members.contains(value) != negate;
        }
    }

    private static final class FloatMember extends OnAttribute {
        private final FloatSet members;
        private final boolean negate;

        FloatMember(AttributeReader attribute, FloatSet members, boolean negate) {
            super(attribute);
            this.members = members;
            this.negate = negate;
        }

        @Override
        boolean test(InputValue context, Object[] args, long now) {
            return attribute.read(context, args) instanceof Number number
                    && members.contains(number.doubleValue()) != negate;
        }
    }

    /** An open-addressing set of doubles compared arithmetically ({@code -0.0 == 0.0}); lookups allocate nothing. */
    private static final class FloatSet {
        private static final long EMPTY = Double.doubleToRawLongBits(Double.NaN);

        private final long[] table;
        private final int mask;

        private FloatSet(int capacity) {
            table = new long[capacity];
            java.util.Arrays.fill(table, EMPTY);
            mask = capacity - 1;
        }

        static FloatSet of(Set<Object> members) {
            FloatSet set = new FloatSet(Integer.highestOneBit(Math.max(2, members.size()) * 2) * 2);
            for (Object member : members) {
                set.add(bits((Double) member));
            }
            return set;
        }

        private static long bits(double value) {
            return Double.doubleToRawLongBits(value == 0.0 ? 0.0 : value);
        }

        private static int index(long bits, int mask) {
            long h = bits * 0x9E3779B97F4A7C15L;
            return (int) (h ^ h >>> 32) & mask;
        }

        private void add(long bits) {
            int i = index(bits, mask);
            while (table[i] != EMPTY && table[i] != bits) {
                i = i + 1 & mask;
            }
            table[i] = bits;
        }

        boolean contains(double value) {
            if (Double.isNaN(value)) {
                return false;
            }
            long bits = bits(value);
            for (int i = index(bits, mask); table[i] != EMPTY; i = i + 1 & mask) {
                if (table[i] == bits) {
                    return true;
                }
            }
            return false;
        }
    }

    private static final class Text extends OnAttribute {
        private final TextTest test;
        private final String operand;

        Text(AttributeReader attribute, TextTest test, String operand) {
            super(attribute);
            this.test = test;
            this.operand = operand;
        }

        @Override
        boolean test(InputValue context, Object[] args, long now) {
            if (!(attribute.read(context, args) instanceof String value)) {
                return false;
            }
            return switch (test) {
                case STARTS_WITH -> value.startsWith(operand);
                case ENDS_WITH -> value.endsWith(operand);
                case CONTAINS -> value.contains(operand);
            };
        }
    }

    private static final class ListContains extends OnAttribute {
        private final Object element;

        ListContains(AttributeReader attribute, Object element) {
            super(attribute);
            this.element = element;
        }

        @Override
        boolean test(InputValue context, Object[] args, long now) {
            if (!(attribute.read(context, args) instanceof List<?> list)) {
                return false;
            }
            for (int i = 0, n = list.size(); i < n; i++) {
                if (element.equals(list.get(i))) {
                    return true;
                }
            }
            return false;
        }
    }

    private static final class Matches extends OnAttribute {
        private final Pattern pattern;

        Matches(AttributeReader attribute, Pattern pattern) {
            super(attribute);
            this.pattern = pattern;
        }

        @Override
        boolean test(InputValue context, Object[] args, long now) {
            return attribute.read(context, args) instanceof String value
                    && pattern.matcher(value).find();
        }
    }
}
