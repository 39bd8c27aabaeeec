package dev.tollgate.internal.logs;

import dev.tollgate.spi.LogBatch;
import dev.tollgate.spi.LogSink;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Writes each batch to SLF4J, for local development: one INFO line per batch, one DEBUG line per record. */
public final class Slf4jLogSink implements LogSink {
    private static final Logger LOG = LoggerFactory.getLogger("dev.tollgate.logs");

    @Override
    public CompletionStage<Void> send(LogBatch batch) {
        if (LOG.isInfoEnabled()) {
            long evaluations = batch.evaluations().stream()
                    .mapToLong(LogBatch.EvaluationCount::count)
                    .sum();
            LOG.info(
                    "Tollgate logs: {} evaluations in {} counters, {} exposures, {} messages, dropped {}",
                    evaluations,
                    batch.evaluations().size(),
                    batch.exposures().size(),
                    batch.messages().size(),
                    batch.dropped());
        }
        if (LOG.isDebugEnabled()) {
            batch.evaluations().forEach(c -> LOG.debug("evaluation {} {} x{}", c.field(), c.outcome(), c.count()));
            batch.exposures()
                    .forEach(e -> LOG.debug("exposure {} {} {} unit={}", e.field(), e.rule(), e.arm(), e.unit()));
            batch.messages().forEach(m -> LOG.debug("message {} x{}: {}", m.level(), m.count(), m.message()));
        }
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public String toString() {
        return "Slf4jLogSink";
    }
}
