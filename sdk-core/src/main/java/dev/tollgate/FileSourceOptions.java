package dev.tollgate;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * A snapshot file to watch, for GitOps and local development: every change is picked up within {@link #pollInterval()},
 * whether the file is rewritten in place or replaced by a rename (as editors and {@code kubectl} config maps do).
 * Writing a temporary file and renaming it over the snapshot is the safe way to update it; a half-written file is
 * rejected and the next complete version is picked up.
 *
 * <p>When the client has a public key, the detached signature is read from {@link #signatureFile()}.
 */
public final class FileSourceOptions {
    private final Path file;
    private final Path signatureFile;
    private final Duration pollInterval;

    private FileSourceOptions(Builder b) {
        file = b.file;
        signatureFile = b.signatureFile != null ? b.signatureFile : defaultSignatureFile(b.file);
        pollInterval = b.pollInterval;
    }

    /** Options for {@code file} with the defaults. */
    public static FileSourceOptions of(Path file) {
        return builder(file).build();
    }

    public static Builder builder(Path file) {
        return new Builder(file);
    }

    public Builder toBuilder() {
        return new Builder(file).signatureFile(signatureFile).pollInterval(pollInterval);
    }

    public Path file() {
        return file;
    }

    /** The detached Ed25519 signature: base64 text. Default: the snapshot file's name plus {@code .sig}. */
    public Path signatureFile() {
        return signatureFile;
    }

    /** How often the file's size, modification time and identity are checked; two {@code stat} calls each time. Default 100 milliseconds. */
    public Duration pollInterval() {
        return pollInterval;
    }

    static Path defaultSignatureFile(Path file) {
        return file.resolveSibling(file.getFileName() + ".sig");
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FileSourceOptions f
                && file.equals(f.file)
                && signatureFile.equals(f.signatureFile)
                && pollInterval.equals(f.pollInterval);
    }

    @Override
    public int hashCode() {
        return Objects.hash(file, signatureFile, pollInterval);
    }

    @Override
    public String toString() {
        return "FileSourceOptions[" + file + ", signature " + signatureFile + ", poll every " + pollInterval + "]";
    }

    /** Builds {@link FileSourceOptions}. */
    public static final class Builder {
        private final Path file;
        private Path signatureFile;
        private Duration pollInterval = Duration.ofMillis(100);

        private Builder(Path file) {
            this.file = Objects.requireNonNull(file, "file");
            if (file.getFileName() == null) {
                throw new IllegalArgumentException("not a file path: " + file);
            }
        }

        public Builder signatureFile(Path signatureFile) {
            this.signatureFile = Objects.requireNonNull(signatureFile, "signatureFile");
            return this;
        }

        public Builder pollInterval(Duration pollInterval) {
            Objects.requireNonNull(pollInterval, "pollInterval");
            if (pollInterval.isNegative() || pollInterval.isZero()) {
                throw new IllegalArgumentException("pollInterval must be positive, was " + pollInterval);
            }
            this.pollInterval = pollInterval;
            return this;
        }

        public FileSourceOptions build() {
            return new FileSourceOptions(this);
        }
    }
}
