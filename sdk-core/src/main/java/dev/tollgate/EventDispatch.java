package dev.tollgate;

import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers listener events in order, on the client's scheduler thread, never under a lock of the client.
 *
 * <p>Protocol: any thread (an install, a status change) appends an event to a lock-free queue and, if no drain is
 * pending, schedules one ({@code drainPending} goes false to true exactly once per scheduled drain). A drain first
 * clears {@code drainPending}, then runs queued events until the queue is empty, so an event appended meanwhile is run
 * by this drain or by the one its producer schedules. Drains run under this object's monitor: the scheduler's drain and
 * the final drain {@link #drainNow()} on a closing thread never interleave, which keeps events in order. Events posted
 * while the client closes are delivered by {@link #drainNow()} on the closing thread; later ones are dropped. Listener
 * code therefore never runs on a thread that holds one of the client's locks. The queue only holds events when there
 * are listeners, one per install or status change.
 */
final class EventDispatch {
    private static final Logger LOG = LoggerFactory.getLogger(TollgateClient.class);

    private final Executor executor;
    private final List<Consumer<ClientStatus>> statusListeners;
    private final List<Consumer<SnapshotChange>> snapshotListeners;
    private final Queue<Runnable> queue = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean drainPending = new AtomicBoolean();
    private volatile boolean finished;

    EventDispatch(
            Executor executor,
            List<Consumer<ClientStatus>> statusListeners,
            List<Consumer<SnapshotChange>> snapshotListeners) {
        this.executor = executor;
        this.statusListeners = new CopyOnWriteArrayList<>(statusListeners);
        this.snapshotListeners = new CopyOnWriteArrayList<>(snapshotListeners);
    }

    void addStatusListener(Consumer<ClientStatus> listener) {
        statusListeners.add(listener);
    }

    void removeStatusListener(Consumer<ClientStatus> listener) {
        statusListeners.remove(listener);
    }

    void addSnapshotListener(Consumer<SnapshotChange> listener) {
        snapshotListeners.add(listener);
    }

    void removeSnapshotListener(Consumer<SnapshotChange> listener) {
        snapshotListeners.remove(listener);
    }

    void statusChanged(ClientStatus status) {
        if (!statusListeners.isEmpty()) {
            post(() -> notifyStatus(status));
        }
    }

    void snapshotChanged(SnapshotChange change) {
        if (!snapshotListeners.isEmpty()) {
            post(() -> notifySnapshot(change));
        }
    }

    private void notifyStatus(ClientStatus status) {
        for (Consumer<ClientStatus> listener : statusListeners) {
            try {
                listener.accept(status);
            } catch (Throwable e) { // a listener's bug, even an AssertionError, must not silence the others
                LOG.warn("Status listener {} failed on {}", listener, status, e);
            }
        }
    }

    private void notifySnapshot(SnapshotChange change) {
        for (Consumer<SnapshotChange> listener : snapshotListeners) {
            try {
                listener.accept(change);
            } catch (Throwable e) { // as above
                LOG.warn("Snapshot listener {} failed on {}", listener, change, e);
            }
        }
    }

    private void post(Runnable event) {
        if (finished) {
            return;
        }
        queue.add(event);
        if (drainPending.compareAndSet(false, true)) {
            try {
                executor.execute(this::drain);
            } catch (RejectedExecutionException e) {
                drainPending.set(false); // closing: drainNow() delivers what is queued
            }
        }
    }

    private synchronized void drain() {
        drainPending.set(false);
        for (Runnable event = queue.poll(); event != null; event = queue.poll()) {
            event.run();
        }
    }

    /**
     * Runs every queued event on the calling thread, the last being the client's {@code OFF} status; used by {@code
     * close()} once the scheduler has stopped. Events after this are dropped: listeners hear nothing after close.
     */
    void drainNow() {
        drain();
        finished = true;
        queue.clear();
    }
}
