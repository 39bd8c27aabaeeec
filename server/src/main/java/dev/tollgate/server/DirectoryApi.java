package dev.tollgate.server;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;

/**
 * The organization directory under {@code /v1/admin/organizations}: a bulk upsert (a JSON array or CSV) that a billing
 * sync or an admin's upload calls, search by id or name, one organization, delete. Viewers read; admins write (the
 * directory is the billing system's copy, not something to edit by hand). Each write is one audit entry with its
 * counts. Documented in {@code docs/directory.md} and {@code docs/server-openapi.json}.
 */
final class DirectoryApi {
    static final String PATH = "/v1/admin/organizations";
    /** The largest upload: 10,000 rows of a few attributes each fit well within it. */
    static final int MAX_BODY_BYTES = 4 * 1024 * 1024;

    static final int DEFAULT_LIMIT = 20;
    static final int MAX_LIMIT = 100;
    static final int MAX_QUERY = 200;
    /** The rows a dry run answers as the request's preview. */
    static final int PREVIEW_ROWS = 5;

    private final LogicStore store;
    private final OrganizationDirectory directory;
    private final AuditLog audit;

    DirectoryApi(LogicStore store, OrganizationDirectory directory, AuditLog audit) {
        this.store = store;
        this.directory = directory;
        this.audit = audit;
    }

    void register(Router r) {
        r.add("GET", PATH, Router.Access.VIEWER, this::search);
        r.add("PUT", PATH, Router.Access.ADMIN, this::upsert);
        r.add("GET", PATH + "/{id}", Router.Access.VIEWER, this::get);
        r.add("DELETE", PATH + "/{id}", Router.Access.ADMIN, this::delete);
    }

    /** {@code ?q=hoo&limit=20}: organizations whose id or name contains q, the best matches first. */
    private void search(Call call) throws IOException {
        String q = call.query("q", "").strip();
        if (q.length() > MAX_QUERY) {
            throw ApiException.badRequest("q is longer than " + MAX_QUERY + " characters");
        }
        long limit = call.queryLong("limit", DEFAULT_LIMIT);
        if (limit < 1 || limit > MAX_LIMIT) {
            throw ApiException.badRequest("limit must be 1 to " + MAX_LIMIT + ", was " + limit);
        }
        List<Organization> found = store.db().read(c -> directory.search(c, q, (int) limit));
        ObjectNode body = Json.object();
        body.put("q", q);
        body.put("limit", limit);
        ArrayNode list = body.putArray("organizations");
        found.forEach(o -> list.add(o.toJson()));
        call.json(200, body);
    }

    private void get(Call call) throws IOException {
        Organization found = store.db().read(c -> directory.find(c, call.param("id")));
        if (found == null) {
            throw notInDirectory(call.param("id"));
        }
        call.json(200, found.toJson());
    }

    private static ApiException notInDirectory(String id) {
        return ApiException.notFound("no organization " + id + " in the directory");
    }

    /**
     * A JSON array or {@code text/csv}, checked as a whole, then stored in one transaction; {@code ?dryRun=true} checks
     * and counts without writing, and answers the first rows as read (the dashboard's preview).
     */
    private void upsert(Call call) throws IOException {
        boolean dryRun = dryRun(call);
        boolean csv = isCsv(call.header("Content-Type"));
        byte[] bytes = call.body(MAX_BODY_BYTES);
        DirectorySchema schema = store.db().read(c -> {
            LogicStore.SchemaVersion current = store.currentSchema(c);
            return DirectorySchema.of(current == null ? null : current.schema());
        });
        List<Organization> rows = csv
                ? OrganizationRows.fromCsv(utf8(bytes), schema)
                : OrganizationRows.fromJson(Json.parse(bytes), schema);
        String author = call.principal().author();
        OrganizationDirectory.Counts counts = dryRun
                ? store.db().read(c -> directory.upsert(c, rows, author, false))
                : store.db().transaction(c -> {
                    OrganizationDirectory.Counts done = directory.upsert(c, rows, author, true);
                    audit.record(
                            c,
                            call.principal(),
                            call.clientAddress(),
                            "directory.upsert",
                            null,
                            "organizations",
                            done + " of " + rows.size() + (csv ? " (CSV)" : " (JSON)"));
                    return done;
                });
        ObjectNode body = counts.toJson();
        body.put("rows", rows.size());
        body.put("dryRun", dryRun);
        if (dryRun) {
            ArrayNode preview = body.putArray("preview");
            rows.stream().limit(PREVIEW_ROWS).forEach(o -> preview.add(o.toJson()));
        }
        call.json(200, body);
    }

    private static boolean dryRun(Call call) {
        String value = call.query("dryRun", "false");
        if (!value.equals("true") && !value.equals("false")) {
            throw ApiException.badRequest("dryRun must be true or false, was \"" + value + "\"");
        }
        return value.equals("true");
    }

    private static boolean isCsv(String type) {
        String media =
                type == null ? "" : type.toLowerCase(Locale.ROOT).split(";")[0].strip();
        if (media.equals("text/csv")) {
            return true;
        }
        if (media.equals("application/json")) {
            return false;
        }
        throw new ApiException(
                415,
                "unsupported_media_type",
                "the organizations are application/json or text/csv, not " + (media.isEmpty() ? "untyped" : media));
    }

    private static String utf8(byte[] bytes) {
        try {
            return StandardCharsets.UTF_8
                    .newDecoder()
                    .decode(ByteBuffer.wrap(bytes))
                    .toString();
        } catch (CharacterCodingException e) {
            throw ApiException.badRequest("the CSV is not UTF-8 text; save it as \"CSV UTF-8\"");
        }
    }

    private void delete(Call call) throws IOException {
        String id = call.param("id");
        Organization deleted = store.db().transaction(c -> {
            Organization found = directory.delete(c, id);
            if (found != null) {
                audit.record(
                        c,
                        call.principal(),
                        call.clientAddress(),
                        "directory.delete",
                        null,
                        "organization " + id,
                        "deleted " + found.name() + " (" + found.plan() + ")");
            }
            return found;
        });
        if (deleted == null) {
            throw notInDirectory(id);
        }
        call.json(200, deleted.toJson());
    }
}
