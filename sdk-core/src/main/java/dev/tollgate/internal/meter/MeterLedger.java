package dev.tollgate.internal.meter;

import dev.tollgate.Reason;
import dev.tollgate.internal.schema.InputAttribute;
import dev.tollgate.internal.schema.MeterDefinition;
import dev.tollgate.internal.schema.PathArgument;
import dev.tollgate.internal.schema.SchemaField;
import dev.tollgate.internal.schema.SchemaModel;
import dev.tollgate.runtime.Consumption;
import dev.tollgate.runtime.InputValue;
import dev.tollgate.spi.LogBatch;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A client's usage of its schema's metered fields: counted locally on the request path, reported in log batches, and
 * brought up to date with the fleet's usage from the Tollgate server.
 *
 * <p>A consumption reads local state only: the field's current period table (one volatile read), the key's counters
 * (a concurrent map lookup and a scan of the key's few argument variants) and a compare-and-set on the counter, which
 * other keys never contend for. A key already seen in the period allocates nothing.
 *
 * <p>Memory is bounded: each field's table holds at most {@code maxKeys} keys per period (a few more when threads add
 * keys at the same instant) and each key at most {@link KeyUsage#MAX_VARIANTS} argument combinations. A key or
 * combination first seen when that is full is not counted: its consumption is allowed, answers {@link
 * Consumption.Status#NOT_COUNTED}, is tallied in {@link #notCounted()} and warned of once per field and period. Tables
 * of past periods are let go once their usage is reported and acknowledged; in a ledger whose usage is not reported (a
 * client with logs disabled), as soon as the next period starts.
 */
public final class MeterLedger {
    private static final Logger LOG = LoggerFactory.getLogger(MeterLedger.class);

    /** The most usage items one batch carries, as the server accepts; the rest wait for the next batch. */
    public static final int MAX_DELTAS_PER_BATCH = 10_000;

    private static final Object[] NO_VALUES = new Object[0];

    private final FieldMeter[] byField;
    private final Map<String, FieldMeter> byPath = new HashMap<>();
    private final SchemaModel schema;
    private final Clock clock;
    private final AtomicLong notCounted = new AtomicLong();
    /** The highest version the server's usage feed has answered with: where the next poll starts. */
    private final AtomicLong feedVersion = new AtomicLong();
    /** The server's answer to the batch in flight: which counters it reported. Written by the sink, read once. */
    private volatile Answer answer;

    private record Answer(String batchId, Set<Counter> covered) {}

    private MeterLedger(SchemaModel schema, Clock clock, int maxKeys, boolean reported) {
        this.schema = schema;
        this.clock = clock;
        this.byField = new FieldMeter[schema.fields().size()];
        long now = clock.millis();
        for (SchemaField field : schema.fields()) {
            MeterDefinition meter = field.definition().meter();
            if (meter != null) {
                InputAttribute attribute =
                        schema.contextLayout().attribute(meter.contextPath()).orElseThrow();
                List<String> names = new ArrayList<>();
                for (PathArgument argument : field.arguments()) {
                    names.add(argument.name());
                }
                FieldMeter fieldMeter = new FieldMeter(
                        field.index(),
                        field.path(),
                        meter.period(),
                        meter.countedBy(),
                        attribute.slot(),
                        new Arguments(names),
                        maxKeys,
                        reported,
                        meter.rolling(),
                        now);
                byField[field.index()] = fieldMeter;
                byPath.put(field.path(), fieldMeter);
            }
        }
    }

    /**
     * The ledger of {@code schema}'s metered fields, counting at most {@code maxKeys} keys per field and period; null
     * when the schema has none.
     */
    public static MeterLedger create(SchemaModel schema, Clock clock, int maxKeys) {
        return create(schema, clock, maxKeys, true);
    }

    /**
     * Likewise; {@code reported} is false when nothing will take reports from this ledger (logs are disabled), so that
     * it keeps no table past its period.
     */
    public static MeterLedger create(SchemaModel schema, Clock clock, int maxKeys, boolean reported) {
        for (SchemaField field : schema.fields()) {
            if (field.definition().metered()) {
                return new MeterLedger(schema, clock, maxKeys, reported);
            }
        }
        return null;
    }

    /**
     * Counts {@code amount} of field {@code field} for {@code context} and {@code args} against {@code limit} (plus the
     * period's extra), as {@link dev.tollgate.runtime.MeteredLimit#tryConsume(int, int)} describes.
     *
     * <p>Kept small so that it, and the answer it allocates in {@link #counted}, inline into the caller, where escape
     * analysis can do without the answer: the look-up, which finds an existing counter and allocates nothing once the
     * key is known, stays a call of its own.
     */
    public Consumption consume(
            int field, InputValue context, Object[] args, int amount, int limit, boolean soft, Reason reason) {
        long now = clock.millis();
        Counter counter = counter(field, context, args, now);
        return counter != null
                ? counted(counter, amount, limit, soft, reason, now)
                : notCounted(field, context, limit, amount, reason);
    }

    /**
     * The counter of {@code field}'s key and argument values for {@code context} in the current period, added if new;
     * null when the field is not metered, the context has no counting value, or the meter is full (counted and warned
     * of once per period).
     */
    private Counter counter(int field, InputValue context, Object[] args, long now) {
        FieldMeter meter = field >= 0 && field < byField.length ? byField[field] : null;
        Object value = meter == null ? null : context.attribute(meter.slot);
        if (value == null) {
            return null;
        }
        PeriodTable table = meter.table(now);
        KeyUsage key = table.key(value instanceof String text ? text : value.toString());
        Counter counter = key == null ? null : key.counter(meter.arguments.none() ? NO_VALUES : args, meter.arguments);
        if (counter == null) {
            full(meter, table);
        }
        return counter;
    }

    /**
     * Counts {@code amount} on {@code counter} against {@code limit} plus the period's extra; for a rolling window, the
     * share of the previous period's usage the window still covers counts too (and is part of {@code used}).
     */
    private static Consumption counted(Counter counter, int amount, int limit, boolean soft, Reason reason, long now) {
        PeriodTable table = counter.key.table;
        long carried = table.previous == null ? 0 : table.carried(counter, now);
        long effective = limit + counter.extra();
        long own = counter.tryAdd(amount, effective - carried, soft);
        long end = table.end;
        if (own < 0) {
            return Consumption.counted(Consumption.Status.DENIED, effective, carried - own - 1, amount, end, reason);
        }
        if (amount > 0) {
            table.changed(counter);
        }
        long used = carried + own;
        Consumption.Status status =
                used > effective ? Consumption.Status.ALLOWED_OVER_LIMIT : Consumption.Status.ALLOWED;
        return Consumption.counted(status, effective, used, amount, end, reason);
    }

    /** Why {@link #counter} found none, as the answer of a call that counted nothing. */
    private Consumption notCounted(int field, InputValue context, int limit, int amount, Reason reason) {
        FieldMeter meter = field >= 0 && field < byField.length ? byField[field] : null;
        String why;
        if (meter == null) {
            why = notMetered(schema, field);
        } else if (context.attribute(meter.slot) == null) {
            why = "the context has no value for " + meter.countedBy + ", which counts usage";
        } else {
            why = "the meter of " + meter.path + " counts as many keys (or argument combinations of this key) in this"
                    + " period as it may; usage of new ones is not counted";
        }
        return Consumption.notCounted(limit, amount, reason, why);
    }

    /** Why a consumption of {@code field}, which is not {@code @metered} in {@code schema}, counts nothing. */
    public static String notMetered(SchemaModel schema, int field) {
        String name = field >= 0 && field < schema.fields().size()
                ? schema.fields().get(field).path()
                : "the field with index " + field;
        return name + " is not @metered, so its usage is not counted";
    }

    private void full(FieldMeter meter, PeriodTable table) {
        notCounted.incrementAndGet();
        if (table.full.compareAndSet(false, true)) {
            LOG.warn(
                    "The meter of {} counts as many keys or argument combinations in the period starting {} as it may;"
                            + " usage of new ones is allowed and not counted until the period ends (see the client's"
                            + " maxMeteredKeys)",
                    meter.path,
                    Instant.ofEpochMilli(table.start));
        }
    }

    /** Whether some usage waits to be reported. */
    public boolean hasChanges() {
        for (FieldMeter meter : byPath.values()) {
            for (PeriodTable table : meter.tables()) {
                if (!table.isEmptyOfChanges()) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Consumptions not counted because a meter was full, since the client started. */
    public long notCounted() {
        return notCounted.get();
    }

    /**
     * On the log pipeline's thread: takes the usage consumed since the last report into a report for the next batch, at
     * most {@link #MAX_DELTAS_PER_BATCH} items (the rest wait for the next), and lets go of past periods' tables that
     * are done.
     */
    public Report takeReport() {
        Report report = new Report();
        long now = clock.millis();
        for (FieldMeter meter : byPath.values()) {
            meter.dropSettled(now);
            for (PeriodTable table : meter.tables()) {
                Counter counter;
                while (report.size() < MAX_DELTAS_PER_BATCH && (counter = table.nextChanged()) != null) {
                    long amount = counter.takePending();
                    if (amount > 0) {
                        report.add(meter, table, counter, amount);
                    }
                }
            }
        }
        return report;
    }

    /**
     * The sink (the Tollgate server) answered batch {@code batchId} with the fleet's usage of its keys, which is
     * installed; {@link #accepted} then knows which of the batch's amounts the fleet's usage holds. Called before the
     * batch counts as accepted.
     */
    public void answered(String batchId, List<FleetRow> rows) {
        Set<Counter> covered = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
        fleet(rows, covered);
        answer = new Answer(batchId, covered);
    }

    /**
     * On the log pipeline's thread: batch {@code batchId}, carrying {@code report}, was accepted. The amounts of keys
     * the server answered for are in the fleet's usage now; this client adds the others (all of them, for a sink that
     * is not the server) to the usage it knows itself.
     */
    public void accepted(Report report, String batchId) {
        Answer last = answer;
        Set<Counter> covered = last != null && last.batchId.equals(batchId) ? last.covered : Set.of();
        answer = null;
        for (int i = 0; i < report.counters.size(); i++) {
            Counter counter = report.counters.get(i);
            counter.accepted(report.amounts.get(i), covered.contains(counter));
        }
    }

    /** On the log pipeline's thread: the batch carrying {@code report} was refused or abandoned. */
    public void refused(Report report) {
        for (int i = 0; i < report.counters.size(); i++) {
            report.counters.get(i).refused(report.amounts.get(i));
        }
    }

    /** Installs the fleet's usage from the server; rows of unknown fields, other periods or full tables are skipped. */
    public void fleet(List<FleetRow> rows) {
        fleet(rows, null);
    }

    private void fleet(List<FleetRow> rows, Set<Counter> touched) {
        long now = clock.millis();
        for (FleetRow row : rows) {
            FieldMeter meter = byPath.get(row.field());
            if (meter == null || !meter.period.name().equals(row.period())) {
                continue;
            }
            PeriodTable table = meter.tableAt(row.periodStart(), now);
            KeyUsage key = table == null ? null : table.key(row.key());
            if (key == null) {
                continue;
            }
            Counter counter = key.counter(row.arguments());
            if (counter == null) {
                counter = key.add(meter.arguments.variant(row.argumentValues()));
            }
            if (counter != null) {
                counter.fleet(row.used(), row.extra(), row.version());
                if (touched != null) {
                    touched.add(counter);
                }
            }
        }
    }

    /** The version the next poll of the server's usage feed starts after. */
    public long feedVersion() {
        return feedVersion.get();
    }

    /** Records that the usage feed answered up to {@code version}. */
    public void feedVersion(long version) {
        feedVersion.accumulateAndGet(version, Math::max);
    }

    /**
     * The usage one batch carries, with the counters it came from, so that the batch's answer can be applied to them.
     * Built and used on the log pipeline's thread.
     */
    public static final class Report {
        private final List<LogBatch.UsageDelta> deltas = new ArrayList<>();
        private final List<Counter> counters = new ArrayList<>();
        private final List<Long> amounts = new ArrayList<>();

        void add(FieldMeter meter, PeriodTable table, Counter counter, long amount) {
            deltas.add(new LogBatch.UsageDelta(
                    meter.path,
                    counter.variant.arguments(),
                    counter.key.key,
                    meter.period.name(),
                    Instant.ofEpochMilli(table.start),
                    amount));
            counters.add(counter);
            amounts.add(amount);
        }

        public List<LogBatch.UsageDelta> deltas() {
            return deltas;
        }

        public int size() {
            return deltas.size();
        }

        /** The sum of the amounts, for counting what is lost. */
        public long total() {
            long total = 0;
            for (long amount : amounts) {
                total += amount;
            }
            return total;
        }
    }

    /**
     * The fleet's usage of one key in one period, as the server reports it.
     *
     * @param field the field path
     * @param arguments the canonical JSON text of the argument values ({@code {}} for none)
     * @param argumentValues the argument values by name
     * @param key the value of the counting attribute
     * @param period {@code HOUR}, {@code DAY} or {@code MONTH}
     * @param periodStart the period's first instant, in epoch milliseconds
     * @param used the fleet's usage
     * @param extra the one-off extra granted for the period
     * @param version the server's version of the row; a newer one replaces an older one
     */
    public record FleetRow(
            String field,
            String arguments,
            Map<String, Object> argumentValues,
            String key,
            String period,
            long periodStart,
            long used,
            long extra,
            long version) {

        /** A row for {@code arguments} given by name; their canonical text is computed. */
        public static FleetRow of(
                String field,
                Map<String, Object> arguments,
                String key,
                String period,
                long periodStart,
                long used,
                long extra,
                long version) {
            return new FleetRow(
                    field, Arguments.canonical(arguments), arguments, key, period, periodStart, used, extra, version);
        }
    }
}
