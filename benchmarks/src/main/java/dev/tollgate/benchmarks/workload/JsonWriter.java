package dev.tollgate.benchmarks.workload;

/**
 * A minimal streaming JSON writer for the generated configuration files. Hand-written on purpose: it loads no JSON
 * library, so the cold snapshot-load benchmark finds Jackson as cold as a service starting up would.
 */
public final class JsonWriter {
    private final StringBuilder out;
    private boolean needsComma;

    public JsonWriter(int capacity) {
        this.out = new StringBuilder(capacity);
    }

    public JsonWriter beginObject() {
        separate();
        out.append('{');
        needsComma = false;
        return this;
    }

    public JsonWriter endObject() {
        out.append('}');
        needsComma = true;
        return this;
    }

    public JsonWriter beginArray() {
        separate();
        out.append('[');
        needsComma = false;
        return this;
    }

    public JsonWriter endArray() {
        out.append(']');
        needsComma = true;
        return this;
    }

    /** Writes a member name; the next call writes its value. */
    public JsonWriter name(String name) {
        separate();
        string(name);
        out.append(':');
        needsComma = false;
        return this;
    }

    /** Writes a string, number or boolean. */
    public JsonWriter value(Object value) {
        separate();
        if (value instanceof String s) {
            string(s);
        } else if (value instanceof Number || value instanceof Boolean) {
            out.append(value);
        } else {
            throw new IllegalArgumentException("not a JSON scalar: " + value);
        }
        needsComma = true;
        return this;
    }

    /** {@code name} and a scalar {@code value}. */
    public JsonWriter member(String name, Object value) {
        return name(name).value(value);
    }

    /** An array of scalars. */
    public JsonWriter array(Iterable<?> values) {
        beginArray();
        for (Object value : values) {
            value(value);
        }
        return endArray();
    }

    @Override
    public String toString() {
        return out.toString();
    }

    private void separate() {
        if (needsComma) {
            out.append(',');
        }
    }

    private void string(String s) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"' || c == '\\') {
                out.append('\\').append(c);
            } else if (c < 0x20) {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        out.append('"');
    }
}
