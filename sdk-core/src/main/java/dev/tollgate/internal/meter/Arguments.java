package dev.tollgate.internal.meter;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The argument names of a metered field's path, in the positional order the generated accessors pass values in; turns
 * values into {@link Variant}s, and writes argument maps as the canonical text the protocol compares.
 */
final class Arguments {
    private final List<String> names;

    Arguments(List<String> names) {
        this.names = List.copyOf(names);
    }

    boolean none() {
        return names.isEmpty();
    }

    /** The variant for positional {@code values}, which it copies. */
    Variant variant(Object[] values) {
        if (names.isEmpty()) {
            return Variant.NONE;
        }
        Map<String, Object> byName = new TreeMap<>();
        for (int i = 0; i < names.size() && i < values.length; i++) {
            byName.put(names.get(i), values[i]);
        }
        return new Variant(values.clone(), Collections.unmodifiableMap(byName), canonical(byName));
    }

    /** The variant for {@code arguments} given by name, as the server's rows give them. */
    Variant variant(Map<String, Object> arguments) {
        Object[] values = new Object[names.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = arguments.get(names.get(i));
        }
        return variant(values);
    }

    /**
     * The compact JSON object of {@code arguments} with its names sorted, as the server stores rows: {@code
     * {"endpoint":"search"}}; strings quoted, numbers and booleans as JSON writes them, null as {@code null}.
     */
    static String canonical(Map<String, ?> arguments) {
        StringBuilder text = new StringBuilder("{");
        for (Map.Entry<String, ?> entry : new TreeMap<>(arguments).entrySet()) {
            if (text.length() > 1) {
                text.append(',');
            }
            quote(text, entry.getKey());
            text.append(':');
            Object value = entry.getValue();
            if (value instanceof String string) {
                quote(text, string);
            } else {
                text.append(value);
            }
        }
        return text.append('}').toString();
    }

    private static void quote(StringBuilder text, String value) {
        text.append('"');
        JsonStringEncoder.getInstance().quoteAsString(value, text);
        text.append('"');
    }
}
