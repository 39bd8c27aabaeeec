package dev.tollgate.spi;

import java.util.concurrent.CompletionStage;

/**
 * Where batches of evaluation logs go. The client calls {@link #send} from its background thread, one batch at a time,
 * and waits for the returned stage before sending the next; implementations must not block in {@code send}.
 *
 * <p>Complete the stage normally once the batch is accepted. Complete it exceptionally with a {@link LogSinkException}
 * saying whether a retry can help; the client retries retryable failures with backoff, reusing the batch (and its id),
 * and gives up after the configured attempts, counting what was lost.
 */
public interface LogSink extends AutoCloseable {

    CompletionStage<Void> send(LogBatch batch);

    /** Releases what the sink holds; called once, when the client closes, after the last batch. */
    @Override
    default void close() {}
}
