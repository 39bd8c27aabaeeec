package dev.tollgate.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Evaluation logs from the SDKs: each batch is applied once (by its {@code batchId}, in the same transaction as the
 * counts), evaluation counts are added per field path, outcome and hour (the hour of the batch's {@code windowStart}),
 * exposures per field, rule, arm and hour, SDK messages per environment and text, metered usage per meter (see {@link
 * MeterStore}).
 *
 * <p>Counts are bounded so that no SDK token can lower or break a counter: an item's {@code count} is at most {@link
 * #MAX_COUNT} (else 400 naming the item), so a batch's sums (added with {@link Math#addExact}) stay far inside a
 * {@code long}; stored counters saturate at {@link Long#MAX_VALUE} instead of overflowing, and sums read back over
 * several rows saturate too.
 */
final class UsageStore {
    private static final int MAX_ITEMS = 100_000;

    /**
     * The largest {@code count} one item of a batch may carry: 10^12, over five hours of one core doing nothing but
     * evaluating one field at 20 ns each, far above what an SDK counts between two batches.
     */
    static final long MAX_COUNT = 1_000_000_000_000L;

    /** {@code n} plus the parameters (headroom, maximum, increment): a counter that saturates at the maximum. */
    private static final String SATURATING_ADD = "n = CASE WHEN n > ? THEN ? ELSE n + ? END";

    private final Database db;
    private final Clock clock;
    private final MeterStore meters;
    private volatile WebhookEvents webhooks;

    /** Where a batch's metered usage also writes its threshold events, in its transaction; set once at start. */
    void webhooks(WebhookEvents events) {
        this.webhooks = events;
    }

    UsageStore(Database db, Clock clock, MeterStore meters) {
        this.db = db;
        this.clock = clock;
        this.meters = meters;
    }

    private record Key(String field, String a, String b, Instant hour) {}

    /**
     * What ingesting a batch did: whether it was applied (false: its id was applied before), the current rows of the
     * meters it names, and the meter version it wrote (0: none).
     */
    record Ingested(boolean applied, List<MeterRow> usage, long meterVersion) {}

    /**
     * Applies a batch, its metered usage last (see {@link MeterStore}) and in the same transaction as the claim of its
     * id, so that a batch is counted once however often it is retried. The answer has the current rows of the meters it
     * names, after this batch, also when it was a duplicate.
     */
    Ingested ingest(long environmentId, JsonNode batch, String idempotencyKey) {
        if (!batch.isObject()) {
            throw ApiException.badRequest("a log batch is a JSON object");
        }
        String batchId = text(batch, "batchId", 128);
        if (idempotencyKey != null && !idempotencyKey.equals(batchId)) {
            throw ApiException.badRequest("Idempotency-Key \"" + AuditLog.truncate(idempotencyKey, 140)
                    + "\" does not match batchId \"" + batchId + "\"");
        }
        Instant hour = instant(batch, "windowStart").truncatedTo(ChronoUnit.HOURS);
        Map<Key, Long> evaluations = new HashMap<>();
        List<JsonNode> evaluationItems = array(batch, "evaluations");
        for (int i = 0; i < evaluationItems.size(); i++) {
            JsonNode e = evaluationItems.get(i);
            Key key = new Key(text(e, "field", 500), text(e, "outcome", 300), "", hour);
            int index = i;
            evaluations.merge(key, count(e, "evaluations", i), (a, b) -> addExact(a, b, index));
        }
        Map<Key, Long> exposures = new HashMap<>();
        for (JsonNode e : array(batch, "exposures")) {
            Instant at = instant(e, "time").truncatedTo(ChronoUnit.HOURS);
            Key key = new Key(text(e, "field", 500), text(e, "rule", 300), text(e, "arm", 300), at);
            text(e, "unit", 2_000);
            exposures.merge(key, 1L, Math::addExact);
        }
        List<JsonNode> messages = array(batch, "messages");
        for (int i = 0; i < messages.size(); i++) {
            JsonNode m = messages.get(i);
            text(m, "level", 10);
            text(m, "message", 100_000);
            count(m, "messages", i);
            instant(m, "firstSeen");
            instant(m, "lastSeen");
        }
        Map<Meter, Long> usage = MeterInput.batch(batch);
        return db.transaction(c -> {
            if (!claim(c, batchId, environmentId)) {
                return new Ingested(false, meters.rows(c, environmentId, usage.keySet()), 0);
            }
            for (Map.Entry<Key, Long> e : evaluations.entrySet()) {
                addEvaluations(c, environmentId, e.getKey(), e.getValue());
            }
            for (Map.Entry<Key, Long> e : exposures.entrySet()) {
                addExposures(c, environmentId, e.getKey(), e.getValue());
            }
            for (JsonNode m : messages) {
                addMessage(c, environmentId, m);
            }
            long version = meters.addUsed(c, environmentId, usage);
            List<MeterRow> rows = meters.rows(c, environmentId, usage.keySet());
            WebhookEvents hooks = webhooks;
            if (hooks != null && version > 0) {
                hooks.usage(c, environmentId, rows, clock.instant());
            }
            return new Ingested(true, rows, version);
        });
    }

    private boolean claim(Connection c, String batchId, long environmentId) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("INSERT INTO log_batches (batch_id, environment_id, received_at)"
                + " VALUES (?, ?, ?) ON CONFLICT DO NOTHING")) {
            s.setString(1, batchId);
            s.setLong(2, environmentId);
            s.setTimestamp(3, Timestamp.from(clock.instant()));
            return s.executeUpdate() == 1;
        }
    }

    private static void addEvaluations(Connection c, long env, Key key, long n) throws SQLException {
        upsert(
                c,
                "UPDATE usage_counts SET " + SATURATING_ADD + " WHERE environment_id = ? AND bucket_hour = ?"
                        + " AND field = ? AND outcome = ?",
                "INSERT INTO usage_counts (n, environment_id, bucket_hour, field, outcome) VALUES (?, ?, ?, ?, ?)"
                        + " ON CONFLICT DO NOTHING",
                n,
                env,
                key.hour(),
                key.field(),
                key.a());
    }

    private static void addExposures(Connection c, long env, Key key, long n) throws SQLException {
        upsert(
                c,
                "UPDATE exposure_counts SET " + SATURATING_ADD + " WHERE environment_id = ? AND bucket_hour = ?"
                        + " AND field = ? AND rule_id = ? AND arm = ?",
                "INSERT INTO exposure_counts (n, environment_id, bucket_hour, field, rule_id, arm)"
                        + " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
                n,
                env,
                key.hour(),
                key.field(),
                key.a(),
                key.b());
    }

    /**
     * Adds {@code n} to a counter row (saturating at {@link Long#MAX_VALUE}), creating it when missing. Portable across
     * PostgreSQL and H2: update, else insert-if-absent, else (a concurrent insert won) update again.
     */
    private static void upsert(
            Connection c, String update, String insert, long n, long env, Instant hour, String... keys)
            throws SQLException {
        for (int attempt = 0; attempt < 3; attempt++) {
            boolean inserting = attempt == 1;
            try (PreparedStatement s = c.prepareStatement(inserting ? insert : update)) {
                int p = inserting ? setCount(s, n) : setIncrement(s, n);
                s.setLong(p++, env);
                s.setTimestamp(p++, Timestamp.from(hour));
                for (String key : keys) {
                    s.setString(p++, key);
                }
                if (s.executeUpdate() == 1) {
                    return;
                }
            }
        }
        throw new SQLException("could not add to a usage counter");
    }

    private void addMessage(Connection c, long env, JsonNode m) throws SQLException {
        String level = m.get("level").asText();
        String message = AuditLog.truncate(m.get("message").asText(), 2000);
        String hash = Tokens.hash(level + "\n" + message);
        long n = m.get("count").asLong();
        Timestamp first = Timestamp.from(Instant.parse(m.get("firstSeen").asText()));
        Timestamp last = Timestamp.from(Instant.parse(m.get("lastSeen").asText()));
        for (int attempt = 0; attempt < 3; attempt++) {
            if (attempt == 1) {
                try (PreparedStatement s = c.prepareStatement("INSERT INTO sdk_messages (environment_id, message_hash,"
                        + " level, message, n, first_seen, last_seen) VALUES (?, ?, ?, ?, ?, ?, ?)"
                        + " ON CONFLICT DO NOTHING")) {
                    s.setLong(1, env);
                    s.setString(2, hash);
                    s.setString(3, level);
                    s.setString(4, message);
                    s.setLong(5, n);
                    s.setTimestamp(6, first);
                    s.setTimestamp(7, last);
                    if (s.executeUpdate() == 1) {
                        return;
                    }
                }
            } else {
                try (PreparedStatement s = c.prepareStatement("UPDATE sdk_messages SET " + SATURATING_ADD + ","
                        + " first_seen = LEAST(first_seen, ?), last_seen = GREATEST(last_seen, ?)"
                        + " WHERE environment_id = ? AND message_hash = ?")) {
                    int p = setIncrement(s, n);
                    s.setTimestamp(p++, first);
                    s.setTimestamp(p++, last);
                    s.setLong(p++, env);
                    s.setString(p, hash);
                    if (s.executeUpdate() == 1) {
                        return;
                    }
                }
            }
        }
        throw new SQLException("could not record an SDK message");
    }

    /** Sets the one parameter of an insert's count; answers the next parameter's index. */
    private static int setCount(PreparedStatement s, long n) throws SQLException {
        s.setLong(1, n);
        return 2;
    }

    /** Sets the parameters of {@link #SATURATING_ADD} for adding {@code n}; answers the next parameter's index. */
    private static int setIncrement(PreparedStatement s, long n) throws SQLException {
        s.setLong(1, Long.MAX_VALUE - n);
        s.setLong(2, Long.MAX_VALUE);
        s.setLong(3, n);
        return 4;
    }

    /** A {@code SUM(n)} read back, at most {@link Long#MAX_VALUE}: the sum of saturated counters saturates too. */
    private static long sum(ResultSet r, int column) throws SQLException {
        BigDecimal sum = r.getBigDecimal(column);
        if (sum == null) {
            return 0;
        }
        return sum.compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) >= 0 ? Long.MAX_VALUE : sum.longValueExact();
    }

    /**
     * Evaluation counts in {@code [from, to)} per field and outcome (and hour, when {@code hourly}), optionally for one
     * field path.
     */
    ArrayNode usage(Connection c, long env, Instant from, Instant to, String field, boolean hourly)
            throws SQLException {
        String group = hourly ? "bucket_hour, field, outcome" : "field, outcome";
        String sql = "SELECT " + group + ", SUM(n) FROM usage_counts WHERE environment_id = ? AND bucket_hour >= ?"
                + " AND bucket_hour < ?" + (field == null ? "" : " AND field = ?") + " GROUP BY " + group
                + " ORDER BY " + group;
        ArrayNode rows = Json.array();
        try (PreparedStatement s = c.prepareStatement(sql)) {
            s.setLong(1, env);
            s.setTimestamp(2, Timestamp.from(from));
            s.setTimestamp(3, Timestamp.from(to));
            if (field != null) {
                s.setString(4, field);
            }
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    ObjectNode row = rows.addObject();
                    int i = 1;
                    if (hourly) {
                        row.put("hour", r.getTimestamp(i++).toInstant().toString());
                    }
                    row.put("field", r.getString(i++));
                    row.put("outcome", r.getString(i++));
                    row.put("count", sum(r, i));
                }
            }
        }
        return rows;
    }

    /** Exposure counts in {@code [from, to)} per field, rule and arm. */
    ArrayNode exposures(Connection c, long env, Instant from, Instant to) throws SQLException {
        ArrayNode rows = Json.array();
        try (PreparedStatement s = c.prepareStatement("SELECT field, rule_id, arm, SUM(n) FROM exposure_counts"
                + " WHERE environment_id = ? AND bucket_hour >= ? AND bucket_hour < ?"
                + " GROUP BY field, rule_id, arm ORDER BY field, rule_id, arm")) {
            s.setLong(1, env);
            s.setTimestamp(2, Timestamp.from(from));
            s.setTimestamp(3, Timestamp.from(to));
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    ObjectNode row = rows.addObject();
                    row.put("field", r.getString(1));
                    row.put("rule", r.getString(2));
                    row.put("arm", r.getString(3));
                    row.put("count", sum(r, 4));
                }
            }
        }
        return rows;
    }

    /** SDK messages, most recently seen first. */
    ArrayNode messages(Connection c, long env, int limit) throws SQLException {
        ArrayNode rows = Json.array();
        try (PreparedStatement s = c.prepareStatement("SELECT level, message, n, first_seen, last_seen FROM"
                + " sdk_messages WHERE environment_id = ? ORDER BY last_seen DESC LIMIT ?")) {
            s.setLong(1, env);
            s.setInt(2, limit);
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    ObjectNode row = rows.addObject();
                    row.put("level", r.getString(1));
                    row.put("message", r.getString(2));
                    row.put("count", r.getLong(3));
                    row.put("firstSeen", r.getTimestamp(4).toInstant().toString());
                    row.put("lastSeen", r.getTimestamp(5).toInstant().toString());
                }
            }
        }
        return rows;
    }

    /** Deletes counts, messages and client records older than {@code retentionDays}, batch ids older than two days. */
    void purge(int retentionDays) {
        Instant now = clock.instant();
        db.transaction(c -> {
            Timestamp counts = Timestamp.from(now.minus(retentionDays, ChronoUnit.DAYS));
            for (String table : new String[] {"usage_counts", "exposure_counts"}) {
                try (PreparedStatement s = c.prepareStatement("DELETE FROM " + table + " WHERE bucket_hour < ?")) {
                    s.setTimestamp(1, counts);
                    s.executeUpdate();
                }
            }
            for (String table : new String[] {"sdk_messages", "sdk_clients"}) {
                try (PreparedStatement s = c.prepareStatement("DELETE FROM " + table + " WHERE last_seen < ?")) {
                    s.setTimestamp(1, counts);
                    s.executeUpdate();
                }
            }
            try (PreparedStatement s = c.prepareStatement("DELETE FROM log_batches WHERE received_at < ?")) {
                s.setTimestamp(1, Timestamp.from(now.minus(2, ChronoUnit.DAYS)));
                s.executeUpdate();
            }
            return null;
        });
    }

    // ---- batch validation: every problem is a 400 naming the key ----

    private static String text(JsonNode node, String key, int maxLength) {
        JsonNode value = node.get(key);
        if (value == null || !value.isTextual() || value.asText().isEmpty()) {
            throw ApiException.badRequest("log batch: \"" + key + "\" must be a non-empty string");
        }
        String text = value.asText();
        if (text.length() > maxLength) {
            throw ApiException.badRequest("log batch: \"" + key + "\" is longer than " + maxLength + " characters");
        }
        return text;
    }

    /**
     * The {@code count} of item {@code index} of the list {@code list}: an integer from 0 to {@link #MAX_COUNT}. Never
     * converts to a {@code BigInteger}, so an exponent such as {@code 1e999999999} costs nothing.
     */
    private static long count(JsonNode item, String list, int index) {
        JsonNode value = item.get("count");
        String where = "log batch: " + list + "[" + index + "].count";
        if (value == null
                || !value.isNumber()
                || !value.canConvertToExactIntegral()
                || value.decimalValue().signum() < 0) {
            throw ApiException.badRequest(where + " must be a non-negative integer");
        }
        if (!value.canConvertToLong() || value.asLong() > MAX_COUNT) {
            throw ApiException.badRequest(where + " " + value.asText() + " is over the limit of " + MAX_COUNT);
        }
        return value.asLong();
    }

    /**
     * Adds the count of {@code evaluations[index]} to its field and outcome's sum so far in the batch. With every count
     * at most {@link #MAX_COUNT} and at most {@link #MAX_ITEMS} items it cannot overflow; it is checked all the same.
     */
    private static long addExact(long sum, long count, int index) {
        try {
            return Math.addExact(sum, count);
        } catch (ArithmeticException e) {
            throw ApiException.badRequest("log batch: evaluations[" + index + "].count takes its field and outcome"
                    + " past " + Long.MAX_VALUE + " in this batch");
        }
    }

    private static Instant instant(JsonNode node, String key) {
        String text = text(node, key, 64);
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            throw ApiException.badRequest(
                    "log batch: \"" + key + "\" must be an ISO-8601 instant, was \"" + text + "\"");
        }
    }

    private static List<JsonNode> array(JsonNode batch, String key) {
        JsonNode value = batch.get(key);
        if (value == null || value.isNull()) {
            return List.of();
        }
        if (!value.isArray()) {
            throw ApiException.badRequest("log batch: \"" + key + "\" must be an array");
        }
        if (value.size() > MAX_ITEMS) {
            throw new ApiException(
                    413, "too_large", "log batch: \"" + key + "\" has more than " + MAX_ITEMS + " items");
        }
        List<JsonNode> items = new java.util.ArrayList<>(value.size());
        for (JsonNode item : value) {
            if (!item.isObject()) {
                throw ApiException.badRequest("log batch: every item of \"" + key + "\" must be an object");
            }
            items.add(item);
        }
        return items;
    }
}
