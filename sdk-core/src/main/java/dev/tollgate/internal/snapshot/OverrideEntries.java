package dev.tollgate.internal.snapshot;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.POJONode;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;

/**
 * The entries of an override table's {@code values} or {@code rows} object in document order, as {@link
 * JsonTrees#readSnapshot} reads them: two arrays, without the map and the duplicate detection that an {@code ObjectNode}
 * of 100,000 names costs. Names may repeat: the compiler finds a repeated one as it puts the rows into their table,
 * and throws {@link RepeatedName} for the caller to report the parser's error ({@link SnapshotJson#strictError}). Never
 * modify one after it is read.
 */
public final class OverrideEntries {
    /**
     * A name repeated in one {@code values} or {@code rows} object, found by the compiler. The document is invalid JSON
     * for Tollgate; whoever has its bytes reports it as the parser does any other repeated name, with {@link
     * SnapshotJson#strictError}.
     */
    public static final class RepeatedName extends RuntimeException {
        private static final long serialVersionUID = 1L;

        public RepeatedName(String name) {
            super("the name " + name + " is repeated in an override table's entries", null, false, false);
        }
    }

    private String[] names;
    private JsonNode[] values;
    private int size;

    OverrideEntries(int capacity) {
        this.names = new String[Math.max(capacity, 16)];
        this.values = new JsonNode[names.length];
    }

    /**
     * The entries of {@code node}: those {@link JsonTrees#readSnapshot} read, or a copy of an object node's (a tree read
     * otherwise, such as a delta's); null when {@code node} is neither.
     */
    public static OverrideEntries of(JsonNode node) {
        if (node instanceof POJONode pojo && pojo.getPojo() instanceof OverrideEntries entries) {
            return entries;
        }
        if (node == null || !node.isObject()) {
            return null;
        }
        OverrideEntries entries = new OverrideEntries(node.size());
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> entry = it.next();
            entries.add(entry.getKey(), entry.getValue());
        }
        return entries;
    }

    void add(String name, JsonNode value) {
        if (size == names.length) {
            names = Arrays.copyOf(names, size * 2);
            values = Arrays.copyOf(values, size * 2);
        }
        names[size] = name;
        values[size] = value;
        size++;
    }

    public int size() {
        return size;
    }

    public String name(int index) {
        return names[index];
    }

    public JsonNode value(int index) {
        return values[index];
    }

    /** The distinct names. */
    public Set<String> names() {
        return new HashSet<>(Arrays.asList(names).subList(0, size));
    }
}
