package dev.tollgate.testing;

import dev.tollgate.InvalidSnapshotException;
import dev.tollgate.TollgateClient;
import dev.tollgate.runtime.TypedClient;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * What every generated test kit has, whatever its schema: a generated entry point answering with values set in Java,
 * and the changes to those values. Each change turns the values into a snapshot with {@link TestValues#toJson} and
 * installs it into the same entry point as a new revision, so code holding the entry point sees the change; the
 * snapshot goes through the same validation as production snapshots.
 *
 * <p>The generator writes the subclasses; tests use them, not this class. A generated test kit (named {@code
 * TollgateTestKit} unless configured otherwise) adds what depends on its schema: the factories {@code create()} and
 * {@code builder()}, {@code root(Context)}, its builder (which extends {@link TypedTestKitBuilder}) and a typed values
 * class per object type. Thread-safe: changes are serialized on the kit.
 *
 * @param <E> the generated entry point the kit installs into
 * @param <V> the generated values class of the schema's root type, through which {@link #update} sets values
 * @param <K> the generated test kit itself, which {@link #update} and {@link #reset} return so that calls chain
 */
public abstract class TypedTestKit<E extends TypedClient, V, K extends TypedTestKit<E, V, K>> {
    private final E tollgate;
    private final Function<TestValues, V> rootValues;
    private final TestValues baseline;
    private TestValues current;
    private long revision;

    /**
     * A kit answering with {@code baseline}, installed into {@code tollgate} as revision 1.
     *
     * @param tollgate the entry point to install into; the kit's own, with nothing else loading snapshots into it
     * @param baseline the values the kit starts with and {@link #reset()} goes back to; the kit keeps it, unchanged
     * @param rootValues the root type's values class writing into the given values, as {@link #update} hands it out
     * @throws InvalidSnapshotException if the values do not make a valid snapshot
     */
    protected TypedTestKit(E tollgate, TestValues baseline, Function<TestValues, V> rootValues) {
        this.tollgate = Objects.requireNonNull(tollgate, "tollgate");
        this.baseline = Objects.requireNonNull(baseline, "baseline");
        this.rootValues = Objects.requireNonNull(rootValues, "rootValues");
        install(baseline.copy());
    }

    /** Installs {@code values} as the next revision; only once that succeeded do they become the kit's values. */
    private void install(TestValues values) {
        long next = revision + 1;
        tollgate.loadSnapshot(values.toJson(tollgate.client().schema(), next));
        revision = next;
        current = values;
    }

    /** The instance answering with the kit's values. */
    public final E tollgate() {
        return tollgate;
    }

    /** The underlying client. */
    public final TollgateClient client() {
        return tollgate.client();
    }

    /**
     * Changes values on top of the current ones and installs them as a new revision.
     *
     * @param values sets the values to change
     * @return this kit
     * @throws InvalidSnapshotException if the values do not make a valid snapshot; the kit keeps its values, so a later
     *     update starts from the last installed ones
     */
    public final synchronized K update(Consumer<V> values) {
        TestValues next = current.copy();
        values.accept(rootValues.apply(next));
        install(next);
        return self();
    }

    /**
     * Goes back to the values the kit was built with, as a new revision.
     *
     * @return this kit
     */
    public final synchronized K reset() {
        install(baseline.copy());
        return self();
    }

    /** The installed snapshot as JSON, for example to check it into a fixture. */
    public final synchronized String snapshotJson() {
        return current.toJson(tollgate.client().schema(), revision);
    }

    /** The class's simple name and the revision the kit installed last, such as {@code TollgateTestKit[revision=2]}. */
    @Override
    public synchronized String toString() {
        return getClass().getSimpleName() + "[revision=" + revision + "]";
    }

    /** This kit as the subclass it is: {@code K} is, by contract, the class of the instance. */
    @SuppressWarnings("unchecked")
    private K self() {
        return (K) this;
    }
}
