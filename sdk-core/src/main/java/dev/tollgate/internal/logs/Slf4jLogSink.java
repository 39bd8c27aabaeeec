package dev.tollgate.internal.logs;

import dev.tollgate.spi.LogBatch;
import dev.tollgate.spi.LogSink;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Writes each batch to SLF4J, for local development: one INFO line per batch, exposures and messages at DEBUG. */
public final class Slf4jLogSink implements LogSink {
    private static final Logger LOG = LoggerFactory.getLogger("dev.tollgate.logs");

    private static final int SHOWN_COUNTS = 8;

    @Override
    public CompletionStage<Void> send(LogBatch batch) {
        if (LOG.isInfoEnabled()) {
            LOG.info("Tollgate evaluations: {}", summary(batch));
        }
        if (LOG.isDebugEnabled()) {
            batch.exposures()
                    .forEach(e -> LOG.debug("exposure {} {} {} unit={}", e.field(), e.rule(), e.arm(), e.unit()));
            batch.messages().forEach(m -> LOG.debug("message {} x{}: {}", m.level(), m.count(), m.message()));
        }
        return CompletableFuture.completedFuture(null);
    }

    /** For example {@code entitlements.maxTeamSize rule:pro x3, ...; 1 exposure; 2 messages}. */
    static String summary(LogBatch batch) {
        StringBuilder text = new StringBuilder();
        List<LogBatch.EvaluationCount> counts = batch.evaluations();
        for (int i = 0; i < Math.min(counts.size(), SHOWN_COUNTS); i++) {
            LogBatch.EvaluationCount count = counts.get(i);
            text.append(i == 0 ? "" : ", ").append(count.field()).append(' ').append(count.outcome());
            text.append(" x").append(count.count());
        }
        if (counts.size() > SHOWN_COUNTS) {
            text.append(" and ").append(counts.size() - SHOWN_COUNTS).append(" more");
        }
        if (counts.isEmpty()) {
            text.append("none");
        }
        plural(text, batch.exposures().size(), "exposure");
        plural(text, batch.messages().size(), "message");
        if (batch.droppedAny()) {
            text.append("; dropped ").append(batch.droppedEvaluations()).append(" evaluations, ");
            text.append(batch.droppedExposures())
                    .append(" exposures, ")
                    .append(batch.droppedMessages())
                    .append(" messages");
        }
        return text.toString();
    }

    private static void plural(StringBuilder text, int count, String noun) {
        if (count > 0) {
            text.append("; ").append(count).append(' ').append(noun).append(count == 1 ? "" : "s");
        }
    }

    @Override
    public String toString() {
        return "Slf4jLogSink";
    }
}
