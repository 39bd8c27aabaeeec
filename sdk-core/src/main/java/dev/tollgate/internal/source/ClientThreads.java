package dev.tollgate.internal.source;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The threads one client may start, all daemons and all named after the client: its scheduler {@code tollgate-<n>}, and
 * for an HTTP source that owns its OkHttp client, the dispatcher threads {@code tollgate-<n>-http-<k>} that carry the
 * network I/O (OkHttp renames them while a call runs).
 */
public final class ClientThreads {
    private ClientThreads() {}

    /**
     * The client's scheduler: one thread, started on the first task; cancelled tasks leave the queue at once, and
     * delayed tasks are dropped on shutdown instead of being waited for.
     */
    public static Scheduler scheduler(String name) {
        return new Scheduler(name);
    }

    /** A one-thread scheduler that knows its thread, so that {@code close()} never waits for itself. */
    public static final class Scheduler extends ScheduledThreadPoolExecutor {
        private volatile Thread thread;

        private Scheduler(String name) {
            super(1);
            ThreadFactory names = factory(name, false);
            setThreadFactory(task -> {
                Thread created = names.newThread(task);
                thread = created;
                return created;
            });
            setRemoveOnCancelPolicy(true);
            setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
            setContinueExistingPeriodicTasksAfterShutdownPolicy(false);
        }

        /** Whether the calling thread is this scheduler's. */
        public boolean isCurrentThread() {
            return Thread.currentThread() == thread;
        }

        /**
         * Waits, after termination, until the thread itself has ended: an executor reports termination from inside
         * its last worker, a moment before that thread exits.
         *
         * @return whether no thread of this scheduler is alive
         */
        public boolean awaitThreadExit(long millis) throws InterruptedException {
            Thread current = thread;
            if (current != null) {
                current.join(millis);
            }
            return current == null || !current.isAlive();
        }
    }

    /** An executor for an OkHttp dispatcher: threads on demand, idle ones exit after a minute. */
    public static ExecutorService httpExecutor(String name) {
        return new ThreadPoolExecutor(
                0, Integer.MAX_VALUE, 60, TimeUnit.SECONDS, new SynchronousQueue<>(), factory(name + "-http", true));
    }

    private static ThreadFactory factory(String name, boolean numbered) {
        AtomicInteger count = new AtomicInteger();
        return task -> {
            Thread thread = new Thread(task, numbered ? name + "-" + count.incrementAndGet() : name);
            thread.setDaemon(true);
            return thread;
        };
    }
}
