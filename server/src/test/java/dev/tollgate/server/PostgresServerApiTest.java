package dev.tollgate.server;

import org.junit.jupiter.api.BeforeAll;

/** The storage and admin API suite on a real PostgreSQL, started by the test setup. */
class PostgresServerApiTest extends ServerApiContract {
    @BeforeAll
    static void start() {
        startServer(TestServers.Storage.POSTGRES);
    }
}
