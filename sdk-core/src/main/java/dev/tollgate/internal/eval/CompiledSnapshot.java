package dev.tollgate.internal.eval;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.internal.schema.SchemaModel;
import dev.tollgate.runtime.InputValue;
import dev.tollgate.runtime.LimitCheck;
import java.util.AbstractList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An evaluation plan for one snapshot revision: one {@link FieldPlan} per schema field, indexed like {@link
 * SchemaModel#fields()}, and the value outcomes it can end in, indexed by {@link Outcome#id()}.
 *
 * <p>Immutable but for the evaluation counter slots of its outcomes, which a client with logging on attaches once, when
 * it installs the snapshot, on the installing thread and before publishing it through a volatile write; see {@link
 * #attachCounterSlots}. Once published it is safe to share between threads: evaluation writes nothing.
 */
public final class CompiledSnapshot {
    private static final Logger LOG = LoggerFactory.getLogger(CompiledSnapshot.class);

    private final SchemaModel schema;
    private final long revision;
    private final String schemaHash;
    private final FieldPlan[] plans;
    private final Outcome[] outcomes;
    private final int overrideRows;
    private final boolean readsTime;
    /**
     * How many of the first outcomes are shared with the snapshot this one was derived from by a delta, and already
     * have their counter slots: 0 for a compiled snapshot.
     */
    private final int inheritedOutcomes;
    /** How many outcomes the last full compile made; deltas add to {@link #outcomeCount()} beyond it. */
    private final int compiledOutcomes;
    /** The document's {@code segments}, from which a delta that replaces one recompiles them; an empty object if none. */
    private final JsonNode segments;

    private final AtomicBoolean errorReported = new AtomicBoolean();
    /** Whether counter slots were attached; read and written by the installing thread only. */
    private boolean countersAttached;

    /**
     * {@code outcomes[i]} is the value outcome with id {@code i}; {@code readsTime} says whether some override row, rule
     * or segment has a time window; compiled with {@code segments}, the document's segment definitions (an empty object
     * if none).
     */
    CompiledSnapshot(
            SchemaModel schema,
            long revision,
            String schemaHash,
            FieldPlan[] plans,
            Outcome[] outcomes,
            boolean readsTime,
            JsonNode segments) {
        this(schema, revision, schemaHash, plans, outcomes, readsTime, 0, outcomes.length, segments);
    }

    private CompiledSnapshot(
            SchemaModel schema,
            long revision,
            String schemaHash,
            FieldPlan[] plans,
            Outcome[] outcomes,
            boolean readsTime,
            int inheritedOutcomes,
            int compiledOutcomes,
            JsonNode segments) {
        this.segments = segments;
        this.inheritedOutcomes = inheritedOutcomes;
        this.compiledOutcomes = compiledOutcomes;
        this.schema = schema;
        this.readsTime = readsTime;
        this.revision = revision;
        this.schemaHash = schemaHash;
        this.plans = plans;
        this.outcomes = outcomes;
        int rows = 0;
        for (FieldPlan plan : plans) {
            rows += plan.overrideRows();
        }
        this.overrideRows = rows;
    }

    public SchemaModel schema() {
        return schema;
    }

    /**
     * Whether evaluation depends on the time: some override row, rule or segment has a time window. When none has, the
     * instant passed to evaluation is never read, so a root need not read the clock.
     */
    public boolean readsTime() {
        return readsTime;
    }

    public long revision() {
        return revision;
    }

    /** The schema hash the snapshot declares it was written against. */
    public String schemaHash() {
        return schemaHash;
    }

    /** The number of fields, one more than the highest field index. */
    public int fieldCount() {
        return plans.length;
    }

    /**
     * The row checksums ({@code RowHasher}) of the override tables of field {@code fieldIndex}'s own logic, in table
     * order; empty when it has none.
     */
    public long[] overrideChecksums(int fieldIndex) {
        CompiledLogic own = plans[fieldIndex].own();
        long[] checksums = new long[own == null ? 0 : own.tableCount()];
        for (int i = 0; i < checksums.length; i++) {
            checksums[i] = own.table(i).checksum();
        }
        return checksums;
    }

    /** The value kind of field {@code fieldIndex}. */
    public ValueKind kind(int fieldIndex) {
        return plans[fieldIndex].kind();
    }

    /**
     * Evaluates field {@code fieldIndex} at the instant {@code now}, in epoch milliseconds, which decides the time
     * windows of override rows and rules; {@code args} are aligned with the field's path arguments.
     */
    public Outcome evaluate(int fieldIndex, InputValue context, Object[] args, long now) {
        return plans[fieldIndex].evaluate(context, args, now);
    }

    /** The {@code attribute=key} of the override row that answers field {@code fieldIndex} at {@code now}, or null. */
    public String matchedOverrideKey(int fieldIndex, InputValue context, Object[] args, long now) {
        return plans[fieldIndex].matchedOverrideKey(context, args, now);
    }

    /**
     * Notes on the override rows of field {@code fieldIndex} that evaluation at {@code now} passed over because their
     * windows left them out, such as {@code override context.organization.id=org_1 lapsed at 2027-01-01T00:00:00Z};
     * empty when there were none. For explanations only: it allocates when there are notes. It reaches no split, so it
     * records no exposure: it explains an evaluation that recorded its own.
     */
    public List<String> skippedOverrideRows(int fieldIndex, InputValue context, Object[] args, long now) {
        return plans[fieldIndex].skippedRows(context, args, now);
    }

    /**
     * For a denied check of Int field {@code fieldIndex}: the values of the enum context attributes its logic tests
     * with which the field gives at least {@code needed}, at {@code now}; see {@link FieldPlan#alternatives}. Neither
     * counted nor exposed. Allocates: for denials only.
     */
    public List<LimitCheck.Alternative> alternatives(
            int fieldIndex, InputValue context, Object[] args, long now, long needed) {
        return plans[fieldIndex].alternatives(context, args, now, needed);
    }

    /**
     * Logs an unexpected evaluation failure, once per snapshot: evaluation keeps answering with fallbacks, and one line
     * per state change is enough.
     */
    public void reportEvaluationError(int fieldIndex, Throwable error) {
        if (errorReported.compareAndSet(false, true)) {
            LOG.warn(
                    "Evaluating {} failed on snapshot revision {}; returning fallbacks (logged once per revision)",
                    schema.fields().get(fieldIndex).path(),
                    revision,
                    error);
        }
    }

    /**
     * A snapshot at {@code revision} that shares this one's plans but those in {@code changedPlans} (by field index) and
     * its outcomes, followed by {@code newOutcomes}, whose ids must follow on, with {@code segments} as the segment
     * definitions the changed plans were compiled with. The outcomes shared keep the counter slots they have; {@link
     * #attachCounterSlots} attaches the new ones only.
     */
    CompiledSnapshot derive(
            long revision,
            Map<Integer, FieldPlan> changedPlans,
            List<Outcome> newOutcomes,
            boolean windowedRows,
            JsonNode segments) {
        FieldPlan[] derived = plans.clone();
        changedPlans.forEach((index, plan) -> derived[index] = plan);
        Outcome[] all = Arrays.copyOf(outcomes, outcomes.length + newOutcomes.size());
        for (int i = 0; i < newOutcomes.size(); i++) {
            all[outcomes.length + i] = newOutcomes.get(i);
        }
        int inherited = countersAttached ? outcomes.length : 0;
        return new CompiledSnapshot(
                schema,
                revision,
                schemaHash,
                derived,
                all,
                readsTime || windowedRows,
                inherited,
                compiledOutcomes,
                segments);
    }

    /** The segment definitions the snapshot was compiled with: an object by name, empty if none. Never modify. */
    JsonNode segments() {
        return segments;
    }

    /** How many outcomes deltas added since the snapshot was last compiled whole. */
    int outcomesAddedByDeltas() {
        return outcomes.length - compiledOutcomes;
    }

    /** The plan of field {@code fieldIndex}. */
    FieldPlan plan(int fieldIndex) {
        return plans[fieldIndex];
    }

    /** The number of value outcomes; their ids run from 0 to one less. */
    int outcomeCount() {
        return outcomes.length;
    }

    /** The value outcome with id {@code id}. */
    Outcome outcome(int id) {
        return outcomes[id];
    }

    /** The keys of the value outcomes, indexed by id: what each counts as in evaluation logs. */
    public List<OutcomeKey> outcomeKeys() {
        return new AbstractList<>() {
            @Override
            public OutcomeKey get(int id) {
                return outcomes[id].key();
            }

            @Override
            public int size() {
                return outcomes.length;
            }
        };
    }

    /**
     * The keys of the outcomes that need counter slots, in id order from {@link #inheritedOutcomes()}: all of them for
     * a compiled snapshot; for one a delta derived, the new ones (the others are its predecessor's, slots and all).
     */
    public List<OutcomeKey> unattachedOutcomeKeys() {
        return outcomeKeys().subList(inheritedOutcomes, outcomes.length);
    }

    /** How many of the first outcomes this snapshot shares with the one a delta derived it from (0: compiled). */
    public int inheritedOutcomes() {
        return inheritedOutcomes;
    }

    /**
     * Gives the value outcome with id {@code i} evaluation counter slot {@code slots[i]}. Called once, by the client
     * installing this snapshot, on the installing thread before it publishes the snapshot (a volatile write), so that
     * every thread that evaluates the snapshot sees the slots; and only for a snapshot that is installed, so that
     * snapshots that are rejected or not newer register no slots.
     *
     * @throws IllegalArgumentException if there is not one slot per outcome
     * @throws IllegalStateException if slots were attached already
     */
    public void attachCounterSlots(int[] slots) {
        if (slots.length != outcomes.length - inheritedOutcomes) {
            throw new IllegalArgumentException(slots.length + " counter slots for the "
                    + (outcomes.length - inheritedOutcomes) + (inheritedOutcomes == 0 ? "" : " new")
                    + " outcomes of " + this);
        }
        if (countersAttached) {
            throw new IllegalStateException("counter slots are attached to " + this + " already");
        }
        countersAttached = true;
        for (int i = 0; i < slots.length; i++) {
            outcomes[inheritedOutcomes + i].counterSlot = slots[i];
        }
    }

    /** The total number of override rows across all fields. */
    public int overrideRows() {
        return overrideRows;
    }

    @Override
    public String toString() {
        return "CompiledSnapshot[revision=" + revision + ", fields=" + plans.length + ", overrideRows=" + overrideRows
                + "]";
    }
}
