package dev.tollgate.server;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the server does as time windows end. SDKs evaluate windows themselves, so nothing here changes what a client
 * gets; this keeps the record and the size of the logic: on each round (every {@code TOLLGATE_LAPSE_CHECK_SECONDS}) it
 * writes one audit entry per override row, rule or segment of an environment's current logic whose {@code until} has
 * passed ({@code override.lapsed}, {@code rule.lapsed}, {@code segment.lapsed}, by {@code tollgate}), and then removes
 * the override rows whose {@code until} is {@code TOLLGATE_EXPIRED_OVERRIDE_RETENTION} or more in the past, in a new
 * revision by {@code tollgate (retention)} (audit action {@code override.pruned}). Webhook events go with it: {@code
 * grant.expired} in the transaction that records an override row's lapse, and {@code grant.expiring} for rows whose
 * {@code until} comes within the webhook lead (see {@link WebhookEvents#expiring}).
 *
 * <p>Concurrency: every instance on one database runs rounds. A lapse is recorded exactly once because its audit entry
 * is written in the same transaction as an {@code INSERT ... ON CONFLICT DO NOTHING} into {@code lapses}, keyed by the
 * environment, the item and its {@code until}, and only when that insert inserted: a second instance, or this one after
 * a restart, inserts nothing and writes nothing; on PostgreSQL a concurrent insert of the same key waits for the first
 * transaction and then does nothing. Pruning goes through {@link LogicStore#change} with the revision it read as
 * {@code If-Match}, so it validates like any edit and cannot overwrite a concurrent write: when an admin (or another
 * instance) moved the head first, the prune gets 409 and is tried again next round on the new head. Lapses are
 * recorded before pruning in each round, so a pruned row's lapse has been recorded. Rounds of one instance do not
 * overlap ({@link #run} is synchronized); {@link #checked} is only a cache that lets a round skip an environment whose
 * revision has not moved and in which nothing is due yet.
 */
final class WindowKeeper {
    static final String ACTOR = "tollgate";
    static final String RETENTION_ACTOR = "tollgate (retention)";
    private static final Logger LOG = LoggerFactory.getLogger(WindowKeeper.class);
    /** How many lapse ids one lookup binds: well within every driver's limit on parameters. */
    private static final int IDS_PER_QUERY = 500;

    private final LogicStore store;
    private final AuditLog audit;
    private final Clock clock;
    private final Duration retention;
    private final Map<String, Checked> checked = new ConcurrentHashMap<>();
    private final WebhookEvents webhooks;

    /** What pruning an environment did. */
    enum Pruned {
        NOTHING,
        PRUNED,
        CONFLICT
    }

    /** An environment's revision when it was last checked, and the first instant at which something is due in it. */
    private record Checked(long revision, Instant nextDue) {}

    WindowKeeper(LogicStore store, AuditLog audit, Clock clock, Duration retention, WebhookEvents webhooks) {
        this.webhooks = webhooks;
        this.store = store;
        this.audit = audit;
        this.clock = clock;
        this.retention = retention;
    }

    /** One round over every environment; a failure is logged and the environment is tried again next round. */
    synchronized void run() {
        Instant now = clock.instant();
        for (LogicStore.Environment env : store.db().read(store::environments)) {
            Checked last = checked.get(env.name());
            boolean due = last == null || last.revision() != env.revision() || !now.isBefore(last.nextDue());
            if (env.revision() > 0 && due) {
                try {
                    check(env, now);
                } catch (RuntimeException e) {
                    checked.remove(env.name());
                    LOG.warn("Checking the time windows of environment {} failed: {}", env.name(), e.getMessage());
                }
            }
        }
    }

    private void check(LogicStore.Environment env, Instant now) {
        ObjectNode document = document(env.name(), env.revision());
        List<Lapse> all = Lapse.all(document);
        recordLapses(env, all, now);
        webhooks.expiring(env, WindowedRows.of(document), now);
        if (prune(env.name(), env.revision(), document, now) == Pruned.NOTHING) {
            checked.put(env.name(), new Checked(env.revision(), nextDue(all, now)));
        } else {
            checked.remove(env.name()); // a new revision to check, or a conflict to retry
        }
    }

    private ObjectNode document(String environment, long revision) {
        return store.db().read(c -> (ObjectNode) Json.parseTrusted(
                store.revision(c, store.environment(c, environment), revision).document()));
    }

    /** The first instant after {@code now} at which an item lapses or a row becomes prunable. */
    private Instant nextDue(List<Lapse> all, Instant now) {
        Instant next = Instant.MAX;
        for (Lapse lapse : all) {
            for (Instant due : lapse.isOverrideRow()
                    ? List.of(
                            lapse.until().minus(webhooks.expiringLead()),
                            lapse.until(),
                            lapse.until().plus(retention))
                    : List.of(lapse.until())) {
                if (due.isAfter(now) && due.isBefore(next)) {
                    next = due;
                }
            }
        }
        return next;
    }

    /**
     * Records, once, every item of the environment whose {@code until} is at or before {@code now}. Only the ids of
     * these candidates are looked up (the {@code lapses} table keeps every lapse ever recorded, and the logic keeps
     * lapsed rules and segments, so reading all of an environment's would cost more with every lapse); the insert
     * decides, whatever the lookup saw.
     */
    private void recordLapses(LogicStore.Environment env, List<Lapse> all, Instant now) {
        List<Lapse> lapsed = all.stream().filter(l -> !l.until().isAfter(now)).toList();
        if (lapsed.isEmpty()) {
            return;
        }
        int recorded = store.db().transaction(c -> {
            Map<String, Lapse> candidates = new LinkedHashMap<>();
            lapsed.forEach(lapse -> candidates.put(lapse.id(env.name()), lapse));
            candidates.keySet().removeAll(recordedAmong(c, List.copyOf(candidates.keySet())));
            int inserted = 0;
            for (Map.Entry<String, Lapse> candidate : candidates.entrySet()) {
                Lapse lapse = candidate.getValue();
                if (insert(c, env.name(), candidate.getKey(), lapse, now)) {
                    audit.recordByServer(
                            c, ACTOR, lapse.action(), env.name(), lapse.target(), lapse.detail(env.revision()));
                    if (lapse.isOverrideRow()) {
                        webhooks.expired(c, env, lapse);
                    }
                    inserted++;
                }
            }
            return inserted;
        });
        if (recorded > 0) {
            LOG.info("Recorded {} lapsed time windows in environment {}", recorded, env.name());
        }
    }

    /** Those of {@code ids} that {@code lapses} holds, looked up by primary key, {@value #IDS_PER_QUERY} at a time. */
    private static Set<String> recordedAmong(Connection c, List<String> ids) throws SQLException {
        Set<String> recorded = new HashSet<>();
        for (int start = 0; start < ids.size(); start += IDS_PER_QUERY) {
            List<String> chunk = ids.subList(start, Math.min(ids.size(), start + IDS_PER_QUERY));
            String marks = String.join(", ", Collections.nCopies(chunk.size(), "?"));
            try (PreparedStatement s =
                    c.prepareStatement("SELECT lapse_id FROM lapses WHERE lapse_id IN (" + marks + ")")) {
                for (int i = 0; i < chunk.size(); i++) {
                    s.setString(i + 1, chunk.get(i));
                }
                try (ResultSet r = s.executeQuery()) {
                    while (r.next()) {
                        recorded.add(r.getString(1).strip());
                    }
                }
            }
        }
        return recorded;
    }

    /** Whether this call inserted the lapse; false when it was recorded already, by any instance. */
    private static boolean insert(Connection c, String environment, String id, Lapse lapse, Instant now)
            throws SQLException {
        try (PreparedStatement s = c.prepareStatement("INSERT INTO lapses (lapse_id, environment, kind, target,"
                + " until_at, recorded_at) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING")) {
            s.setString(1, id);
            s.setString(2, environment);
            s.setString(3, lapse.action());
            s.setString(4, AuditLog.truncate(lapse.target(), 1000));
            s.setTimestamp(5, Timestamp.from(lapse.until()));
            s.setTimestamp(6, Timestamp.from(now));
            return s.executeUpdate() == 1;
        }
    }

    /**
     * Removes the override rows of {@code revision} whose {@code until} is the retention or more before {@code now}, in
     * a new revision based on {@code revision}; {@link Pruned#CONFLICT} when the environment has moved on since.
     */
    Pruned prune(String environment, long revision, Instant now) {
        return prune(environment, revision, document(environment, revision), now);
    }

    /** {@link #prune(String, long, Instant)} on {@code document}, the logic of {@code revision} already read. */
    private Pruned prune(String environment, long revision, ObjectNode document, Instant now) {
        Instant cutoff = now.minus(retention);
        List<WindowedRows.Row> expired = WindowedRows.of(document).stream()
                .filter(row -> row.until() != null && !row.until().isAfter(cutoff))
                .toList();
        if (expired.isEmpty()) {
            return Pruned.NOTHING;
        }
        String rows = expired.stream()
                .map(row -> row.target() + " (until " + row.until() + ")")
                .collect(Collectors.joining(", "));
        String message = "pruned " + expired.size() + (expired.size() == 1 ? " override row" : " override rows")
                + " expired for " + describe(retention) + " or more: " + rows;
        try {
            LogicStore.Revision pruned = store.change(
                    LogicStore.Change.byServer(RETENTION_ACTOR, AuditLog.truncate(message, 2_000)),
                    environment,
                    revision,
                    "override.pruned",
                    rows,
                    doc -> {
                        for (WindowedRows.Row row : expired) {
                            LogicEdits.pruneRow(doc, row.field(), row.attribute(), row.key());
                        }
                        return doc;
                    });
            LOG.info(
                    "Pruned {} expired override rows of environment {} in revision {}",
                    expired.size(),
                    environment,
                    pruned.revision());
            return Pruned.PRUNED;
        } catch (ApiException e) {
            if (e.status() != 409) {
                throw e;
            }
            LOG.debug("Pruning environment {} met a concurrent change; next round", environment);
            return Pruned.CONFLICT;
        }
    }

    /** {@code 30 days} for whole days, else the ISO-8601 form. */
    static String describe(Duration duration) {
        long days = duration.toDays();
        if (duration.equals(Duration.ofDays(days))) {
            return days == 1 ? "1 day" : days + " days";
        }
        return duration.toString();
    }
}
