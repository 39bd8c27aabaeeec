package dev.tollgate.spring.boot.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tollgate.spring.boot.test.flags.Tollgate;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.actuate.health.HealthEndpointGroups;
import org.springframework.boot.availability.ApplicationAvailability;
import org.springframework.boot.availability.ReadinessState;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;

/** The starter's promise end to end: a real application, its routes, probes and actuator endpoints over HTTP. */
@SpringBootTest(
        classes = SeatsApplication.class,
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "tollgate.client.entry-point=dev.tollgate.spring.boot.test.flags.Tollgate",
            "management.endpoint.health.probes.enabled=true",
            "management.endpoints.web.exposure.include=health,tollgate,metrics",
            "management.endpoint.health.show-details=always"
        })
class TollgateSpringBootTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @LocalServerPort
    int port;

    @Autowired
    Tollgate tollgate;

    @Autowired
    ApplicationAvailability availability;

    @Autowired
    HealthEndpointGroups groups;

    private HttpResponse<String> get(String path) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                .timeout(Duration.ofSeconds(10))
                .build();
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private JsonNode getJson(String path) throws IOException, InterruptedException {
        HttpResponse<String> response = get(path);
        assertThat(response.statusCode()).as(path + ": " + response.body()).isEqualTo(200);
        return JSON.readTree(response.body());
    }

    @Test
    void route_answersFromTheInjectedEntryPoint() throws Exception {
        HttpResponse<String> pro = get("/seats?org=org_a&plan=PRO");
        assertThat(pro.statusCode()).isEqualTo(200);
        assertThat(pro.body()).isEqualTo("50");
        assertThat(get("/seats?org=org_b&plan=FREE").body()).isEqualTo("10");
        assertThat(get("/seats?org=org_big&plan=FREE").body()).isEqualTo("500");
    }

    @Test
    void readinessProbe_isUp_andItsGroupHasTollgate_livenessDoesNot() throws Exception {
        assertThat(availability.getReadinessState()).isEqualTo(ReadinessState.ACCEPTING_TRAFFIC);
        // Spring Boot's probe groups show no components over HTTP, only their status
        assertThat(getJson("/actuator/health/readiness").path("status").asText())
                .isEqualTo("UP");
        assertThat(getJson("/actuator/health/liveness").path("status").asText()).isEqualTo("UP");
        assertThat(groups.get("readiness").isMember("tollgate")).isTrue();
        assertThat(groups.get("readiness").isMember("readinessState")).isTrue();
        assertThat(groups.get("liveness").isMember("tollgate")).isFalse();
        assertThat(groups.get("liveness").isMember("livenessState")).isTrue();
    }

    @Test
    void health_showsTollgateUp_withItsDetails() throws Exception {
        JsonNode health = getJson("/actuator/health");
        JsonNode tollgate = health.path("components").path("tollgate");
        assertThat(tollgate.path("status").asText()).isEqualTo("UP");
        assertThat(tollgate.path("details").path("state").asText()).isEqualTo("VALID");
        assertThat(tollgate.path("details").path("revision").asLong()).isEqualTo(3);
        assertThat(tollgate.path("details").path("source").asText())
                .isEqualTo("embedded(" + Tollgate.BUILD_TIME_SNAPSHOT_RESOURCE + ")");
    }

    @Test
    @DirtiesContext
    void readinessProbe_tollgateClosed_isOutOfService_livenessStaysUp() throws Exception {
        tollgate.close();
        HttpResponse<String> readiness = get("/actuator/health/readiness");
        assertThat(readiness.statusCode()).isEqualTo(503);
        assertThat(JSON.readTree(readiness.body()).path("status").asText()).isEqualTo("OUT_OF_SERVICE");
        HttpResponse<String> liveness = get("/actuator/health/liveness");
        assertThat(liveness.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(liveness.body()).path("status").asText()).isEqualTo("UP");
    }

    @Test
    void tollgateEndpoint_showsTheInstalledRevision() throws Exception {
        JsonNode status = getJson("/actuator/tollgate");
        assertThat(status.path("revision").asLong()).isEqualTo(3);
        assertThat(status.path("state").asText()).isEqualTo("VALID");
        assertThat(status.path("schemaHash").asText()).isEqualTo(Tollgate.SCHEMA_HASH);
        assertThat(status.path("lastError").isNull()).isTrue();
    }

    @Test
    void evaluationsMetric_countsTheRoutesEvaluations() throws Exception {
        String meter = "/actuator/metrics/tollgate.evaluations?tag=field:entitlements.maxSeats&tag=outcome:rule";
        double before = count(getJson(meter));
        assertThat(get("/seats?org=org_a&plan=PRO").body()).isEqualTo("50");
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        double after = count(getJson(meter));
        // a scrape reuses its reading of the counters for a moment
        while (after < before + 1 && System.nanoTime() < deadline) {
            Thread.sleep(20);
            after = count(getJson(meter));
        }
        assertThat(after).isEqualTo(before + 1);
    }

    private static double count(JsonNode meter) {
        assertThat(meter.path("name").asText()).isEqualTo("tollgate.evaluations");
        for (JsonNode measurement : meter.path("measurements")) {
            if (measurement.path("statistic").asText().equals("COUNT")) {
                return measurement.path("value").asDouble();
            }
        }
        throw new AssertionError("no COUNT in " + meter);
    }
}
