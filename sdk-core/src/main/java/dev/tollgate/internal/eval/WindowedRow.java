package dev.tollgate.internal.eval;

/**
 * An override row with a time window: its outcome answers only while the window covers the instant of the evaluation.
 * Rows without a window are stored as their bare {@link Outcome}, so they cost nothing extra.
 */
final class WindowedRow {
    final Outcome outcome;
    final long from;
    final long until;

    WindowedRow(Outcome outcome, long from, long until) {
        this.outcome = outcome;
        this.from = from;
        this.until = until;
    }
}
