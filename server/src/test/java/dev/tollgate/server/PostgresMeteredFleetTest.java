package dev.tollgate.server;

import org.junit.jupiter.api.BeforeAll;

/** The metered fleet on a real PostgreSQL, started by the test setup. */
class PostgresMeteredFleetTest extends MeteredFleetContract {
    @BeforeAll
    static void start() {
        startServer(TestServers.Storage.POSTGRES);
    }
}
