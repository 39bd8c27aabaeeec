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
import dev.tollgate.runtime.FieldReader;
import dev.tollgate.runtime.InputValue;
import dev.tollgate.runtime.LimitCheck;
import java.util.List;

/**
 * One context bound to one snapshot: the evaluation behind both the generated accessors ({@link FieldReader}) and the
 * path accessors of {@link UntypedRoot}. Immutable apart from the counts it increments; see {@link #count}.
 */
public final class BoundRoot implements FieldReader {
    private static final Outcome NOT_READY =
            Outcome.fallback(FallbackCause.NOT_READY, "no snapshot has been installed yet");

    private final SchemaModel schema;
    private final CompiledSnapshot snapshot;
    private final InputValue context;
    /**
     * The instant every read through this root evaluates at, in epoch milliseconds: read once, when it was bound; 0 when
     * the snapshot has no time window, since nothing reads it then.
     */
    private final long now;

    private final EvaluationCounters counters;
    /** The creating thread's counts, long enough for every slot of {@code snapshot}; null when logging is off. */
    private final long[] counts;

    private final Thread owner;
    private final MessageLog messages;
    /** The client's usage of metered fields; null when the schema has none. */
    private final MeterLedger meters;

    /**
     * {@code snapshot} is null before the first install; {@code counters} and {@code messages} when logging is off;
     * {@code now} is the instant, in epoch milliseconds, that decides the time windows of rows and rules; {@code meters}
     * is null when the schema has no metered field.
     */
    public BoundRoot(
            SchemaModel schema,
            CompiledSnapshot snapshot,
            InputValue context,
            long now,
            EvaluationCounters counters,
            MessageLog messages,
            MeterLedger meters) {
        this.schema = schema;
        this.snapshot = snapshot;
        this.context = context;
        this.now = now;
        this.counters = counters;
        // A snapshot's slots are registered as it is installed, before it is published, so this array has them all.
        this.counts = counters == null ? null : counters.counts();
        this.owner = Thread.currentThread();
        this.messages = messages;
        this.meters = meters;
    }

    @Override
    public long revision() {
        return snapshot == null ? 0 : snapshot.revision();
    }

    public InputValue context() {
        return context;
    }

    public SchemaModel schema() {
        return schema;
    }

    // The accessors below evaluate through the static outcome(...), never passing this root, so that once a request's
    // reads are inlined nothing but the context escapes. (JDK 17's C2 still keeps the root on the heap, for a reason
    // not
    // found: docs/performance.md, problem 5.)

    @Override
    public boolean booleanValue(int field, Object[] args, boolean fallback) {
        Outcome outcome = outcome(field, args, ValueKind.BOOLEAN);
        return outcome.isFallback() ? fallback : outcome.booleanValue();
    }

    @Override
    public int intValue(int field, Object[] args, int fallback) {
        Outcome outcome = outcome(field, args, ValueKind.INT);
        return outcome.isFallback() ? fallback : outcome.intValue();
    }

    @Override
    public double floatValue(int field, Object[] args, double fallback) {
        Outcome outcome = outcome(field, args, ValueKind.FLOAT);
        return outcome.isFallback() ? fallback : outcome.doubleValue();
    }

    @Override
    public String stringValue(int field, Object[] args, String fallback) {
        Outcome outcome = outcome(field, args, ValueKind.STRING);
        return outcome.isFallback() ? fallback : (String) outcome.value();
    }

    @Override
    public String enumValue(int field, Object[] args, String fallback) {
        Outcome outcome = outcome(field, args, ValueKind.ENUM);
        return outcome.isFallback() ? fallback : (String) outcome.value();
    }

    @Override
    public List<?> listValue(int field, Object[] args, List<?> fallback) {
        Outcome outcome = outcome(field, args, ValueKind.LIST);
        return outcome.isFallback() ? fallback : (List<?>) outcome.value();
    }

    @Override
    public Object value(int field, Object[] args, Object fallback) {
        Outcome outcome = outcome(field, args, null);
        return outcome.isFallback() ? fallback : outcome.value();
    }

    @Override
    public EvaluationDetail<Object> detail(int field, Object[] args, Object fallback) {
        Outcome outcome = outcome(field, args, null);
        return EvaluationDetail.of(
                outcome.isFallback() ? fallback : outcome.value(), explained(field, args, outcome), revision());
    }

