package dev.tollgate.internal;

import dev.tollgate.Schema;
import dev.tollgate.TollgateClient;
import dev.tollgate.UntypedRoot;
import dev.tollgate.internal.eval.Rfc3339;
import dev.tollgate.internal.schema.SchemaModel;
import dev.tollgate.runtime.InputValue;
import java.time.Instant;
import java.util.Objects;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * The package-private parts of the public types that Tollgate's own packages and modules reach: the model behind a
 * {@link Schema}, a client's {@link BoundRoot}s, and the {@link UntypedRoot} view of one. Each public type hands its
 * part over from its static initializer, which the methods here force to have run (the way the JDK's own packages
 * share their internals), so the public types keep no public constructor or accessor that exposes internal types.
 */
public final class ApiAccess {
    private static volatile Function<SchemaModel, Schema> schemas;
    private static volatile Function<Schema, SchemaModel> models;
    private static volatile BiFunction<TollgateClient, InputValue, SnapshotEvaluator> readers;
    private static volatile Function<BoundRoot, UntypedRoot> roots;

    private ApiAccess() {}

    /** Called once, by {@link Schema}'s static initializer. */
    public static void registerSchemas(Function<SchemaModel, Schema> wrap, Function<Schema, SchemaModel> unwrap) {
        schemas = wrap;
        models = unwrap;
    }

    /** Called once, by {@link TollgateClient}'s static initializer. */
    public static void registerReaders(BiFunction<TollgateClient, InputValue, SnapshotEvaluator> reader) {
        readers = reader;
    }

    /** Called once, by {@link UntypedRoot}'s static initializer. */
    public static void registerRoots(Function<BoundRoot, UntypedRoot> view) {
        roots = view;
    }

    /** The public handle for a schema model. */
    public static Schema schema(SchemaModel model) {
        initialize(schemas, Schema.class);
        return schemas.apply(model);
    }

    /** The model behind a schema handle. */
    /** The model behind {@code schema}; a null schema is refused naming the parameter, as every caller's is. */
    public static SchemaModel model(Schema schema) {
        Objects.requireNonNull(schema, "schema");
        initialize(models, Schema.class);
        return models.apply(schema);
    }

    /**
     * A root of {@code client} for {@code context}, pinned to the snapshot installed now.
     *
     * @throws IllegalArgumentException if {@code context} is not of the client's context type
     */
    public static BoundRoot bind(TollgateClient client, InputValue context) {
        return reader(client, context).bind(context);
    }

    /**
     * The evaluator of the snapshot {@code client} has installed now, for {@code context}.
     *
     * @throws IllegalArgumentException if {@code context} is not of the client's context type
     */
    public static SnapshotEvaluator reader(TollgateClient client, InputValue context) {
        initialize(readers, TollgateClient.class);
        return readers.apply(client, context);
    }

    /** The path-based view of {@code root}. */
    public static UntypedRoot untyped(BoundRoot root) {
        initialize(roots, UntypedRoot.class);
        return roots.apply(root);
    }

    /**
     * The RFC 3339 date-time {@code text} as the SDK reads it in a snapshot (time windows, {@code before} and {@code
     * after}): offsets up to ±23:59, a leap second as :59, fraction digits past the ninth ignored; null when it is not
     * one. The server reads the instants of the documents it stores with this, so both agree on every document.
     */
    public static Instant instant(String text) {
        return Rfc3339.instant(Objects.requireNonNull(text, "text"));
    }

    private static void initialize(Object registered, Class<?> type) {
        if (registered != null) {
            return;
        }
        try {
            Class.forName(type.getName(), true, type.getClassLoader());
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException("cannot initialize " + type.getName(), e);
        }
    }
}
