package dev.tollgate.server;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.InvalidSnapshotException;
import dev.tollgate.Schema;
import dev.tollgate.SchemaException;
import dev.tollgate.SchemaProblem;
import dev.tollgate.SnapshotLimits;
import dev.tollgate.SnapshotProblem;
import dev.tollgate.internal.ApiAccess;
import dev.tollgate.internal.schema.SchemaModel;
import dev.tollgate.internal.schema.SchemaParser;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;

/**
 * The schema and every environment's logic, with full history. Every change is one transaction that validates the new
 * snapshot with the SDK's own compiler against the current schema, appends a revision, moves the environment's head
 * with a compare-and-set on the revision the caller saw ({@code If-Match}), writes the audit entry and queues the
 * revision notification and the webhook events; any failure leaves nothing behind.
 *
 * <p>Concurrency: two writers of one environment both try {@code UPDATE environments SET current_revision = n + 1 WHERE
 * current_revision = n}; the database lets exactly one succeed and the other gets 409. A schema upload moves every
 * environment's head the same way, so it and a concurrent logic write cannot both commit.
 *
 * <p>This class is longer than most on purpose: every path that moves a head (edit, restore, schema upload,
 * environment creation) goes through its one {@code publish} method, so the invariants live in one place.
 */
final class LogicStore {
    private static final Pattern ENVIRONMENT_NAME = Pattern.compile("[a-z0-9][a-z0-9_-]{0,63}");

    private final Database db;
    private final Clock clock;
    private final SnapshotLimits limits;
    private final AuditLog audit;
    private final RevisionEvents events;
    private volatile SchemaVersion cachedSchema;
    private volatile WebhookEvents webhooks;

    LogicStore(Database db, Clock clock, SnapshotLimits limits, AuditLog audit, RevisionEvents events) {
        this.db = db;
        this.clock = clock;
        this.limits = limits;
        this.audit = audit;
        this.events = events;
    }

    /** Where every publication also writes its webhook events, in its transaction; set once at start. */
    void webhooks(WebhookEvents events) {
        this.webhooks = events;
    }

    /** The audit log every change is recorded in. */
    AuditLog audit() {
        return audit;
    }

    /** One uploaded schema. */
    record SchemaVersion(
            long version,
            String sdl,
            String hash,
            SchemaModel schema,
            String author,
            String message,
            Instant createdAt) {}

    /** One environment and its current revision (0 until a schema exists). */
    record Environment(long id, String name, long revision, Instant createdAt) {}

    /** One revision of an environment's logic. */
    record Revision(
            String environment,
            long revision,
            String document,
            long schemaVersion,
            String author,
            String message,
            Instant createdAt,
            Long restoredFrom) {

        ObjectNode describe() {
            ObjectNode node = Json.object();
            node.put("environment", environment);
            node.put("revision", revision);
            node.put("schemaVersion", schemaVersion);
            node.put("author", author);
            node.put("message", message);
            node.put("createdAt", createdAt.toString());
            if (restoredFrom == null) {
                node.putNull("restoredFrom");
            } else {
                node.put("restoredFrom", restoredFrom);
            }
            return node;
        }
    }

    /**
     * Who asked for a write, from where, and why.
     *
     * @param who the caller's token; null for the server itself
     * @param address the caller's address; null for the server itself
     * @param message the change message
     * @param actor the author recorded for a change the server makes itself ({@code tollgate (retention)}); null for
     *     {@code system}
     */
    record Change(Principal who, String address, String message, String actor) {
        Change(Principal who, String address, String message) {
            this(who, address, message, null);
        }

        /** A change the server makes on its own, recorded with {@code actor} as its author. */
        static Change byServer(String actor, String message) {
            return new Change(null, null, message, actor);
        }

        /** The author recorded on the revision and in the audit log. */
        String author() {
            return who != null ? who.author() : actor != null ? actor : "system";
        }
    }

    Database db() {
        return db;
    }

