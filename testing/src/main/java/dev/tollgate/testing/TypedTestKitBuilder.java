package dev.tollgate.testing;

import dev.tollgate.Schema;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * What every generated test kit's builder has, whatever its schema: the initial values, set through the root type's
 * values class or added as raw snapshot logic, and the snapshot they make.
 *
 * <p>The generator writes the subclasses; tests use them, not this class. A generated builder adds one method per field
 * of the root type, forwarding to the root values, and {@code build()}, which hands {@link #copyValues()} to the kit.
 * Not thread-safe; a builder is meant to be used by one thread.
 *
 * @param <V> the generated values class of the schema's root type
 * @param <B> the generated builder itself, which {@link #values} and {@link #snapshot} return so that calls chain
 */
public abstract class TypedTestKitBuilder<V, B extends TypedTestKitBuilder<V, B>> {
    private final Schema schema;
    private final TestValues state = new TestValues();
    private final V values;

    /**
     * A builder with no values yet.
     *
     * @param schema the schema the subclass was generated from, which the snapshot is for
     * @param rootValues the root type's values class writing into the given values
     */
    protected TypedTestKitBuilder(Schema schema, Function<TestValues, V> rootValues) {
        this.schema = Objects.requireNonNull(schema, "schema");
        this.values = Objects.requireNonNull(rootValues, "rootValues").apply(state);
    }

    /**
     * Sets values through the root's values, as the kit's {@code update} does.
     *
     * @param values sets the values
     * @return this builder
     */
    public final B values(Consumer<V> values) {
        values.accept(this.values);
        return self();
    }

    /**
     * Adds logic the typed setters cannot express (overrides, splits, segments) straight to the snapshot; applied after
     * the typed values.
     *
     * @param logic adds to the snapshot
     * @return this builder
     */
    public final B snapshot(Consumer<SnapshotBuilder> logic) {
        state.addLogic(logic);
        return self();
    }

    /** The snapshot these values make, as JSON, with revision 1 as the kit installs it first. */
    public final String toJson() {
        return state.toJson(schema, 1);
    }

    /** The root type's values, for the subclass's methods that forward to them. */
    protected final V rootValues() {
        return values;
    }

    /** An independent copy of the values set so far, for the kit that {@code build()} creates. */
    protected final TestValues copyValues() {
        return state.copy();
    }

    /** This builder as the subclass it is: {@code B} is, by contract, the class of the instance. */
    @SuppressWarnings("unchecked")
    private B self() {
        return (B) this;
    }
}
