package dev.tollgate.server;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.metrics.micrometer.MicrometerMetricsTrackerFactory;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.SQLException;
import org.flywaydb.core.Flyway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The connection pool, migrated on open; H2 in a file when no JDBC URL is configured, else PostgreSQL. */
final class Database implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Database.class);

    private final HikariDataSource pool;
    private final boolean postgres;
    private final String url;

    private Database(HikariDataSource pool, boolean postgres, String url) {
        this.pool = pool;
        this.postgres = postgres;
        this.url = url;
    }

    static Database open(ServerConfig config) {
        String url = config.dbUrl().isBlank() ? embeddedUrl(config) : config.dbUrl();
        boolean postgres = url.startsWith("jdbc:postgresql:");
        if (!postgres && !url.startsWith("jdbc:h2:")) {
            throw new IllegalArgumentException(
                    "tollgate.db.url must be a jdbc:postgresql: or jdbc:h2: URL, was " + redact(url));
        }
        HikariConfig hikari = new HikariConfig();
        hikari.setJdbcUrl(url);
        if (!config.dbUser().isEmpty()) {
            hikari.setUsername(config.dbUser());
        }
        if (!config.dbPassword().isEmpty()) {
            hikari.setPassword(config.dbPassword());
        }
        hikari.setMaximumPoolSize(config.dbPoolSize());
        hikari.setPoolName("tollgate-db");
        hikari.setAutoCommit(true);
        HikariDataSource pool = new HikariDataSource(hikari);
        try {
            Flyway.configure()
                    .dataSource(pool)
                    .locations("classpath:db/migration")
                    .load()
                    .migrate();
        } catch (RuntimeException e) {
            pool.close();
            throw e;
        }
        LOG.info("Database {} ready", redact(url));
        return new Database(pool, postgres, url);
    }

    private static String embeddedUrl(ServerConfig config) {
        try {
            Files.createDirectories(config.dataDir());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the data directory " + config.dataDir(), e);
        }
        String file = config.dataDir().toAbsolutePath().resolve("tollgate").toString();
        return "jdbc:h2:file:" + file + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH";
    }

    /** The URL without any password parameter, for logs. */
    static String redact(String url) {
        return url.replaceAll("(?i)(password=)[^&;]*", "$1***");
    }

    boolean isPostgres() {
        return postgres;
    }

    String url() {
        return url;
    }

    /** A pooled connection in auto-commit mode. */
    Connection connection() throws SQLException {
        return pool.getConnection();
    }

    /** Runs {@code work} in one transaction: committed if it returns, rolled back if it throws. */
    <T> T transaction(SqlWork<T> work) {
        try (Connection connection = pool.getConnection()) {
            connection.setAutoCommit(false);
            try {
                T result = work.run(connection);
                connection.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                connection.rollback();
                throw e;
            } finally {
                connection.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw new StorageException(e);
        }
    }

    /** Runs {@code work} on one auto-commit connection. */
    <T> T read(SqlWork<T> work) {
        try (Connection connection = pool.getConnection()) {
            return work.run(connection);
        } catch (SQLException e) {
            throw new StorageException(e);
        }
    }

    /**
     * Publishes the pool's meters ({@code hikaricp.connections}, its active, idle and pending connections, acquire and
     * usage times, ...) to {@code registry}, tagged with the pool's name {@code tollgate-db}; once.
     */
    void bindMetrics(MeterRegistry registry) {
        pool.setMetricsTrackerFactory(new MicrometerMetricsTrackerFactory(registry));
    }

    @Override
    public void close() {
        pool.close();
    }

    /** Work against one connection. */
    @FunctionalInterface
    interface SqlWork<T> {
        T run(Connection connection) throws SQLException;
    }

    /** A database failure, answered with 503 so that clients retry. */
    static final class StorageException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        StorageException(SQLException cause) {
            super("database error: " + cause.getMessage(), cause);
        }
    }
}
