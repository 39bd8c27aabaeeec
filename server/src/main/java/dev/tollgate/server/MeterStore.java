package dev.tollgate.server;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Metered usage (table {@code meters}): per environment, field, arguments, counting key and UTC calendar period, what
 * the SDKs reported ({@code used}, added from log batches exactly once per batch, see {@link UsageStore#ingest}) and
 * what was granted on top ({@code extra}); read by the SDKs ({@code GET /v1/usage}) and the admin API.
 *
 * <p>Versions: every transaction that changes meter rows first increments its environment's row in {@code
 * meter_versions} ({@code UPDATE ... SET version = version + 1}) and gives every row it changes that new version. The
 * update locks the environment's row until the transaction ends, so the writers of one environment are serialized:
 * version n+1 cannot commit before version n has committed (or rolled back, leaving n unused), and versions therefore
 * become visible in commit order. A poller that has seen everything up to version v and reads {@code version > v}
 * never misses a row: every row of a lower version is already committed and was in its earlier reads. A global
 * sequence would not do: a transaction that took a higher number could commit first, the poller would move its cursor
 * past a lower number still uncommitted, and never read that row. {@link #changedSince} reads the environment's version
 * before its rows, so that the version it answers for an empty page covers only committed changes.
 *
 * <p>Locks are taken in one order, the environment's version row first and then its meter rows, so meter writers do
 * not deadlock one another; a log batch takes them last, after its evaluation counts, to hold them briefly. Stored
 * values saturate at {@link Long#MAX_VALUE} instead of overflowing.
 */
final class MeterStore {
    /** The largest number of rows one version has: one batch names at most this many meters, a grant one. */
    static final int MAX_ROWS_PER_VERSION = MeterInput.MAX_ITEMS;

    private static final int IN_CHUNK = 100;
    private static final String COLUMNS = "field, args_key, usage_key, period, period_start, used, extra, version";
    /** Rows of current periods: those whose period has not ended (three parameters, see {@link #bindCurrent}). */
    private static final String CURRENT = " AND ((period = 'HOUR' AND period_start >= ?)"
            + " OR (period = 'DAY' AND period_start >= ?) OR (period = 'MONTH' AND period_start >= ?))";

    private final Database db;
    private final Clock clock;

    MeterStore(Database db, Clock clock) {
        this.db = db;
        this.clock = clock;
    }

    Database db() {
        return db;
    }

    Instant now() {
        return clock.instant();
    }

    /** One page of {@link #changedSince}: its rows, the version to ask from next, whether rows were left out. */
    record Page(List<MeterRow> rows, long version, boolean more) {}

    /** A row before and after a grant or reset. */
    record Changed(MeterRow before, MeterRow after) {}

    /** What a write does to a row: its SET clause, the increment it takes, and the values of a new row. */
    private record Change(String set, long increment, long used, long extra) {
        static final String ADD_USED = saturating("used");

        static Change addUsed(long n) {
            return new Change(ADD_USED, n, n, 0);
        }

        static Change addExtra(long n) {
            return new Change(saturating("extra"), n, 0, n);
        }

        static Change resetUsed() {
            return new Change("used = 0", 0, 0, 0);
        }

        /** {@code column} plus the parameters (headroom, maximum, increment), saturating at the maximum. */
        private static String saturating(String column) {
            return column + " = CASE WHEN " + column + " > ? THEN ? ELSE " + column + " + ? END";
        }

        /** Sets the SET clause's parameters from index 1; answers the next index. */
        int bind(PreparedStatement s) throws SQLException {
            if (increment == 0) { // a reset, the one change without parameters
                return 1;
            }
            s.setLong(1, Long.MAX_VALUE - increment);
            s.setLong(2, Long.MAX_VALUE);
            s.setLong(3, increment);
            return 4;
        }
    }

    // ---- writes ----

    /**
     * Adds each amount to its meter's {@code used} (creating rows) under one new version, answered; 0, and nothing
     * written, when there are no amounts. Inside the caller's transaction.
     */
    long addUsed(Connection c, long env, Map<Meter, Long> amounts) throws SQLException {
        if (amounts.isEmpty()) {
            return 0;
        }
        long version = nextVersion(c, env);
        try (Upserter upserter = new Upserter(c, Change.ADD_USED)) {
            for (Map.Entry<Meter, Long> e : amounts.entrySet()) {
                upserter.apply(env, e.getKey(), version, Change.addUsed(e.getValue()));
            }
        }
        return version;
    }

    /** Adds {@code amount} to the meter's {@code extra}, creating the row, under a new version. */
    Changed grant(Connection c, long env, Meter meter, long amount) throws SQLException {
        return change(c, env, meter, Change.addExtra(amount));
    }

    /** Sets the meter's {@code used} to 0 (its {@code extra} stays), creating the row, under a new version. */
    Changed reset(Connection c, long env, Meter meter) throws SQLException {
        return change(c, env, meter, Change.resetUsed());
    }

    private Changed change(Connection c, long env, Meter meter, Change change) throws SQLException {
        long version = nextVersion(c, env);
        MeterRow before = rows(c, env, List.of(meter)).get(0);
        try (Upserter upserter = new Upserter(c, change.set())) {
            upserter.apply(env, meter, version, change);
        }
        return new Changed(before, rows(c, env, List.of(meter)).get(0));
    }

    /**
     * Increments the environment's meter version (creating it at 1) and answers it; the row stays locked until the
     * transaction ends. Portable across PostgreSQL and H2: update, else insert-if-absent, else (a concurrent insert
     * won) update again.
     */
    private static long nextVersion(Connection c, long env) throws SQLException {
        for (int attempt = 0; attempt < 3; attempt++) {
            boolean inserting = attempt == 1;
            try (PreparedStatement s = c.prepareStatement(
                    inserting
                            ? "INSERT INTO meter_versions (environment_id, version) VALUES (?, 1) ON CONFLICT DO NOTHING"
                            : "UPDATE meter_versions SET version = version + 1 WHERE environment_id = ?")) {
                s.setLong(1, env);
                if (s.executeUpdate() == 1) {
                    return inserting ? 1 : version(c, env);
                }
            }
        }
        throw new SQLException("could not increment the meter version of environment " + env);
    }

    /** The environment's meter version: 0 before its first meter change. */
    static long version(Connection c, long env) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT version FROM meter_versions WHERE environment_id = ?")) {
            s.setLong(1, env);
            try (ResultSet r = s.executeQuery()) {
                return r.next() ? r.getLong(1) : 0;
            }
        }
    }

    /** The prepared update and insert of one kind of change, reused for every row of a transaction. */
    private final class Upserter implements AutoCloseable {
        private final PreparedStatement update;
        private final PreparedStatement insert;

        Upserter(Connection c, String set) throws SQLException {
            update = c.prepareStatement("UPDATE meters SET " + set + ", version = ?, updated_at = ?"
                    + " WHERE environment_id = ? AND meter_id = ?");
            insert = c.prepareStatement("INSERT INTO meters (environment_id, meter_id, field, args_key, usage_key,"
                    + " period, period_start, used, extra, version, updated_at)"
                    + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING");
        }

        /**
         * Applies {@code change} to the meter's row, or inserts it. The environment's version row serializes writers,
         * so the insert only loses to a concurrent one in theory; it is handled all the same (update, insert, update).
         */
        void apply(long env, Meter meter, long version, Change change) throws SQLException {
            String id = meter.id();
            Timestamp now = Timestamp.from(clock.instant());
            for (int attempt = 0; attempt < 3; attempt++) {
                if (attempt == 1
                        ? insert(env, id, meter, version, change, now)
                        : update(env, id, version, change, now)) {
                    return;
                }
            }
            throw new SQLException("could not write the meter row " + id);
        }

        private boolean update(long env, String id, long version, Change change, Timestamp now) throws SQLException {
            int p = change.bind(update);
            update.setLong(p++, version);
            update.setTimestamp(p++, now);
            update.setLong(p++, env);
            update.setString(p, id);
            return update.executeUpdate() == 1;
        }

        private boolean insert(long env, String id, Meter meter, long version, Change change, Timestamp now)
                throws SQLException {
            insert.setLong(1, env);
            insert.setString(2, id);
            insert.setString(3, meter.field());
            insert.setString(4, meter.argsKey());
            insert.setString(5, meter.key());
            insert.setString(6, meter.period().name());
            insert.setTimestamp(7, Timestamp.from(meter.periodStart()));
            insert.setLong(8, change.used());
            insert.setLong(9, change.extra());
            insert.setLong(10, version);
            insert.setTimestamp(11, now);
            return insert.executeUpdate() == 1;
        }

        @Override
        public void close() throws SQLException {
            try (update;
                    insert) {
                // closes both
            }
        }
    }

    // ---- reads ----

    /** The rows of {@code meters}, in their order; a meter without a row reads as used 0, extra 0, version 0. */
    List<MeterRow> rows(Connection c, long env, Collection<Meter> meters) throws SQLException {
        Map<String, long[]> values = new HashMap<>();
        List<Meter> list = new ArrayList<>(meters);
        for (int from = 0; from < list.size(); from += IN_CHUNK) {
            readValues(c, env, list.subList(from, Math.min(list.size(), from + IN_CHUNK)), values);
        }
        List<MeterRow> rows = new ArrayList<>(list.size());
        for (Meter meter : list) {
            long[] v = values.getOrDefault(meter.id(), new long[3]);
            rows.add(new MeterRow(meter, v[0], v[1], v[2]));
        }
        return rows;
    }

    private static void readValues(Connection c, long env, List<Meter> chunk, Map<String, long[]> values)
            throws SQLException {
        String marks = String.join(", ", Collections.nCopies(chunk.size(), "?"));
        try (PreparedStatement s = c.prepareStatement("SELECT meter_id, used, extra, version FROM meters"
                + " WHERE environment_id = ? AND meter_id IN (" + marks + ")")) {
            s.setLong(1, env);
            for (int i = 0; i < chunk.size(); i++) {
                s.setString(i + 2, chunk.get(i).id());
            }
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    values.put(r.getString(1), new long[] {r.getLong(2), r.getLong(3), r.getLong(4)});
                }
            }
        }
    }

    /**
     * The environment's rows of current and previous periods with a version above {@code since}, in version order: at most {@code
     * limit}, except that the rows of one version are never split between pages (when the first version alone has more
     * than {@code limit} rows, the page has all of them, at most {@link #MAX_ROWS_PER_VERSION}). The page's version is
     * its highest row version, or the environment's version when it has no rows.
     */
    Page changedSince(Connection c, long env, long since, int limit) throws SQLException {
        long current = version(c, env); // before the rows: see the class comment
        Instant now = clock.instant();
        List<MeterRow> rows = select(c, "version > ?", env, since, now, limit + 1);
        if (rows.size() <= limit) {
            return new Page(rows, rows.isEmpty() ? current : last(rows).version(), false);
        }
        long cut = rows.get(limit).version();
        List<MeterRow> page = new ArrayList<>(rows.subList(0, limit));
        page.removeIf(row -> row.version() == cut);
        if (!page.isEmpty()) {
            return new Page(page, last(page).version(), true);
        }
        List<MeterRow> group = select(c, "version = ?", env, cut, now, MAX_ROWS_PER_VERSION);
        boolean more = !select(c, "version > ?", env, cut, now, 1).isEmpty();
        return new Page(group, cut, more);
    }

    private static MeterRow last(List<MeterRow> rows) {
        return rows.get(rows.size() - 1);
    }

    /**
     * The feed's rows: of current periods and of the periods just before them, since a rolling window still covers
     * part of those.
     */
    private static List<MeterRow> select(Connection c, String versionIs, long env, long version, Instant now, int limit)
            throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT " + COLUMNS + " FROM meters WHERE environment_id = ?"
                + " AND " + versionIs + CURRENT + " ORDER BY version, meter_id LIMIT ?")) {
            s.setLong(1, env);
            s.setLong(2, version);
            int p = bindPrevious(s, 3, now);
            s.setInt(p, limit);
            return read(s);
        }
    }

    /** The rows of one counting key in current periods, by field, arguments and period; at most {@code limit}. */
    List<MeterRow> ofKey(Connection c, long env, String key, Instant now, int limit) throws SQLException {
        return filtered(c, "usage_key = ?", key, "field, args_key, period", env, now, limit);
    }

    /** The rows of one field in current periods, the highest {@code used} first; at most {@code limit}. */
    List<MeterRow> topOfField(Connection c, long env, String field, Instant now, int limit) throws SQLException {
        return filtered(c, "field = ?", field, "used DESC, usage_key, args_key, period", env, now, limit);
    }

    private static List<MeterRow> filtered(
            Connection c, String where, String value, String order, long env, Instant now, int limit)
            throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT " + COLUMNS + " FROM meters WHERE environment_id = ?"
                + " AND " + where + CURRENT + " ORDER BY " + order + " LIMIT ?")) {
            s.setLong(1, env);
            s.setString(2, value);
            int p = bindCurrent(s, 3, now);
            s.setInt(p, limit);
            return read(s);
        }
    }

    /** Sets the three parameters of {@link #CURRENT} from index {@code p}: the current period starts at {@code now}. */
    /** Sets the three parameters of {@link #CURRENT} so that they admit the previous periods of {@code now} too. */
    private static int bindPrevious(PreparedStatement s, int p, Instant now) throws SQLException {
        for (MeterPeriod period : MeterPeriod.values()) {
            Instant current = period.start(now);
            s.setTimestamp(p + period.ordinal(), Timestamp.from(period.start(current.minusMillis(1))));
        }
        return p + 3;
    }

    private static int bindCurrent(PreparedStatement s, int p, Instant now) throws SQLException {
        s.setTimestamp(p, Timestamp.from(MeterPeriod.HOUR.start(now)));
        s.setTimestamp(p + 1, Timestamp.from(MeterPeriod.DAY.start(now)));
        s.setTimestamp(p + 2, Timestamp.from(MeterPeriod.MONTH.start(now)));
        return p + 3;
    }

    private static List<MeterRow> read(PreparedStatement s) throws SQLException {
        List<MeterRow> rows = new ArrayList<>();
        try (ResultSet r = s.executeQuery()) {
            while (r.next()) {
                Meter meter = new Meter(
                        r.getString(1),
                        r.getString(2),
                        r.getString(3),
                        MeterPeriod.valueOf(r.getString(4)),
                        r.getTimestamp(5).toInstant());
                rows.add(new MeterRow(meter, r.getLong(6), r.getLong(7), r.getLong(8)));
            }
        }
        return rows;
    }

    /** Every environment's meter version, by environment name; environments without meter changes are left out. */
    Map<String, Long> versions() {
        return db.read(c -> {
            Map<String, Long> versions = new HashMap<>();
            try (PreparedStatement s = c.prepareStatement("SELECT e.name, v.version FROM meter_versions v"
                            + " JOIN environments e ON e.id = v.environment_id");
                    ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    versions.put(r.getString(1), r.getLong(2));
                }
            }
            return versions;
        });
    }

    /** Deletes the rows whose period ended {@code retentionDays} or more ago. */
    void purge(int retentionDays) {
        Instant cutoff = clock.instant().minus(retentionDays, ChronoUnit.DAYS);
        db.transaction(c -> {
            for (MeterPeriod period : MeterPeriod.values()) {
                try (PreparedStatement s =
                        c.prepareStatement("DELETE FROM meters WHERE period = ? AND period_start < ?")) {
                    s.setString(1, period.name());
                    s.setTimestamp(2, Timestamp.from(period.start(cutoff)));
                    s.executeUpdate();
                }
            }
            return null;
        });
    }
}
