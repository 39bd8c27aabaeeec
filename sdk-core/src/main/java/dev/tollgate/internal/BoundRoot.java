package dev.tollgate.internal;

import dev.tollgate.EvaluationDetail;
import dev.tollgate.UntypedRoot;
import dev.tollgate.internal.eval.Outcome;
import dev.tollgate.internal.eval.ValueKind;
import dev.tollgate.internal.schema.SchemaModel;
import dev.tollgate.runtime.Consumption;
import dev.tollgate.runtime.FieldReader;
import dev.tollgate.runtime.InputValue;
import dev.tollgate.runtime.LimitCheck;
import java.util.List;

/**
 * One context bound to one snapshot's evaluator: the {@link FieldReader} of {@link dev.tollgate.runtime.TypedClient#read}
 * and what {@link UntypedRoot} reads through. Immutable.
 */
public final class BoundRoot implements FieldReader {
    private final SnapshotEvaluator evaluator;
    private final InputValue context;

    public BoundRoot(SnapshotEvaluator evaluator, InputValue context) {
        this.evaluator = evaluator;
        this.context = context;
    }

    /** The evaluator every read goes through. */
    public SnapshotEvaluator reader() {
        return evaluator;
    }

    public InputValue context() {
        return context;
    }

    public SchemaModel schema() {
        return evaluator.schema();
    }

    @Override
    public long revision() {
        return evaluator.revision();
    }

    @Override
    public boolean booleanValue(int field, Object[] args, boolean fallback) {
        return evaluator.booleanValue(context, field, args, fallback);
    }

    @Override
    public int intValue(int field, Object[] args, int fallback) {
        return evaluator.intValue(context, field, args, fallback);
    }

    @Override
    public double floatValue(int field, Object[] args, double fallback) {
        return evaluator.floatValue(context, field, args, fallback);
    }

    @Override
    public String stringValue(int field, Object[] args, String fallback) {
        return evaluator.stringValue(context, field, args, fallback);
    }

    @Override
    public String enumValue(int field, Object[] args, String fallback) {
        return evaluator.enumValue(context, field, args, fallback);
    }

    @Override
    public List<?> listValue(int field, Object[] args, List<?> fallback) {
        return evaluator.listValue(context, field, args, fallback);
    }

    @Override
    public Object value(int field, Object[] args, Object fallback) {
        return evaluator.value(context, field, args, fallback);
    }

    @Override
    public EvaluationDetail<Object> detail(int field, Object[] args, Object fallback) {
        return evaluator.detail(context, field, args, fallback);
    }

    @Override
    public LimitCheck limitCheck(int field, Object[] args, int used, int requested, int fallback) {
        if (used < 0 || requested < 0) {
            return FieldReader.super.limitCheck(field, args, used, requested, fallback); // refuses them
        }
        return evaluator.limitCheck(context, field, args, used, requested, fallback);
    }

    @Override
    public Consumption consume(int field, Object[] args, int amount, int fallback) {
        if (amount < 0) {
            return FieldReader.super.consume(field, args, amount, fallback); // refuses it
        }
        return evaluator.consume(context, field, args, amount, fallback);
    }

    @Override
    public UntypedRoot untyped() {
        return ApiAccess.untyped(this);
    }

    /** Evaluates {@code field}, counted; {@code expected} is the kind the caller reads, or null for any. */
    public Outcome outcome(int field, Object[] args, ValueKind expected) {
        return evaluator.outcome(context, field, args, expected);
    }

    /** The outcome of reading {@code field} with arguments that could not be converted, counted and reported. */
    public Outcome invalidArguments(int field, IllegalArgumentException e) {
        return evaluator.invalidArguments(field, e);
    }

    /** The outcome of reading a path the schema does not have, reported. */
    public Outcome unknownField(String path) {
        return evaluator.unknownField(path);
    }

    @Override
    public String toString() {
        return "BoundRoot[revision=" + revision() + ", context=" + context + "]";
    }
}
