package dev.tollgate;

import dev.tollgate.internal.snapshot.SnapshotJson;
import dev.tollgate.internal.source.FileSnapshotSource;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Objects;

/**
 * A snapshot's bytes with its detached signature, if it has one, read from the classpath or a file: the signature is
 * the resource or file named like the snapshot plus {@code .sig}, holding base64 text.
 */
record SignedSnapshot(String name, byte[] bytes, String signature) {
    private static final int MAX_SIGNATURE_BYTES = 4 * 1024;

    /**
     * Reads a classpath resource with {@code loader}, or, when it is null, the thread's context class loader, then
     * this class's loader.
     *
     * @throws IllegalArgumentException if there is no such resource
     */
    static SignedSnapshot fromResource(String name, ClassLoader loader, SnapshotLimits limits) {
        Objects.requireNonNull(name, "name");
        try (InputStream in = openResource(name, loader)) {
            if (in == null) {
                throw new IllegalArgumentException("no classpath resource " + name);
            }
            byte[] bytes = SnapshotJson.readBounded(in, limits);
            try (InputStream signature = openResource(name + ".sig", loader)) {
                return new SignedSnapshot(name, bytes, signature == null ? null : signatureText(signature));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read snapshot resource " + name, e);
        }
    }

    /** Reads a file, and its signature file when {@code signed}. */
    static SignedSnapshot fromFile(Path file, SnapshotLimits limits, boolean signed) {
        try (InputStream in = Files.newInputStream(file)) {
            byte[] bytes = SnapshotJson.readBounded(in, limits);
            return new SignedSnapshot(
                    file.toString(), bytes, signed ? signatureFile(FileSnapshotSource.signatureFile(file)) : null);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read snapshot " + file, e);
        }
    }

    private static String signatureFile(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return signatureText(in);
        } catch (NoSuchFileException e) {
            return null;
        }
    }

    private static String signatureText(InputStream in) throws IOException {
        return new String(in.readNBytes(MAX_SIGNATURE_BYTES), StandardCharsets.US_ASCII).strip();
    }

    private static InputStream openResource(String name, ClassLoader loader) {
        if (loader != null) {
            return loader.getResourceAsStream(name);
        }
        ClassLoader context = Thread.currentThread().getContextClassLoader();
        InputStream in = context == null ? null : context.getResourceAsStream(name);
        return in != null ? in : TollgateClient.class.getClassLoader().getResourceAsStream(name);
    }
}
