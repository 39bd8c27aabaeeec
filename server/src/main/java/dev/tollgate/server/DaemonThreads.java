package dev.tollgate.server;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

/** The server's background threads: daemons, named for thread dumps, so that none keeps the JVM alive. */
final class DaemonThreads {
    private DaemonThreads() {}

    /** A single-thread scheduler whose thread is the daemon {@code name}. */
    static ScheduledExecutorService scheduler(String name) {
        return Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, name);
            thread.setDaemon(true);
            return thread;
        });
    }
}
