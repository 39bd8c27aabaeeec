package dev.tollgate.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The rows of one directory upload, a JSON array or CSV, checked as a whole against the schema before anything is
 * written: every problem is collected with the row (JSON: its position, from 1) or line (CSV: as a spreadsheet numbers
 * it, the header is line 1) it is on, and one refusal lists them all.
 */
final class OrganizationRows {
    static final int MAX_ROWS = 10_000;
    static final int MAX_ID = 200;
    static final int MAX_NAME = 200;
    static final int MAX_VALUE = 200;
    private static final int MAX_PROBLEMS_LISTED = 100;
    private static final Set<String> JSON_KEYS = Set.of("id", "name", "plan", "attributes");

    private final DirectorySchema schema;
    private final List<Organization> rows = new ArrayList<>();
    private final Map<String, String> seen = new HashMap<>();
    private final ArrayNode problems = Json.array();
    private int problemCount;

    private OrganizationRows(DirectorySchema schema) {
        this.schema = schema;
    }

    // ---- JSON ----

    /** The rows of a JSON array of {@code {"id", "name", "plan", "attributes": {path: value}}}. */
    static List<Organization> fromJson(JsonNode body, DirectorySchema schema) {
        if (!body.isArray()) {
            throw ApiException.badRequest("the body must be a JSON array of organizations such as [{\"id\": \"org_1\","
                    + " \"name\": \"Acme\", \"plan\": \"PRO\"}], or text/csv");
        }
        checkCount(body.size());
        OrganizationRows reader = new OrganizationRows(schema);
        for (int i = 0; i < body.size(); i++) {
            reader.jsonRow("row " + (i + 1), body.get(i));
        }
        return reader.result();
    }

    private void jsonRow(String where, JsonNode row) {
        if (!row.isObject()) {
            problem(
                    where,
                    null,
                    "an organization is a JSON object, was "
                            + row.getNodeType().name().toLowerCase(java.util.Locale.ROOT));
            return;
        }
        String id = jsonText(row, "id");
        String label = label(where, id);
        for (Iterator<String> keys = row.fieldNames(); keys.hasNext(); ) {
            String key = keys.next();
            if (!JSON_KEYS.contains(key)) {
                problem(label, id, "unknown key \"" + key + "\"; an organization has id, name, plan and attributes");
            }
        }
        Map<String, JsonNode> attributes = new TreeMap<>();
        JsonNode given = row.path("attributes");
        if (!given.isMissingNode() && !given.isNull() && !given.isObject()) {
            problem(label, id, "attributes must be an object of attribute paths and values");
        } else if (given.isObject()) {
            given.fields().forEachRemaining(e -> attributes.put(e.getKey(), e.getValue()));
        }
        for (String key : List.of("id", "name", "plan")) {
            JsonNode value = row.path(key);
            if (!value.isMissingNode() && !value.isNull() && !value.isTextual()) {
                problem(label, id, key + " must be text, was " + value);
            }
        }
        add(where, id, jsonText(row, "name"), jsonText(row, "plan"), attributes);
    }

    private static String jsonText(JsonNode row, String key) {
        JsonNode value = row.path(key);
        return value.isTextual() ? value.asText() : "";
    }

    // ---- CSV ----

    /** The rows of CSV with a header {@code id,name,plan,<attribute path>...}. */
    static List<Organization> fromCsv(String text, DirectorySchema schema) {
        List<CsvReader.Record> records;
        try {
            records = CsvReader.read(text);
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("the CSV is malformed: " + e.getMessage() + "; nothing was written");
        }
        if (records.isEmpty()) {
            throw ApiException.badRequest(
                    "the CSV is empty: it needs a header line id,name,plan and a line per" + " organization");
        }
        checkCount(records.size() - 1);
        OrganizationRows reader = new OrganizationRows(schema);
        List<String> header = records.get(0).values();
        reader.checkHeader("line " + records.get(0).line(), header);
        if (reader.problemCount == 0) {
            for (CsvReader.Record record : records.subList(1, records.size())) {
                reader.csvRow(header, record);
            }
        }
        return reader.result();
    }

    private void checkHeader(String where, List<String> header) {
        List<String> required = schema.allowsPlan() ? List.of("id", "name", "plan") : List.of("id", "name");
        Set<String> names = new java.util.LinkedHashSet<>();
        for (String column : header) {
            if (!names.add(column.strip())) {
                problem(where, null, "the column \"" + column.strip() + "\" is there twice");
            }
        }
        for (String column : required) {
            if (!names.contains(column)) {
                problem(
                        where,
                        null,
                        "the header has no \"" + column + "\" column; it starts " + String.join(",", required)
                                + " and then has a column per attribute");
            }
        }
        for (String column : names) {
            if (required.contains(column)) {
                continue;
            }
            String why = column.equals("plan")
                    ? "\"plan\": the schema's Context has no " + DirectorySchema.PLAN + ", so there is no plan column"
                    : schema.attributeProblem(column);
            if (why != null) {
                problem(where, null, "column " + why);
            }
        }
    }

