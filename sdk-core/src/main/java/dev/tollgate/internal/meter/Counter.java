package dev.tollgate.internal.meter;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * The usage of one key (a value of the counting attribute and of the field's arguments) in one period.
 *
 * <p>Concurrency protocol. Usage is the sum of four parts, each moved in one direction by one kind of writer:
 *
 * <ul>
 *   <li>{@code pending}: consumed here and not yet put in a batch. Request threads add to it with a compare-and-set
 *       that also checks the limit, so concurrent consumers of one key never pass a hard limit together; the
 *       reporting thread takes it away, after adding it to {@code inFlight}.
 *   <li>{@code inFlight}: put in the batch the log pipeline is sending. Written by the pipeline's thread only: added to
 *       before {@code pending} is lowered, lowered after {@code fleet} (or {@code unsent}) took the amount over.
 *   <li>{@code fleet}: the fleet's usage as the Tollgate server last reported it, with the server's row version; a
 *       report replaces it only when its version is newer (a reset lowers it). Written under this object's monitor.
 *   <li>{@code unsent}: consumed here in batches the server refused, kept so this client still counts them.
 * </ul>
 *
 * <p>Readers take no lock. They read the parts in the order opposite to the writers' hand-overs: {@code pending}, then
 * {@code inFlight}, then {@code unsent} and {@code fleet}. An amount moving between two parts is then seen in both
 * (usage reads high for a moment, which errs towards denying) but never in neither: the sum never reads low.
 */
final class Counter {
    private static final VarHandle PENDING;
    private static final VarHandle DIRTY;

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            PENDING = lookup.findVarHandle(Counter.class, "pending", long.class);
            DIRTY = lookup.findVarHandle(Counter.class, "dirty", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    final Variant variant;
    final KeyUsage key;

    private volatile long pending;
    private volatile long inFlight;
    private volatile long unsent;
    private volatile long fleet;
    private volatile long extra;
    /** The server's version of {@code fleet} and {@code extra}; -1 before the first report. Under the monitor. */
    private long fleetVersion = -1;
    /** 1 while the counter waits in its table's queue of counters with pending usage. */
    private volatile int dirty;

    Counter(KeyUsage key, Variant variant) {
        this.key = key;
        this.variant = variant;
    }

    /** The one-off extra granted for the period, added to the field's value to make the limit. */
    long extra() {
        return extra;
    }

    /**
     * Adds {@code amount} unless that takes usage past {@code limit} and the limit is hard; returns the usage after
     * the call (with the amount when it was counted), negated minus one when it was not, so that {@code result < 0}
     * means denied and {@code -result - 1} is the usage that denied it.
     */
    long tryAdd(long amount, long limit, boolean soft) {
        while (true) {
            long before = pending;
            long used = usage(before);
            long after = used + amount;
            if (after > limit && !soft) {
                return -used - 1;
            }
            if (amount == 0) {
                return used;
            }
            if (PENDING.compareAndSet(this, before, before + amount)) {
                return after;
            }
        }
    }

    /** Whether this counter was not waiting in its table's queue, and now is marked as waiting. */
    boolean markDirty() {
        return dirty == 0 && DIRTY.compareAndSet(this, 0, 1);
    }

    /** The usage read after {@code pending} was read as {@code pendingRead}, in the protocol's order. */
    private long usage(long pendingRead) {
        long flying = inFlight;
        long kept = unsent;
        return saturatedSum(fleet, kept, flying, pendingRead);
    }

    /** The usage now. */
    long used() {
        return usage(pending);
    }

    /**
     * On the pipeline's thread: moves what is pending into the batch being built and returns it; 0 when nothing is.
     * Clears the queue mark first, so a consumer that adds after the move queues the counter again.
     */
    long takePending() {
        dirty = 0;
        long amount = pending;
        if (amount == 0) {
            return 0;
        }
        inFlight = inFlight + amount;
        PENDING.getAndAdd(this, -amount);
        return amount;
    }

    /** On the pipeline's thread: the batch carrying {@code amount} was accepted; the fleet's usage now holds it. */
    void accepted(long amount, boolean fleetReported) {
        if (!fleetReported) {
            synchronized (this) {
                fleet = saturatedSum(fleet, amount, 0, 0);
            }
        }
        inFlight = inFlight - amount;
    }

    /** On the pipeline's thread: the batch carrying {@code amount} was refused; this client keeps counting it. */
    void refused(long amount) {
        unsent = saturatedSum(unsent, amount, 0, 0);
        inFlight = inFlight - amount;
    }

    /** The server's usage and extra at {@code version}; an older or equal version than the last one is ignored. */
    synchronized void fleet(long used, long extraGranted, long version) {
        if (version > fleetVersion) {
            fleetVersion = version;
            fleet = used;
            extra = extraGranted;
        }
    }

    /** Whether nothing of this counter waits to be sent or acknowledged. */
    boolean settled() {
        return pending == 0 && inFlight == 0;
    }

    private static long saturatedSum(long a, long b, long c, long d) {
        long sum = a + b + c + d;
        // Every part is at least 0; a sum below one of them overflowed.
        return sum < 0 ? Long.MAX_VALUE : sum;
    }
}
