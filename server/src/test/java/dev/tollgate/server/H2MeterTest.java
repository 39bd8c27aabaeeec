package dev.tollgate.server;

import org.junit.jupiter.api.BeforeAll;

/** Metered usage on the embedded H2 database. */
class H2MeterTest extends MeterContract {
    @BeforeAll
    static void start() {
        startServer(TestServers.Storage.H2);
    }
}
