package dev.tollgate.internal.source;

import dev.tollgate.SourceError;
import dev.tollgate.internal.snapshot.ContentChecksum;
import dev.tollgate.spi.SnapshotSource;
import dev.tollgate.spi.SourceContext;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Future;

/**
 * Watches a snapshot file (and its detached signature) by checking their size, modification time and file identity
 * every poll interval. Polling the attributes costs two {@code stat} calls, behaves the same on every platform and file
 * system (unlike {@code WatchService}, which polls every few seconds on some), and sees a replace-by-rename because the
 * file identity changes. A file modified less than two seconds before it was read is read again at the next check, as
 * Git does for "racily clean" files, since a coarse timestamp cannot tell two quick writes apart; an unchanged digest
 * of the content means nothing is delivered.
 *
 * <p>Thread confinement: {@link #start} makes the first check on the building thread, before anything is scheduled;
 * every later check runs on the client's scheduler thread. Only {@code closed} and {@code next} are touched by {@link
 * #close()} from other threads, and both are volatile.
 */
public final class FileSnapshotSource implements SnapshotSource {
    private static final long RACY_WINDOW_MILLIS = 2_000;
    private static final int MAX_SIGNATURE_BYTES = 4 * 1024;

    private final Path file;
    private final Path signatureFile;
    private final Duration pollInterval;
    private final String name;

    private SourceContext context;
    private Stamp seen;
    private Stamp seenSignature;
    /** The bytes and signature last delivered; null when nothing was, or after a problem. */
    private ContentChecksum lastChecksum;

    private String lastSignature;
    private String reportedProblem;

    private volatile boolean closed;
    private volatile Future<?> next;

    /**
     * A source watching {@code file}, checked every {@code pollInterval}; the detached signature, when the client has a
     * public key, is read from {@link #signatureFile(Path)}.
     *
     * @throws IllegalArgumentException if {@code file} has no file name or the interval is not positive
     */
    public FileSnapshotSource(Path file, Duration pollInterval) {
        checkArguments(file, pollInterval);
        this.file = file;
        this.signatureFile = signatureFile(file);
        this.pollInterval = pollInterval;
        this.name = "file(" + file + ")";
    }

    /**
     * Checks the arguments of the constructor, for builders that create the source later.
     *
     * @throws IllegalArgumentException if {@code file} has no file name or the interval is not positive
     */
    public static void checkArguments(Path file, Duration pollInterval) {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(pollInterval, "pollInterval");
        if (file.getFileName() == null) {
            throw new IllegalArgumentException("not a file path: " + file);
        }
        if (pollInterval.isNegative() || pollInterval.isZero()) {
            throw new IllegalArgumentException("pollInterval must be positive, was " + pollInterval);
        }
    }

    /** Where a snapshot file's detached Ed25519 signature (base64 text) is read from: its name plus {@code .sig}. */
    public static Path signatureFile(Path file) {
        return file.resolveSibling(file.getFileName() + ".sig");
    }

    @Override
    public String name() {
        return name;
    }

    /** Reads the file once, synchronously, so that a client built with a file has its snapshot at once. */
    @Override
    public void start(SourceContext context) {
        this.context = Objects.requireNonNull(context, "context");
        check();
    }

    private void check() {
        if (closed) {
            return;
        }
        try {
            poll();
        } finally {
            if (!closed) {
                next = context.schedule(this::check, pollInterval);
            }
        }
    }

    private void poll() {
        Stamp stamp;
        Stamp signatureStamp;
        try {
            stamp = Stamp.of(file);
            signatureStamp = Stamp.of(signatureFile);
        } catch (IOException e) {
            problem(SourceError.Kind.STORAGE, "cannot read the attributes of " + file + ": " + e);
            return;
        }
        if (stamp == null) {
            seen = null;
            problem(SourceError.Kind.STORAGE, file + " does not exist");
            return;
        }
        if (unchanged(stamp, seen) && unchanged(signatureStamp, seenSignature)) {
            return;
        }
        read(stamp, signatureStamp);
    }

    private void read(Stamp stamp, Stamp signatureStamp) {
        byte[] bytes;
        String signature = null;
        try {
            bytes = readBounded(file, context.limits().maxBytes());
            if (signatureStamp != null) {
                byte[] text = readBounded(signatureFile, MAX_SIGNATURE_BYTES);
                signature = text == null ? "" : new String(text, StandardCharsets.US_ASCII).strip();
            }
        } catch (NoSuchFileException e) {
            return; // replaced between the check and the read: the next check sees the new file
        } catch (IOException e) {
            problem(SourceError.Kind.STORAGE, "cannot read " + file + ": " + e);
            return;
        }
        seen = stamp.readNow();
        seenSignature = signatureStamp == null ? null : signatureStamp.readNow();
        if (bytes == null) {
            lastChecksum = null;
            problem(
                    SourceError.Kind.INVALID_SNAPSHOT,
                    "snapshot is larger than the limit of " + context.limits().maxBytes() + " bytes");
            return;
        }
        deliverIfChanged(bytes, signature);
    }

    private void deliverIfChanged(byte[] bytes, String signature) {
        ContentChecksum current = ContentChecksum.of(bytes);
        if (current.equals(lastChecksum) && Objects.equals(signature, lastSignature)) {
            if (reportedProblem != null) {
                reportedProblem = null;
                context.upToDate();
            }
            return;
        }
        lastChecksum = current;
        lastSignature = signature;
        reportedProblem = null;
        context.deliver(bytes, signature);
    }

    /** Whether a file (or its absence) is as it was when last read, and that read cannot have missed a write. */
    private static boolean unchanged(Stamp now, Stamp before) {
        return now == null ? before == null : now.sameFile(before) && !before.racy();
    }

    /** Reports a problem once for as long as it lasts, not at every check. */
    private void problem(SourceError.Kind kind, String message) {
        if (!message.equals(reportedProblem)) {
            reportedProblem = message;
            context.failed(kind, message);
        }
    }

    /** The file's bytes, or {@code null} if it is longer than {@code limit}. */
    private static byte[] readBounded(Path path, int limit) throws IOException {
        try (InputStream in = Files.newInputStream(path)) {
            byte[] bytes = in.readNBytes(limit);
            return bytes.length == limit && in.read() != -1 ? null : bytes;
        }
    }

    @Override
    public void close() {
        closed = true;
        Future<?> pending = next;
        if (pending != null) {
            pending.cancel(false);
        }
    }

    @Override
    public String toString() {
        return name;
    }

    /** What identifies one version of a file without reading it, and when it was read. */
    private record Stamp(long modifiedMillis, long size, Object fileKey, long readAtMillis) {
        static Stamp of(Path path) throws IOException {
            try {
                BasicFileAttributes attributes = Files.readAttributes(path, BasicFileAttributes.class);
                return new Stamp(attributes.lastModifiedTime().toMillis(), attributes.size(), attributes.fileKey(), 0);
            } catch (NoSuchFileException e) {
                return null;
            }
        }

        Stamp readNow() {
            return new Stamp(modifiedMillis, size, fileKey, System.currentTimeMillis());
        }

        boolean sameFile(Stamp other) {
            return other != null
                    && modifiedMillis == other.modifiedMillis
                    && size == other.size
                    && Objects.equals(fileKey, other.fileKey);
        }

        /** Whether a write within the timestamp's granularity could have gone unnoticed since this was read. */
        boolean racy() {
            return readAtMillis - modifiedMillis < RACY_WINDOW_MILLIS;
        }
    }
}
