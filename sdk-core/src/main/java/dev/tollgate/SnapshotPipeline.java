package dev.tollgate;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.internal.eval.CompiledSnapshot;
import dev.tollgate.internal.eval.SnapshotCompiler;
import dev.tollgate.internal.eval.SnapshotDelta;
import dev.tollgate.internal.logs.LogHooks;
import dev.tollgate.internal.schema.SchemaModel;
import dev.tollgate.internal.snapshot.ContentChecksum;
import dev.tollgate.internal.snapshot.FieldFingerprints;
import dev.tollgate.internal.snapshot.LastKnownGoodStore;
import dev.tollgate.internal.snapshot.OverrideEntries;
import dev.tollgate.internal.snapshot.SignatureVerifier;
import dev.tollgate.internal.snapshot.SnapshotJson;
import java.io.IOException;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.LongAdder;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one way a snapshot gets installed, whatever its source: verify the signature (when the client has a key), parse,
 * validate and compile against the schema, install if newer, persist as last-known-good, tell the listeners.
 *
 * <p>Concurrency: the installed snapshot lives in the volatile {@code current}, written only under this object's
 * monitor by {@link #install}, which also makes sure revisions only go up; readers ({@link TollgateClient#root}, sources
 * asking for the revision) read the field once and never lock. Verification, parsing and compilation run before the
 * monitor is taken, on the delivering thread, so a slow compile blocks no reader and no other delivery's checks. When
 * logging is on, {@link #install} attaches the evaluation counter slots of a snapshot under the monitor, only once it
 * knows the snapshot is newer and before the volatile write that publishes it, so that every reader of the snapshot sees
 * its slots and only installed snapshots register any.
 * Persisting runs after the monitor is released; the store serializes writes itself and never writes an older revision
 * over a newer one.
 */
final class SnapshotPipeline {
    private static final Logger LOG = LoggerFactory.getLogger(TollgateClient.class);
    private static final int MAX_PROBLEMS_IN_MESSAGE = 10;

    /** Where a snapshot came from, which decides how its success and failure are reported. */
    record Origin(String name, Kind kind, int liveIndex) {
        enum Kind {
            EMBEDDED,
            LAST_KNOWN_GOOD,
            LIVE,
            MANUAL
        }

        static Origin embedded(String resource) {
            return new Origin("embedded(" + resource + ")", Kind.EMBEDDED, -1);
        }

        static Origin lastKnownGood(String file) {
            return new Origin("last-known-good(" + file + ")", Kind.LAST_KNOWN_GOOD, -1);
        }

        static Origin live(String name, int index) {
            return new Origin(name, Kind.LIVE, index);
        }

        static Origin manual() {
            return new Origin("manual", Kind.MANUAL, -1);
        }

        /** Embedded snapshots are in the artifact and last-known-good ones on disk already; the rest are saved. */
        boolean persisted() {
            return kind == Kind.LIVE || kind == Kind.MANUAL;
        }
    }

    /**
     * The installed snapshot with what is needed to compare the next one against it; {@code checksum} is null for one a
     * delta derived, whose exact bytes the client never saw.
     */
    record Installed(
            CompiledSnapshot snapshot,
            String source,
            ContentChecksum checksum,
            FieldFingerprints fingerprints,
            Instant at) {
        long revision() {
            return snapshot.revision();
        }
    }

    /** A verified, compiled snapshot, not yet installed. */
    private record Prepared(
            CompiledSnapshot snapshot,
            byte[] bytes,
            String signature,
            ContentChecksum checksum,
            FieldFingerprints fingerprints) {}

    private final SchemaModel schema;
    private final SnapshotLimits limits;
    private final SignatureVerifier verifier;
    private final LastKnownGoodStore store;
    private final StatusTracker tracker;
    private final EventDispatch events;
    private final LogHooks hooks;
    private final FieldFingerprints nothing;
    /** Loads by {@link LoadResult.Status} ordinal, from every origin, since the client was built. */
    private final LongAdder[] loads = new LongAdder[LoadResult.Status.values().length];

    private volatile Installed current;
    /** The last unexpected load failure logged with its trace; a race at worst logs one twice. */
    private volatile String loggedUnexpected;
    // Guarded by the install monitor:
    private String warnedForeignHash;
    private long warnedSameRevision;
    private long loggedOlderRevision;

    SnapshotPipeline(
            SchemaModel schema,
            SnapshotLimits limits,
            SignatureVerifier verifier,
            LastKnownGoodStore store,
            StatusTracker tracker,
            EventDispatch events,
            LogHooks hooks) {
        this.schema = schema;
        this.limits = limits;
        this.verifier = verifier;
        this.store = store;
        this.tracker = tracker;
        this.events = events;
        this.hooks = hooks;
        this.nothing = FieldFingerprints.none(schema);
        Arrays.setAll(loads, i -> new LongAdder());
    }

    /** The installed snapshot, or {@code null}. */
    CompiledSnapshot snapshot() {
        Installed installed = current;
        return installed == null ? null : installed.snapshot();
    }

    long revision() {
        Installed installed = current;
        return installed == null ? 0 : installed.revision();
    }

    boolean verifiesSignatures() {
        return verifier != null;
    }

    /**
     * Loads a snapshot and reports the outcome to the status.
     *
     * @throws InvalidSnapshotException if it is rejected; the installed snapshot stays
     */
    LoadResult load(byte[] bytes, String signature, Origin origin) {
        LoadResult result;
        try {
            result = loadUncounted(bytes, signature, origin);
        } catch (Throwable e) {
            rejectedBeforeLoad();
            throw e;
        }
        loads[result.status().ordinal()].increment();
        return result;
    }

    /**
     * Counts a snapshot refused before it reached {@link #load}: by a source (too large, a bad signature header) or while
     * {@code loadSnapshot} read it (too large), so that every refusal is a rejected load.
     */
    void rejectedBeforeLoad() {
        loads[LoadResult.Status.REJECTED.ordinal()].increment();
    }

    /** Loads since the client was built that ended in {@code status}, from every origin. */
    long loads(LoadResult.Status status) {
        return loads[status.ordinal()].sum();
    }

    /** When the installed snapshot was installed, if any is. */
    Optional<Instant> installedAt() {
        Installed installed = current;
        return installed == null ? Optional.empty() : Optional.of(installed.at());
    }

    private LoadResult loadUncounted(byte[] bytes, String signature, Origin origin) {
        Prepared prepared = prepare(bytes, signature, origin);
        LoadResult result = install(prepared, origin);
        if (result.installed() && origin.persisted()) {
            persist(prepared, origin);
        }
        switch (origin.kind()) {
            case LIVE -> {
                if (result.status() == LoadResult.Status.OLDER_IGNORED) {
                    olderFromLiveSource(result, origin);
                } else {
                    confirmed(origin);
                }
            }
            case MANUAL -> tracker.loadedByHand(origin.name());
            default -> {}
        }
        return result;
    }

    /**
     * A live source offered a revision older than the installed one: a lagging replica, a restored backup. Revisions
     * only go up, so the source does not know the installed snapshot and cannot confirm it. This is a failed attempt of
     * that source (not a rejected snapshot: the snapshot is valid, just behind): it neither makes the client VALID nor
     * completes readiness nor refreshes the last-known-good copy's age. The client is STALE if no live source ever
     * confirmed anything (it serves an embedded or last-known-good snapshot nobody vouches for), INTERRUPTED if one
     * did before, and VALID only if another live source is healthy.
     */
    private void olderFromLiveSource(LoadResult result, Origin origin) {
        Installed installed = current;
        String from = installed == null ? "" : " (installed from " + installed.source() + ")";
        tracker.failed(
                origin.liveIndex(),
                error(
                        origin,
                        SourceError.Kind.OLDER_REVISION,
                        "the source serves revision " + result.revision() + ", older than the installed "
                                + result.previousRevision() + from + "; ignored until it catches up"));
    }

    /**
     * {@link #load} for sources: never throws, not even for a bug in the compiler or an {@link Error} such as a stack
     * overflow or an exhausted heap while loading a pathological snapshot. Such a failure is logged, reported as an
     * {@link SourceError.Kind#UNEXPECTED} rejection of its source, and returned as a rejection, so that the source keeps
     * its schedule and the status says what happened. It is not rethrown, not even a {@link VirtualMachineError}: the
     * allocation or the stack that failed is gone once the load is abandoned, and a source's caller (the client's
     * scheduler) could do nothing with it but lose it.
     */
    LoadResult deliver(byte[] bytes, String signature, Origin origin) {
        try {
            return load(bytes, signature, origin);
        } catch (InvalidSnapshotException e) {
            return LoadResult.rejected(revision(), e.getMessage());
        } catch (Throwable e) {
            String message = "loading the snapshot failed unexpectedly: " + e;
            String logged = origin.name() + ": " + e;
            if (logged.equals(loggedUnexpected)) {
                // A source retrying the same snapshot: the trace (up to 1,024 frames for a stack overflow) once is
                // enough; the status still reports every attempt.
                LOG.debug("Loading a snapshot from {} failed unexpectedly again: {}", origin.name(), e.toString());
            } else {
                loggedUnexpected = logged;
                LOG.error(
                        "Loading a snapshot from {} failed unexpectedly; keeping revision {}",
                        origin.name(),
                        revision(),
                        e);
            }
            tracker.rejected(origin.liveIndex(), error(origin, SourceError.Kind.UNEXPECTED, message));
            return LoadResult.rejected(revision(), message);
        }
    }

    /**
     * Applies a delta of the server's stream to the installed snapshot and installs the result, as a live source's
     * delivery; false, installing nothing, when it cannot be applied exactly (logged at info with the reason): the
     * source then fetches the whole snapshot. The result is not saved as last-known-good (there are no bytes to save):
     * the store keeps the revision it has until the next whole snapshot.
     *
     * <p>Concurrency: the delta is checked and applied against the snapshot installed when this starts, outside the
     * monitor; the install, under it, only happens if that snapshot is still the installed one.
     */
    boolean applyDelta(byte[] delta, Origin origin) {
        Installed base = current;
        if (base == null) {
            return false;
        }
        if (verifiesSignatures()) {
            // A delta carries no signature: a client that verifies them installs signed snapshots only, whatever
            // sends it a delta.
            LOG.info(
                    "Did not apply a delta from {}: this client verifies signatures and a delta carries none;"
                            + " fetching the whole snapshot",
                    origin.name());
            return false;
        }
        SnapshotDelta.Applied applied;
        try {
            applied = SnapshotDelta.apply(
                    base.snapshot(),
                    SnapshotDelta.parse(delta, limits),
                    limits,
                    hooks == null ? null : hooks.exposures());
        } catch (SnapshotDelta.Refused e) {
            LOG.info("Did not apply a delta from {}: {}; fetching the whole snapshot", origin.name(), e.getMessage());
            return false;
        } catch (Throwable e) {
            LOG.warn("Applying a delta from {} failed unexpectedly; fetching the whole snapshot", origin.name(), e);
            return false;
        }
        try {
            if (!installDelta(base, applied, origin)) {
                return false;
            }
        } catch (Throwable e) {
            LOG.warn("Installing a delta from {} failed unexpectedly; fetching the whole snapshot", origin.name(), e);
            return false;
        }
        loads[LoadResult.Status.INSTALLED.ordinal()].increment();
        confirmed(origin);
        return true;
    }

    private synchronized boolean installDelta(Installed base, SnapshotDelta.Applied applied, Origin origin) {
        if (current != base) {
            LOG.debug("A delta from {} lost to another install; fetching the whole snapshot", origin.name());
            return false;
        }
        CompiledSnapshot snapshot = applied.snapshot();
        if (hooks != null) {
            hooks.attachCounters(snapshot);
        }
        FieldFingerprints fingerprints = base.fingerprints().changed(applied.changedFields());
        Installed next = new Installed(snapshot, origin.name(), null, fingerprints, Instant.now());
        LOG.debug(
                "Revision {} from {} is a delta of revision {}: {} override rows set or removed",
                snapshot.revision(),
                origin.name(),
                base.revision(),
                applied.changedRows());
        announce(base, next, schema.hash().equals(snapshot.schemaHash()), origin);
        return true;
    }

    /** A live source confirmed it has nothing newer. */
    void confirmed(Origin origin) {
        tracker.delivered(origin.liveIndex(), origin.name());
        if (store != null) {
            try {
                store.confirmed(revision(), Instant.now());
            } catch (IOException e) {
                tracker.warning(storeError("cannot refresh the age of " + store.file() + ": " + e));
            }
        }
    }

    private Prepared prepare(byte[] bytes, String signature, Origin origin) {
        if (verifier != null) {
            String problem = verifier.problem(bytes, signature);
            if (problem != null) {
                InvalidSnapshotException e = new InvalidSnapshotException(List.of(new SnapshotProblem("", problem)));
                throw reject(origin, SourceError.Kind.BAD_SIGNATURE, e, null);
            }
        }
        JsonNode document = null;
        CompiledSnapshot compiled;
        try {
            document = SnapshotJson.parseSnapshot(bytes, limits);
            compiled = SnapshotCompiler.compile(schema, limits, document, hooks == null ? null : hooks.exposures());
        } catch (InvalidSnapshotException e) {
            throw reject(origin, SourceError.Kind.INVALID_SNAPSHOT, e, document);
        } catch (OverrideEntries.RepeatedName e) {
            // Invalid JSON to Tollgate, reported as the parser reports any repeated name.
            throw reject(origin, SourceError.Kind.INVALID_SNAPSHOT, SnapshotJson.strictError(bytes, limits), null);
        }
        if (!schema.hash().equals(compiled.schemaHash())) {
            tracker.schemaMismatch();
        }
        // Revisions only go up, so a snapshot that is not newer now never will be: skip its fingerprints.
        FieldFingerprints fingerprints =
                compiled.revision() > revision() ? FieldFingerprints.of(schema, document, compiled) : null;
        return new Prepared(compiled, bytes, signature, ContentChecksum.of(bytes), fingerprints);
    }

    private InvalidSnapshotException reject(
            Origin origin, SourceError.Kind kind, InvalidSnapshotException e, JsonNode document) {
        JsonNode revisionNode = document == null ? null : document.get("revision");
        JsonNode hashNode = document == null ? null : document.get("schemaHash");
        String declaredHash = hashNode != null && hashNode.isTextual() ? hashNode.textValue() : null;
        StringBuilder message = new StringBuilder("rejected a snapshot");
        if (revisionNode != null && revisionNode.canConvertToLong()) {
            message.append(" with revision ").append(revisionNode.longValue());
        }
        message.append(", keeping revision ").append(revision());
        if (declaredHash != null && !declaredHash.equals(schema.hash())) {
            tracker.schemaMismatch();
            message.append(": it was written against schema ")
                    .append(declaredHash)
                    .append(", not this client's ")
                    .append(schema.hash())
                    .append(", and differs where this client reads it");
        }
        message.append(": ").append(problems(e));
        tracker.rejected(origin.liveIndex(), error(origin, kind, message.toString()));
        return e;
    }

    private static String problems(InvalidSnapshotException e) {
        List<SnapshotProblem> problems = e.problems();
        String shown = problems.stream()
                .limit(MAX_PROBLEMS_IN_MESSAGE)
                .map(SnapshotProblem::toString)
                .collect(Collectors.joining("; "));
        int hidden = problems.size() - MAX_PROBLEMS_IN_MESSAGE;
        return hidden > 0 ? shown + "; and " + hidden + " more" : shown;
    }

    private synchronized LoadResult install(Prepared prepared, Origin origin) {
        Installed previous = current;
        long previousRevision = previous == null ? 0 : previous.revision();
        CompiledSnapshot snapshot = prepared.snapshot();
        boolean hashMatches = schema.hash().equals(snapshot.schemaHash());
        LoadResult.Status status;
        if (snapshot.revision() > previousRevision) {
            if (hooks != null) {
                hooks.attachCounters(snapshot);
            }
            Installed next =
                    new Installed(snapshot, origin.name(), prepared.checksum(), prepared.fingerprints(), Instant.now());
            status = LoadResult.Status.INSTALLED;
            announce(previous, next, hashMatches, origin);
        } else if (snapshot.revision() == previousRevision) {
            status = LoadResult.Status.UNCHANGED;
            if (previous.checksum() != null && !prepared.checksum().equals(previous.checksum())) {
                sameRevisionDiffers(previous, origin);
            }
        } else {
            status = LoadResult.Status.OLDER_IGNORED;
            // A live source's older revision is reported through the status (and logged there) by load().
            if (origin.kind() != Origin.Kind.LIVE && loggedOlderRevision != snapshot.revision()) {
                loggedOlderRevision = snapshot.revision();
                LOG.info(
                        "Ignored snapshot revision {} from {}: revision {} is installed and the client never goes"
                                + " back",
                        snapshot.revision(),
                        origin.name(),
                        previousRevision);
            }
        }
        return new LoadResult(status, snapshot.revision(), previousRevision, snapshot.schemaHash(), hashMatches, null);
    }

    /**
     * Publishes an install, logs, reports and notifies it; runs under the install monitor so that events keep revision
     * order. The snapshot is published inside the tracker's step that reports it, so that {@link
     * TollgateClient#revision()} and {@link TollgateClient#status()} never disagree: a status read after the revision
     * moved waits for that step, and a status that reports the revision comes after the write that publishes it.
     */
    private void announce(Installed previous, Installed next, boolean hashMatches, Origin origin) {
        long previousRevision = previous == null ? 0 : previous.revision();
        List<String> changed = next.fingerprints().changedSince(previous == null ? nothing : previous.fingerprints());
        LOG.info(
                "Installed snapshot revision {} from {} (previous {}, {} override rows, {} field paths changed)",
                next.revision(),
                next.source(),
                previousRevision,
                next.snapshot().overrideRows(),
                changed.size());
        if (!hashMatches && !next.snapshot().schemaHash().equals(warnedForeignHash)) {
            warnedForeignHash = next.snapshot().schemaHash();
            LOG.warn(
                    "Snapshot revision {} from {} was written against schema {}, not this client's {}; every field it"
                            + " sets exists here with a compatible type, so it is installed",
                    next.revision(),
                    next.source(),
                    next.snapshot().schemaHash(),
                    schema.hash());
        }
        tracker.installed(next.revision(), next.source(), hashMatches, origin.liveIndex(), () -> current = next);
        events.snapshotChanged(new SnapshotChange(previousRevision, next.revision(), next.source(), changed));
    }

    private void sameRevisionDiffers(Installed installed, Origin origin) {
        if (warnedSameRevision == installed.revision()) {
            return;
        }
        warnedSameRevision = installed.revision();
        tracker.warning(error(
                origin,
                SourceError.Kind.INVALID_SNAPSHOT,
                "ignored a snapshot with the installed revision " + installed.revision()
                        + " but different content (installed from " + installed.source()
                        + "); raise the revision to publish a change"));
    }

    private void persist(Prepared prepared, Origin origin) {
        if (store == null) {
            return;
        }
        try {
            store.save(
                    prepared.bytes(),
                    prepared.signature(),
                    prepared.snapshot().revision(),
                    prepared.snapshot().schemaHash(),
                    origin.name(),
                    Instant.now());
        } catch (IOException | RuntimeException e) {
            tracker.warning(storeError(
                    "cannot save revision " + prepared.snapshot().revision() + " to " + store.file() + ": " + e));
        }
    }

    private SourceError storeError(String message) {
        return SourceError.of(
                Instant.now(), "last-known-good(" + store.file() + ")", SourceError.Kind.STORAGE, message);
    }

    private static SourceError error(Origin origin, SourceError.Kind kind, String message) {
        return SourceError.of(Instant.now(), origin.name(), kind, message);
    }
}
