package dev.tollgate.internal;

import dev.tollgate.EvaluationDetail;
import dev.tollgate.FallbackCause;
import dev.tollgate.Reason;
import dev.tollgate.UntypedRoot;
import dev.tollgate.internal.eval.CompiledSnapshot;
import dev.tollgate.internal.eval.Outcome;
import dev.tollgate.internal.eval.ValueKind;
import dev.tollgate.internal.logs.EvaluationCounters;
import dev.tollgate.internal.logs.MessageLog;
import dev.tollgate.internal.meter.MeterLedger;
import dev.tollgate.internal.schema.SchemaModel;
import dev.tollgate.runtime.Consumption;
import dev.tollgate.runtime.InputValue;
import dev.tollgate.runtime.LimitCheck;
import dev.tollgate.runtime.SnapshotReader;
import java.util.List;

/**
 * The evaluation behind every read: one installed snapshot of one client (or none yet), at one instant, shared by the
 * roots taken while it is installed; the context comes with each read. Immutable apart from the counts it increments.
 * A client keeps one per snapshot without time windows and makes one per root for a snapshot with them, since such a
 * root pins the instant of its reads as well.
 */
public final class SnapshotEvaluator extends SnapshotReader {
    private static final Outcome NOT_READY =
            Outcome.fallback(FallbackCause.NOT_READY, "no snapshot has been installed yet");

    private final SchemaModel schema;
    private final CompiledSnapshot snapshot;
    /**
     * The instant every read evaluates at, in epoch milliseconds: read once, when the evaluator was made; 0 when the
     * snapshot has no time window, since nothing reads it then.
     */
    private final long now;

    private final EvaluationCounters counters;
    private final MessageLog messages;
    /** The client's usage of metered fields; null when the schema has none. */
    private final MeterLedger meters;
    /** The schema's number of fields, one more than the highest index. */
    private final int fieldCount;

    /**
     * {@code snapshot} is null before the first install; {@code counters} and {@code messages} when logging is off;
     * {@code now} is the instant, in epoch milliseconds, that decides the time windows of rows and rules; {@code meters}
     * is null when the schema has no metered field.
     */
    public SnapshotEvaluator(
            SchemaModel schema,
            CompiledSnapshot snapshot,
            long now,
            EvaluationCounters counters,
            MessageLog messages,
            MeterLedger meters) {
        this.schema = schema;
        this.snapshot = snapshot;
        this.now = now;
        this.counters = counters;
        this.messages = messages;
        this.meters = meters;
        this.fieldCount = schema.fields().size();
    }

    /** The snapshot this evaluator reads, or null before the first install. */
    public CompiledSnapshot snapshot() {
        return snapshot;
    }

    public SchemaModel schema() {
        return schema;
    }

    @Override
    public long revision() {
        return snapshot == null ? 0 : snapshot.revision();
    }

    @Override
    public boolean booleanValue(InputValue context, int field, Object[] args, boolean fallback) {
        Outcome outcome = outcome(context, field, args, ValueKind.BOOLEAN);
        return outcome.isFallback() ? fallback : outcome.booleanValue();
    }

    @Override
    public int intValue(InputValue context, int field, Object[] args, int fallback) {
        Outcome outcome = outcome(context, field, args, ValueKind.INT);
        return outcome.isFallback() ? fallback : outcome.intValue();
    }

    @Override
    public double floatValue(InputValue context, int field, Object[] args, double fallback) {
        Outcome outcome = outcome(context, field, args, ValueKind.FLOAT);
        return outcome.isFallback() ? fallback : outcome.doubleValue();
    }

    @Override
    public String stringValue(InputValue context, int field, Object[] args, String fallback) {
        Outcome outcome = outcome(context, field, args, ValueKind.STRING);
        return outcome.isFallback() ? fallback : (String) outcome.value();
    }

    @Override
    public String enumValue(InputValue context, int field, Object[] args, String fallback) {
        Outcome outcome = outcome(context, field, args, ValueKind.ENUM);
        return outcome.isFallback() ? fallback : (String) outcome.value();
    }

