package dev.tollgate.internal.meter;

import java.util.Map;

/**
 * One combination of a metered field's argument values, such as {@code endpoint: "search"}: the values as the
 * generated accessor passes them, and as the protocol writes them (a map, and its canonical JSON text).
 *
 * @param values the positional argument values, compared element by element
 * @param arguments the values by argument name, for batches
 * @param canonical the compact JSON object with sorted names, which matches the server's rows
 */
record Variant(Object[] values, Map<String, Object> arguments, String canonical) {
    static final Variant NONE = new Variant(new Object[0], Map.of(), "{}");
}
