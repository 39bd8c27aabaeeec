package dev.tollgate.internal.logs;

import dev.tollgate.spi.LogBatch.SdkMessage;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * The SDK's own warnings and errors for the next batch, deduplicated by level and text with counts: all of them, not a
 * sample. At most {@code maxDistinct} different messages are held; further distinct ones are dropped and counted.
 */
public final class MessageLog {
    private final int maxDistinct;
    private final Map<String, Entry> entries = new ConcurrentHashMap<>();
    private final LongAdder dropped = new LongAdder();
    private final LongAdder overflowed = new LongAdder();

    public MessageLog(int maxDistinct) {
        this.maxDistinct = maxDistinct;
    }

    public void warn(String message) {
        record("WARN", message);
    }

    public void error(String message) {
        record("ERROR", message);
    }

    public void record(String level, String message) {
        String key = level + '\u0000' + message;
        Entry entry = entries.get(key);
        if (entry == null) {
            if (entries.size() >= maxDistinct) {
                dropped.increment();
                overflowed.increment();
                return;
            }
            entry = entries.computeIfAbsent(key, k -> new Entry(level, message));
        }
        long now = System.currentTimeMillis();
        if (entry.firstSeen == 0) {
            entry.firstSeen = now;
        }
        entry.lastSeen = now;
        entry.count.increment();
    }

    /** The messages recorded since the last drain; idle entries are forgotten. */
    public List<SdkMessage> drain() {
        List<SdkMessage> drained = new ArrayList<>();
        for (Iterator<Entry> it = entries.values().iterator(); it.hasNext(); ) {
            Entry entry = it.next();
            long first = entry.firstSeen;
            long count = entry.count.sumThenReset();
            if (count == 0) {
                it.remove();
                long late = entry.count.sumThenReset();
                if (late > 0) {
                    entries.computeIfAbsent(
                                    entry.level + '\u0000' + entry.message, k -> new Entry(entry.level, entry.message))
                            .count
                            .add(late);
                }
                continue;
            }
            entry.firstSeen = 0;
            drained.add(new SdkMessage(
                    entry.level,
                    entry.message,
                    count,
                    Instant.ofEpochMilli(first),
                    Instant.ofEpochMilli(entry.lastSeen)));
        }
        return drained;
    }

    /** Distinct messages dropped since the last call. */
    public long takeDropped() {
        return dropped.sumThenReset();
    }

    /** Distinct messages dropped because the log was full, since it was made; never reset. */
    public long overflowed() {
        return overflowed.sum();
    }

    /** Adds to the dropped count: messages of a batch the sink gave up on. */
    public void addDropped(long count) {
        dropped.add(count);
    }

    private static final class Entry {
        final String level;
        final String message;
        final LongAdder count = new LongAdder();
        volatile long firstSeen;
        volatile long lastSeen;

        Entry(String level, String message) {
            this.level = level;
            this.message = message;
        }
    }
}
