package dev.tollgate.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * One edit of an environment's logic as the admin API takes it: a method, a path under {@code
 * /v1/admin/environments/{env}} ({@code /fields/entitlements.maxTeamSize/overrides/context.organization.id/org_1}, with
 * percent-encoded segments) and the body the direct edit takes. {@link LogicApi} applies it at once; a {@link
 * ChangeRequests change request} stores it and applies it when approved.
 */
final class ProposedEdit {
    private static final Set<String> OVERRIDE_BODY_KEYS = Set.of("value", "from", "until", "allowPastUntil", "message");

    /** What an edit does, with the least role that may make it directly and the audit action. */
    enum Kind {
        LOGIC_PUT("PUT", Role.ADMIN, "logic.put", true),
        FIELD_PUT("PUT", Role.ADMIN, "field.put", true),
        FIELD_DELETE("DELETE", Role.ADMIN, "field.delete", false),
        OVERRIDE_SET("PUT", Role.EDITOR, "override.set", true),
        OVERRIDE_CLEAR("DELETE", Role.EDITOR, "override.clear", false),
        SEGMENT_PUT("PUT", Role.ADMIN, "segment.put", true),
        SEGMENT_DELETE("DELETE", Role.ADMIN, "segment.delete", false),
        MEMBER_ADD("PUT", Role.EDITOR, "segment.member.add", false),
        MEMBER_REMOVE("DELETE", Role.EDITOR, "segment.member.remove", false);

        final String method;
        final Role role;
        final String action;
        final boolean takesBody;

        Kind(String method, Role role, String action, boolean takesBody) {
            this.method = method;
            this.role = role;
            this.action = action;
            this.takesBody = takesBody;
        }

        /** Whether it edits rows (override rows, segment members) rather than logic: what approvers may approve. */
        boolean editsRows() {
            return role == Role.EDITOR;
        }
    }

    private final Kind kind;
    private final String path;
    private final String[] params;
    private final JsonNode body;
    private final GrantWindow window;

    private ProposedEdit(Kind kind, String path, String[] params, JsonNode body, Instant now) {
        this.kind = kind;
        this.path = path;
        this.params = params;
        this.body = body;
        this.window = kind == Kind.OVERRIDE_SET && now != null ? overrideWindow(body, now) : null;
    }

    /**
     * The edit of {@code method} on {@code path} (relative to the environment, percent-encoded) with {@code body} (null
     * for edits that take none); 400 for a path that is not an edit of the logic, or a body it does not take.
     */
    static ProposedEdit of(String method, String path, JsonNode body, Instant now) {
        String[] segments = segments(path);
        Kind kind = kind(method, segments);
        if (kind.takesBody && (body == null || !body.isObject())) {
            throw ApiException.badRequest(method + " " + path + " takes a JSON object body");
        }
        return new ProposedEdit(kind, path, segments, kind.takesBody ? body : null, now);
    }

    /**
     * A stored edit, for reading: not checked against the time (a stored grant's end may have passed since); {@link
     * #of} checks it again before it is applied.
     */
    static ProposedEdit stored(String method, String path, JsonNode body) {
        return new ProposedEdit(kind(method, segments(path)), path, segments(path), body, null);
    }

