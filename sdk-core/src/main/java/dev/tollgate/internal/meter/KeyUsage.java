package dev.tollgate.internal.meter;

import java.util.Arrays;

/**
 * The counters of one value of the counting attribute in one period, one per combination of argument values: a single
 * counter for a field without arguments. Variants are few per key (the endpoints of an API, say), so they are found
 * by a linear scan of an array that is copied on each addition, under this object's monitor; readers take no lock.
 */
final class KeyUsage {
    /** The most argument combinations counted per key and period; more are not counted. */
    static final int MAX_VARIANTS = 64;

    final String key;
    final PeriodTable table;
    private volatile Counter[] counters = new Counter[0];

    KeyUsage(String key, PeriodTable table) {
        this.key = key;
        this.table = table;
    }

    /** The counter for argument values {@code args}; null when the key has {@link #MAX_VARIANTS} others already. */
    Counter counter(Object[] args, Arguments arguments) {
        Counter found = find(counters, args);
        return found != null ? found : add(args, arguments);
    }

    /** The counter for the variant whose canonical text is {@code canonical}, or null. */
    Counter counter(String canonical) {
        for (Counter counter : counters) {
            if (counter.variant.canonical().equals(canonical)) {
                return counter;
            }
        }
        return null;
    }

    Counter[] counters() {
        return counters;
    }

    private synchronized Counter add(Object[] args, Arguments arguments) {
        Counter[] current = counters;
        Counter found = find(current, args);
        if (found != null || current.length >= MAX_VARIANTS) {
            return found;
        }
        return append(current, new Counter(this, arguments.variant(args)));
    }

    /** Adds a counter for {@code variant}, unless one exists or the key is full; returns the key's counter or null. */
    synchronized Counter add(Variant variant) {
        Counter[] current = counters;
        Counter found = counter(variant.canonical());
        if (found != null || current.length >= MAX_VARIANTS) {
            return found;
        }
        return append(current, new Counter(this, variant));
    }

    private Counter append(Counter[] current, Counter counter) {
        Counter[] grown = Arrays.copyOf(current, current.length + 1);
        grown[current.length] = counter;
        counters = grown;
        return counter;
    }

    private static Counter find(Counter[] counters, Object[] args) {
        for (Counter counter : counters) {
            if (Arrays.equals(counter.variant.values(), args)) {
                return counter;
            }
        }
        return null;
    }
}