    @Override
    public List<?> listValue(InputValue context, int field, Object[] args, List<?> fallback) {
        Outcome outcome = outcome(context, field, args, ValueKind.LIST);
        return outcome.isFallback() ? fallback : (List<?>) outcome.value();
    }

    @Override
    public Object value(InputValue context, int field, Object[] args, Object fallback) {
        Outcome outcome = outcome(context, field, args, null);
        return outcome.isFallback() ? fallback : outcome.value();
    }

    @Override
    public EvaluationDetail<Object> detail(InputValue context, int field, Object[] args, Object fallback) {
        Outcome outcome = outcome(context, field, args, null);
        return EvaluationDetail.of(
                outcome.isFallback() ? fallback : outcome.value(),
                explained(context, field, args, outcome),
                revision());
    }

    /**
     * Evaluates Int field {@code field} once, counted like {@link #intValue}, and checks {@code used + requested}
     * against it. Only a denial looks for alternatives: it evaluates the field again for other values of the enum
     * context attributes its logic tests, uncounted and without exposures, since nobody reads those answers.
     */
    @Override
    public LimitCheck limitCheck(InputValue context, int field, Object[] args, int used, int requested, int fallback) {
        if (used < 0 || requested < 0) {
            return bind(context).limitCheck(field, args, used, requested, fallback); // refuses them
        }
        Outcome outcome = outcome(context, field, args, ValueKind.INT);
        int limit = outcome.isFallback() ? fallback : outcome.intValue();
        Reason reason = explained(context, field, args, outcome);
        long needed = (long) used + requested;
        if (needed <= limit || snapshot == null || !isIntField(field)) {
            return LimitCheck.of(limit, used, requested, reason, List.of());
        }
        List<LimitCheck.Alternative> alternatives;
        try {
            alternatives = snapshot.alternatives(field, context, args, now, needed);
        } catch (RuntimeException | StackOverflowError e) {
            alternatives = List.of(); // the evaluation that counted reported its failure, if it failed
        }
        return LimitCheck.of(limit, used, requested, reason, alternatives);
    }

    /**
     * Evaluates Int field {@code field} once, counted like {@link #intValue}, and counts {@code amount} of its usage in
     * the client's meters against the value. The reason is the outcome's own (an override with its key), without the
     * notes a detail adds, which would cost a look at every passed-over row.
     */
    @Override
    public Consumption consume(InputValue context, int field, Object[] args, int amount, int fallback) {
        if (amount < 0) {
            return bind(context).consume(field, args, amount, fallback); // refuses it
        }
        Outcome outcome = outcome(context, field, args, ValueKind.INT);
        int limit = outcome.isFallback() ? fallback : outcome.intValue();
        Reason reason = outcome.reason();
        if (reason.kind() == Reason.Kind.OVERRIDE) {
            reason = explained(context, field, args, outcome);
        }
        if (meters == null) {
            return Consumption.notCounted(limit, amount, reason, MeterLedger.notMetered(schema, field));
        }
        return meters.consume(field, context, args, amount, limit, outcome.softLimit(), reason);
    }

    @Override
    public UntypedRoot untyped(InputValue context) {
        return ApiAccess.untyped(bind(context));
    }

    @Override
    public BoundRoot bind(InputValue context) {
        return new BoundRoot(this, context);
    }

    private boolean isIntField(int field) {
        return field >= 0 && field < schema.fields().size() && snapshot.kind(field) == ValueKind.INT;
    }

    /** The reason a detail gives: an override with its key, and notes on override rows passed over. */
    private Reason explained(InputValue context, int field, Object[] args, Outcome outcome) {
        Reason reason = outcome.reason();
        if (reason.kind() == Reason.Kind.OVERRIDE) {
            String key = snapshot.matchedOverrideKey(field, context, args, now);
            reason = Reason.override(key != null ? key : reason.overrideKey());
        }
        return noted(context, field, args, reason);
    }

