package dev.tollgate.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Override rows with a lifetime on the embedded H2 database. */
class H2GrantLifetimeTest extends GrantLifetimeContract {
    private static final int HISTORY = 2_000;

    @BeforeAll
    static void start() {
        startServer(TestServers.Storage.H2);
    }

    /**
     * Regression: every check that found a lapsed item read the ids of every lapse ever recorded in the environment
     * (the {@code lapses} table is never cleaned), so its cost grew with the history. H2's query statistics count the
     * rows the server's queries of {@code lapses} returned.
     */
    @Test
    void aCheckThatFindsALapse_readsOnlyItsCandidates_notTheEnvironmentsHistory() throws SQLException {
        String env = newEnvironment();
        String name = env.substring(env.lastIndexOf('/') + 1);
        server.checkWindows(); // the other tests' environments are checked at this instant: nothing is due in them
        try (Connection c = DriverManager.getConnection(url())) {
            seedHistory(c, name);
            set(
                    env,
                    "org_hooli",
                    body("value", 10, "until", now().minusMillis(1).toString(), "allowPastUntil", true));
            try (Statement s = c.createStatement()) {
                s.execute("SET QUERY_STATISTICS FALSE");
                s.execute("SET QUERY_STATISTICS TRUE");
            }

            server.checkWindows();

            assertThat(rowsReadFromLapses(c))
                    .as("rows of lapses read by a check with one candidate, in a history of " + HISTORY)
                    .isZero();
        }
        assertThat(entries(env, "override.lapsed")).hasSize(1);
    }

    private static String url() {
        return "jdbc:h2:file:" + config.dataDir().toAbsolutePath().resolve("tollgate")
                + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH";
    }

    /** Lapses recorded long ago in {@code environment}, of items no longer in its logic. */
    private static void seedHistory(Connection c, String environment) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("INSERT INTO lapses (lapse_id, environment, kind, target,"
                + " until_at, recorded_at) VALUES (?, ?, 'override.lapsed', ?, ?, ?)")) {
            Timestamp past = Timestamp.from(Instant.parse("2020-01-01T00:00:00Z"));
            for (int i = 0; i < HISTORY; i++) {
                s.setString(1, String.format("%064d", i));
                s.setString(2, environment);
                s.setString(3, "entitlements.maxTeamSize context.organization.id=org_" + i);
                s.setTimestamp(4, past);
                s.setTimestamp(5, past);
                s.addBatch();
            }
            s.executeBatch();
        }
    }

    private static long rowsReadFromLapses(Connection c) throws SQLException {
        long rows = 0;
        try (Statement s = c.createStatement();
                ResultSet r = s.executeQuery(
                        "SELECT sql_statement, cumulative_row_count FROM" + " information_schema.query_statistics")) {
            while (r.next()) {
                String sql = r.getString(1).toLowerCase(java.util.Locale.ROOT);
                if (sql.startsWith("select") && sql.contains("from lapses")) {
                    rows += r.getLong(2);
                }
            }
        }
        return rows;
    }
}
