package dev.tollgate.server;

import org.junit.jupiter.api.BeforeAll;

/** The organization directory's API on the embedded H2 database. */
class OrganizationDirectoryTest extends OrganizationDirectoryContract {
    @BeforeAll
    static void start() {
        startServer(TestServers.Storage.H2);
    }
}
