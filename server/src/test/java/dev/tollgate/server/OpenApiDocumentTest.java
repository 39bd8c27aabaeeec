package dev.tollgate.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/** Keeps {@code docs/server-openapi.json} and the server's routes the same set, and checks that it is served. */
class OpenApiDocumentTest {
    private static final Path DOCUMENT = Path.of("../docs/server-openapi.json");

    @Test
    void everyRouteIsDocumented_andEveryDocumentedOperationExists() throws Exception {
        Router router = new Router(null, null, null, null);
        new SdkApi(null, null, null, null, null, 0).register(router);
        new AdminApi(null, null, null, null, null, null, null, 0).register(router);
        new LogicApi(null, null, 0).register(router);
        router.add("GET", "/v1/health", Router.Access.PUBLIC, call -> {});
        router.add("GET", "/v1/metrics", Router.Access.VIEWER, call -> {});
        JsonNode paths = Api.JSON.readTree(Files.readAllBytes(DOCUMENT)).get("paths");
        List<String> documented = new ArrayList<>();
        paths.fields().forEachRemaining(path -> path.getValue()
                .fieldNames()
                .forEachRemaining(method -> documented.add(method.toUpperCase(Locale.ROOT) + " " + path.getKey())));

        assertThat(documented).containsExactlyInAnyOrderElementsOf(router.routes());
    }

    @Test
    void theDocumentIsServed() throws Exception {
        try (TollgateServer server = TestServers.start(TestServers.Storage.H2)) {
            Api.Response served = new Api(server.url(), null).get("/v1/admin/openapi.json");

            assertThat(served.status()).isEqualTo(200);
            assertThat(served.json()).isEqualTo(Api.JSON.readTree(Files.readAllBytes(DOCUMENT)));
        }
    }
}
