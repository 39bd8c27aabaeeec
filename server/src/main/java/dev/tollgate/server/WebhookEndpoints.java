package dev.tollgate.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.URISyntaxException;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The webhook endpoints (table {@code webhook_endpoints}): where an environment's events are sent, which types, the
 * signing secret. Reads and writes run inside the caller's transaction. Secrets are only ever answered by {@link
 * #create} and {@link #rotate}; every other description leaves them out.
 */
final class WebhookEndpoints {
    /** Every event type an endpoint may subscribe to; {@code ping} is sent on request only, to one endpoint. */
    static final List<String> EVENT_TYPES = List.of(
            "revision.published",
            "override.set",
            "override.cleared",
            "grant.expiring",
            "grant.expired",
            "usage.threshold_crossed");

    static final String PING = "ping";
    /** How long the secret before a rotation still signs deliveries, beside the new one. */
    static final Duration ROTATION_GRACE = Duration.ofHours(24);

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final int MAX_URL = 2_000;
    private static final int MAX_DESCRIPTION = 200;
    private static final String COLUMNS = "w.id, e.name, w.url, w.description, w.events, w.enabled, w.disabled_reason,"
            + " w.failing_since, w.created_by, w.created_at, w.updated_at, w.previous_secret_until";

    private WebhookEndpoints() {}

    /** One endpoint as the sender needs it. */
    record Endpoint(
            long id,
            String environment,
            String url,
            Set<String> events,
            boolean enabled,
            String secret,
            String previousSecret,
            Instant previousSecretUntil) {

        /** The secrets that sign a delivery at {@code now}: the current one, and the previous one in its grace. */
        List<String> signingSecrets(Instant now) {
            return previousSecret != null && previousSecretUntil != null && now.isBefore(previousSecretUntil)
                    ? List.of(secret, previousSecret)
                    : List.of(secret);
        }
    }

    /** A new secret: {@code whsec_} and 32 random bytes in URL-safe Base64; the key is its UTF-8 bytes. */
    static String newSecret() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return "whsec_" + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    // ---- input ----

