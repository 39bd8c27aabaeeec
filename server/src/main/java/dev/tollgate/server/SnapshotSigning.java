package dev.tollgate.server;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Whether an environment requires its snapshots to be signed, and whether this instance can sign them. An environment
 * that requires signing is never served unsigned: an instance without a signing key answers 503 {@code no_signing_key}
 * on the snapshot endpoints instead (a cache would otherwise keep an unsigned revision for a year, which the SDKs
 * refuse), and the setting cannot be turned on through an instance without a key. SDKs learn the requirement, with the
 * public key, from {@code GET /v1/snapshot/latest}.
 *
 * <p>Stored in {@code environments.require_signing} (migration V10). The SDK endpoints read it through a per-instance
 * copy that is at most {@link #RECHECK} old, so that {@code GET /v1/snapshot} (answered thousands of times a second
 * with 304) does not ask the database each time; a change through this instance clears it at once, one through
 * another instance is seen within {@link #RECHECK}.
 *
 * <p>Concurrency: the copies are immutable records in a concurrent map; two requests refreshing one at the same time
 * both read the database and the later write wins, which is as fresh.
 */
final class SnapshotSigning {
    static final Duration RECHECK = Duration.ofSeconds(2);

    private final LogicStore store;
    private final AuditLog audit;
    private final SnapshotSigner signer;
    private final ConcurrentHashMap<String, Known> known = new ConcurrentHashMap<>();

    /** The setting of one environment as read at {@code nanos}. */
    private record Known(boolean required, long nanos) {}

    /** {@code signer} is null when this instance has no signing key. */
    SnapshotSigning(LogicStore store, AuditLog audit, SnapshotSigner signer) {
        this.store = store;
        this.audit = audit;
        this.signer = signer;
    }

    /** Whether this instance signs snapshots. */
    boolean signs() {
        return signer != null;
    }

    /** The public key SDKs verify with (base64 of the raw 32 bytes), or null without a signing key. */
    String publicKey() {
        return signer == null ? null : signer.publicKey();
    }

    /** Whether {@code environment} requires signing, as read at most {@link #RECHECK} ago. */
    boolean required(String environment) {
        Known copy = known.get(environment);
        long now = System.nanoTime();
        if (copy != null && now - copy.nanos() < RECHECK.toNanos()) {
            return copy.required();
        }
        boolean required = store.db().read(c -> required(c, store.environment(c, environment)));
        known.put(environment, new Known(required, now));
        return required;
    }

    boolean required(Connection c, LogicStore.Environment env) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT require_signing FROM environments WHERE id = ?")) {
            s.setLong(1, env.id());
            try (ResultSet r = s.executeQuery()) {
                return r.next() && r.getBoolean(1);
            }
        }
    }

    /** Refuses to serve {@code served} unsigned when {@code environment} requires signing. */
    void checkServable(String environment, SnapshotCache.Served served) {
        if (served.signature() == null && required(environment)) {
            throw new ApiException(503, "no_signing_key", noKey(environment));
        }
    }

    private static String noKey(String environment) {
        return "environment \"" + environment + "\" requires signed snapshots, but this server has no signing key;"
                + " set TOLLGATE_SIGNING_KEY_FILE";
    }

    /**
     * Sets whether {@code environment} requires signing; audited as {@code environment.settings}. Turning it on through
     * an instance without a signing key is refused (409): its own snapshots would stop being served.
     */
    boolean setRequired(LogicStore.Change change, String environment, boolean require) {
        if (require && signer == null) {
            throw new ApiException(
                    409,
                    "no_signing_key",
                    "environment \"" + environment + "\" cannot require signed snapshots: this server has no signing"
                            + " key; start every instance with TOLLGATE_SIGNING_KEY_FILE first");
        }
        boolean stored = store.db().transaction(c -> {
            LogicStore.Environment env = store.environment(c, environment);
            boolean before = required(c, env);
            try (PreparedStatement s = c.prepareStatement("UPDATE environments SET require_signing = ? WHERE id = ?")) {
                s.setBoolean(1, require);
                s.setLong(2, env.id());
                s.executeUpdate();
            }
            String detail = "requireSigning " + before + " -> " + require
                    + (change.message().isEmpty() ? "" : ": " + change.message());
            audit.record(c, change.who(), change.address(), "environment.settings", env.name(), env.name(), detail);
            return require;
        });
        known.remove(environment); // after the commit, so that no request reads the old value again
        return stored;
    }
}
