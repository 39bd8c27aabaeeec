package dev.tollgate.internal.eval;

import dev.tollgate.internal.schema.SchemaModel;
import dev.tollgate.runtime.InputValue;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An immutable evaluation plan for one snapshot revision: one {@link FieldPlan} per schema field, indexed like {@link
 * Schema#fields()}. Safe to share between threads; evaluation reads only final fields.
 */
public final class CompiledSnapshot {
    private static final Logger LOG = LoggerFactory.getLogger(CompiledSnapshot.class);

    private final SchemaModel schema;
    private final long revision;
    private final String schemaHash;
    private final FieldPlan[] plans;
    private final int overrideRows;
    private final AtomicBoolean errorReported = new AtomicBoolean();

    CompiledSnapshot(SchemaModel schema, long revision, String schemaHash, FieldPlan[] plans) {
        this.schema = schema;
        this.revision = revision;
        this.schemaHash = schemaHash;
        this.plans = plans;
        int rows = 0;
        for (FieldPlan plan : plans) {
            rows += plan.overrideRows();
        }
        this.overrideRows = rows;
    }

    public SchemaModel schema() {
        return schema;
    }

    public long revision() {
        return revision;
    }

    /** The schema hash the snapshot declares it was written against. */
    public String schemaHash() {
        return schemaHash;
    }

    /** The value kind of field {@code fieldIndex}. */
    public ValueKind kind(int fieldIndex) {
        return plans[fieldIndex].kind();
    }

    /** Evaluates field {@code fieldIndex}; {@code args} are aligned with the field's path arguments. */
    public Outcome evaluate(int fieldIndex, InputValue context, Object[] args) {
        return plans[fieldIndex].evaluate(context, args);
    }

    /** The {@code attribute=key} of the override row that answers field {@code fieldIndex}, or {@code null}. */
    public String matchedOverrideKey(int fieldIndex, InputValue context, Object[] args) {
        return plans[fieldIndex].matchedOverrideKey(context, args);
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
