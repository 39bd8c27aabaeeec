package dev.tollgate;

import dev.tollgate.internal.ApiAccess;
import dev.tollgate.internal.eval.CompiledSnapshot;
import dev.tollgate.internal.eval.SnapshotCompiler;
import dev.tollgate.internal.schema.SchemaModel;
import dev.tollgate.internal.schema.SchemaParser;
import java.nio.file.Path;
import java.util.Objects;

/**
 * A parsed and validated Tollgate schema: what can be entitled, and the context it is evaluated for.
 *
 * <p>Generated code holds its schema (the generated entry point's {@code schema()}); code without generated classes
 * parses one here and passes it to {@link TollgateClient#builder(Schema)} and {@link DynamicInput}. Immutable and
 * thread-safe.
 */
public final class Schema {
    /** The snapshot format version ({@code "format"} in a snapshot) this runtime reads; see docs/snapshot-format.md. */
    public static final int SNAPSHOT_FORMAT = SnapshotCompiler.FORMAT;

    static {
        ApiAccess.registerSchemas(Schema::new, Schema::model);
    }

    private final SchemaModel model;

    private Schema(SchemaModel model) {
        this.model = Objects.requireNonNull(model, "model");
    }

    /**
     * Parses SDL text; {@code file} names the source in error locations.
     *
     * @throws SchemaException listing every problem with {@code file:line:col}
     */
    public static Schema parse(String sdl, String file) {
        return new Schema(SchemaParser.parse(sdl, file));
    }

    /**
     * Parses a UTF-8 SDL file; error locations use the file name as given.
     *
     * @throws SchemaException listing every problem with {@code file:line:col}
     * @throws java.io.UncheckedIOException if the file cannot be read
     */
    public static Schema parse(Path file) {
        return new Schema(SchemaParser.parse(file));
    }

    /**
     * The schema's hash ({@code sha256:...}): what snapshots name to say which schema they were written against.
     * Formatting, comments and descriptions do not change it.
     */
    public String hash() {
        return model.hash();
    }

    /**
     * Validates a snapshot against this schema as a whole, exactly as a client does before installing one, without
     * installing it anywhere: for build steps, CI checks and servers that store logic.
     *
     * @param json the snapshot document (UTF-8 JSON)
     * @param limits the caps to enforce, such as {@link SnapshotLimits#defaults()}
     * @return what loading it into a client that has no snapshot yet reports: {@link LoadResult.Status#INSTALLED}, the
     *     snapshot's revision, the schema hash it declares and whether that is this schema's hash
     * @throws InvalidSnapshotException listing every problem with its flag path
     */
    public LoadResult validateSnapshot(byte[] json, SnapshotLimits limits) {
        Objects.requireNonNull(json, "json");
        Objects.requireNonNull(limits, "limits");
        CompiledSnapshot compiled = SnapshotCompiler.compile(model, limits, json);
        return new LoadResult(
                LoadResult.Status.INSTALLED,
                compiled.revision(),
                0,
                compiled.schemaHash(),
                compiled.schemaHash().equals(model.hash()),
                null);
    }

    SchemaModel model() {
        return model;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Schema other && other.model == model;
    }

    @Override
    public int hashCode() {
        return System.identityHashCode(model);
    }

    @Override
    public String toString() {
        return model.toString();
    }
}
