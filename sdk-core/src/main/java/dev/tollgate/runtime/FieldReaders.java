package dev.tollgate.runtime;

import dev.tollgate.EvaluationDetail;
import dev.tollgate.UntypedRoot;
import dev.tollgate.internal.BoundRoot;
import java.util.List;

/** {@link FieldReader}s as {@link SnapshotReader}s and contexts, for the factories of {@link IntLimit} and {@link MeteredLimit}. */
final class FieldReaders {
    private FieldReaders() {}

    /**
     * The snapshot reader behind {@code reader}: Tollgate's own when it is one of its roots, else {@code reader} seen as
     * a snapshot reader that ignores the context each read is given.
     */
    static SnapshotReader reader(FieldReader reader) {
        return reader instanceof BoundRoot bound ? bound.reader() : new Adapter(reader);
    }

    /** The context to pass {@link #reader(FieldReader)}: the root's own, or null for the adapter, which ignores it. */
    static InputValue context(FieldReader reader) {
        return reader instanceof BoundRoot bound ? bound.context() : null;
    }

    private static final class Adapter extends SnapshotReader {
        private final FieldReader reader;

        Adapter(FieldReader reader) {
            this.reader = reader;
        }

        @Override
        public long revision() {
            return reader.revision();
        }

        @Override
        public boolean booleanValue(InputValue context, int field, Object[] args, boolean fallback) {
            return reader.booleanValue(field, args, fallback);
        }

        @Override
        public int intValue(InputValue context, int field, Object[] args, int fallback) {
            return reader.intValue(field, args, fallback);
        }

        @Override
        public double floatValue(InputValue context, int field, Object[] args, double fallback) {
            return reader.floatValue(field, args, fallback);
        }

        @Override
        public String stringValue(InputValue context, int field, Object[] args, String fallback) {
            return reader.stringValue(field, args, fallback);
        }

        @Override
        public String enumValue(InputValue context, int field, Object[] args, String fallback) {
            return reader.enumValue(field, args, fallback);
        }

        @Override
        public List<?> listValue(InputValue context, int field, Object[] args, List<?> fallback) {
            return reader.listValue(field, args, fallback);
        }

        @Override
        public Object value(InputValue context, int field, Object[] args, Object fallback) {
            return reader.value(field, args, fallback);
        }

        @Override
        public EvaluationDetail<Object> detail(InputValue context, int field, Object[] args, Object fallback) {
            return reader.detail(field, args, fallback);
        }

        @Override
        public LimitCheck limitCheck(
                InputValue context, int field, Object[] args, int used, int requested, int fallback) {
            return reader.limitCheck(field, args, used, requested, fallback);
        }

        @Override
        public Consumption consume(InputValue context, int field, Object[] args, int amount, int fallback) {
            return reader.consume(field, args, amount, fallback);
        }

        @Override
        public UntypedRoot untyped(InputValue context) {
            return reader.untyped();
        }

        @Override
        public FieldReader bind(InputValue context) {
            return reader;
        }
    }
}
