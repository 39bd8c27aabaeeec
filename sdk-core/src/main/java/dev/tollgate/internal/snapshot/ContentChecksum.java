package dev.tollgate.internal.snapshot;

import java.util.zip.CRC32;
import java.util.zip.CRC32C;

/**
 * What tells a snapshot's bytes from other bytes cheaply: their length, CRC-32 and CRC-32C, which the CPU computes
 * (both are intrinsics, in the interpreter too), for a file polled for changes or a document compared with the one
 * installed under the same revision. Two different documents of one length share both CRCs with a probability of about
 * 2^-64: enough to notice a change, not to resist one crafted to hide (signatures do that). A SHA-256 of the same bytes
 * took a quarter of a client's cold start from a 1.3 MB snapshot file, run by the interpreter.
 */
public record ContentChecksum(int length, int crc32, int crc32c) {
    /** The checksum of {@code bytes}. */
    public static ContentChecksum of(byte[] bytes) {
        CRC32 crc32 = new CRC32();
        crc32.update(bytes);
        CRC32C crc32c = new CRC32C();
        crc32c.update(bytes);
        return new ContentChecksum(bytes.length, (int) crc32.getValue(), (int) crc32c.getValue());
    }

    /*
     * equals and hashCode are written out: a record's own are linked by an invokedynamic bootstrap
     * (java.lang.runtime.ObjectMethods) on first use, several milliseconds of a cold start, where a file source
     * compares its first checksum.
     */

    @Override
    public boolean equals(Object o) {
        return o instanceof ContentChecksum other
                && length == other.length
                && crc32 == other.crc32
                && crc32c == other.crc32c;
    }

    @Override
    public int hashCode() {
        return (31 * length + crc32) * 31 + crc32c;
    }
}
