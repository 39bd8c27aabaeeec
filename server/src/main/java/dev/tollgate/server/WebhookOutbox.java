package dev.tollgate.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The outbox of webhook deliveries (tables {@code webhook_deliveries} and {@code webhook_attempts}).
 *
 * <p>Writing: {@link #publish} runs inside the transaction of the change an event tells of and inserts one delivery per
 * enabled endpoint of the environment subscribed to the event's type, so the event exists exactly when the change
 * does; a change that rolls back leaves no delivery.
 *
 * <p>Sending: {@link #claim} picks due rows and, in its own short transaction, moves each one's {@code
 * next_attempt_at} past the longest an attempt can take ({@link #LEASE}); the HTTP call runs after that commit, holding
 * no lock, and {@link #recordAttempt} then writes its outcome. On PostgreSQL the pick is {@code SELECT ... FOR UPDATE
 * SKIP LOCKED}, so instances sharing the database claim different rows without waiting on each other; on H2 (one
 * process) each row is claimed by an {@code UPDATE} that only succeeds while the row is still due, so two senders never
 * both claim it. A sender that dies mid-attempt leaves its row due again when the lease ends: deliveries are at least
 * once, and consumers dedupe by event id.
 */
final class WebhookOutbox {
    /** Longer than an attempt can take (connect and request timeouts together), so a lease outlives its attempt. */
    static final Duration LEASE = Duration.ofSeconds(60);
    /** How long a "sent once" notice is kept at least: longer than the longest expiring lead and meter period. */
    static final int NOTICE_RETENTION_DAYS = 400;
    /** The waits after each failed attempt; after the last, the delivery is {@code failed}. About 24 hours in all. */
    static final List<Duration> BACKOFF = List.of(
            Duration.ofSeconds(10),
            Duration.ofMinutes(1),
            Duration.ofMinutes(5),
            Duration.ofMinutes(30),
            Duration.ofHours(1),
            Duration.ofHours(2),
            Duration.ofHours(4),
            Duration.ofHours(8),
            Duration.ofHours(8));
    /** An endpoint whose attempts have failed without a success for this long is disabled. */
    static final Duration DISABLE_AFTER = Duration.ofDays(5);
    /** How many attempts of one delivery are kept. */
    static final int KEPT_ATTEMPTS = 20;

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String PENDING = "pending";
    private static final String DELIVERED = "delivered";
    private static final String FAILED = "failed";

    private final Clock clock;
    private final boolean postgres;
    private volatile Runnable wake = () -> {};

    WebhookOutbox(Clock clock, boolean postgres) {
        this.clock = clock;
        this.postgres = postgres;
    }

    Instant now() {
        return clock.instant();
    }

    /** What {@link #publish} calls after writing deliveries: the sender's nudge (it also polls). */
    void onPublish(Runnable wake) {
        this.wake = wake;
    }

    /** A new event id: {@code evt_} and 16 random bytes in hex. */
    static String newEventId() {
        byte[] bytes = new byte[16];
        RANDOM.nextBytes(bytes);
        return "evt_" + HexFormat.of().formatHex(bytes);
    }

    /** The body of an event: {@code {"id", "type", "createdAt", "environment", "data"}}. */
    ObjectNode event(String id, String type, String environment, JsonNode data) {
        ObjectNode event = Json.object();
        event.put("id", id);
        event.put("type", type);
        event.put("createdAt", now().toString());
        event.put("environment", environment);
        event.set("data", data);
        return event;
    }

    /**
     * Writes the event to every enabled endpoint of the environment subscribed to {@code type}, inside the caller's
     * transaction; answers how many deliveries it wrote.
     */
    int publish(Connection c, long environmentId, String environment, String type, JsonNode data) throws SQLException {
        List<Long> endpoints = WebhookEndpoints.subscribed(c, environmentId, type);
        if (endpoints.isEmpty()) {
            return 0;
        }
        String eventId = newEventId();
        String payload = Json.compact(event(eventId, type, environment, data));
        for (long endpoint : endpoints) {
            insert(c, endpoint, eventId, type, payload);
        }
        wake.run();
        return endpoints.size();
    }

    /** Writes one delivery of {@code payload}, the body of event {@code eventId}, to {@code endpoint}; answers its id. */
    long insert(Connection c, long endpoint, String eventId, String type, String payload) throws SQLException {
        Instant now = now();
        try (PreparedStatement s = c.prepareStatement(
                "INSERT INTO webhook_deliveries (endpoint_id, event_id, event_type, payload, status, attempts,"
                        + " retries, next_attempt_at, created_at) VALUES (?, ?, ?, ?, 'pending', 0, 0, ?, ?)",
                java.sql.Statement.RETURN_GENERATED_KEYS)) {
            s.setLong(1, endpoint);
            s.setString(2, eventId);
            s.setString(3, type);
            s.setString(4, payload);
            s.setTimestamp(5, Timestamp.from(now));
            s.setTimestamp(6, Timestamp.from(now));
            s.executeUpdate();
            try (ResultSet keys = s.getGeneratedKeys()) {
                keys.next();
                return keys.getLong(1);
            }
        }
    }

    // ---- sending ----

    /** A claimed delivery: what to send, and the attempt number it will be. */
    /** A claimed delivery; {@code lease} is the {@code next_attempt_at} the claim wrote, which its result must find. */
    record Claimed(long id, long endpointId, String eventId, String payload, int attempt, int retries, Instant lease) {
        Claimed withLease(Instant value) {
            return new Claimed(id, endpointId, eventId, payload, attempt, retries, value);
        }
    }

    /** Claims at most {@code limit} due deliveries of enabled endpoints for one attempt each (see the class comment). */
    List<Claimed> claim(Database db, int limit) {
        return claim(db, limit, Set.of());
    }

    /**
     * Likewise, at most one per endpoint and none of the endpoints in {@code busy} (which this instance is sending to
     * already), so that an endpoint with a backlog that times out does not take every sender from the healthy ones.
     */
    List<Claimed> claim(Database db, int limit, Set<Long> busy) {
        if (limit <= 0) {
            return List.of();
        }
        return db.transaction(c -> {
            Instant now = now();
            // Milliseconds: what every database stores exactly, so that the result's update finds the lease again.
            Instant lease = now.plus(LEASE).truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
            List<Claimed> due = due(c, now, limit, busy);
            List<Claimed> claimed = new ArrayList<>();
            try (PreparedStatement s = c.prepareStatement("UPDATE webhook_deliveries SET next_attempt_at = ?"
                    + " WHERE id = ? AND status = 'pending' AND next_attempt_at <= ?")) {
                for (Claimed row : due) {
                    s.setTimestamp(1, Timestamp.from(lease));
                    s.setLong(2, row.id());
                    s.setTimestamp(3, Timestamp.from(now));
                    if (s.executeUpdate() == 1) {
                        claimed.add(row.withLease(lease));
                    }
                }
            }
            return claimed;
        });
    }

    private List<Claimed> due(Connection c, Instant now, int limit, Set<Long> busy) throws SQLException {
        String sql =
                "SELECT d.id, d.endpoint_id, d.event_id, d.payload, d.attempts, d.retries FROM webhook_deliveries d"
                        + " WHERE d.status = 'pending' AND d.next_attempt_at <= ? AND EXISTS (SELECT 1 FROM webhook_endpoints w"
                        + " WHERE w.id = d.endpoint_id AND w.enabled = TRUE) ORDER BY d.next_attempt_at LIMIT ?"
                        + (postgres ? " FOR UPDATE OF d SKIP LOCKED" : "");
        // One delivery per endpoint, none of a busy one: a few more rows are read than taken.
        List<Claimed> rows = new ArrayList<>();
        Set<Long> endpoints = new java.util.HashSet<>(busy);
        try (PreparedStatement s = c.prepareStatement(sql)) {
            s.setTimestamp(1, Timestamp.from(now));
            s.setInt(2, limit * 8);
            try (ResultSet r = s.executeQuery()) {
                while (r.next() && rows.size() < limit) {
                    if (endpoints.add(r.getLong(2))) {
                        rows.add(new Claimed(
                                r.getLong(1),
                                r.getLong(2),
                                r.getString(3),
                                r.getString(4),
                                r.getInt(5) + 1,
                                r.getInt(6),
                                null));
                    }
                }
            }
        }
        return rows;
    }

    /** What one attempt came to: the HTTP status (0 without an answer), the error, its time, the answer's start. */
    record Outcome(int statusCode, String error, long millis, String responseBody) {
        boolean delivered() {
            return statusCode >= 200 && statusCode < 300;
        }
    }

    /**
     * Records an attempt of a claimed delivery: its row in the history (the oldest beyond {@link #KEPT_ATTEMPTS}
     * removed), and the delivery's new status: delivered, pending at the next backoff, or failed when the retries are
     * used up. A failure also notes the endpoint failing, and disables it after {@link #DISABLE_AFTER} of nothing but
     * failures. Answers whether the endpoint was disabled by this attempt.
     */
    boolean recordAttempt(Connection c, Claimed row, Outcome outcome) throws SQLException {
        Instant now = now();
        try (PreparedStatement s =
                c.prepareStatement("INSERT INTO webhook_attempts (delivery_id, attempt, attempted_at,"
                        + " status_code, error, duration_ms, response_body) VALUES (?, ?, ?, ?, ?, ?, ?)")) {
            s.setLong(1, row.id());
            s.setInt(2, row.attempt());
            s.setTimestamp(3, Timestamp.from(now));
            if (outcome.statusCode() == 0) {
                s.setNull(4, Types.INTEGER);
            } else {
                s.setInt(4, outcome.statusCode());
            }
            s.setString(5, outcome.error() == null ? null : AuditLog.truncate(outcome.error(), 1000));
            s.setLong(6, outcome.millis());
            s.setString(7, outcome.responseBody() == null ? null : AuditLog.truncate(outcome.responseBody(), 1000));
            s.executeUpdate();
        }
        try (PreparedStatement s =
                c.prepareStatement("DELETE FROM webhook_attempts WHERE delivery_id = ? AND attempt <= ?")) {
            s.setLong(1, row.id());
            s.setInt(2, row.attempt() - KEPT_ATTEMPTS);
            s.executeUpdate();
        }
        boolean delivered = outcome.delivered();
        int retries = delivered ? row.retries() : row.retries() + 1;
        // The result counts only while the claim holds: after a redelivery or a re-claim (an attempt that outlived its
        // lease), the newer attempt decides the status, and this one is only history.
        String status = delivered ? DELIVERED : retries > BACKOFF.size() ? FAILED : PENDING;
        Instant next = status.equals(PENDING) ? now.plus(backoff(retries)) : now;
        try (PreparedStatement s = c.prepareStatement("UPDATE webhook_deliveries SET status = ?, attempts = ?,"
                + " retries = ?, next_attempt_at = ?, last_attempt_at = ?, last_status_code = ?, last_error = ?,"
                + " delivered_at = ? WHERE id = ? AND next_attempt_at = ?")) {
            s.setString(1, status);
            s.setInt(2, row.attempt());
            s.setInt(3, retries);
            s.setTimestamp(4, Timestamp.from(next));
            s.setTimestamp(5, Timestamp.from(now));
            if (outcome.statusCode() == 0) {
                s.setNull(6, Types.INTEGER);
            } else {
                s.setInt(6, outcome.statusCode());
            }
            s.setString(7, outcome.error() == null ? null : AuditLog.truncate(outcome.error(), 1000));
            s.setTimestamp(8, delivered ? Timestamp.from(now) : null);
            s.setLong(9, row.id());
            s.setTimestamp(10, Timestamp.from(row.lease()));
            if (s.executeUpdate() == 0) {
                return false;
            }
        }
        Instant failingSince = WebhookEndpoints.recordOutcome(c, row.endpointId(), !delivered, now);
        if (failingSince != null && !failingSince.isAfter(now.minus(DISABLE_AFTER))) {
            WebhookEndpoints.disable(
                    c,
                    row.endpointId(),
                    "disabled by the server: every attempt since " + failingSince + " failed",
                    now);
            return true;
        }
        return false;
    }

    /** The wait after the {@code retries}-th failure: its {@link #BACKOFF} step, give or take 10 % (jitter). */
    static Duration backoff(int retries) {
        Duration step = BACKOFF.get(Math.min(retries, BACKOFF.size()) - 1);
        long millis = step.toMillis();
        long jitter = millis / 10;
        return Duration.ofMillis(millis - jitter + ThreadLocalRandom.current().nextLong(2 * jitter + 1));
    }

    // ---- the admin API ----

    /**
     * Makes a delivery due now with a fresh series of retries, whatever its status; its event id and body stay the
     * same, so a consumer that has it already dedupes it. 404 when the endpoint has no such delivery.
     */
    void redeliver(Connection c, long endpoint, long delivery) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("UPDATE webhook_deliveries SET status = 'pending', retries = 0,"
                + " next_attempt_at = ?, delivered_at = NULL WHERE id = ? AND endpoint_id = ?")) {
            s.setTimestamp(1, Timestamp.from(now()));
            s.setLong(2, delivery);
            s.setLong(3, endpoint);
            if (s.executeUpdate() != 1) {
                throw ApiException.notFound("webhook endpoint " + endpoint + " has no delivery " + delivery);
            }
        }
    }

    /** Nudges the sender: a delivery was just made due (after the commit, so that it sees it). */
    void wakeSender() {
        wake.run();
    }

    /** The endpoint's deliveries newest first, below {@code before}, each with its last attempts, newest first. */
    ArrayNode deliveries(Connection c, long endpoint, long before, int limit, int attempts) throws SQLException {
        ArrayNode list = Json.array();
        try (PreparedStatement s = c.prepareStatement("SELECT id, event_id, event_type, status, attempts,"
                + " next_attempt_at, last_attempt_at, last_status_code, last_error, created_at, delivered_at, payload"
                + " FROM webhook_deliveries WHERE endpoint_id = ? AND id < ? ORDER BY id DESC LIMIT ?")) {
            s.setLong(1, endpoint);
            s.setLong(2, before);
            s.setInt(3, limit);
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    ObjectNode d = list.addObject();
                    d.put("id", r.getLong(1));
                    d.put("eventId", r.getString(2));
                    d.put("type", r.getString(3));
                    d.put("status", r.getString(4));
                    d.put("attempts", r.getInt(5));
                    d.put(
                            "nextAttemptAt",
                            r.getString(4).equals(PENDING) ? WebhookEndpoints.instant(r.getTimestamp(6)) : null);
                    d.put("lastAttemptAt", WebhookEndpoints.instant(r.getTimestamp(7)));
                    int code = r.getInt(8);
                    if (r.wasNull()) {
                        d.putNull("lastStatusCode");
                    } else {
                        d.put("lastStatusCode", code);
                    }
                    d.put("lastError", r.getString(9));
                    d.put("createdAt", WebhookEndpoints.instant(r.getTimestamp(10)));
                    d.put("deliveredAt", WebhookEndpoints.instant(r.getTimestamp(11)));
                    d.set("payload", Json.parseTrusted(r.getString(12)));
                }
            }
        }
        for (JsonNode d : list) {
            ((ObjectNode) d).set("lastAttempts", attempts(c, d.get("id").asLong(), attempts));
        }
        return list;
    }

    private static ArrayNode attempts(Connection c, long delivery, int limit) throws SQLException {
        ArrayNode list = Json.array();
        try (PreparedStatement s = c.prepareStatement("SELECT attempt, attempted_at, status_code, error, duration_ms,"
                + " response_body FROM webhook_attempts WHERE delivery_id = ? ORDER BY attempt DESC LIMIT ?")) {
            s.setLong(1, delivery);
            s.setInt(2, limit);
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    ObjectNode a = list.addObject();
                    a.put("attempt", r.getInt(1));
                    a.put("at", WebhookEndpoints.instant(r.getTimestamp(2)));
                    int code = r.getInt(3);
                    if (r.wasNull()) {
                        a.putNull("statusCode");
                    } else {
                        a.put("statusCode", code);
                    }
                    a.put("error", r.getString(4));
                    a.put("durationMs", r.getLong(5));
                    a.put("responseBody", r.getString(6));
                }
            }
        }
        return list;
    }

    /** Deletes delivered and failed deliveries created more than {@code days} ago (with their attempts). */
    void purge(Database db, int days) {
        db.transaction(c -> {
            try (PreparedStatement s =
                    c.prepareStatement("DELETE FROM webhook_deliveries WHERE status <> 'pending' AND created_at < ?")) {
                s.setTimestamp(1, Timestamp.from(now().minus(Duration.ofDays(days))));
                s.executeUpdate();
            }
            // A notice must outlive what it covers: a grant's until within the longest lead (366 days) or a meter's
            // period (a month), whatever the usage retention.
            try (PreparedStatement s = c.prepareStatement("DELETE FROM webhook_notices WHERE created_at < ?")) {
                s.setTimestamp(1, Timestamp.from(now().minus(Duration.ofDays(Math.max(days, NOTICE_RETENTION_DAYS)))));
                s.executeUpdate();
            }
            return null;
        });
    }
}
