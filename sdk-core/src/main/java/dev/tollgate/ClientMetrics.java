package dev.tollgate;

import dev.tollgate.internal.logs.EvaluationCounters;
import dev.tollgate.internal.logs.LogPipeline;
import dev.tollgate.internal.meter.MeterLedger;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What a client has done since it was built, as cumulative counts for a metrics library to read (Tollgate's Micrometer
 * binder reads it on every scrape). A live view: each call reads the client's counters at that moment, so values only
 * grow between calls, and nothing is counted on behalf of this view, so holding it costs nothing on the request path.
 *
 * <p>Evaluations are counted by the evaluation-log counters, so only while logging is on ({@link
 * #countsEvaluations()}); with {@link LogOptions#disabled()} the evaluation list is empty and nothing is lost. Reading
 * {@link #evaluations()} sums every thread's counters under the counters' lock, as a flush does: call it per scrape,
 * not per request.
 *
 * <p>Thread-safe.
 */
public final class ClientMetrics {
    private final SnapshotPipeline pipeline;
    private final EvaluationCounters counters;
    private final LogPipeline logs;
    private final MeterLedger meters;

    ClientMetrics(SnapshotPipeline pipeline, EvaluationCounters counters, LogPipeline logs, MeterLedger meters) {
        this.pipeline = Objects.requireNonNull(pipeline, "pipeline");
        this.counters = counters;
        this.logs = logs;
        this.meters = meters;
    }

    /** Whether evaluations are counted: true when the client's logging is on. */
    public boolean countsEvaluations() {
        return counters != null;
    }

    /**
     * Evaluations since the client was built, per field path and outcome, in slot order (the order in which the client
     * first met each pair), including pairs counted zero times so far. Empty when {@link #countsEvaluations()} is false.
     * Every field has its {@code fallback:<CAUSE>} pairs from the start; the others appear as snapshots using them are
     * installed, and stay.
     */
    public List<EvaluationTotal> evaluations() {
        if (counters == null) {
            return List.of();
        }
        long[] totals = counters.totals();
        List<EvaluationTotal> out = new ArrayList<>(totals.length);
        for (int slot = 0; slot < totals.length; slot++) {
            out.add(EvaluationTotal.of(counters.field(slot), counters.label(slot), totals[slot]));
        }
        return out;
    }

    /**
     * Snapshot loads since the client was built that ended in {@code status}, from every origin: the embedded resource,
     * the last-known-good copy, live sources and {@code loadSnapshot}. A live source's answer that nothing changed (an
     * HTTP 304) is not a load; {@link ClientStatus#lastSuccess()} tells when a source last confirmed the snapshot.
     */
    public long loads(LoadResult.Status status) {
        return pipeline.loads(Objects.requireNonNull(status, "status"));
    }

    /** When the installed snapshot was installed in this client; empty before the first. */
    public Optional<Instant> installedAt() {
        return pipeline.installedAt();
    }

    /**
     * Evaluation counts the log sink never accepted, since the client was built: those of batches it gave up on after
     * its retries, or that were unsent when the client closed. 0 with logging off.
     */
    public long droppedEvaluations() {
        return logs == null ? 0 : logs.lost()[0];
    }

    /** Split exposures lost since the client was built: the buffer was full, or the sink never accepted them. */
    public long droppedExposures() {
        return logs == null ? 0 : logs.lost()[1];
    }

    /** SDK messages lost since the client was built: too many distinct ones, or the sink never accepted them. */
    public long droppedMessages() {
        return logs == null ? 0 : logs.lost()[2];
    }

    /**
     * Usage of {@code @metered} fields the Tollgate server will never count, since the client was built: in batches
     * the server refused, or unsent when the client closed. This client goes on counting it itself until its period
     * ends. 0 without metered fields or with logging off.
     */
    public long lostUsage() {
        return logs == null ? 0 : logs.usageLost();
    }

    /**
     * Consumptions of {@code @metered} fields allowed without being counted because a meter was full (see {@link
     * TollgateClient.Builder#maxMeteredKeys(int)}), since the client was built. 0 without metered fields.
     */
    public long uncountedConsumptions() {
        return meters == null ? 0 : meters.notCounted();
    }

    @Override
    public String toString() {
        return "ClientMetrics[loads installed=" + loads(LoadResult.Status.INSTALLED) + ", rejected="
                + loads(LoadResult.Status.REJECTED) + ", countsEvaluations=" + countsEvaluations() + "]";
    }

    /**
     * How many evaluations of {@code field} ended in {@code outcome}, a {@link Reason#label()} such as {@code default},
     * {@code override}, {@code rule:pro}, {@code split:beta:on} or {@code fallback:NOT_READY}. Override labels never
     * name the organization or key they matched, so the outcomes of a field are bounded by its logic.
     *
     * @param field the field path
     * @param outcome the outcome label
     * @param kind the outcome's kind, parsed from the label
     * @param fallbackCause why the fallback was returned, for {@link Reason.Kind#FALLBACK} only, else null
     * @param count evaluations so far
     */
    public record EvaluationTotal(
            String field, String outcome, Reason.Kind kind, FallbackCause fallbackCause, long count) {

        public EvaluationTotal {
            Objects.requireNonNull(field, "field");
            Objects.requireNonNull(outcome, "outcome");
            Objects.requireNonNull(kind, "kind");
            if ((kind == Reason.Kind.FALLBACK) != (fallbackCause != null)) {
                throw new IllegalArgumentException("a fallback cause goes with, and only with, a fallback outcome: "
                        + kind + ", " + fallbackCause);
            }
        }

        static EvaluationTotal of(String field, String outcome, long count) {
            int colon = outcome.indexOf(':');
            String prefix = colon < 0 ? outcome : outcome.substring(0, colon);
            Reason.Kind kind =
                    switch (prefix) {
                        case "default" -> Reason.Kind.DEFAULT;
                        case "override" -> Reason.Kind.OVERRIDE;
                        case "rule" -> Reason.Kind.RULE;
                        case "split" -> Reason.Kind.SPLIT;
                        case "fallback" -> Reason.Kind.FALLBACK;
                        default -> throw new IllegalStateException("unknown outcome label " + outcome);
                    };
            FallbackCause cause =
                    kind == Reason.Kind.FALLBACK ? FallbackCause.valueOf(outcome.substring(colon + 1)) : null;
            return new EvaluationTotal(field, outcome, kind, cause, count);
        }
    }
}
