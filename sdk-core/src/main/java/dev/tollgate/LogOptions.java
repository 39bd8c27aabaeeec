package dev.tollgate;

import dev.tollgate.internal.logs.Slf4jLogSink;
import dev.tollgate.spi.LogSink;
import java.time.Duration;
import java.util.Objects;

/**
 * How a client records and ships evaluation logs: counts per field and outcome, split exposures and its own messages,
 * aggregated in memory and flushed in batches to a {@link LogSink}. {@link #disabled()} records and sends nothing.
 *
 * <p>Where batches go, unless set: to the Tollgate server the client takes its snapshots from (the same {@link
 * ServerOptions}: its URL, token and HTTP client), or through SLF4J when the client has no server. {@link
 * Builder#server(ServerOptions)}, {@link Builder#slf4j()} and {@link Builder#sink(LogSink)} say otherwise.
 */
public final class LogOptions {
    private static final LogOptions DISABLED = new Builder().enabled(false).build();

    private final boolean enabled;
    private final LogSink sink;
    private final ServerOptions server;
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
    private final Duration usageInterval;

    private LogOptions(Builder b) {
        enabled = b.enabled;
        sink = b.sink;
        server = b.server;
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
        usageInterval = b.usageInterval;
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
        b.server = server;
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
        b.usageInterval = usageInterval;
        return b;
    }

    public boolean enabled() {
        return enabled;
    }

    /** The sink set with {@link Builder#sink(LogSink)} or {@link Builder#slf4j()}; null when not set. */
    public LogSink sink() {
        return sink;
    }

    /** The server set with {@link Builder#server(ServerOptions)}; null when not set. */
    public ServerOptions server() {
        return server;
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

    /**
     * How often usage of metered fields is sent, when some waits, so that every instance of a service sees the others'
     * usage soon: these batches go whatever the flush interval and the batch budget say. Default 1 second.
     */
    public Duration usageInterval() {
        return usageInterval;
    }

    @Override
    public String toString() {
        return enabled
                ? "LogOptions[sink=" + (sink != null ? sink : server != null ? server.baseUrl() : "automatic")
                        + ", flushInterval=" + flushInterval + ", maxExposures=" + maxExposures
                        + ", flushThreshold=" + flushThreshold + ", maxMessages=" + maxMessages + ", maxAttempts="
                        + maxAttempts + ", usageInterval=" + usageInterval + "]"
                : "LogOptions[disabled]";
    }

    /** Builds {@link LogOptions}. */
    public static final class Builder {
        private boolean enabled = true;
        private LogSink sink;
        private ServerOptions server;
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
        private Duration usageInterval = Duration.ofSeconds(1);

        private Builder() {}

        public Builder enabled(boolean enabled) {
            this.enabled = enabled;
            return this;
        }

        /** Sends batches to {@code sink}, whatever server the client has. */
        public Builder sink(LogSink sink) {
            this.sink = Objects.requireNonNull(sink, "sink");
            this.server = null;
            return this;
        }

        /**
         * Logs each batch through SLF4J (logger {@code dev.tollgate.logs}): a summary at INFO, records at DEBUG. The
         * default for a client without a server.
         */
        public Builder slf4j() {
            return sink(new Slf4jLogSink());
        }

        /**
         * Posts batches to this server's logs endpoint ({@code POST <baseUrl>/v1/logs}, see {@code docs/protocol.md})
         * with its token, instead of the client's own server. After the server refuses the token (401 or 403) nothing
         * more is sent: later batches fail at once and are counted as dropped.
         */
        public Builder server(ServerOptions server) {
            this.server = Objects.requireNonNull(server, "server");
            this.sink = null;
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

        /** How often waiting usage of metered fields is sent; see {@link LogOptions#usageInterval()}. */
        public Builder usageInterval(Duration interval) {
            this.usageInterval = positive("usageInterval", interval);
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