    // ---- reads ----

    /** The current schema, or null before the first upload. */
    SchemaVersion currentSchema(Connection c) throws SQLException {
        long version;
        try (Statement s = c.createStatement();
                ResultSet r = s.executeQuery("SELECT MAX(version) FROM schema_versions")) {
            r.next();
            version = r.getLong(1);
        }
        return version == 0 ? null : schemaVersion(c, version);
    }

    SchemaVersion schemaVersion(Connection c, long version) throws SQLException {
        SchemaVersion cached = cachedSchema;
        if (cached != null && cached.version() == version) {
            return cached;
        }
        try (PreparedStatement s = c.prepareStatement(
                "SELECT sdl, hash, author, message, created_at FROM schema_versions WHERE version = ?")) {
            s.setLong(1, version);
            try (ResultSet r = s.executeQuery()) {
                if (!r.next()) {
                    throw ApiException.notFound("no schema version " + version);
                }
                String sdl = r.getString(1);
                SchemaVersion loaded = new SchemaVersion(
                        version,
                        sdl,
                        r.getString(2),
                        SchemaParser.parse(sdl, "schema.graphql"),
                        r.getString(3),
                        r.getString(4),
                        r.getTimestamp(5).toInstant());
                if (cached == null || cached.version() < version) {
                    cachedSchema = loaded;
                }
                return loaded;
            }
        }
    }

    ArrayNode schemaVersions(Connection c) throws SQLException {
        ArrayNode versions = Json.array();
        try (Statement s = c.createStatement();
                ResultSet r = s.executeQuery(
                        "SELECT version, hash, author, message, created_at FROM schema_versions ORDER BY version DESC")) {
            while (r.next()) {
                ObjectNode v = versions.addObject();
                v.put("version", r.getLong(1));
                v.put("hash", r.getString(2));
                v.put("author", r.getString(3));
                v.put("message", r.getString(4));
                v.put("createdAt", r.getTimestamp(5).toInstant().toString());
            }
        }
        return versions;
    }

    Environment environment(Connection c, String name) throws SQLException {
        try (PreparedStatement s =
                c.prepareStatement("SELECT id, name, current_revision, created_at FROM environments WHERE name = ?")) {
            s.setString(1, name);
            try (ResultSet r = s.executeQuery()) {
                if (!r.next()) {
                    throw ApiException.notFound("no environment \"" + name + "\"");
                }
                return environment(r);
            }
        }
    }

    List<Environment> environments(Connection c) throws SQLException {
        List<Environment> all = new ArrayList<>();
        try (Statement s = c.createStatement();
                ResultSet r = s.executeQuery(
                        "SELECT id, name, current_revision, created_at FROM environments ORDER BY name")) {
            while (r.next()) {
                all.add(environment(r));
            }
        }
        return all;
    }

    private static Environment environment(ResultSet r) throws SQLException {
        return new Environment(
                r.getLong(1), r.getString(2), r.getLong(3), r.getTimestamp(4).toInstant());
    }

