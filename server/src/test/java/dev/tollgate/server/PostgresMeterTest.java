package dev.tollgate.server;

import org.junit.jupiter.api.BeforeAll;

/** Metered usage on a real PostgreSQL, started by the test setup. */
class PostgresMeterTest extends MeterContract {
    @BeforeAll
    static void start() {
        startServer(TestServers.Storage.POSTGRES);
    }
}
