package dev.tollgate.runtime;

import dev.tollgate.Reason;
import java.util.List;
import java.util.Objects;

/**
 * The answer to "may this caller use {@code requested} more of a limit it already uses {@code used} of?": whether it
 * may, the limit and the reason it came out, and, on a denial, the values of the context's enum attributes (such as
 * the plan) that would allow it, so that a service can say "upgrade to PRO" instead of only "no".
 *
 * <p>Obtained from a generated Int field's {@link IntLimit}, as in {@code
 * root.entitlements().maxTeamSize().check(teamSize, 1, 5)}. Immutable; equal when every part is.
 */
public final class LimitCheck {
    private final int limit;
    private final int used;
    private final int requested;
    private final Reason reason;
    private final List<Alternative> alternatives;

    private LimitCheck(int limit, int used, int requested, Reason reason, List<Alternative> alternatives) {
        this.limit = limit;
        this.used = used;
        this.requested = requested;
        this.reason = reason;
        this.alternatives = alternatives;
    }

    /**
     * A check of {@code used + requested} against {@code limit}, which {@code reason} explains.
     *
     * @param limit the limit: the field's value, or the caller's fallback when the reason is a fallback
     * @param used how much the caller uses already
     * @param requested how much more it asks for
     * @param reason why the limit came out
     * @param alternatives the enum values that would allow the request; empty when it is allowed
     * @throws IllegalArgumentException if {@code used} or {@code requested} is negative, or an allowed check is given
     *     alternatives
     * @throws NullPointerException if {@code reason}, {@code alternatives} or one of them is null
     */
    public static LimitCheck of(int limit, int used, int requested, Reason reason, List<Alternative> alternatives) {
        requireNotNegative("used", used);
        requireNotNegative("requested", requested);
        Objects.requireNonNull(reason, "reason");
        List<Alternative> copy = List.copyOf(alternatives);
        if (!copy.isEmpty() && fits(limit, used, requested)) {
            throw new IllegalArgumentException("an allowed check has no alternatives, but was given " + copy);
        }
        return new LimitCheck(limit, used, requested, reason, copy);
    }

    /**
     * Throws unless {@code value} is at least 0; a negative amount is a caller's bug, not something the logic decides.
     *
     * @throws IllegalArgumentException naming the argument and its value
     */
    static void requireNotNegative(String name, int value) {
        if (value < 0) {
            throw new IllegalArgumentException(name + " must not be negative, but was " + value);
        }
    }

    /** Whether {@code used + requested <= limit}, added without overflow. */
    static boolean fits(int limit, int used, int requested) {
        return (long) used + requested <= limit;
    }

    /** Whether {@code used + requested} stays within the limit. */
    public boolean allowed() {
        return fits(limit, used, requested);
    }

    /** The limit: the field's value, or the caller's fallback when {@link #reason()} is a fallback. */
    public int limit() {
        return limit;
    }

    /** How much the caller said it uses already. */
    public int used() {
        return used;
    }

    /** How much more the caller asked for. */
    public int requested() {
        return requested;
    }

    /** How much is left before the limit: {@code limit - used}, never below 0. */
    public int remaining() {
        return (int) Math.max(0L, (long) limit - used);
    }

    /**
     * Why the limit came out, as the field's {@code ...Detail} accessor says it: the rule, override (with its key) or
     * default, with notes such as an override row that lapsed; or the fallback cause when the logic could not answer.
     */
    public Reason reason() {
        return reason;
    }

    /**
     * For a denial, each value of an enum context attribute the field's logic tests (such as {@code
     * context.organization.plan}) with which the same snapshot, at the same instant, gives a limit that allows the
     * request, attributes in the order of the context type and values in the order of their enum; values equal to
     * the context's own are left out. Empty when the request is allowed, or when no value would change the answer, as
     * when an override for the organization answers whatever its plan. Unmodifiable.
     */
    public List<Alternative> alternatives() {
        return alternatives;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LimitCheck c
                && limit == c.limit
                && used == c.used
                && requested == c.requested
                && reason.equals(c.reason)
                && alternatives.equals(c.alternatives);
    }

    @Override
    public int hashCode() {
        return Objects.hash(limit, used, requested, reason, alternatives);
    }

    /** Such as {@code LimitCheck[denied, used 5 + requested 1 > limit 5 (default), alternatives=[...]]}. */
    @Override
    public String toString() {
        String verdict = allowed()
                ? "allowed, used " + used + " + requested " + requested + " <= limit " + limit
                : "denied, used " + used + " + requested " + requested + " > limit " + limit;
        return "LimitCheck[" + verdict + " (" + reason + ")"
                + (alternatives.isEmpty() ? "" : ", alternatives=" + alternatives) + "]";
    }

    /**
     * One value of an enum context attribute that would allow a denied request, and the limit it would give: {@code
     * context.organization.plan} = {@code PRO} gives 20. Immutable; equal when every part is.
     */
    public static final class Alternative {
        private final String attribute;
        private final String value;
        private final int limit;

        private Alternative(String attribute, String value, int limit) {
            this.attribute = attribute;
            this.value = value;
            this.limit = limit;
        }

        /**
         * An alternative value of an attribute.
         *
         * @param attribute the attribute as snapshots name it, such as {@code context.organization.plan}
         * @param value the enum value's schema name, such as {@code PRO}
         * @param limit the limit the field gives with that value
         * @throws NullPointerException if {@code attribute} or {@code value} is null
         */
        public static Alternative of(String attribute, String value, int limit) {
            return new Alternative(
                    Objects.requireNonNull(attribute, "attribute"), Objects.requireNonNull(value, "value"), limit);
        }

        /** The context attribute as snapshots name it, such as {@code context.organization.plan}. */
        public String attribute() {
            return attribute;
        }

        /** The enum value's schema name, such as {@code PRO}. */
        public String value() {
            return value;
        }

        /** The limit the field gives when the attribute has this value. */
        public int limit() {
            return limit;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Alternative a
                    && attribute.equals(a.attribute)
                    && value.equals(a.value)
                    && limit == a.limit;
        }

        @Override
        public int hashCode() {
            return Objects.hash(attribute, value, limit);
        }

        /** Such as {@code context.organization.plan=PRO: 20}. */
        @Override
        public String toString() {
            return attribute + "=" + value + ": " + limit;
        }
    }
}
