package dev.tollgate.internal.source;

/**
 * Where a {@link ServerSnapshotSource} hands the {@code delta} events of its stream: the client's side of its source
 * context, beside {@code SourceContext.deliver}. Internal: a delta is the server protocol's business, not the SPI's.
 */
public interface DeltaTarget {
    /**
     * Whether the client can take deltas: not when it verifies signatures, since a delta carries none (such a client
     * does not ask for them, and fetches every revision whole).
     */
    boolean acceptsDeltas();

    /**
     * Applies a delta event's data to the installed snapshot and installs the result; false, having installed nothing,
     * when it cannot be applied exactly (a gap, a mismatch, a malformed delta), and the source then fetches the whole
     * snapshot. Never throws.
     */
    boolean applyDelta(byte[] delta);
}
