package dev.tollgate.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.internal.schema.FieldDefinition;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Turns changes into webhook events, each written to the {@link WebhookOutbox} inside the transaction of the change:
 * {@code revision.published}, {@code override.set} and {@code override.cleared} as a revision is published (whatever
 * published it: an edit, an approved change request, a restore, pruning), {@code grant.expiring} and {@code
 * grant.expired} from the rounds of the {@link WindowKeeper}, and {@code usage.threshold_crossed} as a log batch adds
 * metered usage. Each first asks which types the environment's enabled endpoints subscribe to, so an environment
 * without webhooks pays one indexed read per change and no more.
 */
final class WebhookEvents {
    /** At most this many override events per revision; {@code revision.published} counts them all. */
    static final int MAX_OVERRIDE_EVENTS = 100;
    /** At most this many field paths and segment names in a {@code revision.published} summary. */
    static final int MAX_NAMES = 50;
    /** The shares of a limit whose crossing is told, in percent. */
    static final int[] THRESHOLDS = {80, 100};

    private final LogicStore store;
    private final WebhookOutbox outbox;
    private final Duration expiringLead;
    /** The limits of each environment's current revision, by environment id (a handful of entries). */
    private final Map<Long, Limits> limits = new ConcurrentHashMap<>();

    WebhookEvents(LogicStore store, WebhookOutbox outbox, Duration expiringLead) {
        this.store = store;
        this.outbox = outbox;
        this.expiringLead = expiringLead;
    }

    Duration expiringLead() {
        return expiringLead;
    }

    // ---- revisions and overrides ----

    /**
     * A revision of {@code env} (the environment as it was before: {@code env.revision()} is the previous revision)
     * was written with {@code document}; inside the publishing transaction. {@code previous} is the previous
     * revision's document when the caller has it parsed already (never to be modified), else null: then it is read.
     */
    void published(
            Connection c,
            LogicStore.Environment env,
            LogicStore.Revision revision,
            String action,
            ObjectNode document,
            ObjectNode previous)
            throws SQLException {
        Set<String> types = WebhookEndpoints.subscriptions(c, env.id());
        boolean overrides = types.contains("override.set") || types.contains("override.cleared");
        if (!types.contains("revision.published") && !overrides) {
            return;
        }
        ObjectNode before = previous != null
                ? previous
                : env.revision() == 0
                        ? Json.object()
                        : (ObjectNode) Json.parseTrusted(
                                store.revision(c, env, env.revision()).document());
        Map<String, ObjectNode> oldRows = overrideRows(before);
        Map<String, ObjectNode> newRows = overrideRows(document);
        List<ObjectNode[]> set = new ArrayList<>();
        List<ObjectNode> cleared = new ArrayList<>();
        newRows.forEach((id, row) -> {
            ObjectNode old = oldRows.get(id);
            if (!row.equals(old)) {
                set.add(new ObjectNode[] {row, old});
            }
        });
        oldRows.forEach((id, row) -> {
            if (!newRows.containsKey(id)) {
                cleared.add(row);
            }
        });
        if (types.contains("revision.published")) {
            ObjectNode data = change(revision, action);
            data.put("previousRevision", env.revision());
            ObjectNode summary = data.putObject("summary");
            summary.set("fields", changedNames(before.path("fields"), document.path("fields")));
            summary.set("segments", changedNames(before.path("segments"), document.path("segments")));
            summary.put("overridesSet", set.size());
            summary.put("overridesCleared", cleared.size());
            outbox.publish(c, env.id(), env.name(), "revision.published", data);
        }
        int sent = 0;
        for (ObjectNode[] pair : set) {
            if (sent++ >= MAX_OVERRIDE_EVENTS) {
                return;
            }
            ObjectNode data = pair[0].deepCopy();
            data.set("previous", pair[1] == null ? null : withoutIdentity(pair[1]));
            data.setAll(change(revision, action));
            outbox.publish(c, env.id(), env.name(), "override.set", data);
        }
        for (ObjectNode row : cleared) {
            if (sent++ >= MAX_OVERRIDE_EVENTS) {
                return;
            }
            ObjectNode data = row.deepCopy();
            data.setAll(change(revision, action));
            outbox.publish(c, env.id(), env.name(), "override.cleared", data);
        }
    }

    private static ObjectNode change(LogicStore.Revision revision, String action) {
        ObjectNode data = Json.object();
        data.put("revision", revision.revision());
        data.put("author", revision.author());
        data.put("message", revision.message());
        data.put("action", action);
        return data;
    }

    private static ObjectNode withoutIdentity(ObjectNode row) {
        ObjectNode copy = row.deepCopy();
        copy.remove(List.of("field", "attribute", "key"));
        return copy;
    }