    Revision revision(Connection c, Environment env, long revision) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT document, schema_version, author, message, created_at,"
                + " restored_from FROM revisions WHERE environment_id = ? AND revision = ?")) {
            s.setLong(1, env.id());
            s.setLong(2, revision);
            try (ResultSet r = s.executeQuery()) {
                if (!r.next()) {
                    throw ApiException.notFound("environment \"" + env.name() + "\" has no revision " + revision);
                }
                long restored = r.getLong(6);
                Long restoredFrom = r.wasNull() ? null : restored;
                return new Revision(
                        env.name(),
                        revision,
                        r.getString(1),
                        r.getLong(2),
                        r.getString(3),
                        r.getString(4),
                        r.getTimestamp(5).toInstant(),
                        restoredFrom);
            }
        }
    }

    /** The current revision; 404 while the environment has none (no schema uploaded yet). */
    Revision current(Connection c, String environment) throws SQLException {
        Environment env = environment(c, environment);
        if (env.revision() == 0) {
            throw new ApiException(
                    404, "no_logic", "environment \"" + environment + "\" has no logic yet: upload a schema first");
        }
        return revision(c, env, env.revision());
    }

    /** Revision descriptions newest first, below {@code before}. */
    ArrayNode history(Connection c, String environment, long before, int limit) throws SQLException {
        Environment env = environment(c, environment);
        ArrayNode list = Json.array();
        try (PreparedStatement s = c.prepareStatement("SELECT revision, schema_version, author, message, created_at,"
                + " restored_from FROM revisions WHERE environment_id = ? AND revision < ?"
                + " ORDER BY revision DESC LIMIT ?")) {
            s.setLong(1, env.id());
            s.setLong(2, before);
            s.setInt(3, limit);
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    long restored = r.getLong(6);
                    Long restoredFrom = r.wasNull() ? null : restored;
                    list.add(new Revision(
                                    env.name(),
                                    r.getLong(1),
                                    null,
                                    r.getLong(2),
                                    r.getString(3),
                                    r.getString(4),
                                    r.getTimestamp(5).toInstant(),
                                    restoredFrom)
                            .describe());
                }
            }
        }
        return list;
    }

    // ---- writes ----

    /**
     * Applies {@code edit} to a copy of the current document and publishes the result as the next revision.
     *
     * @param ifMatch the revision the caller based the edit on
     * @param action the audit action, such as {@code override.set}
     * @param target what was changed, for the audit log
     */
    Revision change(
            Change change,
            String environment,
            long ifMatch,
            String action,
            String target,
            UnaryOperator<ObjectNode> edit) {
        Revision revision = db.transaction(c -> {
            Environment env = environment(c, environment);
            checkRevision(env, ifMatch);
            SchemaVersion schema = requireSchema(c);
            ObjectNode current = (ObjectNode)
                    Json.parseTrusted(revision(c, env, env.revision()).document());
            ObjectNode edited = edit.apply(current.deepCopy());
            return publish(c, env, schema, edited, current, change, null, action, target);
        });
        events.publishLocal(environment, revision.revision());
        return revision;
    }

    /** Publishes the logic of {@code revision} again as the next revision. */
    Revision restore(Change change, String environment, long ifMatch, long revision) {
        Revision restored = db.transaction(c -> {
            Environment env = environment(c, environment);
            checkRevision(env, ifMatch);
            SchemaVersion schema = requireSchema(c);
            ObjectNode old =
                    (ObjectNode) Json.parseTrusted(revision(c, env, revision).document());
            String message = change.message().isEmpty() ? "restore revision " + revision : change.message();
            return publish(
                    c,
                    env,
                    schema,
                    old,
                    null,
                    new Change(change.who(), change.address(), message),
                    revision,
                    "revision.restore",
                    "revision " + revision);
        });
        events.publishLocal(environment, restored.revision());
        return restored;
    }

    static void checkRevision(Environment env, long ifMatch) {
        if (env.revision() != ifMatch) {
            ObjectNode details = Json.object();
            details.put("currentRevision", env.revision());
            throw new ApiException(
                    409,
                    "revision_mismatch",
                    "environment \"" + env.name() + "\" is at revision " + env.revision() + ", not " + ifMatch
                            + ": reload and apply your change again",
                    details);
        }
    }

    /**
     * Publishes {@code logic} as the next revision of {@code env} inside the caller's transaction, as {@link #change}
     * does; the caller {@link #announce announces} it after the commit.
     */
    Revision publishIn(Connection c, Environment env, ObjectNode logic, Change change, String action, String target)
            throws SQLException {
        return publish(c, env, requireSchema(c), logic, null, change, null, action, target);
    }

    /** Tells this instance's listeners (and, through the database, the others) that {@code revision} is current. */
    void announce(String environment, long revision) {
        events.publishLocal(environment, revision);
    }

    /** 400 with the problems when {@code logic} would not validate against the current schema; stores nothing. */
    void check(Connection c, Environment env, ObjectNode logic) throws SQLException {
        SchemaVersion schema = requireSchema(c);
        String text = Json.pretty(normalize(logic.deepCopy(), env.revision() + 1, schema.hash()));
        List<SnapshotProblem> problems = validate(schema.schema(), text);
        if (!problems.isEmpty()) {
            throw invalidLogic(problems);
        }
    }

    private SchemaVersion requireSchema(Connection c) throws SQLException {
        SchemaVersion schema = currentSchema(c);
        if (schema == null) {
            throw new ApiException(409, "no_schema", "no schema has been uploaded yet");
        }
        return schema;
    }

    /**
     * Writes {@code logic} as the next revision of {@code env}; {@code previous} is the current revision's document
     * when the caller has it parsed already (the webhook events compare it with {@code logic}), else null.
     */
    private Revision publish(
            Connection c,
            Environment env,
            SchemaVersion schema,
            ObjectNode logic,
            ObjectNode previous,
            Change change,
            Long restoredFrom,
            String action,
            String target)
            throws SQLException {
        long next = env.revision() + 1;
        ObjectNode document = normalize(logic, next, schema.hash());
        String text = Json.pretty(document);
        List<SnapshotProblem> problems = validate(schema.schema(), text);
        if (!problems.isEmpty()) {
            throw invalidLogic(problems);
        }
        try (PreparedStatement s = c.prepareStatement(
                "UPDATE environments SET current_revision = ? WHERE id = ? AND current_revision = ?")) {
            s.setLong(1, next);
            s.setLong(2, env.id());
            s.setLong(3, env.revision());
            if (s.executeUpdate() != 1) {
                throw new ApiException(
                        409,
                        "revision_mismatch",
                        "environment \"" + env.name() + "\" was changed concurrently; reload");
            }
        }
        Instant now = clock.instant();
        String author = change.author();
        try (PreparedStatement s = c.prepareStatement("INSERT INTO revisions (environment_id, revision, document,"
                + " schema_version, author, message, created_at, restored_from) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
            s.setLong(1, env.id());
            s.setLong(2, next);
            s.setString(3, text);
            s.setLong(4, schema.version());
            s.setString(5, AuditLog.truncate(author, 200));
            s.setString(6, AuditLog.truncate(change.message(), 2000));
            s.setTimestamp(7, Timestamp.from(now));
            if (restoredFrom == null) {
                s.setNull(8, java.sql.Types.BIGINT);
            } else {
                s.setLong(8, restoredFrom);
            }
            s.executeUpdate();
        }
        String detail = "revision " + next + (change.message().isEmpty() ? "" : ": " + change.message());
        if (change.who() == null) {
            audit.recordByServer(c, author, action, env.name(), target, detail);
        } else {
            audit.record(c, change.who(), change.address(), action, env.name(), target, detail);
        }
        events.queueNotification(c, env.name(), next);
        Revision published =
                new Revision(env.name(), next, text, schema.version(), author, change.message(), now, restoredFrom);
        WebhookEvents hooks = webhooks;
        if (hooks != null) {
            hooks.published(c, env, published, action, document, previous);
        }
        return published;
    }

    /** The stored form: header keys first, then the document's own keys (minus the header) in their order. */
    static ObjectNode normalize(ObjectNode logic, long revision, String schemaHash) {
        ObjectNode document = Json.object();
        if (logic.has("$schema")) {
            document.set("$schema", logic.get("$schema"));
        }
        document.put("format", Schema.SNAPSHOT_FORMAT);
        document.put("revision", revision);
        document.put("schemaHash", schemaHash);
        logic.fields().forEachRemaining(entry -> {
            if (!document.has(entry.getKey())) {
                document.set(entry.getKey(), entry.getValue());
            }
        });
        return document;
    }

    private List<SnapshotProblem> validate(SchemaModel schema, String document) {
        try {
            ApiAccess.schema(schema).validateSnapshot(document.getBytes(StandardCharsets.UTF_8), limits);
            return List.of();
        } catch (InvalidSnapshotException e) {
            return e.problems();
        }
    }

    static ApiException invalidLogic(List<SnapshotProblem> problems) {
        ObjectNode details = Json.object();
        details.set("problems", problemsJson(problems));
        return new ApiException(
                400,
                "invalid_logic",
                "the logic does not validate against the schema (" + problems.size()
                        + (problems.size() == 1 ? " problem" : " problems") + "); nothing was stored",
                details);
    }

    static ArrayNode problemsJson(List<SnapshotProblem> problems) {
        ArrayNode list = Json.array();
        for (SnapshotProblem problem : problems) {
            ObjectNode p = list.addObject();
            p.put("path", problem.path());
            p.put("message", problem.message());
        }
        return list;
    }

    /**
     * Uploads a new schema after checking that every environment's current logic still validates against it; when the
     * structural hash changes, every environment gets a new revision carrying the new hash.
     */
    SchemaVersion putSchema(Change change, long ifMatch, String sdl) {
        SchemaModel parsed;
        try {
            parsed = SchemaParser.parse(sdl, "schema.graphql");
        } catch (SchemaException e) {
            ArrayNode problems = Json.array();
            for (SchemaProblem problem : e.problems()) {
                ObjectNode p = problems.addObject();
                p.put("location", problem.location());
                p.put("message", problem.message());
            }
            ObjectNode details = Json.object();
            details.set("problems", problems);
            throw new ApiException(400, "invalid_schema", "the schema is invalid; nothing was stored", details);
        }
        List<String> published = new ArrayList<>();
        SchemaVersion stored = db.transaction(c -> {
            SchemaVersion current = currentSchema(c);
            long currentVersion = current == null ? 0 : current.version();
            if (currentVersion != ifMatch) {
                ObjectNode details = Json.object();
                details.put("currentVersion", currentVersion);
                throw new ApiException(
                        409,
                        "version_mismatch",
                        "the schema is at version " + currentVersion + ", not " + ifMatch + ": reload and try again",
                        details);
            }
            List<Environment> envs = environments(c);
            checkLogicStillValid(c, envs, parsed);
            SchemaVersion next = insertSchema(c, currentVersion + 1, sdl, parsed, change);
            audit.record(
                    c,
                    change.who(),
                    change.address(),
                    "schema.put",
                    null,
                    "schema version " + next.version(),
                    next.hash());
            boolean hashChanged = current == null || !current.hash().equals(next.hash());
            for (Environment env : envs) {
                if (env.revision() == 0 || hashChanged) {
                    ObjectNode logic = env.revision() == 0
                            ? Json.object()
                            : (ObjectNode) Json.parseTrusted(
                                    revision(c, env, env.revision()).document());
                    String message = "schema version " + next.version()
                            + (change.message().isEmpty() ? "" : ": " + change.message());
                    publish(
                            c,
                            env,
                            next,
                            logic,
                            null,
                            new Change(change.who(), change.address(), message),
                            null,
                            "revision.schema",
                            "schema version " + next.version());
                    published.add(env.name());
                }
            }
            return next;
        });
        cachedSchema = stored;
        publishHeads(published);
        return stored;
    }

    private void checkLogicStillValid(Connection c, List<Environment> envs, SchemaModel parsed) throws SQLException {
        ArrayNode broken = Json.array();
        for (Environment env : envs) {
            if (env.revision() == 0) {
                continue;
            }
            ObjectNode logic = (ObjectNode)
                    Json.parseTrusted(revision(c, env, env.revision()).document());
            String text = Json.pretty(normalize(logic, env.revision() + 1, parsed.hash()));
            List<SnapshotProblem> problems = validate(parsed, text);
            if (!problems.isEmpty()) {
                ObjectNode entry = broken.addObject();
                entry.put("environment", env.name());
                entry.put("revision", env.revision());
                entry.set("problems", problemsJson(problems));
            }
        }
        if (!broken.isEmpty()) {
            ObjectNode details = Json.object();
            details.set("environments", broken);
            throw new ApiException(
                    409,
                    "schema_breaks_logic",
                    "the new schema would invalidate the current logic of " + broken.size()
                            + (broken.size() == 1 ? " environment" : " environments")
                            + "; change the logic first. Nothing was stored",
                    details);
        }
    }

    private SchemaVersion insertSchema(Connection c, long version, String sdl, SchemaModel parsed, Change change)
            throws SQLException {
        Instant now = clock.instant();
        String author = change.who() == null ? "system" : change.who().author();
        try (PreparedStatement s = c.prepareStatement("INSERT INTO schema_versions (version, sdl, hash, author,"
                + " message, created_at) VALUES (?, ?, ?, ?, ?, ?)")) {
            s.setLong(1, version);
            s.setString(2, sdl);
            s.setString(3, parsed.hash());
            s.setString(4, AuditLog.truncate(author, 200));
            s.setString(5, AuditLog.truncate(change.message(), 2000));
            s.setTimestamp(6, Timestamp.from(now));
            s.executeUpdate();
        } catch (SQLException e) {
            if ("23505".equals(e.getSQLState())) {
                throw ApiException.conflict("the schema was changed concurrently; reload and try again");
            }
            throw e;
        }
        return new SchemaVersion(version, sdl, parsed.hash(), parsed, author, change.message(), now);
    }

    /** Creates an environment; with a schema present it starts at revision 1 with empty logic. */
    Environment createEnvironment(Change change, String name) {
        if (!ENVIRONMENT_NAME.matcher(name).matches()) {
            throw ApiException.badRequest("an environment name is 1 to 64 lowercase letters, digits, _ and -,"
                    + " starting with a letter or digit; was \"" + name + "\"");
        }
        long[] revision = {0};
        Environment created = db.transaction(c -> {
            try (PreparedStatement s = c.prepareStatement(
                    "INSERT INTO environments (name, current_revision, created_at) VALUES (?, 0, ?)")) {
                s.setString(1, name);
                s.setTimestamp(2, Timestamp.from(clock.instant()));
                s.executeUpdate();
            } catch (SQLException e) {
                if ("23505".equals(e.getSQLState())) {
                    throw ApiException.conflict("environment \"" + name + "\" already exists");
                }
                throw e;
            }
            audit.record(c, change.who(), change.address(), "environment.create", name, name, null);
            Environment env = environment(c, name);
            SchemaVersion schema = currentSchema(c);
            if (schema != null) {
                String message = change.message().isEmpty() ? "environment created" : change.message();
                revision[0] = publish(
                                c,
                                env,
                                schema,
                                Json.object(),
                                null,
                                new Change(change.who(), change.address(), message),
                                null,
                                "revision.create",
                                name)
                        .revision();
            }
            return environment(c, name);
        });
        if (revision[0] > 0) {
            events.publishLocal(name, revision[0]);
        }
        return created;
    }

    /** Creates the named environments when none exist yet; used on first start. */
    void createInitialEnvironments(List<String> names) {
        boolean empty = db.read(c -> environments(c).isEmpty());
        if (empty) {
            for (String name : names) {
                try {
                    createEnvironment(new Change(null, null, "created on first start"), name);
                } catch (ApiException e) {
                    if (e.status() != 409) {
                        throw e;
                    }
                }
            }
        }
    }

    private void publishHeads(List<String> environments) {
        db.read(c -> {
            for (String name : environments) {
                events.publishLocal(name, environment(c, name).revision());
            }
            return null;
        });
    }

    /** The current document of {@code environment} as a tree; 404 without logic. */
    ObjectNode currentDocument(Connection c, String environment) throws SQLException {
        return (ObjectNode) Json.parseTrusted(current(c, environment).document());
    }
}
