package dev.tollgate.internal.logs;

import dev.tollgate.FallbackCause;
import dev.tollgate.schema.Schema;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Exact evaluation counts per field path and outcome, counted without allocation, locks, atomics or boxing.
 *
 * <p>Each (field, outcome label) pair gets a slot, assigned once when a snapshot is compiled and kept for the client's
 * life, so counts survive snapshot swaps. Fallback slots are laid out up front: {@code field * CAUSES + cause}.
 *
 * <p>Concurrency protocol. Every thread that counts owns a {@link Block}: a {@code long[]} that only its owner writes,
 * with opaque reads and writes (plain moves on x86; no lost updates because there is one writer). The flusher reads all
 * blocks under the {@link Capacity} lock with opaque reads; counts only grow, so a read is a consistent lower bound and the
 * next read picks up the rest: deltas between reads add up exactly. A block grows (when new slots appear) by its owner
 * copying it under that lock and publishing the copy through a volatile field; the flusher sees either the old or the
 * new array, never both. Blocks of threads that have died are folded into {@code retired} by the flusher and dropped,
 * so memory is bounded by live threads times slots.
 */
public final class EvaluationCounters {
    public static final int CAUSES = FallbackCause.values().length;

    private static final VarHandle LONGS = MethodHandles.arrayElementVarHandle(long[].class);

    private final List<String> slotFields = new ArrayList<>();
    private final List<String> slotLabels = new ArrayList<>();
    private final Map<String, Integer> slots = new HashMap<>();
    private final List<Block> blocks = new ArrayList<>();
    private final ThreadLocal<Block> local = ThreadLocal.withInitial(this::register);
    private final Capacity capacity = new Capacity();
    private long[] retired = new long[0];

    public EvaluationCounters(Schema schema) {
        FallbackCause[] causes = FallbackCause.values();
        for (var field : schema.fields()) {
            for (FallbackCause cause : causes) {
                add(field.path(), "fallback:" + cause);
            }
        }
    }

    /** The slot of {@code fieldPath} ending in outcome {@code label}, registering it on first use. */
    public int slot(String fieldPath, String label) {
        synchronized (capacity) {
            Integer slot = slots.get(fieldPath + '\u0000' + label);
            return slot != null ? slot : add(fieldPath, label);
        }
    }

    /** The slot of a fallback with {@code cause} on the field with index {@code fieldIndex}. */
    public static int fallbackSlot(int fieldIndex, FallbackCause cause) {
        return fieldIndex * CAUSES + cause.ordinal();
    }

    /** The calling thread's block; cache it for the duration of a request. */
    public Block block() {
        return local.get();
    }

    /** Counts one evaluation on the calling thread. */
    public void increment(int slot) {
        local.get().increment(slot);
    }

    private int add(String fieldPath, String label) {
        int slot = slotFields.size();
        slotFields.add(fieldPath);
        slotLabels.add(label);
        slots.put(fieldPath + '\u0000' + label, slot);
        capacity.size = slot + 1;
        return slot;
    }

    private Block register() {
        synchronized (capacity) {
            Block block = new Block(capacity, Thread.currentThread());
            blocks.add(block);
            return block;
        }
    }

    /** Totals per slot so far, including threads that have ended; folds dead threads' blocks away. */
    public long[] totals() {
        synchronized (capacity) {
            return sum();
        }
    }

    private long[] sum() {
        long[] totals = Arrays.copyOf(retired, capacity.size);
        for (Iterator<Block> it = blocks.iterator(); it.hasNext(); ) {
            Block block = it.next();
            long[] counts = block.counts;
            for (int i = 0; i < counts.length; i++) {
                totals[i] += (long) LONGS.getOpaque(counts, i);
            }
            Thread owner = block.owner.get();
            if (owner == null || !owner.isAlive()) {
                long[] folded = Arrays.copyOf(retired, Math.max(retired.length, counts.length));
                for (int i = 0; i < counts.length; i++) {
                    folded[i] += (long) LONGS.getOpaque(counts, i);
                }
                retired = folded;
                it.remove();
            }
        }
        return totals;
    }

    /** The field path of {@code slot}. */
    public String field(int slot) {
        synchronized (capacity) {
            return slotFields.get(slot);
        }
    }

    /** The outcome label of {@code slot}, such as {@code rule:pro} or {@code fallback:NO_LOGIC}. */
    public String label(int slot) {
        synchronized (capacity) {
            return slotLabels.get(slot);
        }
    }

    /** Live per-thread blocks; for tests and diagnostics. */
    public int liveBlocks() {
        synchronized (capacity) {
            return blocks.size();
        }
    }

    /**
     * The number of slots, and the lock for everything above. Blocks hold this, not the registry: a thread's block
     * must not reach the registry's {@code ThreadLocal}, or the thread's map would keep every closed client alive.
     */
    private static final class Capacity {
        volatile int size;
    }

    /** One thread's counts. Only the owner thread calls {@link #increment}. */
    public static final class Block {
        private final Capacity capacity;
        private final WeakReference<Thread> owner;
        private volatile long[] counts;

        Block(Capacity capacity, Thread owner) {
            this.capacity = capacity;
            this.owner = new WeakReference<>(owner);
            this.counts = new long[capacity.size];
        }

        /** Whether the calling thread owns this block. */
        public boolean isOwnedByCurrentThread() {
            return owner.get() == Thread.currentThread();
        }

        public void increment(int slot) {
            long[] current = counts;
            if (slot >= current.length) {
                current = grow(slot);
            }
            LONGS.setOpaque(current, slot, (long) LONGS.getOpaque(current, slot) + 1);
        }

        private long[] grow(int slot) {
            synchronized (capacity) {
                long[] grown = Arrays.copyOf(counts, Math.max(capacity.size, slot + 1));
                counts = grown;
                return grown;
            }
        }
    }
}
