package dev.tollgate.server;

import org.junit.jupiter.api.BeforeAll;

/** The organization directory's API on a real PostgreSQL, started by the test setup. */
class OrganizationDirectoryPostgresTest extends OrganizationDirectoryContract {
    @BeforeAll
    static void start() {
        startServer(TestServers.Storage.POSTGRES);
    }
}
