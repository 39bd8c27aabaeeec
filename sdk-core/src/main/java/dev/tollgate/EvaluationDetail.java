package dev.tollgate;

import java.util.Objects;

/**
 * A value together with the reason it came out and the snapshot revision it was read from ({@code 0} when none was
 * installed). When the reason is a fallback, the value is the caller's fallback.
 *
 * @param <T> the value's Java type
 */
public final class EvaluationDetail<T> {
    private final T value;
    private final Reason reason;
    private final long revision;

    private EvaluationDetail(T value, Reason reason, long revision) {
        this.value = value;
        this.reason = Objects.requireNonNull(reason, "reason");
        this.revision = revision;
    }

    public static <T> EvaluationDetail<T> of(T value, Reason reason, long revision) {
        return new EvaluationDetail<>(value, reason, revision);
    }

    public T value() {
        return value;
    }

    public Reason reason() {
        return reason;
    }

    public long revision() {
        return revision;
    }

    public boolean isFallback() {
        return reason.isFallback();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof EvaluationDetail<?> d
                && Objects.equals(value, d.value)
                && reason.equals(d.reason)
                && revision == d.revision;
    }

    @Override
    public int hashCode() {
        return Objects.hash(value, reason, revision);
    }

    @Override
    public String toString() {
        return value + " (" + reason + ", revision " + revision + ")";
    }
}
