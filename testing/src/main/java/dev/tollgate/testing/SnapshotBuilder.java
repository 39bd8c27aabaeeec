package dev.tollgate.testing;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.LoadResult;
import dev.tollgate.Schema;
import dev.tollgate.TollgateClient;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Builds snapshots in tests without writing JSON by hand. The result goes through the same validation as any other
 * snapshot, so a test cannot install logic that production would reject.
 *
 * <pre>{@code
 * TollgateClient client = SnapshotBuilder.forSchema(schema)
 *         .field("entitlements.maxTeamSize", f -> f
 *                 .override("context.organization.id", "org_42", 50)
 *                 .rule("pro", ConditionSpec.eq("context.organization.plan", "PRO"), 20)
 *                 .defaultValue(5))
 *         .newClient();
 * }</pre>
 */
public final class SnapshotBuilder {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final Schema schema;
    private long revision = 1;
    private final Map<String, ConditionSpec> segments = new LinkedHashMap<>();
    private final Map<String, FieldLogic> fields = new LinkedHashMap<>();

    private SnapshotBuilder(Schema schema) {
        this.schema = Objects.requireNonNull(schema, "schema");
    }

    public static SnapshotBuilder forSchema(Schema schema) {
        return new SnapshotBuilder(schema);
    }

    /** The revision; 1 unless set. */
    public SnapshotBuilder revision(long revision) {
        if (revision < 1) {
            throw new IllegalArgumentException("revision must be at least 1, was " + revision);
        }
        this.revision = revision;
        return this;
    }

    public SnapshotBuilder segment(String name, ConditionSpec condition) {
        segments.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(condition, "condition"));
        return this;
    }

    /** Configures the logic of the field at {@code path}; calling again for the same path adds to it. */
    public SnapshotBuilder field(String path, Consumer<FieldLogic> logic) {
        logic.accept(fields.computeIfAbsent(Objects.requireNonNull(path, "path"), p -> new FieldLogic()));
        return this;
    }

    /** Shorthand for a field whose logic is just a default value. */
    public SnapshotBuilder value(String path, Object value) {
        return field(path, f -> f.defaultValue(value));
    }

    /** The snapshot as pretty-printed JSON. */
    public String toJson() {
        ObjectNode root = JsonNodeFactory.instance.objectNode();
        root.put("format", 1);
        root.put("revision", revision);
        root.put("schemaHash", schema.hash());
        if (!segments.isEmpty()) {
            ObjectNode segmentNodes = root.putObject("segments");
            segments.forEach((name, condition) -> segmentNodes.putObject(name).set("if", condition.toJson()));
        }
        ObjectNode fieldNodes = root.putObject("fields");
        fields.forEach((path, logic) -> fieldNodes.set(path, logic.toJson()));
        try {
            return JSON.writeValueAsString(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write snapshot JSON", e);
        }
    }

    /** Loads the snapshot into {@code client}. */
    public LoadResult installInto(TollgateClient client) {
        return client.loadSnapshot(toJson());
    }

    /** A new client for the schema with this snapshot installed. */
    public TollgateClient newClient() {
        TollgateClient client = TollgateClient.builder(schema).build();
        installInto(client);
        return client;
    }
}
