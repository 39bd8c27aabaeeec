package dev.tollgate.internal.snapshot;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Arrays;

/**
 * The last-known-good copy of a client's snapshot on local disk, so that a restart while the server is down serves the
 * last good logic instead of fallbacks.
 *
 * <p>One file per server and environment, written atomically: a temporary file in the same directory, {@code fsync},
 * then a rename over the old copy, then an {@code fsync} of the directory. The file is a line {@code
 * tollgate-last-known-good 1}, a line of JSON metadata (revision, schema hash, source, save time, length, the SHA-256
 * of the snapshot and its signature, if any), then the snapshot's exact bytes. Loading checks the checksum and the age;
 * the client then verifies the signature and re-validates the snapshot like any other.
 *
 * <p>The age is measured from the file's modification time, which the client moves forward (when it is over a minute
 * old) each time a live source confirms the stored revision is still current: a snapshot nobody changed for weeks is not stale.
 *
 * <p>Thread-safety: {@link #save} and {@link #confirmed} serialize on the store; {@link #load} is called once, before
 * any source starts.
 */
public final class LastKnownGoodStore {
    private static final String MAGIC = "tollgate-last-known-good 1";
    private static final int MAX_HEADER_BYTES = 64 * 1024;
    private static final Duration TOUCH_INTERVAL = Duration.ofMinutes(1);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path directory;
    private final Path file;
    private final Duration maxAge;
    private final int maxSnapshotBytes;
    private long storedRevision;

    /** A store in {@code directory} for the snapshots of {@code key} (for example a server URL and environment). */
    public LastKnownGoodStore(Path directory, String key, Duration maxAge, int maxSnapshotBytes) {
        this.directory = directory;
        this.file = directory.resolve(
                "snapshot-" + Sha256.hex(key.getBytes(StandardCharsets.UTF_8)).substring(0, 16) + ".tollgate");
        this.maxAge = maxAge;
        this.maxSnapshotBytes = maxSnapshotBytes;
    }

    public Path file() {
        return file;
    }

    /** A stored snapshot that passed the checksum and age checks. */
    public record Stored(
            byte[] snapshot, String signature, long revision, String source, Instant savedAt, Duration age) {}

    /** What loading found: a usable snapshot, or why there is none. */
    public record Loaded(Status status, Stored stored, String problem) {
        /** Whether there is a usable copy, and if not, why. */
        public enum Status {
            FOUND,
            MISSING,
            TOO_OLD,
            DAMAGED
        }

        static Loaded found(Stored stored) {
            return new Loaded(Status.FOUND, stored, null);
        }

        static Loaded skipped(Status status, String problem) {
            return new Loaded(status, null, problem);
        }
    }

    /** Reads the stored snapshot, at {@code now}. */
    public synchronized Loaded load(Instant now) {
        byte[] content;
        FileTime modified;
        try {
            modified = Files.getLastModifiedTime(file);
            content = readBounded();
        } catch (NoSuchFileException e) {
            return Loaded.skipped(Loaded.Status.MISSING, "there is no " + file);
        } catch (IOException e) {
            return Loaded.skipped(Loaded.Status.DAMAGED, "cannot read " + file + ": " + e);
        }
        if (content == null) {
            return Loaded.skipped(Loaded.Status.DAMAGED, file + " is larger than the snapshot limit allows");
        }
        return parse(content, Duration.between(modified.toInstant(), now));
    }

    private byte[] readBounded() throws IOException {
        int limit = maxSnapshotBytes + MAX_HEADER_BYTES;
        try (InputStream in = Files.newInputStream(file)) {
            byte[] bytes = in.readNBytes(limit);
            return bytes.length == limit && in.read() != -1 ? null : bytes;
        }
    }

    private Loaded parse(byte[] content, Duration age) {
        int magicEnd = indexOf(content, 0);
        if (magicEnd < 0 || !MAGIC.equals(new String(content, 0, magicEnd, StandardCharsets.US_ASCII))) {
            return Loaded.skipped(Loaded.Status.DAMAGED, file + unrecognized(content, magicEnd));
        }
        int headerEnd = indexOf(content, magicEnd + 1);
        if (headerEnd < 0) {
            return Loaded.skipped(
                    Loaded.Status.DAMAGED,
                    content.length - magicEnd - 1 < MAX_HEADER_BYTES
                            ? file + " is truncated inside its header (" + content.length + " bytes)"
                            : file + " has a damaged header: no end of line within " + MAX_HEADER_BYTES + " bytes");
        }
        JsonNode header;
        try {
            header = JSON.readTree(Arrays.copyOfRange(content, magicEnd + 1, headerEnd));
        } catch (IOException e) {
            return Loaded.skipped(Loaded.Status.DAMAGED, file + " has a damaged header: " + e.getMessage());
        }
        byte[] snapshot = Arrays.copyOfRange(content, headerEnd + 1, content.length);
        if (header == null
                || header.path("length").asLong(-1) != snapshot.length
                || !Sha256.hex(snapshot).equals(header.path("sha256").asText())) {
            return Loaded.skipped(Loaded.Status.DAMAGED, file + " fails its checksum: it was truncated or modified");
        }
        long revision = header.path("revision").asLong();
        if (age.compareTo(maxAge) > 0) {
            return Loaded.skipped(
                    Loaded.Status.TOO_OLD,
                    "revision " + revision + " in " + file + " was last confirmed " + human(age)
                            + " ago, longer than the maximum age of " + human(maxAge));
        }
        Instant savedAt;
        try {
            savedAt = Instant.parse(header.path("savedAt").asText());
        } catch (DateTimeParseException e) {
            return Loaded.skipped(Loaded.Status.DAMAGED, file + " has a damaged save time");
        }
        JsonNode signature = header.get("signature");
        return Loaded.found(new Stored(
                snapshot,
                signature == null || signature.isNull() ? null : signature.asText(),
                revision,
                header.path("source").asText(),
                savedAt,
                age));
    }

