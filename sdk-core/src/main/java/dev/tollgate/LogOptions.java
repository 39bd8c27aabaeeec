package dev.tollgate;

import dev.tollgate.spi.LogSink;
import java.time.Duration;
import java.util.Objects;

/**
 * How a client records and ships evaluation logs: counts per field and outcome, split exposures and its own messages,
 * aggregated in memory and flushed in batches to a {@link LogSink}. {@link #disabled()} records and sends nothing.
 */
public final class LogOptions {
    private static final LogOptions DISABLED = new Builder().enabled(false).build();

    private final boolean enabled;
    private final LogSink sink;
    private final Duration flushInterval;
    private final int maxExposures;
    private final int flushThreshold;
    private final int maxMessages;
    private final int exposureDedupeCapacity;
    private final Duration exposureDedupeWindow;
    private final int maxAttempts;
    private final Duration initialBackoff;
    private final Duration maxBackoff;
    private final Duration closeTimeout;

    private LogOptions(Builder b) {
        enabled = b.enabled;
        sink = b.sink;
        flushInterval = b.flushInterval;
        maxExposures = b.maxExposures;
        flushThreshold = b.flushThreshold;
        maxMessages = b.maxMessages;
        exposureDedupeCapacity = b.exposureDedupeCapacity;
        exposureDedupeWindow = b.exposureDedupeWindow;
        maxAttempts = b.maxAttempts;
        initialBackoff = b.initialBackoff;
        maxBackoff = b.maxBackoff;
        closeTimeout = b.closeTimeout;
    }

    /** Logging off: nothing is counted, buffered or sent. */
    public static LogOptions disabled() {
        return DISABLED;
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        Builder b = new Builder();
        b.enabled = enabled;
        b.sink = sink;
        b.flushInterval = flushInterval;
        b.maxExposures = maxExposures;
        b.flushThreshold = flushThreshold;
        b.maxMessages = maxMessages;
        b.exposureDedupeCapacity = exposureDedupeCapacity;
        b.exposureDedupeWindow = exposureDedupeWindow;
        b.maxAttempts = maxAttempts;
        b.initialBackoff = initialBackoff;
        b.maxBackoff = maxBackoff;
        b.closeTimeout = closeTimeout;
        return b;
    }

    public boolean enabled() {
        return enabled;
    }

    /** Where batches go; {@link LogSinks#slf4j()} unless set. */
    public LogSink sink() {
        return sink;
    }

    /** How often a batch is sent in the background. Default 5 seconds. */
    public Duration flushInterval() {
        return flushInterval;
    }

    /** The most exposures held between flushes; more are dropped and counted. Default 10,000. */
    public int maxExposures() {
        return maxExposures;
    }

    /** Held exposures that trigger an early flush. Default 1,000. */
    public int flushThreshold() {
        return flushThreshold;
    }

    /** The most distinct SDK messages held between flushes. Default 1,000. */
    public int maxMessages() {
        return maxMessages;
    }

    /** Entries of the exposure dedupe table. Default 16,384. */
    public int exposureDedupeCapacity() {
        return exposureDedupeCapacity;
    }

    /** How long one unit's exposure to a split arm suppresses repeats. Default 10 minutes. */
    public Duration exposureDedupeWindow() {
        return exposureDedupeWindow;
    }

    /** Attempts per batch, counting the first, before the batch is given up and counted as dropped. Default 5. */
    public int maxAttempts() {
        return maxAttempts;
    }

    /** The first retry delay; doubled per attempt up to {@link #maxBackoff()}. Default 1 second. */
    public Duration initialBackoff() {
        return initialBackoff;
    }

    /** The longest retry delay. Default 30 seconds. */
    public Duration maxBackoff() {
        return maxBackoff;
    }

    /**
     * How long {@link TollgateClient#close()} waits for the final flush; what the sink has not accepted by then is
     * dropped, with one warning counting it. Default 5 seconds.
     */
    public Duration closeTimeout() {
        return closeTimeout;
    }

    @Override
    public String toString() {
        return enabled
                ? "LogOptions[sink=" + sink + ", flushInterval=" + flushInterval + ", maxExposures=" + maxExposures
                        + ", flushThreshold=" + flushThreshold + ", maxMessages=" + maxMessages + ", maxAttempts="
                        + maxAttempts + "]"
                : "LogOptions[disabled]";
    }

    /** Builds {@link LogOptions}. */
    public static final class Builder {
        private boolean enabled = true;
        private LogSink sink = LogSinks.slf4j();
        private Duration flushInterval = Duration.ofSeconds(5);
        private int maxExposures = 10_000;
        private int flushThreshold = 1_000;
        private int maxMessages = 1_000;
        private int exposureDedupeCapacity = 16_384;
        private Duration exposureDedupeWindow = Duration.ofMinutes(10);
        private int maxAttempts = 5;
        private Duration initialBackoff = Duration.ofSeconds(1);
        private Duration maxBackoff = Duration.ofSeconds(30);
        private Duration closeTimeout = Duration.ofSeconds(5);

        private Builder() {}

        public Builder enabled(boolean enabled) {
            this.enabled = enabled;
            return this;
        }

        public Builder sink(LogSink sink) {
            this.sink = Objects.requireNonNull(sink, "sink");
            return this;
        }

        public Builder flushInterval(Duration interval) {
            this.flushInterval = positive("flushInterval", interval);
            return this;
        }

        public Builder maxExposures(int max) {
            this.maxExposures = positive("maxExposures", max);
            return this;
        }

        public Builder flushThreshold(int threshold) {
            this.flushThreshold = positive("flushThreshold", threshold);
            return this;
        }

        public Builder maxMessages(int max) {
            this.maxMessages = positive("maxMessages", max);
            return this;
        }

        public Builder exposureDedupeCapacity(int capacity) {
            this.exposureDedupeCapacity = positive("exposureDedupeCapacity", capacity);
            return this;
        }

        public Builder exposureDedupeWindow(Duration window) {
            this.exposureDedupeWindow = positive("exposureDedupeWindow", window);
            return this;
        }

        public Builder maxAttempts(int attempts) {
            this.maxAttempts = positive("maxAttempts", attempts);
            return this;
        }

        public Builder backoff(Duration initial, Duration max) {
            this.initialBackoff = positive("initialBackoff", initial);
            this.maxBackoff = positive("maxBackoff", max);
            if (max.compareTo(initial) < 0) {
                throw new IllegalArgumentException("maxBackoff " + max + " is shorter than initialBackoff " + initial);
            }
            return this;
        }

        public Builder closeTimeout(Duration timeout) {
            this.closeTimeout = Objects.requireNonNull(timeout, "closeTimeout");
            if (timeout.isNegative()) {
                throw new IllegalArgumentException("closeTimeout must not be negative, was " + timeout);
            }
            return this;
        }

        public LogOptions build() {
            return new LogOptions(this);
        }

        private static int positive(String name, int value) {
            if (value <= 0) {
                throw new IllegalArgumentException(name + " must be positive, was " + value);
            }
            return value;
        }

        private static Duration positive(String name, Duration value) {
            Objects.requireNonNull(value, name);
            if (value.isZero() || value.isNegative()) {
                throw new IllegalArgumentException(name + " must be positive, was " + value);
            }
            return value;
        }
    }
}
