package dev.tollgate.server;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;

/**
 * Which schemas (the {@code Tollgate-Schema-Hash} request header) and SDK versions ({@code User-Agent}) read each
 * environment, so that people can see what is deployed before they change the schema. Requests are counted in memory
 * and added to the database by {@link #flush()} (every minute and at shutdown), so the hot snapshot path never writes.
 *
 * <p>Concurrency: request threads add to {@link Tally} counters in a concurrent map; the flushing thread swaps the map
 * out atomically, so each request is flushed exactly once. Bounded: past {@link #MAX_KEYS} distinct keys until the next
 * flush, new keys are not tracked.
 */
final class SdkClients {
    private static final int MAX_KEYS = 10_000;
    private static final Pattern HASH = Pattern.compile("sha256:[0-9a-f]{64}");

    private final Database db;
    private final Clock clock;
    private volatile ConcurrentHashMap<Key, Tally> pending = new ConcurrentHashMap<>();

    SdkClients(Database db, Clock clock) {
        this.db = db;
        this.clock = clock;
    }

    private record Key(long environmentId, String schemaHash, String userAgent) {}

    private static final class Tally {
        final AtomicLong requests = new AtomicLong();
        final Instant firstSeen;
        volatile Instant lastSeen;

        Tally(Instant now) {
            firstSeen = now;
            lastSeen = now;
        }
    }

    /** Counts one request of an SDK token. */
    void record(Principal principal, String schemaHash, String userAgent) {
        String hash = schemaHash != null && HASH.matcher(schemaHash).matches() ? schemaHash : "unknown";
        String agent = userAgent == null || userAgent.isBlank() ? "unknown" : AuditLog.truncate(userAgent.strip(), 200);
        Key key = new Key(principal.environmentId(), hash, agent);
        Map<Key, Tally> map = pending;
        Instant now = clock.instant();
        Tally tally = map.get(key);
        if (tally == null) {
            if (map.size() >= MAX_KEYS) {
                return;
            }
            tally = map.computeIfAbsent(key, k -> new Tally(now));
        }
        tally.requests.incrementAndGet();
        tally.lastSeen = now;
    }

    /** Adds what was counted since the last flush to the database. */
    void flush() {
        Map<Key, Tally> batch = pending;
        if (batch.isEmpty()) {
            return;
        }
        pending = new ConcurrentHashMap<>();
        db.transaction(c -> {
            for (Map.Entry<Key, Tally> e : batch.entrySet()) {
                add(c, e.getKey(), e.getValue());
            }
            return null;
        });
    }

    private static void add(Connection c, Key key, Tally tally) throws SQLException {
        for (int attempt = 0; attempt < 3; attempt++) {
            String sql = attempt == 1
                    ? "INSERT INTO sdk_clients (requests, first_seen, last_seen, environment_id, schema_hash, user_agent)"
                            + " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING"
                    : "UPDATE sdk_clients SET requests = requests + ?, first_seen = LEAST(first_seen, ?),"
                            + " last_seen = GREATEST(last_seen, ?) WHERE environment_id = ? AND schema_hash = ?"
                            + " AND user_agent = ?";
            try (PreparedStatement s = c.prepareStatement(sql)) {
                s.setLong(1, tally.requests.get());
                s.setTimestamp(2, Timestamp.from(tally.firstSeen));
                s.setTimestamp(3, Timestamp.from(tally.lastSeen));
                s.setLong(4, key.environmentId());
                s.setString(5, key.schemaHash());
                s.setString(6, key.userAgent());
                if (s.executeUpdate() == 1) {
                    return;
                }
            }
        }
        throw new SQLException("could not record an SDK client");
    }

    /** The clients seen since {@code since}, most recent first, each saying whether its schema is the current one. */
    ArrayNode list(Connection c, long environmentId, Instant since, String currentHash) throws SQLException {
        ArrayNode rows = Json.array();
        try (PreparedStatement s = c.prepareStatement(
                "SELECT schema_hash, user_agent, requests, first_seen, last_seen"
                        + " FROM sdk_clients WHERE environment_id = ? AND last_seen >= ? ORDER BY last_seen DESC, schema_hash")) {
            s.setLong(1, environmentId);
            s.setTimestamp(2, Timestamp.from(since));
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    ObjectNode row = rows.addObject();
                    row.put("schemaHash", r.getString(1));
                    row.put("schemaIsCurrent", r.getString(1).equals(currentHash));
                    row.put("userAgent", r.getString(2));
                    row.put("requests", r.getLong(3));
                    row.put("firstSeen", r.getTimestamp(4).toInstant().toString());
                    row.put("lastSeen", r.getTimestamp(5).toInstant().toString());
                }
            }
        }
        return rows;
    }
}
