package dev.tollgate.examples.team;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** A small JSON client for the service under test. */
final class Http {
    private static final ObjectMapper JSON = new ObjectMapper();

    record Reply(int status, JsonNode body) {}

    private final HttpClient client =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String base;

    Http(int port) {
        this.base = "http://localhost:" + port;
    }

    Reply addTeamMember(String organization, String teamId, String userId) throws IOException, InterruptedException {
        String body = JSON.createObjectNode()
                .put("userId", userId)
                .put("teamId", teamId)
                .toString();
        return send(request("/api/add-team-member", organization).POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    Reply get(String path, String organization) throws IOException, InterruptedException {
        return send(request(path, organization).GET());
    }

    private HttpRequest.Builder request(String path, String organization) {
        HttpRequest.Builder builder =
                HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(5));
        return organization == null ? builder : builder.header(TeamApi.ORGANIZATION_HEADER, organization);
    }

    private Reply send(HttpRequest.Builder request) throws IOException, InterruptedException {
        HttpResponse<String> response = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
        return new Reply(response.statusCode(), JSON.readTree(response.body()));
    }
}
