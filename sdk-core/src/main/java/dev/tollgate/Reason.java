package dev.tollgate;

import java.util.List;
import java.util.Objects;

/**
 * Why an evaluation produced its value: the override, rule, split arm or default that answered, or the cause of a
 * fallback. Reasons are immutable; the evaluator prepares them when a snapshot is compiled, so the plain accessors never
 * build one.
 */
public final class Reason {

    /** The kind of answer. */
    public enum Kind {
        /** A row of an override table matched; {@link #overrideKey()} names the table's attribute and key. */
        OVERRIDE,
        /** A rule with a fixed value matched; {@link #ruleId()} names it. */
        RULE,
        /** A rule with a split matched; {@link #ruleId()} and {@link #arm()} name the rule and the arm. */
        SPLIT,
        /** Nothing else matched and the field's default answered. */
        DEFAULT,
        /** The logic could not answer; {@link #fallbackCause()} says why. */
        FALLBACK
    }

    private static final Reason DEFAULT = new Reason(Kind.DEFAULT, null, null, null, null, null, List.of());

    private final Kind kind;
    private final String ruleId;
    private final String arm;
    private final String overrideKey;
    private final FallbackCause fallbackCause;
    private final String message;
    private final List<String> notes;

    private Reason(
            Kind kind,
            String ruleId,
            String arm,
            String overrideKey,
            FallbackCause cause,
            String message,
            List<String> notes) {
        this.kind = kind;
        this.ruleId = ruleId;
        this.arm = arm;
        this.overrideKey = overrideKey;
        this.fallbackCause = cause;
        this.message = message;
        this.notes = notes;
    }

    public static Reason ofDefault() {
        return DEFAULT;
    }

    public static Reason rule(String ruleId) {
        return new Reason(Kind.RULE, Objects.requireNonNull(ruleId, "ruleId"), null, null, null, null, List.of());
    }

    public static Reason split(String ruleId, String arm) {
        return new Reason(
                Kind.SPLIT,
                Objects.requireNonNull(ruleId, "ruleId"),
                Objects.requireNonNull(arm, "arm"),
                null,
                null,
                null,
                List.of());
    }

    /** An override match; {@code overrideKey} is written {@code attribute=key}, for example {@code context.organization.id=org_42}. */
    public static Reason override(String overrideKey) {
        return new Reason(
                Kind.OVERRIDE, null, null, Objects.requireNonNull(overrideKey, "overrideKey"), null, null, List.of());
    }

    public static Reason fallback(FallbackCause cause, String message) {
        return new Reason(
                Kind.FALLBACK,
                null,
                null,
                null,
                Objects.requireNonNull(cause, "cause"),
                Objects.requireNonNull(message, "message"),
                List.of());
    }

    /**
     * This reason with {@code notes} on what the evaluation passed over on its way to the answer, such as {@code
     * override context.organization.id=org_hooli lapsed at 2027-01-01T00:00:00Z}. Details carry notes; the reasons
     * the evaluator prepares have none.
     *
     * @throws NullPointerException if {@code notes} or one of them is null
     */
    public Reason withNotes(List<String> notes) {
        return new Reason(kind, ruleId, arm, overrideKey, fallbackCause, message, List.copyOf(notes));
    }

    /**
     * Notes on what the evaluation passed over on its way to this answer, in the order it met them: an override row
     * outside its time window says {@code override <attribute>=<key> lapsed at <until>} or {@code ... starts at
     * <from>}. Empty unless the reason came from a detail accessor ({@code UntypedRoot.detail}, a generated {@code
     * ...Detail} method), which looks for them; the plain accessors do not.
     */
    public List<String> notes() {
        return notes;
    }

    public Kind kind() {
        return kind;
    }

    /** The rule id for {@link Kind#RULE} and {@link Kind#SPLIT}, else {@code null}. */
    public String ruleId() {
        return ruleId;
    }

    /** The split arm for {@link Kind#SPLIT}, else {@code null}. */
    public String arm() {
        return arm;
    }

    /** For {@link Kind#OVERRIDE}: {@code attribute=key}, else {@code null}. */
    public String overrideKey() {
        return overrideKey;
    }

    /** For {@link Kind#FALLBACK}: the cause, else {@code null}. */
    public FallbackCause fallbackCause() {
        return fallbackCause;
    }

    /** For {@link Kind#FALLBACK}: a sentence saying what was wrong, else {@code null}. */
    public String message() {
        return message;
    }

    public boolean isFallback() {
        return kind == Kind.FALLBACK;
    }

    /**
     * A short, stable label: {@code default}, {@code override}, {@code rule:<id>}, {@code split:<id>:<arm>} or {@code
     * fallback:<CAUSE>}. Used as the outcome name in logs and counters.
     */
    public String label() {
        return switch (kind) {
            case DEFAULT -> "default";
            case OVERRIDE -> "override";
            case RULE -> "rule:" + ruleId;
            case SPLIT -> "split:" + ruleId + ":" + arm;
            case FALLBACK -> "fallback:" + fallbackCause;
        };
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Reason r
                && kind == r.kind
                && Objects.equals(ruleId, r.ruleId)
                && Objects.equals(arm, r.arm)
                && Objects.equals(overrideKey, r.overrideKey)
                && fallbackCause == r.fallbackCause
                && Objects.equals(message, r.message)
                && notes.equals(r.notes);
    }

    @Override
    public int hashCode() {
        return Objects.hash(kind, ruleId, arm, overrideKey, fallbackCause, message, notes);
    }

    /** The kind and what answered, then the {@link #notes()}, if any, in parentheses. */
    @Override
    public String toString() {
        String answer =
                switch (kind) {
                    case OVERRIDE -> "override " + overrideKey;
                    case FALLBACK -> "fallback " + fallbackCause + ": " + message;
                    default -> label();
                };
        return notes.isEmpty() ? answer : answer + " (" + String.join("; ", notes) + ")";
    }
}
