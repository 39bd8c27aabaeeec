package dev.tollgate.examples.team;

import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/** Requests per organization and endpoint for the current UTC day; yesterday's counts are dropped. */
final class Quotas {
    private final Clock clock;
    private final Map<String, AtomicInteger> counts = new ConcurrentHashMap<>();
    private volatile LocalDate day;

    Quotas(Clock clock) {
        this.clock = clock;
        this.day = today();
    }

    /** Counts one request and returns how many were made today, this one included. */
    int record(String organizationId, String endpoint) {
        LocalDate today = today();
        if (!today.equals(day)) {
            synchronized (this) {
                if (!today.equals(day)) {
                    counts.clear();
                    day = today;
                }
            }
        }
        return counts.computeIfAbsent(organizationId + "/" + endpoint, k -> new AtomicInteger())
                .incrementAndGet();
    }

    /** Seconds until the counts reset, at midnight UTC. */
    long secondsUntilReset() {
        long now = clock.instant().getEpochSecond();
        long midnight = today().plusDays(1).atStartOfDay().toEpochSecond(ZoneOffset.UTC);
        return Math.max(1, midnight - now);
    }

    private LocalDate today() {
        return LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
    }
}
