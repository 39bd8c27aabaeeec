package dev.tollgate.benchmarks.sdk;

import dev.tollgate.spi.LogBatch;
import dev.tollgate.spi.LogSink;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A log sink that accepts every batch at once and keeps only totals, so that "logging on" measures what logging costs
 * the request path (counting), not a network; the totals show that counting really happened.
 */
public final class DiscardingLogSink implements LogSink {
    private final AtomicLong batches = new AtomicLong();
    private final AtomicLong evaluations = new AtomicLong();

    @Override
    public CompletionStage<Void> send(LogBatch batch) {
        batches.incrementAndGet();
        long counted = 0;
        for (LogBatch.EvaluationCount count : batch.evaluations()) {
            counted += count.count();
        }
        evaluations.addAndGet(counted);
        return CompletableFuture.completedFuture(null);
    }

    public long batches() {
        return batches.get();
    }

    /** Evaluations reported so far, summed over all fields and outcomes. */
    public long evaluations() {
        return evaluations.get();
    }
}
