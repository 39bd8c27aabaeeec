package dev.tollgate.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.Set;

/**
 * Changes that need a second pair of eyes. A change request holds a {@link ProposedEdit}, the revision it was made on
 * and the diff it made there, its author and message; another person approves it (which applies the edit to the
 * current revision and publishes it) or rejects it, or its author withdraws it. A newer request of the same author for
 * the same edit path supersedes an open one.
 *
 * <p>Rules: approving or rejecting needs the request's required role ({@code approver} for override rows and segment
 * members, {@code admin} for everything else, including an editor's override that needs a new table) and is refused to
 * the author, compared by {@link Principal#identity()}. Approval publishes only when the edit makes, on the current
 * revision, the same diff it was reviewed with; otherwise 409 and the request stays open. An environment keeps at most
 * {@link #MAX_OPEN} open requests.
 *
 * <p>Concurrency: every transition is one transaction that moves the row from {@code open} with {@code UPDATE ... WHERE
 * status = 'open'}; of two reviewers of one request exactly one succeeds, the other gets 409. Publishing goes through
 * {@link LogicStore#publishIn}, whose compare-and-set on the environment's head orders it with every other write.
 */
final class ChangeRequests {
    /** The most open change requests one environment keeps. */
    static final int MAX_OPEN = 100;

    static final Set<String> STATUSES = Set.of("open", "approved", "rejected", "withdrawn", "superseded");

    private static final String COLUMNS = "id, status, method, path, body, action, target, base_revision, diff,"
            + " required_role, author, author_identity, author_role, message, created_at, reviewer, reviewer_identity,"
            + " review_comment, reviewed_at, revision";

    private final LogicStore store;
    private final AuditLog audit;
    private final Clock clock;

    ChangeRequests(LogicStore store, AuditLog audit, Clock clock) {
        this.store = store;
        this.audit = audit;
        this.clock = clock;
    }

    /** One stored request. */
    record Request(
            long id,
            String environment,
            String status,
            ProposedEdit edit,
            String target,
            long baseRevision,
            ArrayNode diff,
            Role requiredRole,
            String author,
            String authorIdentity,
            Role authorRole,
            String message,
            ObjectNode row) {}

    // ---- settings ----

    boolean requiresApproval(String environment) {
        return store.db().read(c -> requiresApproval(c, store.environment(c, environment)));
    }

