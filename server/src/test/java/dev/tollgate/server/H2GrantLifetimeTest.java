package dev.tollgate.server;

import org.junit.jupiter.api.BeforeAll;

/** Override rows with a lifetime on the embedded H2 database. */
class H2GrantLifetimeTest extends GrantLifetimeContract {
    @BeforeAll
    static void start() {
        startServer(TestServers.Storage.H2);
    }
}
