package dev.tollgate.spi;

/**
 * Delivers snapshots to one client. The client calls {@link #start(SourceContext)} once, from {@code build()}, and
 * {@link #close()} once it is closed; in between the source hands every snapshot it gets to {@link
 * SourceContext#deliver(byte[], String)} and says how its attempts went with the other context methods, which the
 * client turns into its {@link dev.tollgate.ClientStatus}.
 *
 * <p>A source that needs timers should use {@link SourceContext#schedule(Runnable, java.time.Duration)}, which runs
 * work on the client's one background thread and stops with the client. A source that starts threads, connections or
 * calls of its own must stop them all in {@link #close()}.
 *
 * <pre>{@code
 * final class S3Source implements SnapshotSource {
 *     public String name() { return "s3(bucket/key)"; }
 *     public void start(SourceContext context) { context.schedule(() -> poll(context), Duration.ZERO); }
 *     private void poll(SourceContext context) {
 *         try {
 *             context.deliver(download(), null);
 *         } catch (IOException e) {
 *             context.failed(SourceError.Kind.NETWORK, "cannot download: " + e.getMessage());
 *         }
 *         context.schedule(() -> poll(context), Duration.ofSeconds(30));
 *     }
 *     public void close() {}
 * }
 * }</pre>
 */
public interface SnapshotSource extends AutoCloseable {
    /**
     * A short name for logs and status, saying where snapshots come from, for example {@code file(/etc/snapshot.json)}.
     * Must not contain secrets.
     */
    String name();

    /** Starts delivering. Must not block for long: schedule slow work with {@link SourceContext#schedule}. */
    void start(SourceContext context);

    /** Stops every thread, call, connection and timer the source started. Idempotent; must not throw. */
    @Override
    void close();
}
