package dev.tollgate.server;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells this instance's listeners (the streams) that an environment's meter rows changed, whichever instance wrote
 * them. Two paths lead here: the writing request itself after its commit, and a read of every environment's meter
 * version ({@code meter_versions}) every {@code pollInterval} on a thread of its own, which is how a change written
 * through another instance is learned. Meter changes come with every log batch that carries usage, far more often than
 * revisions, so they send no PostgreSQL {@code NOTIFY}: one small read per interval costs less than a notification
 * per batch.
 *
 * <p>Concurrency: {@link #publishLocal} is synchronized (request threads and the poll thread call it); it keeps the
 * highest version announced per environment and calls the listeners only for a higher one, so a listener sees each
 * environment's versions in increasing order.
 */
final class MeterEvents implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(MeterEvents.class);

    /** Receives new meter versions. */
    interface Listener {
        void usage(String environment, long version);
    }

    private final MeterStore store;
    private final Duration pollInterval;
    private final List<Listener> listeners = new CopyOnWriteArrayList<>();
    private final Map<String, Long> announced = new HashMap<>();
    private final ScheduledExecutorService poller;
    private boolean failing;

    MeterEvents(MeterStore store, Duration pollInterval) {
        this.store = store;
        this.pollInterval = pollInterval;
        this.poller = DaemonThreads.scheduler("tollgate-meter-poll");
    }

    void addListener(Listener listener) {
        listeners.add(listener);
    }

    void start() {
        long millis = pollInterval.toMillis();
        poller.scheduleWithFixedDelay(this::pollSafely, 0, millis, TimeUnit.MILLISECONDS);
    }

    /** Announces {@code version} to the listeners unless it, or a newer one, was announced already. */
    synchronized void publishLocal(String environment, long version) {
        Long known = announced.get(environment);
        if (known != null && known >= version) {
            return;
        }
        // As RevisionEvents does: recorded only once every listener took it, so a failed one gets it at the next poll.
        for (Listener listener : listeners) {
            try {
                listener.usage(environment, version);
            } catch (RuntimeException e) {
                LOG.warn(
                        "Usage listener {} failed for {} meter version {}; trying again at the next poll (every {} ms)",
                        listener,
                        environment,
                        version,
                        pollInterval.toMillis(),
                        e);
                return;
            }
        }
        announced.put(environment, version);
    }

    /** Reads every environment's meter version and announces the ones that moved. */
    void poll() {
        store.versions().forEach(this::publishLocal);
    }

    private void pollSafely() {
        try {
            poll();
            if (failing) {
                LOG.info("Polling meter versions works again");
                failing = false;
            }
        } catch (RuntimeException e) {
            if (!failing) {
                LOG.warn(
                        "Polling meter versions failed, retrying every {} ms: {}",
                        pollInterval.toMillis(),
                        e.getMessage());
                failing = true;
            }
        }
    }

    @Override
    public void close() {
        poller.shutdownNow();
    }
}