    /**
     * Evaluates Int field {@code field} once, counted like {@link #intValue}, and checks {@code used + requested}
     * against it. Only a denial looks for alternatives: it evaluates the field again for other values of the enum
     * context attributes its logic tests, uncounted and without exposures, since nobody reads those answers.
     */
    @Override
    public LimitCheck limitCheck(int field, Object[] args, int used, int requested, int fallback) {
        if (used < 0 || requested < 0) {
            return FieldReader.super.limitCheck(field, args, used, requested, fallback);
        }
        Outcome outcome = outcome(field, args, ValueKind.INT);
        int limit = outcome.isFallback() ? fallback : outcome.intValue();
        Reason reason = explained(field, args, outcome);
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
    public Consumption consume(int field, Object[] args, int amount, int fallback) {
        if (amount < 0) {
            return FieldReader.super.consume(field, args, amount, fallback);
        }
        Outcome outcome = outcome(field, args, ValueKind.INT);
        int limit = outcome.isFallback() ? fallback : outcome.intValue();
        Reason reason = outcome.reason();
        if (reason.kind() == Reason.Kind.OVERRIDE) {
            reason = explained(field, args, outcome);
        }
        if (meters == null) {
            return Consumption.notCounted(limit, amount, reason, MeterLedger.notMetered(schema, field));
        }
        return meters.consume(field, context, args, amount, limit, outcome.softLimit(), reason);
    }

    private boolean isIntField(int field) {
        return field >= 0 && field < schema.fields().size() && snapshot.kind(field) == ValueKind.INT;
    }

    /** The reason a detail gives: an override with its key, and notes on override rows passed over. */
    private Reason explained(int field, Object[] args, Outcome outcome) {
        Reason reason = outcome.reason();
        if (reason.kind() == Reason.Kind.OVERRIDE) {
            String key = snapshot.matchedOverrideKey(field, context, args, now);
            reason = Reason.override(key != null ? key : reason.overrideKey());
        }
        return noted(field, args, reason);
    }

    /** {@code reason} with notes on the override rows evaluation passed over for being out of their windows. */
    private Reason noted(int field, Object[] args, Reason reason) {
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

    @Override
    public UntypedRoot untyped() {
        return ApiAccess.untyped(this);
    }

    /**
     * Evaluates {@code field}, counted; {@code expected} is the kind the caller reads, or null for any. A field index
     * out of range, a kind mismatch or an exception from the logic give a fallback outcome, reported as a misuse.
     */
    public Outcome outcome(int field, Object[] args, ValueKind expected) {
        // Passes the root's fields, not the root: see the accessors above.
        return outcome(schema, snapshot, context, now, counters, counts, owner, messages, field, args, expected);
    }

    private static Outcome outcome(
            SchemaModel schema,
            CompiledSnapshot snapshot,
            InputValue context,
            long now,
            EvaluationCounters counters,
            long[] counts,
            Thread owner,
            MessageLog messages,
            int field,
            Object[] args,
            ValueKind expected) {
        if (field < 0 || field >= schema.fields().size()) {
            return problem(
                    messages,
                    Outcome.fallback(FallbackCause.UNKNOWN_FIELD, "the schema has no field with index " + field));
        }
        Outcome outcome;
        if (snapshot == null) {
            outcome = NOT_READY;
        } else if (expected != null && snapshot.kind(field) != expected) {
            outcome = problem(
                    messages,
                    Outcome.fallback(
                            FallbackCause.TYPE_MISMATCH,
                            schema.fields().get(field).path() + " is "
                                    + snapshot.kind(field).article() + ", not " + expected.article()));
        } else {
            try {
                outcome = snapshot.evaluate(field, context, args, now);
            } catch (RuntimeException | StackOverflowError e) {
                snapshot.reportEvaluationError(field, e);
                outcome = problem(
                        messages,
                        Outcome.fallback(
                                FallbackCause.EVALUATION_ERROR,
                                "evaluating " + schema.fields().get(field).path() + " failed: " + e));
            }
        }
        count(counters, counts, owner, field, outcome);
        return outcome;
    }

    /** The outcome of reading {@code field} with arguments that could not be converted, counted and reported. */
    public Outcome invalidArguments(int field, IllegalArgumentException e) {
        Outcome invalid = problem(messages, Outcome.fallback(FallbackCause.INVALID_ARGUMENTS, e.getMessage()));
        count(counters, counts, owner, field, invalid);
        return invalid;
    }

    /** The outcome of reading a path the schema does not have, reported. */
    public Outcome unknownField(String path) {
        return problem(messages, Outcome.fallback(FallbackCause.UNKNOWN_FIELD, "the schema has no field " + path));
    }

    /**
     * Counts one evaluation of {@code field} ending in {@code outcome}: an opaque increment in the counts array of the
     * thread that created the root, which the root keeps. A root used from another thread counts in that thread's own
     * array instead, so every array keeps a single writer and counts stay exact.
     */
    private static void count(EvaluationCounters counters, long[] counts, Thread owner, int field, Outcome outcome) {
        if (counts == null) {
            return;
        }
        int slot = outcome.counterSlot();
        if (slot < 0) {
            slot = EvaluationCounters.fallbackSlot(field, outcome.reason().fallbackCause());
        }
        if (Thread.currentThread() == owner) {
            EvaluationCounters.increment(counts, slot);
        } else {
            counters.increment(slot);
        }
    }

    /** Reports a misuse (not a missing snapshot or missing logic) as an SDK message, and returns the outcome. */
    private static Outcome problem(MessageLog messages, Outcome outcome) {
        if (messages != null) {
            messages.warn(
                    outcome.reason().fallbackCause() + ": " + outcome.reason().message());
        }
        return outcome;
    }

    @Override
    public String toString() {
        return "BoundRoot[revision=" + revision() + ", now=" + now + ", context=" + context + "]";
    }
}
