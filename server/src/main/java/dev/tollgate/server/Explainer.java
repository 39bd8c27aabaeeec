package dev.tollgate.server;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.DynamicInput;
import dev.tollgate.EvaluationDetail;
import dev.tollgate.LogOptions;
import dev.tollgate.Reason;
import dev.tollgate.SnapshotLimits;
import dev.tollgate.TollgateClient;
import dev.tollgate.UntypedRoot;
import dev.tollgate.internal.ApiAccess;
import dev.tollgate.internal.schema.SchemaField;
import dev.tollgate.internal.schema.SchemaModel;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Collections;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Answers "what does this context get, and why" with the SDK's own client and evaluator: one client per environment,
 * holding the environment's current (or requested) revision, with logging off.
 *
 * <p>Concurrency: clients are immutable once loaded and replaced atomically in the map; a replaced client is closed.
 */
final class Explainer implements AutoCloseable {
    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {};

    private final SnapshotLimits limits;
    private final ConcurrentHashMap<String, Loaded> clients = new ConcurrentHashMap<>();

    Explainer(SnapshotLimits limits, Clock clock) {
        this.clock = clock;
        this.pinned = new PinnedClock(clock);
        this.limits = limits;
    }

    private final Clock clock;

    /** The explainer's clients' clock: the root an explanation makes reads the instant the answer reports. */
    private final PinnedClock pinned;

    private record Loaded(long revision, long schemaVersion, TollgateClient client) {}

    /**
     * Evaluates every field (or the requested ones) for the request's {@code context}, with {@code args} per field path.
     */
    ObjectNode explain(LogicStore.Revision revision, LogicStore.SchemaVersion schema, JsonNode request) {
        if (!request.isObject() || !request.path("context").isObject()) {
            throw ApiException.badRequest(
                    "the body must be {\"context\": {...}, \"args\": {path: {...}}, \"fields\": [...]}");
        }
        TollgateClient client = client(revision, schema);
        long at = clock.millis();
        UntypedRoot root;
        try {
            root = pinned.at(
                    at,
                    () -> client.root(DynamicInput.context(
                            ApiAccess.schema(schema.schema()), Json.MAPPER.convertValue(request.get("context"), MAP))));
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("invalid context: " + e.getMessage());
        }
        Set<String> only = requestedFields(request, schema.schema());
        JsonNode args = request.path("args");
        ObjectNode result = Json.object();
        result.put("environment", revision.environment());
        result.put("revision", revision.revision());
        result.put("schemaHash", schema.hash());
        result.put("at", Instant.ofEpochMilli(at).toString());
        ArrayNode fields = result.putArray("fields");
        for (SchemaField field : schema.schema().fields()) {
            if (only != null && !only.contains(field.path())) {
                continue;
            }
            EvaluationDetail<Object> detail = root.detail(field.path(), args(args, field.path()), null);
            ObjectNode entry = fields.addObject();
            entry.put("path", field.path());
            entry.put("type", field.type().toString());
            entry.set("value", Json.MAPPER.valueToTree(detail.value()));
            entry.set("reason", reason(detail.reason()));
        }
        return result;
    }

    private static Set<String> requestedFields(JsonNode request, SchemaModel schema) {
        JsonNode fields = request.get("fields");
        if (fields == null || fields.isNull()) {
            return null;
        }
        if (!fields.isArray()) {
            throw ApiException.badRequest("\"fields\" must be an array of field paths");
        }
        Set<String> paths = new HashSet<>();
        for (JsonNode path : fields) {
            if (schema.field(path.asText()).isEmpty()) {
                throw ApiException.badRequest("the schema has no field " + path.asText());
            }
            paths.add(path.asText());
        }
        return paths;
    }

    private static Map<String, ?> args(JsonNode args, String path) {
        JsonNode values = args.get(path);
        if (values == null || values.isNull()) {
            return Map.of();
        }
        if (!values.isObject()) {
            throw ApiException.badRequest("args of " + path + " must be an object of argument names to values");
        }
        return Collections.unmodifiableMap(Json.MAPPER.convertValue(values, MAP));
    }

    static ObjectNode reason(Reason reason) {
        ObjectNode node = Json.object();
        node.put("kind", reason.kind().name());
        node.put("label", reason.label());
        if (reason.ruleId() != null) {
            node.put("rule", reason.ruleId());
        }
        if (reason.arm() != null) {
            node.put("arm", reason.arm());
        }
        if (reason.overrideKey() != null) {
            node.put("override", reason.overrideKey());
        }
        if (reason.fallbackCause() != null) {
            node.put("fallbackCause", reason.fallbackCause().name());
        }
        if (reason.message() != null) {
            node.put("message", reason.message());
        }
        if (!reason.notes().isEmpty()) {
            ArrayNode notes = node.putArray("notes");
            reason.notes().forEach(notes::add);
        }
        return node;
    }

    private TollgateClient client(LogicStore.Revision revision, LogicStore.SchemaVersion schema) {
        String key = revision.environment();
        Loaded loaded = clients.get(key);
        if (loaded != null && loaded.revision() == revision.revision() && loaded.schemaVersion() == schema.version()) {
            return loaded.client();
        }
        TollgateClient client = TollgateClient.builder(ApiAccess.schema(schema.schema()))
                .limits(limits)
                .logs(LogOptions.disabled())
                .clock(pinned)
                .build();
        client.loadSnapshot(revision.document().getBytes(StandardCharsets.UTF_8));
        Loaded fresh = new Loaded(revision.revision(), schema.version(), client);
        Loaded previous = clients.put(key, fresh);
        if (previous != null) {
            previous.client().close();
        }
        return client;
    }

    @Override
    public void close() {
        clients.values().forEach(loaded -> loaded.client().close());
        clients.clear();
    }

    /**
     * The server's clock, except while {@link #at} runs on the calling thread: then it gives that instant, so the root
     * made inside sees exactly the instant the explanation reports.
     */
    private static final class PinnedClock extends Clock {
        private final Clock delegate;
        private final ThreadLocal<Instant> pinned;

        PinnedClock(Clock delegate) {
            this(delegate, new ThreadLocal<>());
        }

        private PinnedClock(Clock delegate, ThreadLocal<Instant> pinned) {
            this.delegate = delegate;
            this.pinned = pinned;
        }

        <T> T at(long millis, Supplier<T> work) {
            pinned.set(Instant.ofEpochMilli(millis));
            try {
                return work.get();
            } finally {
                pinned.remove();
            }
        }

        @Override
        public Instant instant() {
            Instant at = pinned.get();
            return at != null ? at : delegate.instant();
        }

        @Override
        public ZoneId getZone() {
            return delegate.getZone();
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return new PinnedClock(delegate.withZone(zone), pinned);
        }
    }
}
