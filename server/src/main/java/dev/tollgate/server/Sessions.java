package dev.tollgate.server;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;

/**
 * Login transactions and sessions of people signed in through OpenID Connect, in the database so that every instance
 * shares them (see {@code V7__sessions.sql}).
 *
 * <p>A session id is 32 random bytes in URL-safe base64, sent only in the session cookie; only its SHA-256 is stored,
 * as for tokens. A session ends at its absolute limit from sign-in, or once it has gone unused for the idle limit.
 * {@code last_seen_at} is written at most every {@link #TOUCH_INTERVAL}, so that reading pages is not a write per
 * request; a session may therefore end up to that much before the idle limit after its last use.
 *
 * <p>Nothing is cached: signing out, on any instance, ends the session on every instance at once.
 */
final class Sessions {
    /** How long a login may take from {@code GET /v1/auth/login} to its callback. */
    static final Duration LOGIN_LIFETIME = Duration.ofMinutes(10);
    /** How stale {@code last_seen_at} may get before a request writes it again. */
    static final Duration TOUCH_INTERVAL = Duration.ofSeconds(30);

    private static final SecureRandom RANDOM = new SecureRandom();

    private final Database db;
    private final Clock clock;
    private final Duration idle;
    private final Duration absolute;

    Sessions(Database db, Clock clock, Duration idle, Duration absolute) {
        this.db = db;
        this.clock = clock;
        this.idle = idle;
        this.absolute = absolute;
    }

    /** One sign-in in progress: what the callback checks. {@code browserHash} is the login cookie's SHA-256. */
    record Login(String state, String browserHash, String nonce, String codeVerifier) {}

    /** A signed-in person as the ID token names them, with the role their claim maps to. */
    record Person(String subject, String name, String email, Role role) {}

    /** 32 random bytes in URL-safe base64 without padding: states, nonces, verifiers, cookie values. */
    static String random() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    Duration idle() {
        return idle;
    }

    Duration absolute() {
        return absolute;
    }

    /** Stores a login transaction, and drops the ones that expired unused. */
    void saveLogin(Login login) {
        Instant now = clock.instant();
        db.transaction(c -> {
            deleteBefore(c, "DELETE FROM login_transactions WHERE expires_at <= ?", now);
            try (PreparedStatement s = c.prepareStatement("INSERT INTO login_transactions (state, browser_hash, nonce,"
                    + " code_verifier, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?)")) {
                s.setString(1, login.state());
                s.setString(2, login.browserHash());
                s.setString(3, login.nonce());
                s.setString(4, login.codeVerifier());
                s.setTimestamp(5, Timestamp.from(now));
                s.setTimestamp(6, Timestamp.from(now.plus(LOGIN_LIFETIME)));
                return s.executeUpdate();
            }
        });
    }

    /**
     * Takes the login transaction for {@code state} out of storage: a state works once. Null when there is none, or it
     * expired. Of two callbacks racing for one state, only the one whose DELETE removed the row gets it.
     */
    Login takeLogin(String state) {
        Instant now = clock.instant();
        return db.transaction(c -> {
            Login login = readLogin(c, state, now);
            try (PreparedStatement s = c.prepareStatement("DELETE FROM login_transactions WHERE state = ?")) {
                s.setString(1, state);
                return s.executeUpdate() == 1 ? login : null;
            }
        });
    }

    private static Login readLogin(Connection c, String state, Instant now) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT browser_hash, nonce, code_verifier FROM"
                + " login_transactions WHERE state = ? AND expires_at > ?")) {
            s.setString(1, state);
            s.setTimestamp(2, Timestamp.from(now));
            try (ResultSet r = s.executeQuery()) {
                return r.next() ? new Login(state, r.getString(1), r.getString(2), r.getString(3)) : null;
            }
        }
    }

    /** Starts a session for {@code person}; returns its id, the session cookie's value, shown only this once. */
    String create(Person person) {
        String id = random();
        Instant now = clock.instant();
        db.transaction(c -> {
            deleteBefore(c, "DELETE FROM sessions WHERE expires_at <= ?", now);
            deleteBefore(c, "DELETE FROM sessions WHERE last_seen_at <= ?", now.minus(idle));
            try (PreparedStatement s = c.prepareStatement("INSERT INTO sessions (session_hash, subject, name, email,"
                    + " role, created_at, last_seen_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
                s.setString(1, Tokens.sha256Hex(id));
                s.setString(2, person.subject());
                s.setString(3, AuditLog.truncate(person.name(), 200));
                s.setString(4, person.email());
                s.setString(5, person.role().wireName());
                s.setTimestamp(6, Timestamp.from(now));
                s.setTimestamp(7, Timestamp.from(now));
                s.setTimestamp(8, Timestamp.from(now.plus(absolute)));
                return s.executeUpdate();
            }
        });
        return id;
    }

    /** The person whose session {@code id} is, or null when it is unknown, signed out, idle too long or too old. */
    Principal authenticate(String id) {
        if (id == null || id.isEmpty() || id.length() > 100) {
            return null;
        }
        String hash = Tokens.sha256Hex(id);
        Instant now = clock.instant();
        return db.read(c -> {
            try (PreparedStatement s = c.prepareStatement("SELECT session_hash, subject, name, email, role,"
                    + " last_seen_at, expires_at FROM sessions WHERE session_hash = ?")) {
                s.setString(1, hash);
                try (ResultSet r = s.executeQuery()) {
                    return r.next() ? live(c, r, hash, now) : null;
                }
            }
        });
    }

    /** The principal of the session row {@code r}, touched; null when it has ended at {@code now}. */
    private Principal live(Connection c, ResultSet r, String hash, Instant now) throws SQLException {
        byte[] stored = r.getString(1).getBytes(StandardCharsets.US_ASCII);
        Instant lastSeen = r.getTimestamp(6).toInstant();
        Instant expires = r.getTimestamp(7).toInstant();
        if (!MessageDigest.isEqual(stored, hash.getBytes(StandardCharsets.US_ASCII))
                || !now.isBefore(expires)
                || !now.isBefore(lastSeen.plus(idle))) {
            return null;
        }
        if (!now.isBefore(lastSeen.plus(TOUCH_INTERVAL))) {
            touch(c, hash, now);
        }
        return Principal.person(r.getString(2), r.getString(3), r.getString(4), Role.parse(r.getString(5)), expires);
    }

    private static void touch(Connection c, String hash, Instant now) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(
                "UPDATE sessions SET last_seen_at = ? WHERE session_hash = ? AND last_seen_at < ?")) {
            s.setTimestamp(1, Timestamp.from(now));
            s.setString(2, hash);
            s.setTimestamp(3, Timestamp.from(now));
            s.executeUpdate();
        }
    }

    /** Ends the session {@code id}; returns whether there was one. */
    boolean delete(String id) {
        return db.read(c -> {
            try (PreparedStatement s = c.prepareStatement("DELETE FROM sessions WHERE session_hash = ?")) {
                s.setString(1, Tokens.sha256Hex(id));
                return s.executeUpdate() == 1;
            }
        });
    }

    private static void deleteBefore(Connection c, String sql, Instant instant) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(sql)) {
            s.setTimestamp(1, Timestamp.from(instant));
            s.executeUpdate();
        }
    }
}
