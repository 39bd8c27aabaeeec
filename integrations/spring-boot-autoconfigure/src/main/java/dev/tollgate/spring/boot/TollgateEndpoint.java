package dev.tollgate.spring.boot;

import dev.tollgate.ClientStatus;
import dev.tollgate.TollgateClient;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;

/**
 * {@code /actuator/tollgate}: the client's state, revision, source, schema and last error, read-only. Exposed over
 * HTTP when {@code management.endpoints.web.exposure.include} names {@code tollgate}.
 */
@Endpoint(id = "tollgate")
public class TollgateEndpoint {
    private final TollgateClient client;

    /**
     * The endpoint for {@code client}.
     *
     * @param client the client
     */
    public TollgateEndpoint(TollgateClient client) {
        this.client = Objects.requireNonNull(client, "client");
    }

    /**
     * The client's status now.
     *
     * @return state, revision, ready, source, schema hash and whether snapshots match it, installed and last success
     *     instants, last error, and the counts of rejected snapshots, signature failures and schema mismatches
     */
    @ReadOperation
    public Map<String, Object> status() {
        ClientStatus status = client.status();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("state", status.state().name());
        body.put("revision", status.revision());
        body.put("ready", client.isReady());
        body.put("source", status.source().orElse(null));
        body.put("schemaHash", client.schema().hash());
        body.put("schemaHashMatches", status.schemaHashMatches());
        body.put(
                "installedAt",
                client.metrics().installedAt().map(Object::toString).orElse(null));
        body.put("lastSuccess", status.lastSuccess().map(Object::toString).orElse(null));
        body.put(
                "lastError",
                status.lastError()
                        .map(error -> {
                            Map<String, Object> e = new LinkedHashMap<>();
                            e.put("time", error.time().toString());
                            e.put("source", error.source());
                            e.put("kind", error.kind().name());
                            e.put("message", error.message());
                            return e;
                        })
                        .orElse(null));
        body.put("rejectedSnapshots", status.rejectedSnapshots());
        body.put("signatureFailures", status.signatureFailures());
        body.put("schemaMismatches", status.schemaMismatches());
        return body;
    }
}
