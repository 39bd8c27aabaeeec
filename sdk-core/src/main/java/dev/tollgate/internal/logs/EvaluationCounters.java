package dev.tollgate.internal.logs;

import dev.tollgate.FallbackCause;
import dev.tollgate.internal.eval.OutcomeKey;
import dev.tollgate.internal.schema.SchemaModel;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Exact evaluation counts per field path and outcome, counted without allocation, locks, atomics or boxing.
 *
 * <p>Each (field, outcome label) pair, an {@link OutcomeKey}, gets a slot, assigned when a snapshot using it is
 * installed (snapshots that are rejected, or not newer than the installed one, register none), and kept for the
 * client's life, so counts survive snapshot swaps. Fallback slots are laid out up front: {@code field * CAUSES + cause}.
 *
 * <p>Concurrency protocol. Every thread that counts owns a {@link Block}: one or more {@code long[]} arrays that only
 * its owner writes, with opaque reads and writes (plain moves on x86; no lost updates because there is one writer). A
 * slot's count is the sum of that slot over every array of every block. When new slots appear, the owner adds a new,
 * longer array to its block instead of copying the old one: a caller of {@link #counts()} may keep the array it was given and go on counting into
 * it, and since nothing is ever moved out of an array, no count is lost and none is counted twice. The
 * arrays grow geometrically, so a block holds few of them. The flusher reads all arrays under the {@link Capacity} lock
 * with opaque reads; counts only grow, so a read is a consistent lower bound and the next read picks up the rest:
 * deltas between reads add up exactly. Blocks of threads that have died are folded into {@code retired} by the flusher
 * and dropped, so memory is bounded by live threads times slots.
 *
 * <p>Finding the calling thread's block. A {@code ThreadLocal} lookup is a chain of about eight dependent loads (the
 * thread's map, its table, the entry, the entry's referent, the value, the block's arrays, the newest array) and cost
 * about 10 ns per evaluation, a third of a whole read. So a block is also kept in {@code stripes}, at its thread's id
 * modulo {@value #STRIPES}, when that stripe is free: the lookup is then the stripe, a comparison of its block's thread
 * with the calling one and the block's newest array. A thread whose stripe another live thread holds counts through the
 * {@code ThreadLocal}, as every thread did before; a stripe is freed when the flusher folds its dead owner's block.
 */
public final class EvaluationCounters {
    public static final int CAUSES = FallbackCause.values().length;

    /** The number of stripes, a power of two: more than the request threads of most services, 1 KiB or so of references. */
    static final int STRIPES = 256;

    private static final VarHandle LONGS = MethodHandles.arrayElementVarHandle(long[].class);

    private final List<OutcomeKey> slotKeys = new ArrayList<>();
    private final Map<OutcomeKey, Integer> slots = new HashMap<>();
    private final List<Block> blocks = new ArrayList<>();
    private final ThreadLocal<Block> local = ThreadLocal.withInitial(this::register);
    /**
     * Blocks by their thread's id modulo {@link #STRIPES}: set and cleared under the capacity lock, read by the counting
     * threads without it, each using only a block whose thread is itself.
     */
    private final Block[] stripes = new Block[STRIPES];

    private final Capacity capacity = new Capacity();
    private long[] retired = new long[0];

    public EvaluationCounters(SchemaModel schema) {
        FallbackCause[] causes = FallbackCause.values();
        for (var field : schema.fields()) {
            for (FallbackCause cause : causes) {
                add(new OutcomeKey(field.path(), "fallback:" + cause));
            }
        }
    }

    /** The slot of {@code fieldPath} ending in outcome {@code label}, registering it on first use. */
    public int slot(String fieldPath, String label) {
        return slots(List.of(new OutcomeKey(fieldPath, label)))[0];
    }

    /** The slots of {@code keys}, in order, registering new ones under one lock. */
    public int[] slots(List<OutcomeKey> keys) {
        int[] assigned = new int[keys.size()];
        synchronized (capacity) {
            for (int i = 0; i < assigned.length; i++) {
                Integer slot = slots.get(keys.get(i));
                assigned[i] = slot != null ? slot : add(keys.get(i));
            }
        }
        return assigned;
    }

    /** The slot of a fallback with {@code cause} on the field with index {@code fieldIndex}. */
    public static int fallbackSlot(int fieldIndex, FallbackCause cause) {
        return fieldIndex * CAUSES + cause.ordinal();
    }

    /**
     * The calling thread's counts, long enough for every slot registered so far. Only the calling thread may pass it to
     * {@link #increment(long[], int)}; it stays valid (its counts are summed) for the life of the registry. Evaluation
     * counts through {@link #increment(int)}; the tests use this to check that an array kept past a growth loses nothing.
     */
    long[] counts() {
        return local.get().newest(capacity.size);
    }

    /** Counts one evaluation in {@code counts}, an array {@link #counts()} gave the calling thread. */
    static void increment(long[] counts, int slot) {
        LONGS.setOpaque(counts, slot, (long) LONGS.getOpaque(counts, slot) + 1);
    }

    /** Counts one evaluation on the calling thread. */
    public void increment(int slot) {
        Block block = stripeOf(Thread.currentThread());
        if (block == null) {
            block = threadLocalBlock();
        }
        increment(block.newest(slot + 1), slot);
    }

    /**
     * {@code thread}'s block if its stripe holds it, else null. A plain read: a block is used only by its own thread,
     * which made it, and another thread's block (or a stale null) only sends the caller to its {@code ThreadLocal}.
     */
    private Block stripeOf(Thread thread) {
        Block block = stripes[stripe(thread)];
        return block != null && block.thread == thread ? block : null;
    }

    /**
     * The rare path: the block of a thread whose stripe another live thread holds. At this cold call site C2 leaves
     * {@code ThreadLocal.get} out of line ({@code -XX:+PrintInlining}: "callee is too large"), so the hot path's compiled
     * code stays small enough to be inlined into the evaluation.
     */
    private Block threadLocalBlock() {
        return local.get();
    }

    private static int stripe(Thread thread) {
        return (int) thread.getId() & (STRIPES - 1);
    }

    private int add(OutcomeKey key) {
        int slot = slotKeys.size();
        slotKeys.add(key);
        slots.put(key, slot);
        capacity.size = slot + 1;
        if (retired.length < capacity.size) {
            retired = Arrays.copyOf(retired, Math.max(capacity.size, retired.length * 2));
        }
        return slot;
    }

    private Block register() {
        synchronized (capacity) {
            Thread thread = Thread.currentThread();
            Block block = new Block(capacity, thread);
            blocks.add(block);
            int stripe = stripe(thread);
            if (stripes[stripe] == null) {
                stripes[stripe] = block;
            }
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
            boolean ended = !block.thread.isAlive();
            for (long[] counts : block.arrays) {
                addTo(totals, counts);
                if (ended) {
                    addTo(retired, counts);
                }
            }
            if (ended) {
                it.remove();
                int stripe = stripe(block.thread);
                if (stripes[stripe] == block) {
                    stripes[stripe] = null;
                }
            }
        }
        return totals;
    }

    /** Adds {@code counts} to {@code sums}, slot by slot, up to the shorter of the two. */
    private static void addTo(long[] sums, long[] counts) {
        int length = Math.min(sums.length, counts.length);
        for (int i = 0; i < length; i++) {
            sums[i] += (long) LONGS.getOpaque(counts, i);
        }
    }

    /** The field path of {@code slot}. */
    public String field(int slot) {
        synchronized (capacity) {
            return slotKeys.get(slot).fieldPath();
        }
    }

    /** The outcome label of {@code slot}, such as {@code rule:pro} or {@code fallback:NO_LOGIC}. */
    public String label(int slot) {
        synchronized (capacity) {
            return slotKeys.get(slot).label();
        }
    }

    /** The number of slots registered so far; for tests and diagnostics. */
    public int slotCount() {
        return capacity.size;
    }

    /** Whether {@code thread}'s block is in its stripe, so that it counts without the ThreadLocal; for tests. */
    boolean holdsStripe(Thread thread) {
        synchronized (capacity) {
            return stripeOf(thread) != null;
        }
    }

    /** Live per-thread blocks; for tests and diagnostics. */
    int liveBlocks() {
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

    /**
     * One thread's counts: arrays only the owner thread writes, newest (and longest) last. The block holds its thread
     * strongly, for the stripe's comparison; a dead thread's block is dropped at the flusher's next read.
     */
    public static final class Block {
        private final Capacity capacity;
        private final Thread thread;
        /** Replaced, never changed in place, under the capacity lock; each array is summed until the block is folded. */
        private volatile long[][] arrays;
        /** The last of {@code arrays}; written and read by the owner thread only. */
        private long[] newest;

        Block(Capacity capacity, Thread thread) {
            this.capacity = capacity;
            this.thread = thread;
            this.newest = new long[capacity.size];
            this.arrays = new long[][] {newest};
        }

        /** The newest array, first adding a longer one when it is shorter than {@code length}. Owner thread only. */
        long[] newest(int length) {
            long[] newest = this.newest;
            return newest.length >= length ? newest : grow(length);
        }

        private long[] grow(int length) {
            synchronized (capacity) {
                long[] longer = new long[Math.max(Math.max(length, capacity.size), newest.length * 2)];
                long[][] current = arrays;
                long[][] grown = Arrays.copyOf(current, current.length + 1);
                grown[current.length] = longer;
                arrays = grown;
                newest = longer;
                return longer;
            }
        }
    }
}
