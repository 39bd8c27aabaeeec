package dev.tollgate.server;

import org.junit.jupiter.api.BeforeAll;

/** Override rows with a lifetime on a real PostgreSQL, started by the test setup. */
class PostgresGrantLifetimeTest extends GrantLifetimeContract {
    @BeforeAll
    static void start() {
        startServer(TestServers.Storage.POSTGRES);
    }
}