    /** {@code reason} with notes on the override rows evaluation passed over for being out of their windows. */
    private Reason noted(InputValue context, int field, Object[] args, Reason reason) {
        if (snapshot == null || field < 0 || field >= schema.fields().size()) {
            return reason;
        }
        try {
            List<String> notes = snapshot.skippedOverrideRows(field, context, args, now);
            return notes.isEmpty() ? reason : reason.withNotes(notes);
        } catch (RuntimeException | StackOverflowError e) {
            return reason; // the evaluation itself reported the failure, if it failed
        }
    }

    /**
     * Evaluates {@code field} for {@code context}, counted; {@code expected} is the kind the caller reads, or null for
     * any. A field index out of range, a kind mismatch or an exception from the logic give a fallback outcome, reported
     * as a misuse.
     */
    public Outcome outcome(InputValue context, int field, Object[] args, ValueKind expected) {
        CompiledSnapshot snapshot = this.snapshot;
        Outcome outcome;
        if (snapshot == null || field < 0 || field >= snapshot.fieldCount() || snapshot.kind(field) != expected) {
            outcome = unusual(context, field, args, expected);
        } else {
            try {
                outcome = snapshot.evaluate(field, context, args, now);
            } catch (RuntimeException | StackOverflowError e) {
                outcome = failed(field, e);
            }
        }
        count(field, outcome);
        return outcome;
    }

    /** The outcome when there is no snapshot, the index is out of range, or {@code expected} is not the field's kind. */
    private Outcome unusual(InputValue context, int field, Object[] args, ValueKind expected) {
        if (field < 0 || field >= schema.fields().size()) {
            return problem(
                    Outcome.fallback(FallbackCause.UNKNOWN_FIELD, "the schema has no field with index " + field));
        }
        if (snapshot == null) {
            return NOT_READY;
        }
        if (expected != null && snapshot.kind(field) != expected) {
            return problem(Outcome.fallback(
                    FallbackCause.TYPE_MISMATCH,
                    schema.fields().get(field).path() + " is "
                            + snapshot.kind(field).article() + ", not " + expected.article()));
        }
        try {
            return snapshot.evaluate(field, context, args, now);
        } catch (RuntimeException | StackOverflowError e) {
            return failed(field, e);
        }
    }

    private Outcome failed(int field, Throwable e) {
        snapshot.reportEvaluationError(field, e);
        return problem(Outcome.fallback(
                FallbackCause.EVALUATION_ERROR,
                "evaluating " + schema.fields().get(field).path() + " failed: " + e));
    }

    /** The outcome of reading {@code field} with arguments that could not be converted, counted and reported. */
    public Outcome invalidArguments(int field, IllegalArgumentException e) {
        Outcome invalid = problem(Outcome.fallback(FallbackCause.INVALID_ARGUMENTS, e.getMessage()));
        count(field, invalid);
        return invalid;
    }

    /** The outcome of reading a path the schema does not have, reported. */
    public Outcome unknownField(String path) {
        return problem(Outcome.fallback(FallbackCause.UNKNOWN_FIELD, "the schema has no field " + path));
    }

    /**
     * Counts one evaluation of {@code field} ending in {@code outcome} in the calling thread's counts: an opaque
     * increment in an array only that thread writes.
     */
    private void count(int field, Outcome outcome) {
        if (counters == null || field < 0 || field >= fieldCount) {
            return; // a field index the schema does not have has no slots: the misuse is reported, not counted
        }
        int slot = outcome.counterSlot();
        counters.increment(
                slot >= 0
                        ? slot
                        : EvaluationCounters.fallbackSlot(
                                field, outcome.reason().fallbackCause()));
    }

    /** Reports a misuse (not a missing snapshot or missing logic) as an SDK message, and returns the outcome. */
    private Outcome problem(Outcome outcome) {
        if (messages != null) {
            messages.warn(
                    outcome.reason().fallbackCause() + ": " + outcome.reason().message());
        }
        return outcome;
    }

    @Override
    public String toString() {
        return "SnapshotEvaluator[revision=" + revision() + ", now=" + now + "]";
    }
}
