package dev.tollgate.benchmarks.sdk;

import java.util.concurrent.atomic.AtomicLong;

/**
 * A daemon thread that runs one reload every interval until closed, for the SDKs whose reloads the benchmark drives
 * (Tollgate and the floor load directly; LaunchDarkly and flagd get a rewritten file that their own watchers pick up).
 */
final class Swapper implements AutoCloseable {
    /** One reload; exceptions stop the swapper and are reported when it is closed. */
    interface Reload {
        void run() throws Exception;
    }

    private final Thread thread;
    private final AtomicLong count = new AtomicLong();
    private volatile boolean running = true;
    private volatile Exception failure;

    Swapper(String name, long intervalMillis, Reload reload) {
        thread = new Thread(() -> loop(intervalMillis, reload), name);
        thread.setDaemon(true);
        thread.start();
    }

    private void loop(long intervalMillis, Reload reload) {
        try {
            while (running) {
                Thread.sleep(intervalMillis);
                reload.run();
                count.incrementAndGet();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            failure = e;
        }
    }

    long count() {
        return count.get();
    }

    @Override
    public void close() {
        running = false;
        thread.interrupt();
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (failure != null) {
            throw new IllegalStateException("a background reload failed", failure);
        }
    }
}
