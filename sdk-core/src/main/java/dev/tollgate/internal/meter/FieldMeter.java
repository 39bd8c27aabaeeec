package dev.tollgate.internal.meter;

import dev.tollgate.internal.schema.MeterPeriod;
import java.util.ArrayList;
import java.util.List;

/**
 * The meter of one {@code @metered} field: the table of the current period, and the tables of periods that ended
 * while some of their usage was still unreported (none when usage is not reported at all). Request threads read {@link
 * #current} without a lock; the first consumer past its end rotates it, under this object's monitor, which also guards
 * {@link #retiring}.
 */
final class FieldMeter {
    final int field;
    final String path;
    final MeterPeriod period;
    final String countedBy;
    final int slot;
    final Arguments arguments;
    /** Whether the limit holds over a rolling window: then each table keeps the previous period's, see {@link PeriodTable}. */
    final boolean rolling;

    private final int maxKeys;
    /** Whether tables are reported: only then does a past period's table wait in {@link #retiring} for its report. */
    private final boolean reported;

    private volatile PeriodTable current;
    private final List<PeriodTable> retiring = new ArrayList<>();

    FieldMeter(
            int field,
            String path,
            MeterPeriod period,
            String countedBy,
            int slot,
            Arguments arguments,
            int maxKeys,
            boolean reported,
            boolean rolling,
            long now) {
        this.rolling = rolling;
        this.field = field;
        this.path = path;
        this.period = period;
        this.countedBy = countedBy;
        this.slot = slot;
        this.arguments = arguments;
        this.maxKeys = maxKeys;
        this.reported = reported;
        this.current = newTable(period.start(now));
    }

    /** The table of the period holding {@code now}; a clock that went back keeps the current one. */
    PeriodTable table(long now) {
        PeriodTable table = current;
        return now < table.end ? table : rotate(now);
    }

    private synchronized PeriodTable rotate(long now) {
        PeriodTable table = current;
        if (now < table.end) {
            return table;
        }
        if (reported) {
            retiring.add(table);
        }
        PeriodTable next = newTable(period.start(now));
        if (rolling && table.end == next.start) {
            next.previous = table;
        }
        current = next;
        return current;
    }

    /** The table of the period starting at {@code start} if this meter still has it, else null. */
    synchronized PeriodTable tableAt(long start, long now) {
        PeriodTable table = table(now);
        if (table.start == start) {
            return table;
        }
        if (rolling && period.end(start) == table.start) {
            // The previous period of a rolling window: kept by the current table, made for the fleet's usage of it
            // when this client has none (it started in this period).
            if (table.previous == null) {
                table.previous = newTable(start);
            }
            return table.previous;
        }
        for (PeriodTable old : retiring) {
            if (old.start == start) {
                return old;
            }
        }
        return null;
    }

    /** Every table with usage that may wait to be reported: the retiring ones, then the current one. */
    synchronized List<PeriodTable> tables() {
        List<PeriodTable> tables = new ArrayList<>(retiring);
        tables.add(current);
        return tables;
    }

    /**
     * How long after its period ends a reported table is kept at least: a consumer that took the table just before the
     * period ended may still add to it, and that usage must reach a batch.
     */
    static final long GRACE_MILLIS = 60_000;

    /**
     * Lets go of the tables of periods that ended at least {@link #GRACE_MILLIS} before {@code now} and whose usage is
     * all reported and acknowledged.
     */
    synchronized void dropSettled(long now) {
        retiring.removeIf(table -> now - table.end >= GRACE_MILLIS && table.settled());
    }

    private PeriodTable newTable(long start) {
        return new PeriodTable(start, period.end(start), maxKeys);
    }
}
