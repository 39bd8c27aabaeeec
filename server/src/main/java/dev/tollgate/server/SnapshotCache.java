package dev.tollgate.server;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The current snapshot of each environment, ready to serve: the exact stored bytes, their gzip form, ETag and
 * signature, computed once per revision. Filled on first request and refreshed when {@link RevisionEvents} announces a
 * newer revision, before the streams are told, so that a client reacting to a stream event always gets the new body.
 *
 * <p>Concurrency: entries are immutable and replaced with {@code merge}, keeping the higher revision.
 *
 * <p>Deltas: when a newer revision is loaded while the entry holds the one just before it, the {@code delta} event from
 * that one is computed once ({@link SnapshotDeltas}) and kept, one per environment, for the streams to send; an
 * instance that did not hold the revision before (it missed one, or just started) has none, and streams send the plain
 * revision event.
 */
final class SnapshotCache implements RevisionEvents.Listener {
    private final LogicStore store;
    private final SnapshotSigner signer;
    private final ConcurrentHashMap<String, Served> entries = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, Delta> deltas = new ConcurrentHashMap<>();

    SnapshotCache(LogicStore store, SnapshotSigner signer) {
        this.store = store;
        this.signer = signer;
    }

    /** One environment's snapshot as served. */
    record Served(long revision, byte[] body, byte[] gzipped, String etag, String signature) {}

    /** The {@code delta} event that leads to {@code revision}: its whole text, ready to write to a stream. */
    private record Delta(long revision, String event) {}

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

    /**
     * Revision {@code revision} of {@code environment} as served: the current one from memory, any other (an older one,
     * or a newer one this instance has not heard of yet) read from the database and not kept; 404 when there is none.
     * Revisions never change, so the answer for one revision is always the same bytes.
     */
    Served atRevision(String environment, long revision) {
        Served current = entries.get(environment);
        if (current != null && current.revision() == revision) {
            return current;
        }
        return served(store.db().read(c -> {
            LogicStore.Environment env = store.environment(c, environment);
            if (revision > env.revision()) {
                throw ApiException.notFound("environment \"" + environment + "\" has no revision " + revision
                        + " (yet): its current revision is " + env.revision());
            }
            return store.revision(c, env, revision);
        }));
    }

    /** The {@code delta} event leading to {@code revision} of {@code environment}, or null when there is none. */
    String deltaEvent(String environment, long revision) {
        Delta delta = deltas.get(environment);
        return delta != null && delta.revision() == revision ? delta.event() : null;
    }

    /**
     * Loads the current revision of {@code environment}; when the one it replaces is the revision before, also the
     * {@code delta} event between the two (computed once here, not per stream).
     */
    private Served load(String environment) {
        Served previous = entries.get(environment);
        Served fresh = served(store.db().read(c -> store.current(c, environment)));
        if (previous != null && previous.revision() == fresh.revision() - 1) {
            String data = SnapshotDeltas.data(previous.body(), previous.revision(), fresh.body(), fresh.revision());
            if (data != null) {
                String event = "id: " + fresh.revision() + "\nevent: delta\ndata: " + data + "\n\n";
                deltas.merge(
                        environment,
                        new Delta(fresh.revision(), event),
                        (old, now) -> old.revision() >= now.revision() ? old : now);
            }
        }
        return entries.merge(environment, fresh, (old, now) -> old.revision() >= now.revision() ? old : now);
    }

    private Served served(LogicStore.Revision stored) {
        byte[] body = stored.document().getBytes(StandardCharsets.UTF_8);
        return new Served(
                stored.revision(),
                body,
                Call.gzip(body),
                etag(stored.revision(), body),
                signer == null ? null : signer.sign(body));
    }

    /** The admin API's ETag of a revision or schema version: {@code "7"}. */
    static String etag(long revision) {
        return "\"" + revision + "\"";
    }

    /**
     * The snapshot endpoint's ETag, as {@code docs/protocol.md} recommends: the revision and the first 16 hex digits of
     * the SHA-256 of the bytes, {@code "7-9f86d081884c7d65"}, so that it changes with the bytes even across databases.
     */
    static String etag(long revision, byte[] body) {
        try {
            byte[] digest = java.security.MessageDigest.getInstance("SHA-256").digest(body);
            return "\"" + revision + "-" + java.util.HexFormat.of().formatHex(digest, 0, 8) + "\"";
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The current revision of {@code environment}, or 0 when it has none yet. */
    long revisionOrZero(String environment) {
        Served served = entries.get(environment);
        if (served != null) {
            return served.revision();
        }
        try {
            return load(environment).revision();
        } catch (ApiException e) {
            if (e.status() == 404) {
                return 0;
            }
            throw e;
        }
    }
}
