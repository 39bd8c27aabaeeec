package dev.tollgate.server;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The current snapshot of each environment, ready to serve: the exact stored bytes, their gzip form, ETag and
 * signature, computed once per revision. Filled on first request and refreshed when {@link RevisionEvents} announces a
 * newer revision, before the streams are told, so that a client reacting to a stream event always gets the new body.
 *
 * <p>Concurrency: entries are immutable and replaced with {@code merge}, keeping the higher revision.
 */
final class SnapshotCache implements RevisionEvents.Listener {
    private final LogicStore store;
    private final SnapshotSigner signer;
    private final ConcurrentHashMap<String, Served> entries = new ConcurrentHashMap<>();

    SnapshotCache(LogicStore store, SnapshotSigner signer) {
        this.store = store;
        this.signer = signer;
    }

    /** One environment's snapshot as served. */
    record Served(long revision, byte[] body, byte[] gzipped, String etag, String signature) {}

    /** The current snapshot of {@code environment}; 404 when it has none. */
    Served get(String environment) {
        Served served = entries.get(environment);
        return served != null ? served : load(environment);
    }

    @Override
    public void revision(String environment, long revision) {
        Served served = entries.get(environment);
        if (served == null || served.revision() < revision) {
            load(environment);
        }
    }

    private Served load(String environment) {
        LogicStore.Revision current = store.db().read(c -> store.current(c, environment));
        byte[] body = current.document().getBytes(StandardCharsets.UTF_8);
        Served fresh = new Served(
                current.revision(),
                body,
                Call.gzip(body),
                etag(current.revision()),
                signer == null ? null : signer.sign(body));
        return entries.merge(environment, fresh, (old, now) -> old.revision() >= now.revision() ? old : now);
    }

    static String etag(long revision) {
        return "\"" + revision + "\"";
    }
}
