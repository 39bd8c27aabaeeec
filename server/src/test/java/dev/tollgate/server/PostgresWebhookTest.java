package dev.tollgate.server;

import org.junit.jupiter.api.BeforeAll;

/** Webhooks on a real PostgreSQL, started by the test setup. */
class PostgresWebhookTest extends WebhookContract {
    @BeforeAll
    static void start() {
        startServer(TestServers.Storage.POSTGRES);
    }
}
