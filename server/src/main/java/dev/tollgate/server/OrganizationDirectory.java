package dev.tollgate.server;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The organization directory's table: upserting checked rows, finding one, searching by id or name, deleting. Every
 * method works on the caller's connection, so that an upsert and its audit entry commit together. Memory is bounded by
 * the rows of one request ({@link OrganizationRows#MAX_ROWS}) and one search page.
 */
final class OrganizationDirectory {
    /** Ids per {@code IN (...)} when reading the stored rows an upsert replaces. */
    private static final int CHUNK = 500;

    private static final String COLUMNS = "id, name, plan, attributes, updated_at, updated_by";
    private static final String SEARCH = "SELECT " + COLUMNS + " FROM organizations"
            + " WHERE id_lower LIKE ? ESCAPE '!' OR name_lower LIKE ? ESCAPE '!'"
            + " ORDER BY CASE WHEN id_lower = ? THEN 0 WHEN id_lower LIKE ? ESCAPE '!' THEN 1"
            + " WHEN name_lower LIKE ? ESCAPE '!' THEN 2 ELSE 3 END, name_lower, id LIMIT ?";

    /** What an upsert did: rows inserted, rows changed, rows already as given. */
    record Counts(int created, int updated, int unchanged) {
        ObjectNode toJson() {
            ObjectNode node = Json.object();
            node.put("created", created);
            node.put("updated", updated);
            node.put("unchanged", unchanged);
            return node;
        }

        @Override
        public String toString() {
            return "created " + created + ", updated " + updated + ", unchanged " + unchanged;
        }
    }

    private final Clock clock;

    OrganizationDirectory(Clock clock) {
        this.clock = clock;
    }

    /**
     * Stores {@code rows} (checked, ids unique) as {@code author}: new ids are inserted, changed rows updated, the rest
     * left alone; with {@code write} false only counts what it would do.
     */
    Counts upsert(Connection c, List<Organization> rows, String author, boolean write) throws SQLException {
        Map<String, Organization> stored = stored(c, rows);
        List<Organization> created = new ArrayList<>();
        List<Organization> updated = new ArrayList<>();
        for (Organization row : rows) {
            Organization old = stored.get(row.id());
            if (old == null) {
                created.add(row);
            } else if (!old.sameAs(row)) {
                updated.add(row);
            }
        }
        if (write) {
            Timestamp now = Timestamp.from(clock.instant());
            insert(c, created, author, now);
            update(c, updated, author, now);
        }
        return new Counts(created.size(), updated.size(), rows.size() - created.size() - updated.size());
    }

    private Map<String, Organization> stored(Connection c, List<Organization> rows) throws SQLException {
        Map<String, Organization> stored = new HashMap<>();
        for (int from = 0; from < rows.size(); from += CHUNK) {
            List<Organization> chunk = rows.subList(from, Math.min(rows.size(), from + CHUNK));
            String marks = String.join(", ", Collections.nCopies(chunk.size(), "?"));
            try (PreparedStatement s =
                    c.prepareStatement("SELECT " + COLUMNS + " FROM organizations WHERE id IN (" + marks + ")")) {
                for (int i = 0; i < chunk.size(); i++) {
                    s.setString(i + 1, chunk.get(i).id());
                }
                for (Organization found : list(s)) {
                    stored.put(found.id(), found);
                }
            }
        }
        return stored;
    }

    private static void insert(Connection c, List<Organization> rows, String author, Timestamp now)
            throws SQLException {
        try (PreparedStatement s = c.prepareStatement("INSERT INTO organizations (name, name_lower, plan, attributes,"
                + " updated_at, updated_by, id, id_lower) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
            for (Organization row : rows) {
                bind(s, row, author, now);
                s.setString(8, lower(row.id()));
                s.addBatch();
            }
            s.executeBatch();
        }
    }

    private static void update(Connection c, List<Organization> rows, String author, Timestamp now)
            throws SQLException {
        try (PreparedStatement s = c.prepareStatement("UPDATE organizations SET name = ?, name_lower = ?, plan = ?,"
                + " attributes = ?, updated_at = ?, updated_by = ? WHERE id = ?")) {
            for (Organization row : rows) {
                bind(s, row, author, now);
                s.addBatch();
            }
            s.executeBatch();
        }
    }

    /** Binds name, name_lower, plan, attributes, updated_at, updated_by and id as parameters 1 to 7. */
    private static void bind(PreparedStatement s, Organization row, String author, Timestamp now) throws SQLException {
        s.setString(1, row.name());
        s.setString(2, lower(row.name()));
        s.setString(3, row.plan());
        s.setString(4, Json.compact(row.attributes()));
        s.setTimestamp(5, now);
        s.setString(6, AuditLog.truncate(author, 200));
        s.setString(7, row.id());
    }

    /** The organization {@code id} (exactly as stored), or null. */
    Organization find(Connection c, String id) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT " + COLUMNS + " FROM organizations WHERE id = ?")) {
            s.setString(1, id);
            List<Organization> found = list(s);
            return found.isEmpty() ? null : found.get(0);
        }
    }

    /**
     * Up to {@code limit} organizations whose id or name contains {@code query}, ignoring case: the id equal to it
     * first, then ids starting with it, then names starting with it, then the rest; by name within each.
     */
    List<Organization> search(Connection c, String query, int limit) throws SQLException {
        String q = lower(query);
        String prefix = escape(q) + "%";
        String contains = "%" + escape(q) + "%";
        try (PreparedStatement s = c.prepareStatement(SEARCH)) {
            s.setString(1, contains);
            s.setString(2, contains);
            s.setString(3, q);
            s.setString(4, prefix);
            s.setString(5, prefix);
            s.setInt(6, limit);
            return list(s);
        }
    }

    /** Deletes the organization {@code id}; answers it as it was, or null when there was none. */
    Organization delete(Connection c, String id) throws SQLException {
        Organization found = find(c, id);
        if (found != null) {
            try (PreparedStatement s = c.prepareStatement("DELETE FROM organizations WHERE id = ?")) {
                s.setString(1, id);
                s.executeUpdate();
            }
        }
        return found;
    }

    private static List<Organization> list(PreparedStatement s) throws SQLException {
        List<Organization> found = new ArrayList<>();
        try (ResultSet r = s.executeQuery()) {
            while (r.next()) {
                found.add(new Organization(
                        r.getString(1),
                        r.getString(2),
                        r.getString(3),
                        (ObjectNode) Json.parseTrusted(r.getString(4)),
                        r.getTimestamp(5).toInstant(),
                        r.getString(6)));
            }
        }
        return found;
    }

    static String lower(String text) {
        return text.toLowerCase(Locale.ROOT);
    }

    /** {@code text} for a LIKE pattern with escape character {@code !}: its {@code %}, {@code _} and {@code !} literal. */
    private static String escape(String text) {
        return text.replace("!", "!!").replace("%", "!%").replace("_", "!_");
    }
}