    /** The names under {@code before} and {@code after} whose values differ, at most {@link #MAX_NAMES}. */
    private static ArrayNode changedNames(JsonNode before, JsonNode after) {
        Set<String> names = new LinkedHashSet<>();
        after.fieldNames().forEachRemaining(names::add);
        before.fieldNames().forEachRemaining(names::add);
        ArrayNode changed = Json.array();
        for (String name : names) {
            if (!after.path(name).equals(before.path(name)) && changed.size() < MAX_NAMES) {
                changed.add(name);
            }
        }
        return changed;
    }

    /**
     * Every override row of {@code document} (plain {@code values} and windowed {@code rows}) as {@code {"field",
     * "attribute", "key", "value", "from", "until"}}, by field, attribute and key.
     */
    static Map<String, ObjectNode> overrideRows(ObjectNode document) {
        Map<String, ObjectNode> rows = new LinkedHashMap<>();
        document.path("fields").fields().forEachRemaining(field -> {
            for (JsonNode table : field.getValue().path("overrides")) {
                String attribute = table.path("by").asText("");
                table.path("values")
                        .fields()
                        .forEachRemaining(e -> rows.put(
                                field.getKey() + "\u0000" + attribute + "\u0000" + e.getKey(),
                                row(field.getKey(), attribute, e.getKey(), e.getValue(), null)));
                table.path("rows")
                        .fields()
                        .forEachRemaining(e -> rows.put(
                                field.getKey() + "\u0000" + attribute + "\u0000" + e.getKey(),
                                row(
                                        field.getKey(),
                                        attribute,
                                        e.getKey(),
                                        e.getValue().get("value"),
                                        e.getValue())));
            }
        });
        return rows;
    }

    private static ObjectNode row(String field, String attribute, String key, JsonNode value, JsonNode window) {
        ObjectNode row = Json.object();
        row.put("field", field);
        row.put("attribute", attribute);
        row.put("key", key);
        row.set("value", value);
        row.set("from", window == null ? null : window.get("from"));
        row.set("until", window == null ? null : window.get("until"));
        return row;
    }

    // ---- grants that end ----

    /**
     * Writes {@code grant.expiring}, once per row and {@code until}, for the windowed override rows of {@code revision}
     * whose {@code until} is within {@link #expiringLead} after {@code now}; in its own transaction. Answers how many.
     */
    int expiring(LogicStore.Environment env, List<WindowedRows.Row> rows, Instant now) {
        Instant horizon = now.plus(expiringLead);
        List<WindowedRows.Row> due = rows.stream()
                .filter(r -> r.until() != null
                        && r.until().isAfter(now)
                        && !r.until().isAfter(horizon))
                .toList();
        if (due.isEmpty()) {
            return 0;
        }
        return store.db().transaction(c -> {
            if (WebhookEndpoints.subscribed(c, env.id(), "grant.expiring").isEmpty()) {
                return 0;
            }
            int written = 0;
            for (WindowedRows.Row row : due) {
                String id = Tokens.sha256Hex(String.join(
                        "\u0000",
                        env.name(),
                        "grant.expiring",
                        row.field(),
                        row.attribute(),
                        row.key(),
                        row.until().toString()));
                if (notice(c, id, env.id(), "grant.expiring", now)) {
                    ObjectNode data = row.describe();
                    data.put("revision", env.revision());
                    outbox.publish(c, env.id(), env.name(), "grant.expiring", data);
                    written++;
                }
            }
            return written;
        });
    }

    /** A lapse of an override row was just recorded, inside that transaction: {@code grant.expired}. */
    void expired(Connection c, LogicStore.Environment env, Lapse lapse) throws SQLException {
        ObjectNode data = Json.object();
        data.put("field", lapse.field());
        data.put("attribute", lapse.attribute());
        data.put("key", lapse.key());
        data.set("value", lapse.value());
        data.put("until", lapse.until().toString());
        data.put("revision", env.revision());
        outbox.publish(c, env.id(), env.name(), "grant.expired", data);
    }

    /** Whether this call recorded the notice {@code id}; false when any instance recorded it before. */
    private static boolean notice(Connection c, String id, long environmentId, String kind, Instant now)
            throws SQLException {
        try (PreparedStatement s = c.prepareStatement("INSERT INTO webhook_notices (notice_id, environment_id, kind,"
                + " created_at) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING")) {
            s.setString(1, id);
            s.setLong(2, environmentId);
            s.setString(3, kind);
            s.setTimestamp(4, Timestamp.from(now));
            return s.executeUpdate() == 1;
        }
    }

    // ---- metered usage ----

