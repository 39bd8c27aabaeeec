package dev.tollgate.spi;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * One batch of evaluation logs, as handed to a {@link LogSink}. A batch that is retried keeps its {@link #batchId()},
 * so a receiver can deduplicate by it.
 *
 * @param batchId a random UUID; the idempotency key
 * @param schemaHash the client's schema hash
 * @param revision the snapshot revision installed when the batch was built, 0 for none
 * @param windowStart when the first record of the batch could have been made (the previous batch's end)
 * @param windowEnd when the batch was built
 * @param evaluations counts per field and outcome since the previous batch
 * @param exposures split exposures, deduplicated per unit and split within the configured window
 * @param messages the SDK's own warnings and errors, deduplicated with counts
 * @param dropped records lost since the previous batch because a buffer was full or the sink gave up
 */
public record LogBatch(
        String batchId,
        String schemaHash,
        long revision,
        Instant windowStart,
        Instant windowEnd,
        List<EvaluationCount> evaluations,
        List<Exposure> exposures,
        List<SdkMessage> messages,
        Dropped dropped) {

    public LogBatch {
        Objects.requireNonNull(batchId, "batchId");
        evaluations = List.copyOf(evaluations);
        exposures = List.copyOf(exposures);
        messages = List.copyOf(messages);
        Objects.requireNonNull(dropped, "dropped");
    }

    /** Whether the batch has nothing to report. */
    public boolean isEmpty() {
        return evaluations.isEmpty() && exposures.isEmpty() && messages.isEmpty() && dropped.isZero();
    }

    /** How many evaluations of {@code field} ended in {@code outcome} (a {@link dev.tollgate.Reason#label()}). */
    public record EvaluationCount(String field, String outcome, long count) {}

    /** A unit reaching a split: which field, rule and arm, the unit's value, and when. */
    public record Exposure(String field, String rule, String arm, String unit, Instant time) {}

    /** A deduplicated SDK message with how often it happened in the batch's window. */
    public record SdkMessage(String level, String message, long count, Instant firstSeen, Instant lastSeen) {}

    /** Records dropped since the previous batch. */
    public record Dropped(long exposures, long messages, long evaluations) {
        public static final Dropped NONE = new Dropped(0, 0, 0);

        public boolean isZero() {
            return exposures == 0 && messages == 0 && evaluations == 0;
        }
    }
}
