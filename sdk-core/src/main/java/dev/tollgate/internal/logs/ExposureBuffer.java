package dev.tollgate.internal.logs;

import dev.tollgate.internal.eval.ExposureRecorder;
import dev.tollgate.spi.LogBatch.Exposure;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Split exposures waiting for the next batch: deduplicated per (field, rule, arm, unit) within a time window, held in a
 * bounded queue that drops and counts when full.
 *
 * <p>Concurrency protocol. Any evaluating thread records; only the flusher drains. The dedupe table is a direct-mapped
 * array of 64-bit keys and expiry times written without synchronization: a race can at worst record an exposure twice
 * or let a colliding key evict another, never lose one. The queue is lock-free; {@code size} bounds it, incremented
 * before an add and decremented on a drop or a drain.
 */
public final class ExposureBuffer implements ExposureRecorder {
    private static final Logger LOG = LoggerFactory.getLogger(ExposureBuffer.class);

    private final int capacity;
    private final int flushThreshold;
    private final long windowMillis;
    private final long[] keys;
    private final long[] expiries;
    private final int mask;
    private final ConcurrentLinkedQueue<Exposure> queue = new ConcurrentLinkedQueue<>();
    private final AtomicInteger size = new AtomicInteger();
    private final LongAdder dropped = new LongAdder();
    private final LongAdder overflowed = new LongAdder();
    private final AtomicBoolean warned = new AtomicBoolean();
    private final Runnable onThreshold;

    /**
     * @param capacity the most exposures held between flushes
     * @param flushThreshold the size at which {@code onThreshold} asks for an early flush
     * @param dedupeCapacity the size of the dedupe table, rounded up to a power of two
     * @param windowMillis how long a recorded exposure suppresses its duplicates
     */
    public ExposureBuffer(
            int capacity, int flushThreshold, int dedupeCapacity, long windowMillis, Runnable onThreshold) {
        this.capacity = capacity;
        this.flushThreshold = flushThreshold;
        this.windowMillis = windowMillis;
        int tableSize = Integer.highestOneBit(Math.max(16, dedupeCapacity - 1) << 1);
        this.keys = new long[tableSize];
        this.expiries = new long[tableSize];
        this.mask = tableSize - 1;
        this.onThreshold = onThreshold;
    }

    @Override
    public void record(String field, String rule, String arm, String unit) {
        long key = hash(field, rule, arm, unit);
        int index = (int) (key ^ key >>> 32) & mask;
        long now = System.currentTimeMillis();
        if (keys[index] == key && expiries[index] > now) {
            return;
        }
        keys[index] = key;
        expiries[index] = now + windowMillis;
        int held = size.incrementAndGet();
        if (held > capacity) {
            size.decrementAndGet();
            dropped.increment();
            overflowed.increment();
            if (warned.compareAndSet(false, true)) {
                LOG.warn(
                        "Exposure buffer is full ({} records); dropping and counting exposures until the next flush",
                        capacity);
            }
            return;
        }
        queue.add(new Exposure(field, rule, arm, unit, Instant.ofEpochMilli(now)));
        if (held == flushThreshold) {
            onThreshold.run();
        }
    }

    /** Removes and returns everything held. */
    public List<Exposure> drain() {
        List<Exposure> drained = new ArrayList<>();
        for (Exposure exposure = queue.poll(); exposure != null; exposure = queue.poll()) {
            size.decrementAndGet();
            drained.add(exposure);
        }
        warned.set(false);
        return drained;
    }

    /** Exposures dropped since the last call. */
    public long takeDropped() {
        return dropped.sumThenReset();
    }

    /** Exposures dropped because the buffer was full, since the buffer was made; never reset. */
    public long overflowed() {
        return overflowed.sum();
    }

    /** Adds to the dropped count: exposures of a batch the sink gave up on. */
    public void addDropped(long count) {
        dropped.add(count);
    }

    public int size() {
        return size.get();
    }

    /** 64-bit FNV-1a over the four strings with separators; allocation-free. */
    static long hash(String field, String rule, String arm, String unit) {
        long h = 0xcbf29ce484222325L;
        h = mix(h, field);
        h = mix(h, rule);
        h = mix(h, arm);
        h = mix(h, unit);
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        return h ^ h >>> 33;
    }

    private static long mix(long h, String text) {
        for (int i = 0; i < text.length(); i++) {
            h ^= text.charAt(i);
            h *= 0x100000001b3L;
        }
        h ^= 0x1f;
        return h * 0x100000001b3L;
    }
}