    /**
     * Why a file whose first line is not the magic line was refused: a file cut short while it was written (the start
     * of the magic line, with no end of line) is damaged, anything else is some other file.
     */
    private static String unrecognized(byte[] content, int magicEnd) {
        boolean cutShort = magicEnd < 0
                && content.length < MAGIC.length() + 1
                && MAGIC.startsWith(new String(content, StandardCharsets.US_ASCII));
        return cutShort
                ? " is truncated inside its first line (" + content.length + " bytes)"
                : " is not a Tollgate last-known-good file";
    }

    private static int indexOf(byte[] content, int from) {
        int end = Math.min(content.length, from + MAX_HEADER_BYTES);
        for (int i = from; i < end; i++) {
            if (content[i] == '\n') {
                return i;
            }
        }
        return -1;
    }

    /**
     * The client accepted the stored snapshot (its signature and content are valid): from now on only newer revisions
     * replace it. A stored snapshot the client rejects is overwritten by the next one saved.
     */
    public synchronized void accepted(long revision) {
        storedRevision = Math.max(storedRevision, revision);
    }

    /**
     * Stores {@code snapshot} unless a copy of the same or a newer revision is stored already.
     *
     * @return whether it was written
     */
    public synchronized boolean save(
            byte[] snapshot, String signature, long revision, String schemaHash, String source, Instant now)
            throws IOException {
        if (revision <= storedRevision) {
            return false;
        }
        ObjectNode header = JSON.createObjectNode()
                .put("revision", revision)
                .put("schemaHash", schemaHash)
                .put("source", source)
                .put("savedAt", now.toString())
                .put("length", snapshot.length)
                .put("sha256", Sha256.hex(snapshot));
        if (signature != null) {
            header.put("signature", signature.strip());
        }
        byte[] head = (MAGIC + "\n" + JSON.writeValueAsString(header) + "\n").getBytes(StandardCharsets.UTF_8);
        writeAtomically(head, snapshot);
        storedRevision = revision;
        return true;
    }

    private void writeAtomically(byte[] head, byte[] snapshot) throws IOException {
        Files.createDirectories(directory);
        Path temporary = Files.createTempFile(directory, ".tollgate-", ".tmp");
        boolean moved = false;
        try {
            try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.WRITE)) {
                writeFully(channel, ByteBuffer.wrap(head));
                writeFully(channel, ByteBuffer.wrap(snapshot));
                channel.force(true);
            }
            try {
                Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                throw new IOException("cannot replace " + file + " atomically on this file system", e);
            }
            moved = true;
            syncDirectory();
        } finally {
            if (!moved) {
                Files.deleteIfExists(temporary);
            }
        }
    }

    private static void writeFully(FileChannel channel, ByteBuffer buffer) throws IOException {
        while (buffer.hasRemaining()) {
            channel.write(buffer);
        }
    }

    /** Makes the rename durable; some platforms cannot open a directory, and there the rename is all we can do. */
    private void syncDirectory() {
        try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            // Not supported here (for example on Windows); the rename itself is still atomic.
        }
    }

    /**
     * A live source confirmed that {@code revision} is current: if the file holds that revision and its modification
     * time is more than a minute old, sets it to {@code now}. Costs one {@code stat} per confirmation.
     */
    public synchronized void confirmed(long revision, Instant now) throws IOException {
        if (revision != storedRevision) {
            return;
        }
        Instant modified = Files.getLastModifiedTime(file).toInstant();
        if (Duration.between(modified, now).compareTo(TOUCH_INTERVAL) >= 0) {
            Files.setLastModifiedTime(file, FileTime.from(now));
        }
    }

    static String human(Duration duration) {
        if (duration.toDays() >= 2) {
            return duration.toDays() + " days";
        }
        if (duration.toHours() >= 2) {
            return duration.toHours() + " hours";
        }
        if (duration.toMinutes() >= 2) {
            return duration.toMinutes() + " minutes";
        }
        return duration.toSeconds() + " seconds";
    }

    @Override
    public String toString() {
        return "LastKnownGoodStore[" + file + ", max age " + maxAge + "]";
    }
}
