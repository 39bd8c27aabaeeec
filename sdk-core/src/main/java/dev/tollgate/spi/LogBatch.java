package dev.tollgate.spi;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
 * @param droppedExposures exposures lost since the previous batch because the buffer was full or the sink gave up
 * @param droppedMessages SDK messages lost since the previous batch, likewise
 * @param droppedEvaluations evaluation counts lost since the previous batch because the sink gave up on their batch
 * @param usage usage of metered fields counted since the previous batch, per key and period
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
        long droppedExposures,
        long droppedMessages,
        long droppedEvaluations,
        List<UsageDelta> usage) {

    public LogBatch {
        Objects.requireNonNull(batchId, "batchId");
        evaluations = List.copyOf(evaluations);
        exposures = List.copyOf(exposures);
        messages = List.copyOf(messages);
        usage = List.copyOf(usage);
    }

    /** A batch without usage of metered fields, as batches were before metering. */
    public LogBatch(
            String batchId,
            String schemaHash,
            long revision,
            Instant windowStart,
            Instant windowEnd,
            List<EvaluationCount> evaluations,
            List<Exposure> exposures,
            List<SdkMessage> messages,
            long droppedExposures,
            long droppedMessages,
            long droppedEvaluations) {
        this(
                batchId,
                schemaHash,
                revision,
                windowStart,
                windowEnd,
                evaluations,
                exposures,
                messages,
                droppedExposures,
                droppedMessages,
                droppedEvaluations,
                List.of());
    }

    /** Whether the batch has nothing to report. */
    public boolean isEmpty() {
        return evaluations.isEmpty() && exposures.isEmpty() && messages.isEmpty() && usage.isEmpty() && !droppedAny();
    }

    /** Whether anything was dropped since the previous batch. */
    public boolean droppedAny() {
        return droppedExposures != 0 || droppedMessages != 0 || droppedEvaluations != 0;
    }

    /** How many evaluations of {@code field} ended in {@code outcome} (a {@link dev.tollgate.Reason#label()}). */
    public record EvaluationCount(String field, String outcome, long count) {}

    /** A unit reaching a split: which field, rule and arm, the unit's value, and when. */
    public record Exposure(String field, String rule, String arm, String unit, Instant time) {}

    /**
     * Usage of a metered field consumed in this client since the previous batch: {@code amount} more for one value of
     * the field's counting attribute ({@code key}) and argument values, in the period starting at {@code periodStart}.
     * A receiver adds it to the fleet's usage once per batch id.
     *
     * @param field the field path, such as {@code entitlements.maxApiRequestsPerDay}
     * @param arguments the field's argument values by name; empty for a field without arguments
     * @param key the value of the counting attribute, such as an organization id
     * @param period {@code HOUR}, {@code DAY} or {@code MONTH}
     * @param periodStart the first instant of the period, in UTC
     * @param amount how much was consumed, at least 1
     */
    public record UsageDelta(
            String field, Map<String, Object> arguments, String key, String period, Instant periodStart, long amount) {
        public UsageDelta {
            Objects.requireNonNull(field, "field");
            arguments = Collections.unmodifiableMap(new LinkedHashMap<>(arguments));
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(period, "period");
            Objects.requireNonNull(periodStart, "periodStart");
        }
    }

    /** A deduplicated SDK message with how often it happened in the batch's window. */
    public record SdkMessage(String level, String message, long count, Instant firstSeen, Instant lastSeen) {}
}
