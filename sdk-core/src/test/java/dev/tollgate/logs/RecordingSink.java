package dev.tollgate.logs;

import dev.tollgate.spi.LogBatch;
import dev.tollgate.spi.LogSink;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;

/** A sink that keeps every batch it accepts; public for the tests of other packages. */
public class RecordingSink implements LogSink {
    public final List<LogBatch> batches = new CopyOnWriteArrayList<>();
    public volatile boolean closed;

    @Override
    public CompletionStage<Void> send(LogBatch batch) {
        batches.add(batch);
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public void close() {
        closed = true;
    }

    /** How many evaluations of {@code field} ended in {@code outcome}, over every batch. */
    public long count(String field, String outcome) {
        return batches.stream()
                .flatMap(b -> b.evaluations().stream())
                .filter(c -> c.field().equals(field) && c.outcome().equals(outcome))
                .mapToLong(LogBatch.EvaluationCount::count)
                .sum();
    }

    /** Counts of {@code field} by outcome, over every batch. */
    java.util.Map<String, Long> counts(String field) {
        return batches.stream()
                .flatMap(b -> b.evaluations().stream())
                .filter(c -> c.field().equals(field))
                .collect(java.util.stream.Collectors.groupingBy(
                        LogBatch.EvaluationCount::outcome,
                        java.util.stream.Collectors.summingLong(LogBatch.EvaluationCount::count)));
    }

    List<LogBatch.Exposure> exposures() {
        return batches.stream().flatMap(b -> b.exposures().stream()).toList();
    }
}