    boolean requiresApproval(Connection c, LogicStore.Environment env) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT require_approval FROM environments WHERE id = ?")) {
            s.setLong(1, env.id());
            try (ResultSet r = s.executeQuery()) {
                return r.next() && r.getBoolean(1);
            }
        }
    }

    /** Sets whether edits of {@code environment} become change requests; audited as {@code environment.settings}. */
    boolean setRequiresApproval(LogicStore.Change change, String environment, boolean require) {
        return store.db().transaction(c -> {
            LogicStore.Environment env = store.environment(c, environment);
            boolean before = requiresApproval(c, env);
            try (PreparedStatement s =
                    c.prepareStatement("UPDATE environments SET require_approval = ? WHERE id = ?")) {
                s.setBoolean(1, require);
                s.setLong(2, env.id());
                s.executeUpdate();
            }
            String detail = "requireApproval " + before + " -> " + require
                    + (change.message().isEmpty() ? "" : ": " + change.message());
            audit.record(c, change.who(), change.address(), "environment.settings", env.name(), env.name(), detail);
            return require;
        });
    }

    // ---- creating ----

    /**
     * Stores {@code edit} as an open change request on revision {@code ifMatch} (409 when the environment has moved
     * on), after checking that it applies there and yields valid logic; answers the request's description.
     */
    ObjectNode create(LogicStore.Change change, String environment, long ifMatch, ProposedEdit edit) {
        Principal author = change.who();
        return store.db().transaction(c -> {
            LogicStore.Environment env = store.environment(c, environment);
            LogicStore.checkRevision(env, ifMatch);
            ObjectNode base = store.currentDocument(c, environment);
            Role required = requiredRole(edit, author.role(), base);
            ObjectNode edited = edit.applier(asAdmin(author.role(), required)).apply(base.deepCopy());
            store.check(c, env, edited);
            ArrayNode diff = RevisionDiff.diff(base, edited);
            if (diff.isEmpty()) {
                throw ApiException.conflict(edit.method() + " " + edit.path() + " changes nothing in revision "
                        + env.revision() + "; there is nothing to review");
            }
            checkCapacity(c, env);
            supersede(c, env, author, edit);
            long id = insert(c, env, edit, diff, required, change);
            audit.record(
                    c,
                    author,
                    change.address(),
                    "change_request.create",
                    env.name(),
                    "change request " + id + ": " + edit.target(),
                    change.message());
            return describe(load(c, env, id));
        });
    }

    /**
     * The least role that reviews {@code edit}: approver for override rows and segment members, admin for logic and for
     * an override that needs a new table (whoever asks for it); 403 for an edit the author may not even propose.
     */
    private static Role requiredRole(ProposedEdit edit, Role authorRole, ObjectNode base) {
        if (!authorRole.includes(edit.kind().role)) {
            throw new ApiException(
                    403,
                    "forbidden",
                    "proposing " + edit.action() + " needs the "
                            + edit.kind().role.wireName() + " role; the token has " + authorRole.wireName());
        }
        if (!edit.kind().editsRows()) {
            return Role.ADMIN;
        }
        try {
            edit.applier(false).apply(base.deepCopy());
            return Role.APPROVER;
        } catch (ApiException e) {
            if (e.status() == 403 && edit.kind() == ProposedEdit.Kind.OVERRIDE_SET) {
                return Role.ADMIN;
            }
            throw e;
        }
    }

    /** Applies as an admin when the author is one, or when an admin approves an override that needs a new table. */
    private static boolean asAdmin(Role authorRole, Role required) {
        return authorRole.includes(Role.ADMIN) || required == Role.ADMIN;
    }

    private void checkCapacity(Connection c, LogicStore.Environment env) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(
                "SELECT COUNT(*) FROM change_requests WHERE environment_id = ? AND status = 'open'")) {
            s.setLong(1, env.id());
            try (ResultSet r = s.executeQuery()) {
                r.next();
                if (r.getLong(1) >= MAX_OPEN) {
                    throw new ApiException(
                            409,
                            "too_many_change_requests",
                            "environment \"" + env.name() + "\" has " + MAX_OPEN + " open change requests, the most"
                                    + " it keeps: approve, reject or withdraw some first");
                }
            }
        }
    }

    /** Marks the author's open requests for the same edit path superseded: the newest one is what they mean. */
    private void supersede(Connection c, LogicStore.Environment env, Principal author, ProposedEdit edit)
            throws SQLException {
        try (PreparedStatement s = c.prepareStatement("UPDATE change_requests SET status = 'superseded',"
                + " reviewed_at = ? WHERE environment_id = ? AND status = 'open' AND author_identity = ?"
                + " AND path = ?")) {
            s.setTimestamp(1, Timestamp.from(clock.instant()));
            s.setLong(2, env.id());
            s.setString(3, author.identity());
            s.setString(4, edit.path());
            s.executeUpdate();
        }
    }

    private long insert(
            Connection c,
            LogicStore.Environment env,
            ProposedEdit edit,
            ArrayNode diff,
            Role required,
            LogicStore.Change change)
            throws SQLException {
        Principal author = change.who();
        try (PreparedStatement s = c.prepareStatement(
                "INSERT INTO change_requests (environment_id, status, method, path, body, action, target,"
                        + " base_revision, diff, required_role, author, author_identity, author_role, message,"
                        + " created_at) VALUES (?, 'open', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                new String[] {"id"})) {
            s.setLong(1, env.id());
            s.setString(2, edit.method());
            s.setString(3, edit.path());
            s.setString(4, edit.body() == null ? null : Json.compact(edit.body()));
            s.setString(5, edit.action());
            s.setString(6, AuditLog.truncate(edit.target(), 1000));
            s.setLong(7, env.revision());
            s.setString(8, Json.compact(diff));
            s.setString(9, required.wireName());
            s.setString(10, AuditLog.truncate(author.author(), 200));
            s.setString(11, AuditLog.truncate(author.identity(), 200));
            s.setString(12, author.role().wireName());
            s.setString(13, AuditLog.truncate(change.message(), 2000));
            s.setTimestamp(14, Timestamp.from(clock.instant()));
            s.executeUpdate();
            try (ResultSet keys = s.getGeneratedKeys()) {
                keys.next();
                return keys.getLong(1);
            }
        }
    }

    // ---- reviewing ----

    /**
     * Applies the request's edit to the current revision and publishes it, with a message naming author and approver;
     * 409 when the edit no longer makes the diff it was reviewed with (the request stays open).
     */
    ObjectNode approve(LogicStore.Change change, String environment, long id) {
        long[] published = {0};
        ObjectNode approved = store.db().transaction(c -> {
            LogicStore.Environment env = store.environment(c, environment);
            Request request = open(c, env, id);
            checkReviewer(request, change.who(), "approve");
            ObjectNode current = store.currentDocument(c, environment);
            ObjectNode edited = reapply(request, env, current);
            String message = "change request " + id + " by " + request.author() + ", approved by "
                    + change.who().author() + (request.message().isEmpty() ? "" : ": " + request.message());
            LogicStore.Revision revision = store.publishIn(
                    c,
                    env,
                    edited,
                    new LogicStore.Change(change.who(), change.address(), message),
                    request.edit().action(),
                    request.target());
            published[0] = revision.revision();
            close(c, env, request, "approved", change, revision.revision());
            return describe(load(c, env, id));
        });
        store.announce(environment, published[0]);
        return approved;
    }

    /** The edit applied to {@code current}; 409 when it fails there or makes another diff than the reviewed one. */
    private ObjectNode reapply(Request request, LogicStore.Environment env, ObjectNode current) {
        ObjectNode edited;
        try {
            ProposedEdit edit = ProposedEdit.of(
                    request.edit().method(),
                    request.edit().path(),
                    request.edit().body(),
                    clock.instant());
            edited = edit.applier(asAdmin(request.authorRole(), request.requiredRole()))
                    .apply(current.deepCopy());
        } catch (ApiException e) {
            throw stale(request, env, e.getMessage());
        }
        ArrayNode now = RevisionDiff.diff(current, edited);
        if (!now.equals(request.diff())) {
            throw stale(
                    request,
                    env,
                    request.edit().path() + " changed since revision " + request.baseRevision()
                            + ", so the edit would now make another change than the one reviewed");
        }
        return edited;
    }

    private static ApiException stale(Request request, LogicStore.Environment env, String why) {
        ObjectNode details = Json.object();
        details.put("currentRevision", env.revision());
        details.put("baseRevision", request.baseRevision());
        return new ApiException(
                409,
                "change_request_stale",
                "change request " + request.id() + " no longer applies to revision " + env.revision() + ": " + why
                        + ". It stays open: reject it, or ask its author for a new one",
                details);
    }

    /** Rejects the request with a comment saying why; the logic stays as it is. */
    ObjectNode reject(LogicStore.Change change, String environment, long id) {
        if (change.message().isBlank()) {
            throw ApiException.badRequest("a rejection needs a \"comment\" saying why");
        }
        return store.db().transaction(c -> {
            LogicStore.Environment env = store.environment(c, environment);
            Request request = open(c, env, id);
            checkReviewer(request, change.who(), "reject");
            close(c, env, request, "rejected", change, null);
            return describe(load(c, env, id));
        });
    }

    /** The author takes the request back; only the author may. */
    ObjectNode withdraw(LogicStore.Change change, String environment, long id) {
        return store.db().transaction(c -> {
            LogicStore.Environment env = store.environment(c, environment);
            Request request = open(c, env, id);
            if (!request.authorIdentity().equals(change.who().identity())) {
                throw new ApiException(
                        403,
                        "forbidden",
                        "only the author of a change request withdraws it; " + request.author() + " made this one");
            }
            close(c, env, request, "withdrawn", change, null);
            return describe(load(c, env, id));
        });
    }

    private static void checkReviewer(Request request, Principal reviewer, String verb) {
        if (request.authorIdentity().equals(reviewer.identity())) {
            throw new ApiException(403, "forbidden", "you cannot " + verb + " your own change request");
        }
        if (!reviewer.role().includes(request.requiredRole())) {
            throw new ApiException(
                    403,
                    "forbidden",
                    "to " + verb + " change request " + request.id() + " needs the "
                            + request.requiredRole().wireName() + " role (" + reason(request)
                            + "); the token has " + reviewer.role().wireName());
        }
    }

    private static String reason(Request request) {
        if (request.requiredRole() == Role.APPROVER) {
            return "it changes override rows or segment members";
        }
        return switch (request.edit().kind()) {
            case LOGIC_PUT -> "it replaces the whole logic";
            case FIELD_PUT, FIELD_DELETE -> "it changes a field's logic";
            case SEGMENT_PUT, SEGMENT_DELETE -> "it changes a segment";
            default -> "it needs a new override table";
        };
    }

    /** Moves the request from open to {@code status}; 409 when someone else moved it first. */
    private void close(
            Connection c,
            LogicStore.Environment env,
            Request request,
            String status,
            LogicStore.Change change,
            Long revision)
            throws SQLException {
        try (PreparedStatement s = c.prepareStatement("UPDATE change_requests SET status = ?, reviewer = ?,"
                + " reviewer_identity = ?, review_comment = ?, reviewed_at = ?, revision = ?"
                + " WHERE id = ? AND status = 'open'")) {
            s.setString(1, status);
            s.setString(2, AuditLog.truncate(change.who().author(), 200));
            s.setString(3, AuditLog.truncate(change.who().identity(), 200));
            s.setString(4, change.message().isEmpty() ? null : AuditLog.truncate(change.message(), 2000));
            s.setTimestamp(5, Timestamp.from(clock.instant()));
            if (revision == null) {
                s.setNull(6, java.sql.Types.BIGINT);
            } else {
                s.setLong(6, revision);
            }
            s.setLong(7, request.id());
            if (s.executeUpdate() != 1) {
                throw ApiException.conflict("change request " + request.id() + " was reviewed concurrently; reload");
            }
        }
        String verb = status.equals("approved") ? "approve" : status.equals("rejected") ? "reject" : "withdraw";
        String detail = (revision == null ? "" : "revision " + revision)
                + (change.message().isEmpty() ? "" : (revision == null ? "" : ": ") + change.message());
        audit.record(
                c,
                change.who(),
                change.address(),
                "change_request." + verb,
                env.name(),
                "change request " + request.id() + ": " + request.target(),
                detail.isEmpty() ? null : detail);
    }

    // ---- reading ----

    /** The open request {@code id}; 404 when there is none, 409 when it is no longer open. */
    private Request open(Connection c, LogicStore.Environment env, long id) throws SQLException {
        Request request = load(c, env, id);
        if (!request.status().equals("open")) {
            throw ApiException.conflict("change request " + id + " is " + request.status() + ", not open");
        }
        return request;
    }

    Request load(Connection c, LogicStore.Environment env, long id) throws SQLException {
        try (PreparedStatement s =
                c.prepareStatement("SELECT " + COLUMNS + " FROM change_requests WHERE environment_id = ? AND id = ?")) {
            s.setLong(1, env.id());
            s.setLong(2, id);
            try (ResultSet r = s.executeQuery()) {
                if (!r.next()) {
                    throw ApiException.notFound("environment \"" + env.name() + "\" has no change request " + id);
                }
                return request(env, r);
            }
        }
    }

    /** Requests newest first, all or those with {@code status}. */
    ArrayNode list(Connection c, LogicStore.Environment env, String status, int limit) throws SQLException {
        ArrayNode list = Json.array();
        try (PreparedStatement s = c.prepareStatement("SELECT " + COLUMNS + " FROM change_requests WHERE"
                + " environment_id = ?" + (status == null ? "" : " AND status = ?") + " ORDER BY id DESC LIMIT ?")) {
            int i = 1;
            s.setLong(i++, env.id());
            if (status != null) {
                s.setString(i++, status);
            }
            s.setInt(i, limit);
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    list.add(describe(request(env, r)));
                }
            }
        }
        return list;
    }

    private Request request(LogicStore.Environment env, ResultSet r) throws SQLException {
        String body = r.getString(5);
        JsonNode bodyJson = body == null ? null : Json.parseTrusted(body);
        ProposedEdit edit = ProposedEdit.stored(r.getString(3), r.getString(4), bodyJson);
        ObjectNode row = Json.object();
        row.put("id", r.getLong(1));
        row.put("environment", env.name());
        row.put("status", r.getString(2));
        row.set("edit", edit.describe());
        row.put("action", r.getString(6));
        row.put("target", r.getString(7));
        row.put("baseRevision", r.getLong(8));
        row.set("diff", Json.parseTrusted(r.getString(9)));
        row.put("requiredRole", r.getString(10));
        row.put("author", r.getString(11));
        row.put("authorIdentity", r.getString(12));
        row.put("message", r.getString(14));
        row.put("createdAt", r.getTimestamp(15).toInstant().toString());
        row.put("reviewer", r.getString(16));
        row.put("reviewerIdentity", r.getString(17));
        row.put("reviewComment", r.getString(18));
        Timestamp reviewed = r.getTimestamp(19);
        row.put("reviewedAt", reviewed == null ? null : reviewed.toInstant().toString());
        long revision = r.getLong(20);
        if (r.wasNull()) {
            row.putNull("revision");
        } else {
            row.put("revision", revision);
        }
        return new Request(
                r.getLong(1),
                env.name(),
                r.getString(2),
                edit,
                r.getString(7),
                r.getLong(8),
                (ArrayNode) row.get("diff"),
                Role.parse(r.getString(10)),
                r.getString(11),
                r.getString(12),
                Role.parse(r.getString(13)),
                r.getString(14),
                row);
    }

    static ObjectNode describe(Request request) {
        return request.row();
    }
}