    private void csvRow(List<String> header, CsvReader.Record record) {
        String where = "line " + record.line();
        Map<String, String> cells = new HashMap<>();
        for (int i = 0; i < Math.min(header.size(), record.values().size()); i++) {
            cells.put(header.get(i).strip(), record.values().get(i).strip());
        }
        String id = cells.getOrDefault("id", "");
        if (record.values().size() != header.size()) {
            problem(
                    label(where, id),
                    id,
                    record.values().size() + " values, but the header has " + header.size() + " columns");
            return;
        }
        Map<String, JsonNode> attributes = new TreeMap<>();
        cells.forEach((column, value) -> {
            if (!Set.of("id", "name", "plan").contains(column) && !value.isEmpty()) {
                attributes.put(column, TextNode.valueOf(value));
            }
        });
        add(where, id, cells.getOrDefault("name", ""), cells.getOrDefault("plan", ""), attributes);
    }

    // ---- checks shared by both ----

    private static void checkCount(int rows) {
        if (rows > MAX_ROWS) {
            throw new ApiException(
                    413,
                    "too_many_rows",
                    "the request has " + rows + " organizations; the limit is " + MAX_ROWS
                            + " per request: send them in several requests");
        }
    }

    private void add(String where, String rawId, String rawName, String rawPlan, Map<String, JsonNode> given) {
        String id = rawId.strip();
        String name = rawName.strip();
        String plan = rawPlan.strip();
        String label = label(where, id);
        int before = problemCount;
        checkId(label, id, where);
        checkName(label, id, name);
        checkPlan(label, id, plan);
        ObjectNode attributes = attributes(label, id, given);
        if (problemCount == before) {
            rows.add(new Organization(id, name, plan.isEmpty() ? null : plan, attributes, null, null));
        }
    }

    private void checkId(String label, String id, String where) {
        if (id.isEmpty()) {
            problem(label, id, "id is empty");
        } else if (id.length() > MAX_ID) {
            problem(label, id, "id is longer than " + MAX_ID + " characters");
        } else if (seen.putIfAbsent(id, where) != null) {
            problem(label, id, "id " + id + " is also on " + seen.get(id));
        }
    }

    private void checkName(String label, String id, String name) {
        if (name.isEmpty()) {
            problem(label, id, "name is empty");
        } else if (name.length() > MAX_NAME) {
            problem(label, id, "name is longer than " + MAX_NAME + " characters");
        }
    }

    private void checkPlan(String label, String id, String plan) {
        if (plan.isEmpty()) {
            if (schema.requiresPlan()) {
                problem(label, id, "plan is empty");
            }
            return;
        }
        if (!schema.allowsPlan()) {
            problem(label, id, "the schema's Context has no " + DirectorySchema.PLAN + ", so rows have no plan");
        } else if (plan.length() > MAX_VALUE) {
            problem(label, id, "plan is longer than " + MAX_VALUE + " characters");
        } else if (schema.planProblem(plan) != null) {
            problem(label, id, schema.planProblem(plan));
        }
    }

    private ObjectNode attributes(String label, String id, Map<String, JsonNode> given) {
        ObjectNode attributes = Json.object();
        given.forEach((path, value) -> {
            String why = schema.attributeProblem(path);
            if (why != null) {
                problem(label, id, "attribute " + why);
                return;
            }
            try {
                JsonNode stored = schema.value(path, value);
                if (stored.isTextual() && stored.asText().length() > MAX_VALUE) {
                    problem(label, id, path + " is longer than " + MAX_VALUE + " characters");
                }
                attributes.set(path, stored);
            } catch (IllegalArgumentException e) {
                problem(label, id, e.getMessage());
            }
        });
        return attributes;
    }

    private static String label(String where, String id) {
        return id == null || id.isBlank() ? where : where + " (" + id.strip() + ")";
    }

    private void problem(String label, String id, String message) {
        problemCount++;
        if (problems.size() < MAX_PROBLEMS_LISTED) {
            ObjectNode p = problems.addObject();
            p.put("path", label);
            p.put("id", id == null || id.isBlank() ? null : id.strip());
            p.put("message", message);
        }
    }

    private List<Organization> result() {
        if (problemCount == 0) {
            return rows;
        }
        JsonNode first = problems.get(0);
        ObjectNode details = Json.object();
        details.set("problems", problems);
        details.put("problemCount", problemCount);
        throw new ApiException(
                400,
                "invalid_organizations",
                problemCount + (problemCount == 1 ? " problem" : " problems") + " in the organizations; nothing was"
                        + " written. " + first.get("path").asText() + ": "
                        + first.get("message").asText(),
                details);
    }
}
