package dev.tollgate.server;

import org.junit.jupiter.api.BeforeAll;

/** The metered fleet on the embedded H2 database. */
class H2MeteredFleetTest extends MeteredFleetContract {
    @BeforeAll
    static void start() {
        startServer(TestServers.Storage.H2);
    }
}
