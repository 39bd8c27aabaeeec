package dev.tollgate.server;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells this instance's listeners (the snapshot cache, then the streams) about new revisions, whichever instance wrote
 * them. Three paths lead here: the writing request itself after its commit; PostgreSQL {@code NOTIFY} on channel
 * {@code tollgate_revisions}, sent inside the writing transaction so that it is delivered exactly when the change is
 * committed, and heard by every instance on a dedicated {@code LISTEN} connection; and a poll of all heads every
 * {@link ServerConfig#pollInterval()}, which also covers notifications missed while reconnecting.
 *
 * <p>Concurrency: {@link #publishLocal} is synchronized; it keeps the highest revision announced per environment and
 * calls the listeners only for a higher one, in registration order, so each listener sees every environment's
 * revisions in increasing order. A revision counts as announced only once every listener has taken it: when one
 * fails (the snapshot cache cannot read the database, say), the later ones are not told (the streams must not announce
 * what the cache cannot serve) and the next notification or poll tries again, so a listener may see a revision twice,
 * never miss it.
 */
final class RevisionEvents implements AutoCloseable {
    static final String CHANNEL = "tollgate_revisions";
    private static final Logger LOG = LoggerFactory.getLogger(RevisionEvents.class);

    /** Receives new revisions. */
    interface Listener {
        void revision(String environment, long revision);
    }

    private final Database db;
    private final Duration pollInterval;
    private final List<Listener> listeners = new CopyOnWriteArrayList<>();
    private final Map<String, Long> announced = new HashMap<>();
    private final ScheduledExecutorService poller;
    private volatile Thread listenThread;
    private volatile boolean closed;

    RevisionEvents(Database db, Duration pollInterval) {
        this.db = db;
        this.pollInterval = pollInterval;
        this.poller = DaemonThreads.scheduler("tollgate-revision-poll");
    }

    void addListener(Listener listener) {
        listeners.add(listener);
    }

    void start() {
        long millis = pollInterval.toMillis();
        poller.scheduleWithFixedDelay(this::pollSafely, millis, millis, TimeUnit.MILLISECONDS);
        if (db.isPostgres()) {
            Thread thread = new Thread(this::listenLoop, "tollgate-revision-listen");
            thread.setDaemon(true);
            listenThread = thread;
            thread.start();
        }
    }

    /** Inside a writing transaction: on PostgreSQL, queues the notification that commit delivers to every instance. */
    void queueNotification(Connection c, String environment, long revision) throws SQLException {
        if (db.isPostgres()) {
            try (PreparedStatement s = c.prepareStatement("SELECT pg_notify(?, ?)")) {
                s.setString(1, CHANNEL);
                s.setString(2, environment + ":" + revision);
                s.execute();
            }
        }
    }

    /** Announces {@code revision} to the listeners unless it, or a newer one, was announced already. */
    synchronized void publishLocal(String environment, long revision) {
        Long known = announced.get(environment);
        if (known != null && known >= revision) {
            return;
        }
        for (Listener listener : listeners) {
            try {
                listener.revision(environment, revision);
            } catch (RuntimeException e) {
                LOG.warn(
                        "Revision listener {} failed for {} revision {}; trying again at the next notification or poll"
                                + " (every {} s)",
                        listener,
                        environment,
                        revision,
                        pollInterval.toSeconds(),
                        e);
                return;
            }
        }
        announced.put(environment, revision);
    }

    /** Reads every environment's head and announces the ones that moved. */
    void poll() {
        Map<String, Long> heads = db.read(c -> {
            Map<String, Long> result = new HashMap<>();
            try (Statement s = c.createStatement();
                    var r = s.executeQuery("SELECT name, current_revision FROM environments")) {
                while (r.next()) {
                    result.put(r.getString(1), r.getLong(2));
                }
            }
            return result;
        });
        heads.forEach((environment, revision) -> {
            if (revision > 0) {
                publishLocal(environment, revision);
            }
        });
    }

    private void pollSafely() {
        try {
            poll();
        } catch (RuntimeException e) {
            LOG.warn("Polling revisions failed: {}", e.getMessage());
        }
    }

    private void listenLoop() {
        boolean failing = false;
        while (!closed) {
            try (Connection c = db.connection()) {
                try (Statement s = c.createStatement()) {
                    s.execute("LISTEN " + CHANNEL);
                }
                if (failing) {
                    LOG.info("Listening for revisions again");
                    failing = false;
                }
                pollSafely();
                PGConnection pg = c.unwrap(PGConnection.class);
                while (!closed) {
                    PGNotification[] notifications = pg.getNotifications(1_000);
                    if (notifications != null) {
                        for (PGNotification notification : notifications) {
                            handle(notification.getParameter());
                        }
                    }
                }
            } catch (SQLException | RuntimeException e) {
                if (closed) {
                    return;
                }
                if (!failing) {
                    LOG.warn("Lost the revision LISTEN connection, retrying every second: {}", e.getMessage());
                    failing = true;
                }
                sleepQuietly();
            }
        }
    }

    private void handle(String payload) {
        int colon = payload.lastIndexOf(':');
        if (colon > 0) {
            try {
                publishLocal(payload.substring(0, colon), Long.parseLong(payload.substring(colon + 1)));
            } catch (NumberFormatException e) {
                LOG.warn("Ignoring malformed revision notification");
            }
        }
    }

    private static void sleepQuietly() {
        try {
            Thread.sleep(1_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        closed = true;
        poller.shutdownNow();
        Thread thread = listenThread;
        if (thread != null) {
            try {
                thread.join(3_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
