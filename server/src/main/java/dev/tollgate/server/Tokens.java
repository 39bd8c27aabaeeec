package dev.tollgate.server;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Admin and SDK tokens. A token is {@code tga_} (admin) or {@code tgs_} (SDK) followed by 32 random bytes in URL-safe
 * base64; only its SHA-256 is stored. A presented token is hashed and looked up by hash, and the stored hash is compared
 * to the computed one in constant time. Tokens are never logged; the first eight characters after the prefix are kept
 * as a hint so people can tell tokens apart.
 *
 * <p>Lookups are cached for {@link ServerConfig#tokenCacheTtl()}: a revocation is immediate on the instance that made it
 * and takes at most that long on the others.
 */
final class Tokens {
    static final String ADMIN_PREFIX = "tga_";
    static final String SDK_PREFIX = "tgs_";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Database db;
    private final Clock clock;
    private final Duration cacheTtl;
    private final ConcurrentHashMap<String, Cached> cache = new ConcurrentHashMap<>();

    Tokens(Database db, Clock clock, Duration cacheTtl) {
        this.db = db;
        this.clock = clock;
        this.cacheTtl = cacheTtl;
    }

    private record Cached(Principal principal, Instant expires) {}

    /** Cached until the cache TTL ends or the token expires, whichever is first. */
    private static Instant cachedUntil(Instant now, Duration ttl, Instant tokenExpiry) {
        Instant until = now.plus(ttl);
        return tokenExpiry != null && tokenExpiry.isBefore(until) ? tokenExpiry : until;
    }

    static String newSecret(boolean sdk) {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return (sdk ? SDK_PREFIX : ADMIN_PREFIX)
                + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    static String hash(String token) {
        return sha256Hex(token);
    }

    /** The SHA-256 of {@code text}'s UTF-8 bytes, in lower-case hex: how tokens are stored, and what keys a lapse. */
    static String sha256Hex(String text) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(sha.digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    private static String hint(String token) {
        return token.substring(0, Math.min(token.length(), 12));
    }

    /** The principal for a presented token, or null when it is unknown or revoked. */
    Principal authenticate(String token) {
        if (token == null || token.length() > 200) {
            return null;
        }
        String hash = hash(token);
        Instant now = clock.instant();
        Cached cached = cache.get(hash);
        if (cached != null && cached.expires().isAfter(now)) {
            return cached.principal();
        }
        Principal principal = db.read(c -> lookup(c, hash, now));
        if (principal != null && !cacheTtl.isZero()) {
            if (cache.size() > 10_000) {
                cache.clear();
            }
            cache.put(hash, new Cached(principal, cachedUntil(now, cacheTtl, principal.expiresAt())));
        }
        return principal;
    }

    private static Principal lookup(Connection c, String hash, Instant now) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(
                "SELECT t.id, t.token_hash, t.kind, t.role, t.name,"
                        + " t.environment_id, e.name, t.expires_at FROM tokens t LEFT JOIN environments e"
                        + " ON e.id = t.environment_id WHERE t.token_hash = ? AND t.revoked_at IS NULL AND (t.expires_at IS NULL OR t.expires_at > ?)")) {
            s.setString(1, hash);
            s.setTimestamp(2, Timestamp.from(now));
            try (ResultSet r = s.executeQuery()) {
                if (!r.next()) {
                    return null;
                }
                byte[] stored = r.getString(2).getBytes(StandardCharsets.US_ASCII);
                if (!MessageDigest.isEqual(stored, hash.getBytes(StandardCharsets.US_ASCII))) {
                    return null;
                }
                boolean sdk = r.getString(3).equals("sdk");
                Role role = sdk ? null : Role.parse(r.getString(4));
                Timestamp expires = r.getTimestamp(8);
                return Principal.token(
                        r.getLong(1),
                        r.getString(5),
                        sdk,
                        role,
                        r.getLong(6),
                        r.getString(7),
                        expires == null ? null : expires.toInstant());
            }
        }
    }

    /**
     * Creates a token inside the caller's transaction and returns its description with the secret under {@code token}:
     * the only time the secret is shown. {@code createdBy} (an author: a token name of up to 200 characters and its id)
     * is stored cut to its column's 200 characters, as revisions and the audit log store authors.
     */
    ObjectNode create(
            Connection c,
            String secret,
            String name,
            Role role,
            Long environmentId,
            String createdBy,
            Instant expiresAt)
            throws SQLException {
        boolean sdk = role == null;
        Instant now = clock.instant();
        long id;
        try (PreparedStatement s = c.prepareStatement(
                "INSERT INTO tokens (token_hash, kind, role, environment_id, name, hint, created_at, created_by,"
                        + " expires_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                Statement.RETURN_GENERATED_KEYS)) {
            s.setString(1, hash(secret));
            s.setString(2, sdk ? "sdk" : "admin");
            s.setString(3, sdk ? null : role.wireName());
            if (environmentId == null) {
                s.setNull(4, java.sql.Types.BIGINT);
            } else {
                s.setLong(4, environmentId);
            }
            s.setString(5, name);
            s.setString(6, hint(secret));
            s.setTimestamp(7, Timestamp.from(now));
            s.setString(8, AuditLog.truncate(createdBy, 200));
            s.setTimestamp(9, expiresAt == null ? null : Timestamp.from(expiresAt));
            s.executeUpdate();
            try (ResultSet keys = s.getGeneratedKeys()) {
                keys.next();
                id = keys.getLong(1);
            }
        }
        ObjectNode token = describe(c, id);
        token.put("token", secret);
        return token;
    }

    /** How many admin tokens with the {@code admin} role are neither revoked nor expired at {@code now}. */
    static long validAdminTokens(Connection c, Instant now) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT COUNT(*) FROM tokens WHERE kind = 'admin' AND role = ?"
                + " AND revoked_at IS NULL AND (expires_at IS NULL OR expires_at > ?)")) {
            s.setString(1, Role.ADMIN.wireName());
            s.setTimestamp(2, Timestamp.from(now));
            try (ResultSet r = s.executeQuery()) {
                r.next();
                return r.getLong(1);
            }
        }
    }

    /** Whether a token with this secret was ever created (revoked or not). */
    static boolean exists(Connection c, String secret) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT COUNT(*) FROM tokens WHERE token_hash = ?")) {
            s.setString(1, hash(secret));
            try (ResultSet r = s.executeQuery()) {
                r.next();
                return r.getLong(1) > 0;
            }
        }
    }

    ArrayNode list(Connection c) throws SQLException {
        ArrayNode tokens = Json.array();
        try (PreparedStatement s = c.prepareStatement(SELECT_DESCRIPTION + " ORDER BY t.id");
                ResultSet r = s.executeQuery()) {
            while (r.next()) {
                tokens.add(description(r));
            }
        }
        return tokens;
    }

    ObjectNode describe(Connection c, long id) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(SELECT_DESCRIPTION + " WHERE t.id = ?")) {
            s.setLong(1, id);
            try (ResultSet r = s.executeQuery()) {
                if (!r.next()) {
                    throw ApiException.notFound("no token " + id);
                }
                return description(r);
            }
        }
    }

    /** Drops every cached lookup, so that the next request of each token reads the database. */
    void forgetCached() {
        cache.clear();
    }

    /** Which of {@code ids} name tokens that are neither revoked, expired nor deleted; for open streams. */
    Set<Long> validAmong(Set<Long> ids) {
        List<Long> all = new ArrayList<>(ids);
        Instant now = clock.instant();
        return db.read(c -> {
            Set<Long> valid = new HashSet<>();
            for (int from = 0; from < all.size(); from += 500) {
                List<Long> chunk = all.subList(from, Math.min(all.size(), from + 500));
                String marks = String.join(",", Collections.nCopies(chunk.size(), "?"));
                try (PreparedStatement s = c.prepareStatement("SELECT id FROM tokens WHERE id IN (" + marks
                        + ") AND revoked_at IS NULL AND (expires_at IS NULL OR expires_at > ?)")) {
                    for (int i = 0; i < chunk.size(); i++) {
                        s.setLong(i + 1, chunk.get(i));
                    }
                    s.setTimestamp(chunk.size() + 1, Timestamp.from(now));
                    try (ResultSet r = s.executeQuery()) {
                        while (r.next()) {
                            valid.add(r.getLong(1));
                        }
                    }
                }
            }
            return valid;
        });
    }

    /**
     * Revokes a token; returns false when it was already revoked.
     *
     * @throws ApiException 409 when it is the last valid admin token with the {@code admin} role, which would leave
     *     nobody able to manage tokens
     */
    boolean revoke(Connection c, long id) throws SQLException {
        ObjectNode token = describe(c, id);
        Instant now = clock.instant();
        boolean validAdmin = Role.ADMIN.wireName().equals(token.path("role").asText(null))
                && token.path("revokedAt").isNull()
                && (token.path("expiresAt").isNull()
                        || Instant.parse(token.path("expiresAt").asText()).isAfter(now));
        if (validAdmin && validAdminTokens(c, now) <= 1) {
            throw new ApiException(
                    409,
                    "last_admin_token",
                    "token " + id + " is the last valid token with the admin role; create another admin token"
                            + " before revoking this one");
        }
        try (PreparedStatement s =
                c.prepareStatement("UPDATE tokens SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL")) {
            s.setTimestamp(1, Timestamp.from(now));
            s.setLong(2, id);
            boolean revoked = s.executeUpdate() == 1;
            cache.clear();
            return revoked;
        }
    }

    private static final String SELECT_DESCRIPTION =
            "SELECT t.id, t.kind, t.role, e.name, t.name, t.hint, t.created_at,"
                    + " t.created_by, t.revoked_at, t.expires_at FROM tokens t LEFT JOIN environments e ON e.id = t.environment_id";

    private static ObjectNode description(ResultSet r) throws SQLException {
        ObjectNode token = Json.object();
        token.put("id", r.getLong(1));
        token.put("kind", r.getString(2));
        token.put("role", r.getString(3));
        token.put("environment", r.getString(4));
        token.put("name", r.getString(5));
        token.put("hint", r.getString(6) + "...");
        token.put("createdAt", r.getTimestamp(7).toInstant().toString());
        token.put("createdBy", r.getString(8));
        Timestamp revoked = r.getTimestamp(9);
        token.put("revokedAt", revoked == null ? null : revoked.toInstant().toString());
        Timestamp expires = r.getTimestamp(10);
        token.put("expiresAt", expires == null ? null : expires.toInstant().toString());
        return token;
    }
}
