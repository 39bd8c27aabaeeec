package dev.tollgate.internal.meter;

import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The usage of one metered field in one period, by key. Holds at most {@code maxKeys} keys: a key first seen when the
 * table is full is not counted (see {@link MeterLedger}). Counters with usage not yet reported wait in {@link #dirty},
 * each at most once, so building a batch visits only what changed.
 */
final class PeriodTable {
    final long start;
    final long end;
    private final int maxKeys;
    private final ConcurrentHashMap<String, KeyUsage> keys = new ConcurrentHashMap<>();
    private final AtomicInteger size = new AtomicInteger();
    private final Queue<Counter> dirty = new ConcurrentLinkedQueue<>();
    /** Set when a key is first refused for the table being full: one warning per field and period. */
    final AtomicBoolean full = new AtomicBoolean();
    /**
     * For a rolling window: the table of the period just before this one, whose usage the window still partly covers;
     * null for a calendar meter, or when there was none. Set by the rotation that makes this table, or by the fleet's
     * first row of that period, before or while this table is in use: readers see null (no carried usage) or it.
     */
    volatile PeriodTable previous;

    PeriodTable(long start, long end, int maxKeys) {
        this.start = start;
        this.end = end;
        this.maxKeys = maxKeys;
    }

    /** The usage of {@code key}, added if absent and the table has room; null when it is full. */
    KeyUsage key(String key) {
        KeyUsage usage = keys.get(key);
        return usage != null ? usage : add(key);
    }

    /** The usage of {@code key} if the table has it, else null. */
    KeyUsage existing(String key) {
        return keys.get(key);
    }

    private KeyUsage add(String key) {
        if (size.get() >= maxKeys) {
            return keys.get(key);
        }
        return keys.computeIfAbsent(key, k -> {
            size.incrementAndGet();
            return new KeyUsage(k, this);
        });
    }

    /** Queues {@code counter} for the next batch, unless it waits already. */
    void changed(Counter counter) {
        if (counter.markDirty()) {
            dirty.add(counter);
        }
    }

    /** The next counter with usage to report, or null. On the pipeline's thread. */
    Counter nextChanged() {
        return dirty.poll();
    }

    /**
     * For a rolling window at {@code now}: the share of the previous period's usage of {@code counter}'s key and
     * arguments that the window, one period long and ending at {@code now}, still covers, as if that period had been
     * used evenly: its usage times {@code (end - now) / its length}, rounded up. 0 without a previous period.
     */
    long carried(Counter counter, long now) {
        PeriodTable before = previous;
        KeyUsage key = before == null ? null : before.existing(counter.key.key);
        Counter earlier = key == null ? null : key.counter(counter.variant.canonical());
        if (earlier == null) {
            return 0;
        }
        long used = earlier.used();
        long length = before.end - before.start;
        long left = Math.max(0, Math.min(end - now, length));
        if (left == length) {
            return used;
        }
        long product = used * left;
        if (Math.multiplyHigh(used, left) != 0 || product < 0) {
            return (long) Math.ceil((double) used * left / length);
        }
        return (product + length - 1) / length;
    }

    int size() {
        return size.get();
    }

    boolean isEmptyOfChanges() {
        return dirty.isEmpty();
    }

    /** Whether every counter has reported and seen its reports accepted: the table can go once its period is over. */
    boolean settled() {
        if (!dirty.isEmpty()) {
            return false;
        }
        for (KeyUsage usage : keys.values()) {
            for (Counter counter : usage.counters()) {
                if (!counter.settled()) {
                    return false;
                }
            }
        }
        return true;
    }
}
