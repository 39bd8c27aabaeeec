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

/** The append-only record of every write: who (token), from where, what, on which environment and target. */
final class AuditLog {
    private final Clock clock;

    AuditLog(Clock clock) {
        this.clock = clock;
    }

    /** Records an entry inside the caller's transaction, so that it exists exactly when the change does. */
    void record(
            Connection c,
            Principal who,
            String address,
            String action,
            String environment,
            String target,
            String detail)
            throws SQLException {
        insert(
                c,
                who == null ? "system" : who.author(),
                who == null ? null : who.auditTokenId(),
                address,
                action,
                environment,
                target,
                detail);
    }

    /** Records an entry made by the server itself, such as {@code tollgate}, with no token and no client address. */
    void recordByServer(Connection c, String actor, String action, String environment, String target, String detail)
            throws SQLException {
        insert(c, actor, null, null, action, environment, target, detail);
    }

    private void insert(
            Connection c,
            String actor,
            Long tokenId,
            String address,
            String action,
            String environment,
            String target,
            String detail)
            throws SQLException {
        try (PreparedStatement s = c.prepareStatement("INSERT INTO audit_log (created_at, actor, token_id,"
                + " client_address, action, environment, target, detail) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
            s.setTimestamp(1, Timestamp.from(clock.instant()));
            s.setString(2, truncate(actor, 200));
            if (tokenId == null) {
                s.setNull(3, java.sql.Types.BIGINT);
            } else {
                s.setLong(3, tokenId);
            }
            s.setString(4, address);
            s.setString(5, action);
            s.setString(6, environment);
            s.setString(7, target == null ? null : truncate(target, 1000));
            s.setString(8, detail);
            s.executeUpdate();
        }
    }

    /** Entries newest first, optionally for one environment, before an id (for paging). */
    ArrayNode list(Connection c, String environment, long beforeId, int limit) throws SQLException {
        String sql = "SELECT id, created_at, actor, token_id, client_address, action, environment, target, detail"
                + " FROM audit_log WHERE id < ?" + (environment == null ? "" : " AND environment = ?")
                + " ORDER BY id DESC LIMIT ?";
        ArrayNode entries = Json.array();
        try (PreparedStatement s = c.prepareStatement(sql)) {
            int i = 1;
            s.setLong(i++, beforeId);
            if (environment != null) {
                s.setString(i++, environment);
            }
            s.setInt(i, limit);
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    ObjectNode entry = entries.addObject();
                    entry.put("id", r.getLong(1));
                    entry.put("time", r.getTimestamp(2).toInstant().toString());
                    entry.put("actor", r.getString(3));
                    long token = r.getLong(4);
                    if (r.wasNull()) {
                        entry.putNull("tokenId");
                    } else {
                        entry.put("tokenId", token);
                    }
                    entry.put("clientAddress", r.getString(5));
                    entry.put("action", r.getString(6));
                    entry.put("environment", r.getString(7));
                    entry.put("target", r.getString(8));
                    entry.put("detail", r.getString(9));
                }
            }
        }
        return entries;
    }

    /** An entry's id, who recorded it, when, and its detail. */
    record Entry(long id, String actor, Instant time, String detail) {}

    /**
     * The newest entry of {@code action} in {@code environment} whose target is {@code target} or {@code target}
     * followed by a space and more words, or null. Reads the environment's entries of that action only, newest first
     * (index {@code audit_log_action}).
     */
    Entry latest(Connection c, String environment, String action, String target) throws SQLException {
        String sql = "SELECT id, actor, created_at, detail FROM audit_log WHERE environment = ? AND action = ?"
                + " AND (target = ? OR target LIKE ? ESCAPE '!') ORDER BY id DESC LIMIT 1";
        try (PreparedStatement s = c.prepareStatement(sql)) {
            s.setString(1, environment);
            s.setString(2, action);
            s.setString(3, target);
            s.setString(4, likePrefix(target) + " %");
            try (ResultSet r = s.executeQuery()) {
                return r.next()
                        ? new Entry(
                                r.getLong(1), r.getString(2), r.getTimestamp(3).toInstant(), r.getString(4))
                        : null;
            }
        }
    }

    /**
     * Whether, after entry {@code id}, {@code environment}'s logic was replaced in a way that may have changed {@code
     * field} without naming its rows: a restore, a whole-logic edit, or an edit or removal of the field's logic.
     */
    boolean replacedSince(Connection c, String environment, long id, String field) throws SQLException {
        String sql = "SELECT 1 FROM audit_log WHERE environment = ? AND id > ? AND (action IN ('revision.restore',"
                + " 'logic.put') OR (action IN ('field.put', 'field.delete') AND (target = ? OR target LIKE ?"
                + " ESCAPE '!'))) LIMIT 1";
        try (PreparedStatement s = c.prepareStatement(sql)) {
            s.setString(1, environment);
            s.setLong(2, id);
            s.setString(3, field);
            s.setString(4, likePrefix(field) + " %");
            try (ResultSet r = s.executeQuery()) {
                return r.next();
            }
        }
    }

    /** {@code text} with the LIKE wildcards escaped by {@code !}. */
    private static String likePrefix(String text) {
        return text.replace("!", "!!").replace("%", "!%").replace("_", "!_");
    }

    static String truncate(String text, int max) {
        return text.length() <= max ? text : text.substring(0, max - 3) + "...";
    }
}
