package dev.tollgate.internal.eval;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.InvalidSnapshotException;
import dev.tollgate.SnapshotProblem;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/** The problems found while compiling one snapshot, each with its {@link Where}, and the helpers that report them. */
final class Problems {
    private static final int MAX_REPORTED = 200;

    private final List<SnapshotProblem> found = new ArrayList<>();
    private int dropped;

    void add(Where where, String message) {
        if (found.size() < MAX_REPORTED) {
            found.add(new SnapshotProblem(where.toString(), message));
        } else {
            dropped++;
        }
    }

    boolean isEmpty() {
        return found.isEmpty();
    }

    InvalidSnapshotException failWith(Where where, String message) {
        add(where, message);
        return failure();
    }

    InvalidSnapshotException failure() {
        List<SnapshotProblem> all = new ArrayList<>(found);
        if (dropped > 0) {
            all.add(new SnapshotProblem("", "and " + dropped + " more problems"));
        }
        return new InvalidSnapshotException(all);
    }

    void knownKeys(JsonNode node, Set<String> allowed, Where where) {
        for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!allowed.contains(name)) {
                List<String> sorted = new ArrayList<>(allowed);
                Collections.sort(sorted);
                add(where, "unexpected key " + quote(name) + "; expected " + String.join(", ", sorted));
            }
        }
    }

    void optionalText(JsonNode node, String key, Where where) {
        JsonNode value = node.get(key);
        if (value != null && !value.isTextual()) {
            add(where.child(key), "expected a string but found " + describe(value));
        }
    }

    static String keys(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names.isEmpty() ? "none" : String.join(", ", names);
    }

    static String quote(String text) {
        String shown = text.length() > 60 ? text.substring(0, 57) + "..." : text;
        return "\"" + shown.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    static String describe(JsonNode node) {
        if (node == null) {
            return "nothing";
        }
        if (node.isTextual()) {
            return quote(node.textValue());
        }
        if (node.isObject()) {
            return "an object";
        }
        if (node.isArray()) {
            return "an array";
        }
        return node.toString();
    }
}