    /**
     * {@code url} checked: an absolute https URL, or http to {@code localhost}, {@code 127.0.0.1} or {@code [::1]} (for
     * a receiver on the same machine); 400 naming the field otherwise.
     */
    static String url(JsonNode body) {
        JsonNode node = body.get("url");
        if (node == null || !node.isTextual() || node.asText().isBlank()) {
            throw ApiException.badRequest("\"url\" is required: the https:// URL the events are posted to");
        }
        String text = node.asText().strip();
        if (text.length() > MAX_URL) {
            throw ApiException.badRequest("\"url\" is longer than " + MAX_URL + " characters");
        }
        URI uri;
        try {
            uri = new URI(text);
        } catch (URISyntaxException e) {
            throw ApiException.badRequest("\"url\" is not a valid URL: " + e.getMessage());
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        String host = uri.getHost() == null ? "" : uri.getHost().toLowerCase(Locale.ROOT);
        boolean local = host.equals("localhost") || host.equals("127.0.0.1") || host.equals("[::1]");
        if (host.isEmpty() || !(scheme.equals("https") || (scheme.equals("http") && local))) {
            throw ApiException.badRequest("\"url\" must be an https:// URL (http:// only for localhost and"
                    + " 127.0.0.1), was \"" + AuditLog.truncate(text, 200) + "\"");
        }
        if (uri.getUserInfo() != null || uri.getFragment() != null) {
            throw ApiException.badRequest("\"url\" must not carry a user name, password or #fragment, was \""
                    + AuditLog.truncate(text, 200) + "\"");
        }
        return text;
    }

    /** {@code events} checked: a non-empty array of known event types, without repeats kept. */
    static Set<String> events(JsonNode body) {
        JsonNode node = body.get("events");
        if (node == null || !node.isArray() || node.isEmpty()) {
            throw ApiException.badRequest("\"events\" must be a non-empty array of event types, from " + EVENT_TYPES);
        }
        Set<String> events = new LinkedHashSet<>();
        for (int i = 0; i < node.size(); i++) {
            String type = node.get(i).asText("");
            if (!node.get(i).isTextual() || !EVENT_TYPES.contains(type)) {
                throw ApiException.badRequest("\"events\"[" + i + "] is not an event type: "
                        + AuditLog.truncate(node.get(i).toString(), 100) + "; the types are " + EVENT_TYPES);
            }
            events.add(type);
        }
        return events;
    }

    static String description(JsonNode body) {
        JsonNode node = body.get("description");
        if (node == null || node.isNull()) {
            return "";
        }
        if (!node.isTextual() || node.asText().length() > MAX_DESCRIPTION) {
            throw ApiException.badRequest(
                    "\"description\" must be a string of at most " + MAX_DESCRIPTION + " characters");
        }
        return node.asText();
    }

    static boolean enabled(JsonNode body) {
        JsonNode node = body.get("enabled");
        if (!node.isBoolean()) {
            throw ApiException.badRequest("\"enabled\" must be true or false, was " + node);
        }
        return node.asBoolean();
    }

    // ---- writes ----

    /** Inserts an endpoint and answers its description with the secret, the one time it is shown. */
    static ObjectNode create(
            Connection c,
            long environmentId,
            String url,
            String description,
            Set<String> events,
            String createdBy,
            Instant now)
            throws SQLException {
        String secret = newSecret();
        long id;
        try (PreparedStatement s = c.prepareStatement(
                "INSERT INTO webhook_endpoints (environment_id, url, description, events, secret, enabled,"
                        + " created_by, created_at, updated_at) VALUES (?, ?, ?, ?, ?, TRUE, ?, ?, ?)",
                Statement.RETURN_GENERATED_KEYS)) {
            s.setLong(1, environmentId);
            s.setString(2, url);
            s.setString(3, description);
            s.setString(4, String.join(",", events));
            s.setString(5, secret);
            s.setString(6, AuditLog.truncate(createdBy, 200));
            s.setTimestamp(7, Timestamp.from(now));
            s.setTimestamp(8, Timestamp.from(now));
            s.executeUpdate();
            try (ResultSet keys = s.getGeneratedKeys()) {
                keys.next();
                id = keys.getLong(1);
            }
        }
        ObjectNode created = describe(c, id);
        created.put("secret", secret);
        return created;
    }

    /**
     * Applies the keys {@code body} has of {@code url}, {@code events}, {@code description} and {@code enabled};
     * enabling clears the failure record, so that an endpoint the server disabled gets a fresh start.
     */
    static void update(Connection c, long id, JsonNode body, Instant now) throws SQLException {
        List<String> sets = new ArrayList<>();
        List<Object> values = new ArrayList<>();
        if (body.has("url")) {
            sets.add("url = ?");
            values.add(url(body));
        }
        if (body.has("events")) {
            sets.add("events = ?");
            values.add(String.join(",", events(body)));
        }
        if (body.has("description")) {
            sets.add("description = ?");
            values.add(description(body));
        }
        if (body.has("enabled")) {
            boolean enabled = enabled(body);
            sets.add("enabled = ?");
            values.add(enabled);
            if (enabled) {
                sets.add("disabled_reason = NULL");
                sets.add("failing_since = NULL");
            } else {
                sets.add("disabled_reason = ?");
                values.add("disabled by an admin");
            }
        }
        sets.add("updated_at = ?");
        values.add(Timestamp.from(now));
        try (PreparedStatement s =
                c.prepareStatement("UPDATE webhook_endpoints SET " + String.join(", ", sets) + " WHERE id = ?")) {
            for (int i = 0; i < values.size(); i++) {
                s.setObject(i + 1, values.get(i));
            }
            s.setLong(values.size() + 1, id);
            s.executeUpdate();
        }
    }

    /** Replaces the secret; the old one signs too for {@link #ROTATION_GRACE}. Answers the new secret. */
    static String rotate(Connection c, long id, Instant now) throws SQLException {
        String secret = newSecret();
        try (PreparedStatement s = c.prepareStatement("UPDATE webhook_endpoints SET previous_secret = secret,"
                + " previous_secret_until = ?, secret = ?, updated_at = ? WHERE id = ?")) {
            s.setTimestamp(1, Timestamp.from(now.plus(ROTATION_GRACE)));
            s.setString(2, secret);
            s.setTimestamp(3, Timestamp.from(now));
            s.setLong(4, id);
            s.executeUpdate();
        }
        return secret;
    }

    /** Deletes the endpoint and (by cascade) its deliveries and their attempts. */
    static void delete(Connection c, long id) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("DELETE FROM webhook_endpoints WHERE id = ?")) {
            s.setLong(1, id);
            s.executeUpdate();
        }
    }

    /** Disables an endpoint on the server's own decision, saying why. */
    static void disable(Connection c, long id, String reason, Instant now) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("UPDATE webhook_endpoints SET enabled = FALSE,"
                + " disabled_reason = ?, updated_at = ? WHERE id = ? AND enabled = TRUE")) {
            s.setString(1, AuditLog.truncate(reason, 500));
            s.setTimestamp(2, Timestamp.from(now));
            s.setLong(3, id);
            s.executeUpdate();
        }
    }

    /** Notes a failed attempt ({@code failed}) or a success; answers since when the endpoint has been failing. */
    static Instant recordOutcome(Connection c, long id, boolean failed, Instant now) throws SQLException {
        String sql = failed
                ? "UPDATE webhook_endpoints SET failing_since = COALESCE(failing_since, ?) WHERE id = ?"
                : "UPDATE webhook_endpoints SET failing_since = NULL WHERE id = ? AND failing_since IS NOT NULL";
        try (PreparedStatement s = c.prepareStatement(sql)) {
            if (failed) {
                s.setTimestamp(1, Timestamp.from(now));
                s.setLong(2, id);
            } else {
                s.setLong(1, id);
            }
            s.executeUpdate();
        }
        if (!failed) {
            return null;
        }
        try (PreparedStatement s = c.prepareStatement("SELECT failing_since FROM webhook_endpoints WHERE id = ?")) {
            s.setLong(1, id);
            try (ResultSet r = s.executeQuery()) {
                return r.next() && r.getTimestamp(1) != null ? r.getTimestamp(1).toInstant() : null;
            }
        }
    }

    // ---- reads ----

    /** The endpoint {@code id} of {@code environment}; 404 when there is none there. */
    static Endpoint find(Connection c, String environment, long id) throws SQLException {
        Endpoint endpoint = byId(c, id);
        if (endpoint == null || !endpoint.environment().equals(environment)) {
            throw ApiException.notFound("environment \"" + environment + "\" has no webhook endpoint " + id);
        }
        return endpoint;
    }

    /** The endpoint {@code id} with its secrets, or null. */
    static Endpoint byId(Connection c, long id) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT w.id, e.name, w.url, w.events, w.enabled, w.secret,"
                + " w.previous_secret, w.previous_secret_until FROM webhook_endpoints w"
                + " JOIN environments e ON e.id = w.environment_id WHERE w.id = ?")) {
            s.setLong(1, id);
            try (ResultSet r = s.executeQuery()) {
                if (!r.next()) {
                    return null;
                }
                Timestamp until = r.getTimestamp(8);
                return new Endpoint(
                        r.getLong(1),
                        r.getString(2),
                        r.getString(3),
                        eventSet(r.getString(4)),
                        r.getBoolean(5),
                        r.getString(6),
                        r.getString(7),
                        until == null ? null : until.toInstant());
            }
        }
    }

    /** The ids of the environment's enabled endpoints subscribed to {@code type}. */
    static List<Long> subscribed(Connection c, long environmentId, String type) throws SQLException {
        List<Long> ids = new ArrayList<>();
        try (PreparedStatement s = c.prepareStatement(
                "SELECT id, events FROM webhook_endpoints WHERE environment_id = ? AND enabled = TRUE ORDER BY id")) {
            s.setLong(1, environmentId);
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    if (eventSet(r.getString(2)).contains(type)) {
                        ids.add(r.getLong(1));
                    }
                }
            }
        }
        return ids;
    }

    /** The event types the environment's enabled endpoints subscribe to, together. */
    static Set<String> subscriptions(Connection c, long environmentId) throws SQLException {
        Set<String> types = new LinkedHashSet<>();
        try (PreparedStatement s = c.prepareStatement(
                "SELECT events FROM webhook_endpoints WHERE environment_id = ? AND enabled = TRUE")) {
            s.setLong(1, environmentId);
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    types.addAll(eventSet(r.getString(1)));
                }
            }
        }
        return types;
    }

    private static Set<String> eventSet(String text) {
        return new LinkedHashSet<>(List.of(text.split(",")));
    }

    /** The environment's endpoints, oldest first, without secrets. */
    static ArrayNode list(Connection c, long environmentId) throws SQLException {
        ArrayNode list = Json.array();
        try (PreparedStatement s = c.prepareStatement("SELECT " + COLUMNS + " FROM webhook_endpoints w"
                + " JOIN environments e ON e.id = w.environment_id WHERE w.environment_id = ? ORDER BY w.id")) {
            s.setLong(1, environmentId);
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    list.add(describe(r));
                }
            }
        }
        return list;
    }

    /** One endpoint's description, without its secret. */
    static ObjectNode describe(Connection c, long id) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT " + COLUMNS + " FROM webhook_endpoints w"
                + " JOIN environments e ON e.id = w.environment_id WHERE w.id = ?")) {
            s.setLong(1, id);
            try (ResultSet r = s.executeQuery()) {
                if (!r.next()) {
                    throw ApiException.notFound("no webhook endpoint " + id);
                }
                return describe(r);
            }
        }
    }

    private static ObjectNode describe(ResultSet r) throws SQLException {
        ObjectNode node = Json.object();
        node.put("id", r.getLong(1));
        node.put("environment", r.getString(2));
        node.put("url", r.getString(3));
        node.put("description", r.getString(4));
        ArrayNode events = node.putArray("events");
        eventSet(r.getString(5)).forEach(events::add);
        node.put("enabled", r.getBoolean(6));
        node.put("disabledReason", r.getString(7));
        node.put("failingSince", instant(r.getTimestamp(8)));
        node.put("createdBy", r.getString(9));
        node.put("createdAt", instant(r.getTimestamp(10)));
        node.put("updatedAt", instant(r.getTimestamp(11)));
        node.put("previousSecretValidUntil", instant(r.getTimestamp(12)));
        return node;
    }

    static String instant(Timestamp t) {
        return t == null ? null : t.toInstant().toString();
    }
}
