package dev.tollgate.server;

import org.junit.jupiter.api.BeforeAll;

/** Webhooks on the embedded H2 database. */
class H2WebhookTest extends WebhookContract {
    @BeforeAll
    static void start() {
        startServer(TestServers.Storage.H2);
    }
}
