package dev.tollgate.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
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
        new SdkApi(null, null, null, null, null, null, null, null, 0).register(router);
        new AdminApi(null, null, null, null, null, null, null, 0).register(router);
        new LogicApi(null, null, null, null, 0).register(router);
        new ChangeRequestApi(null, null, null, null, 0).register(router);
        new DirectoryApi(null, null, null).register(router);
        new MeterApi(null, null, null, null, 0).register(router);
        new WebhookApi(null, null, null, 0).register(router);
        new OidcSignIn(ServerConfig.builder().build(), null, null, null).register(router);
        router.add("GET", "/v1/health", Router.Access.PUBLIC, call -> {});
        router.add("GET", "/v1/metrics", Router.Access.VIEWER, call -> {});
        JsonNode paths = Api.JSON.readTree(Files.readAllBytes(DOCUMENT)).get("paths");
        List<String> documented = new ArrayList<>();
        paths.fields().forEachRemaining(path -> path.getValue()
                .fieldNames()
                .forEachRemaining(method -> documented.add(method.toUpperCase(Locale.ROOT) + " " + path.getKey())));

        assertThat(documented).containsExactlyInAnyOrderElementsOf(router.routes());
    }

    /** The log endpoint's refusals of a body that is not JSON, or not gzip, are in the document. */
    @Test
    void theLogEndpointsUnsupportedMediaTypeAndEncoding_areDocumented_andSent() throws Exception {
        JsonNode logs = Api.JSON.readTree(Files.readAllBytes(DOCUMENT)).at("/paths/~1v1~1logs/post/responses");
        try (TollgateServer server = TestServers.start(TestServers.Storage.H2)) {
            Api admin = TestServers.admin(server);
            Api.Response created = admin.post(
                    "/v1/admin/tokens", java.util.Map.of("name", "svc", "kind", "sdk", "environment", "production"));
            Api sdk = admin.as(created.json().get("token").asText());
            Api.Response text =
                    sdk.post("/v1/logs", "{}".getBytes(StandardCharsets.UTF_8), "Content-Type", "text/plain");
            Api.Response brotli = sdk.post(
                    "/v1/logs",
                    "{}".getBytes(StandardCharsets.UTF_8),
                    "Content-Type",
                    "application/json",
                    "Content-Encoding",
                    "br");

            assertThat(text.status()).isEqualTo(415);
            assertThat(text.json().at("/error/code").asText()).isEqualTo("unsupported_media_type");
            assertThat(brotli.status()).isEqualTo(415);
            assertThat(brotli.json().at("/error/code").asText()).isEqualTo("unsupported_encoding");
        }
        assertThat(logs.fieldNames()).toIterable().contains("400", "413", "415");
        assertThat(logs.at("/415/description").asText())
                .contains("unsupported_media_type")
                .contains("unsupported_encoding");
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
