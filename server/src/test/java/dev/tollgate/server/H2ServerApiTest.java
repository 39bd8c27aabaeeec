package dev.tollgate.server;

import org.junit.jupiter.api.BeforeAll;

/** The storage and admin API suite on the embedded H2 database. */
class H2ServerApiTest extends ServerApiContract {
    @BeforeAll
    static void start() {
        startServer(TestServers.Storage.H2);
    }
}