    /** The path under the environment of the edit of {@code segments} (decoded): each segment percent-encoded. */
    static String pathOf(String... segments) {
        StringBuilder path = new StringBuilder();
        for (String segment : segments) {
            path.append('/')
                    .append(URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20"));
        }
        return path.toString();
    }

    private static String[] segments(String path) {
        if (path == null || !path.startsWith("/") || path.length() > 2_000) {
            throw ApiException.badRequest("an edit's \"path\" starts with / under the environment, such as"
                    + " /fields/entitlements.maxTeamSize; was \"" + path + "\"");
        }
        String[] raw = path.substring(1).split("/", -1);
        String[] decoded = new String[raw.length];
        for (int i = 0; i < raw.length; i++) {
            decoded[i] = Call.decode(raw[i]);
        }
        return decoded;
    }

    private static Kind kind(String method, String[] s) {
        Kind kind = shape(s);
        boolean delete = "DELETE".equals(method);
        if (kind != null && ("PUT".equals(method) || delete)) {
            Kind chosen = delete ? deleting(kind) : kind;
            if (chosen != null) {
                return chosen;
            }
        }
        throw ApiException.badRequest(method + " /" + String.join("/", s) + " is not an edit of the logic: the edits"
                + " are PUT /logic, PUT and DELETE /fields/{path}, /fields/{path}/overrides/{attribute}/{key},"
                + " /segments/{name} and /segments/{name}/members/{key}");
    }

    /** The PUT kind of a path's shape, or null. */
    private static Kind shape(String[] s) {
        for (String segment : s) {
            if (segment.isEmpty()) {
                return null;
            }
        }
        if (s.length == 1 && s[0].equals("logic")) {
            return Kind.LOGIC_PUT;
        }
        if (s.length == 2) {
            return s[0].equals("fields") ? Kind.FIELD_PUT : s[0].equals("segments") ? Kind.SEGMENT_PUT : null;
        }
        if (s.length == 4 && s[0].equals("segments") && s[2].equals("members")) {
            return Kind.MEMBER_ADD;
        }
        boolean override = s.length == 5 && s[0].equals("fields") && s[2].equals("overrides");
        return override ? Kind.OVERRIDE_SET : null;
    }

    private static Kind deleting(Kind put) {
        return switch (put) {
            case FIELD_PUT -> Kind.FIELD_DELETE;
            case OVERRIDE_SET -> Kind.OVERRIDE_CLEAR;
            case SEGMENT_PUT -> Kind.SEGMENT_DELETE;
            case MEMBER_ADD -> Kind.MEMBER_REMOVE;
            default -> null;
        };
    }

    private static GrantWindow overrideWindow(JsonNode body, Instant now) {
        if (!body.has("value")) {
            throw ApiException.badRequest("an override is set with {\"value\": ..., \"message\": \"...\"}");
        }
        body.fieldNames().forEachRemaining(name -> {
            if (!OVERRIDE_BODY_KEYS.contains(name)) {
                throw ApiException.badRequest("unknown key \"" + name + "\" in the override; the keys are value, from,"
                        + " until, allowPastUntil and message");
            }
        });
        return GrantWindow.fromBody(body, now);
    }

    Kind kind() {
        return kind;
    }

    String method() {
        return kind.method;
    }

    String path() {
        return path;
    }

    JsonNode body() {
        return body;
    }

    String action() {
        return kind.action;
    }

    /** The field the edit changes, for the schema check; null for edits of segments or the whole logic. */
    String field() {
        return params[0].equals("fields") ? params[1] : null;
    }

    /** The body the change message is read from: the override body, or a wrapped field or segment. */
    JsonNode messageSource() {
        return switch (kind) {
            case OVERRIDE_SET -> body;
            case FIELD_PUT -> Requests.unwrap(body, "logic") == body ? null : body;
            case SEGMENT_PUT -> Requests.unwrap(body, "segment") == body ? null : body;
            default -> null;
        };
    }

    /** What was changed, for the audit log. */
    String target() {
        return switch (kind) {
            case LOGIC_PUT -> "all logic";
            case FIELD_PUT, FIELD_DELETE, SEGMENT_PUT, SEGMENT_DELETE -> params[1];
            case OVERRIDE_SET -> WindowedRows.Row.target(params[1], params[3], params[4]) + " -> "
                    + Json.compact(body.get("value")) + window.describe();
            case OVERRIDE_CLEAR -> WindowedRows.Row.target(params[1], params[3], params[4]);
            case MEMBER_ADD, MEMBER_REMOVE -> params[1] + " " + params[3];
        };
    }

    /** The edit as stored in a change request: {@code {"method", "path", "body"}}. */
    ObjectNode describe() {
        ObjectNode node = Json.object();
        node.put("method", kind.method);
        node.put("path", path);
        node.set("body", body);
        return node;
    }

    /**
     * The edit of a copy of the document. {@code asAdmin} lets an override edit create a table (and drop an emptied
     * one), as an admin's does.
     */
    UnaryOperator<ObjectNode> applier(boolean asAdmin) {
        return doc -> {
            apply(doc, asAdmin);
            return doc;
        };
    }

    private void apply(ObjectNode doc, boolean asAdmin) {
        switch (kind) {
            case LOGIC_PUT -> replace(doc, LogicEdits.replaceAll(doc, body));
            case FIELD_PUT -> LogicEdits.putField(doc, params[1], Requests.unwrap(body, "logic"));
            case FIELD_DELETE -> LogicEdits.deleteField(doc, params[1]);
            case OVERRIDE_SET -> LogicEdits.setOverride(
                    doc, params[1], params[3], params[4], body.get("value"), window, asAdmin);
            case OVERRIDE_CLEAR -> LogicEdits.clearOverride(doc, params[1], params[3], params[4], asAdmin);
            case SEGMENT_PUT -> LogicEdits.putSegment(doc, params[1], Requests.unwrap(body, "segment"));
            case SEGMENT_DELETE -> LogicEdits.deleteSegment(doc, params[1]);
            case MEMBER_ADD, MEMBER_REMOVE -> member(doc, kind == Kind.MEMBER_ADD);
        }
    }

    private static void replace(ObjectNode doc, ObjectNode replacement) {
        doc.removeAll();
        doc.setAll(replacement);
    }

    private void member(ObjectNode doc, boolean add) {
        String name = params[1];
        String key = params[3];
        if (!LogicEdits.member(doc, name, key, add)) {
            throw new ApiException(
                    add ? 409 : 404,
                    add ? "conflict" : "not_found",
                    "\"" + key + "\" is " + (add ? "already" : "not") + " a member of segment " + name);
        }
    }
}