    /**
     * A log batch left {@code rows} (their values after it) in environment {@code environmentId}; inside its
     * transaction. For each row whose usage reached 80 % or 100 % of its limit, {@code usage.threshold_crossed} once
     * per meter (field, arguments, key, period) and threshold. The limit is what the current logic gives the key by
     * itself (see {@link Limits#of}) plus the row's extra; rows whose limit the logic does not tell without the rest of
     * a context get no event.
     */
    void usage(Connection c, long environmentId, List<MeterRow> rows, Instant now) throws SQLException {
        if (rows.isEmpty()
                || WebhookEndpoints.subscribed(c, environmentId, "usage.threshold_crossed")
                        .isEmpty()) {
            return;
        }
        LogicStore.Environment env = environment(c, environmentId);
        if (env == null || env.revision() == 0) {
            return;
        }
        Limits known = limits(c, env);
        for (MeterRow row : rows) {
            Long value = known.of(row.meter().field(), row.meter().key(), now);
            if (value == null) {
                continue;
            }
            long limit = value + row.extra();
            for (int threshold : THRESHOLDS) {
                // used * 100 >= limit * threshold, without overflow for stored values up to 2^63-1
                boolean crossed = limit <= 0
                        ? threshold == 100 && row.used() > 0
                        : row.used() >= Math.ceil(limit * (threshold / 100.0));
                if (crossed && notice(c, thresholdId(env.name(), row, threshold), env.id(), "usage", now)) {
                    outbox.publish(
                            c, env.id(), env.name(), "usage.threshold_crossed", usageData(row, limit, threshold));
                }
            }
        }
    }

    private static String thresholdId(String environment, MeterRow row, int threshold) {
        return Tokens.sha256Hex(
                String.join("\u0000", environment, "usage", row.meter().id(), Integer.toString(threshold)));
    }

    private static ObjectNode usageData(MeterRow row, long limit, int threshold) {
        ObjectNode data = Json.object();
        data.put("field", row.meter().field());
        data.set("arguments", Json.parseTrusted(row.meter().argsKey()));
        data.put("key", row.meter().key());
        data.put("period", row.meter().period().name());
        data.put("periodStart", row.meter().periodStart().toString());
        data.put("threshold", threshold);
        data.put("used", row.used());
        data.put("limit", limit);
        data.put("extra", row.extra());
        return data;
    }

    private LogicStore.Environment environment(Connection c, long id) throws SQLException {
        for (LogicStore.Environment env : store.environments(c)) {
            if (env.id() == id) {
                return env;
            }
        }
        return null;
    }

    private Limits limits(Connection c, LogicStore.Environment env) throws SQLException {
        Limits cached = limits.get(env.id());
        if (cached != null && cached.revision() == env.revision()) {
            return cached;
        }
        LogicStore.Revision revision = store.revision(c, env, env.revision());
        LogicStore.SchemaVersion schema = store.schemaVersion(c, revision.schemaVersion());
        Limits loaded = new Limits(env.revision(), (ObjectNode) Json.parseTrusted(revision.document()), schema);
        limits.put(env.id(), loaded);
        return loaded;
    }

    /** The limits one revision's logic gives a counting key by itself. */
    record Limits(long revision, ObjectNode document, LogicStore.SchemaVersion schema) {
        /**
         * The limit of {@code field} for the counting key {@code key}, or null when it takes more than the key to
         * know. Walks the field's override tables in order: a table keyed by the field's {@code @metered(by:)}
         * attribute with a row for the key (in its window at {@code now}) answers; a table keyed by another attribute
         * before that could answer for some contexts, so the limit is unknown. With no such row, the field's {@code
         * default} is the limit when it has no rules; with rules, it is unknown. Only integer values count.
         */
        Long of(String field, String key, Instant now) {
            FieldDefinition definition =
                    schema.schema().field(field).map(f -> f.definition()).orElse(null);
            if (definition == null || definition.meter() == null) {
                return null;
            }
            String by = definition.meter().countedBy();
            JsonNode logic = document.path("fields").path(field);
            Iterator<JsonNode> tables = logic.path("overrides").elements();
            while (tables.hasNext()) {
                JsonNode table = tables.next();
                if (!table.path("by").asText("").equals(by)) {
                    return null;
                }
                JsonNode value = table.path("values").get(key);
                JsonNode row = table.path("rows").get(key);
                if (row != null && active(GrantWindow.of(row), now)) {
                    value = row.get("value");
                }
                if (value != null) {
                    return value.isIntegralNumber() ? value.asLong() : null;
                }
            }
            JsonNode fallback = logic.get("default");
            boolean rules = logic.path("rules").size() > 0;
            return !rules && fallback != null && fallback.isIntegralNumber() ? fallback.asLong() : null;
        }

        /** Whether {@code now} is in the window: {@code from} inclusive, {@code until} exclusive. */
        private static boolean active(GrantWindow window, Instant now) {
            return (window.from() == null || !now.isBefore(window.from()))
                    && (window.until() == null || now.isBefore(window.until()));
        }
    }
}
