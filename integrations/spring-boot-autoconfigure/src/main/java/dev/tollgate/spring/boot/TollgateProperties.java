package dev.tollgate.spring.boot;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.core.io.Resource;

/**
 * The client's settings under tollgate.client. Unset options keep the SDK's defaults
 * (docs/configuration.md); a set option is checked when the client is built, and a bad value stops the application
 * with a message naming the property.
 */
@ConfigurationProperties(prefix = TollgateProperties.PREFIX)
public class TollgateProperties {
    /** The prefix of every property. */
    public static final String PREFIX = "tollgate.client";

    /** Whether to build a client at all. */
    private boolean enabled = true;

    /**
     * The generated entry point, such as "com.example.flags.Tollgate": the class the code generator wrote for the
     * schema. It becomes a bean of its own type, loads its build-time snapshot, and its client is the TollgateClient bean.
     */
    private String entryPoint;

    /**
     * The schema, for a client without generated code, such as "classpath:tollgate/schema.graphql". Not with
     * entry-point, whose schema is compiled in.
     */
    private Resource schema;

    /**
     * A classpath snapshot installed when the schema client is built, such as "tollgate/snapshot.json". Not with
     * entry-point, whose generated class installs its build-time snapshot itself.
     */
    private String embeddedSnapshot;

    /** A snapshot file to load at start and follow for changes (GitOps, a mounted config map). */
    private Path snapshotFile;

    /** How often the snapshot file is checked for a change; 100 ms unless set. */
    private Duration snapshotFilePollInterval;

    /**
     * How long the readiness health check waits for a live source (the file or the server) to deliver or confirm a
     * snapshot before it reports the service ready anyway; meanwhile evaluation answers from the build-time or
     * last-known-good snapshot, or with fallbacks. Zero reports ready at once.
     */
    private Duration readinessTimeout = Duration.ofSeconds(10);

    /** Ed25519 public keys (base64 or PEM) that every snapshot must be signed with, one of them. */
    private List<String> publicKeys = new ArrayList<>();

    private final Server server = new Server();

    private final LastKnownGood lastKnownGood = new LastKnownGood();

    private final Logs logs = new Logs();

    public boolean isEnabled() {
        return enabled;
    }

    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    public String getEntryPoint() {
        return entryPoint;
    }

    public void setEntryPoint(String entryPoint) {
        this.entryPoint = entryPoint;
    }

    public Resource getSchema() {
        return schema;
    }

    public void setSchema(Resource schema) {
        this.schema = schema;
    }

    public String getEmbeddedSnapshot() {
        return embeddedSnapshot;
    }

    public void setEmbeddedSnapshot(String embeddedSnapshot) {
        this.embeddedSnapshot = embeddedSnapshot;
    }

    public Path getSnapshotFile() {
        return snapshotFile;
    }

    public void setSnapshotFile(Path snapshotFile) {
        this.snapshotFile = snapshotFile;
    }

    public Duration getSnapshotFilePollInterval() {
        return snapshotFilePollInterval;
    }

    public void setSnapshotFilePollInterval(Duration snapshotFilePollInterval) {
        this.snapshotFilePollInterval = snapshotFilePollInterval;
    }

    public Duration getReadinessTimeout() {
        return readinessTimeout;
    }

    public void setReadinessTimeout(Duration readinessTimeout) {
        this.readinessTimeout = readinessTimeout;
    }

    public List<String> getPublicKeys() {
        return publicKeys;
    }

    public void setPublicKeys(List<String> publicKeys) {
        this.publicKeys = publicKeys;
    }

    public Server getServer() {
        return server;
    }

    public LastKnownGood getLastKnownGood() {
        return lastKnownGood;
    }

    public Logs getLogs() {
        return logs;
    }

    /** A Tollgate server to follow: snapshots from its stream, evaluation logs to it. */
    public static class Server {
        /** The server's base URL, such as "https://tollgate.internal"; set with token. */
        private String url;

        /** The SDK token ("tgs_...") the server issued for this service. */
        private String token;

        /** Which environment's logic to fetch; the token's unless set. */
        private String environment;

        /** Whether to listen on the server's revision stream, polling only while it is down; true unless set. */
        private Boolean streaming;

        /** How often to poll without a stream; 30 s unless set. */
        private Duration pollInterval;

        /** The connect timeout; 10 s unless set. */
        private Duration connectTimeout;

        /** The longest wait for the next bytes of a snapshot; 10 s unless set. */
        private Duration readTimeout;

        public String getUrl() {
            return url;
        }

        public void setUrl(String url) {
            this.url = url;
        }

        public String getToken() {
            return token;
        }

        public void setToken(String token) {
            this.token = token;
        }

        public String getEnvironment() {
            return environment;
        }

        public void setEnvironment(String environment) {
            this.environment = environment;
        }

        public Boolean getStreaming() {
            return streaming;
        }

        public void setStreaming(Boolean streaming) {
            this.streaming = streaming;
        }

        public Duration getPollInterval() {
            return pollInterval;
        }

        public void setPollInterval(Duration pollInterval) {
            this.pollInterval = pollInterval;
        }

        public Duration getConnectTimeout() {
            return connectTimeout;
        }

        public void setConnectTimeout(Duration connectTimeout) {
            this.connectTimeout = connectTimeout;
        }

        public Duration getReadTimeout() {
            return readTimeout;
        }

        public void setReadTimeout(Duration readTimeout) {
            this.readTimeout = readTimeout;
        }
    }

    /** A verified copy of every installed snapshot on disk, to start from when no live source answers. */
    public static class LastKnownGood {
        /** The directory of the copy, created when missing; off unless set. */
        private Path directory;

        /** How old a copy may be and still be started from; 7 days unless set. */
        private Duration maxAge;

        public Path getDirectory() {
            return directory;
        }

        public void setDirectory(Path directory) {
            this.directory = directory;
        }

        public Duration getMaxAge() {
            return maxAge;
        }

        public void setMaxAge(Duration maxAge) {
            this.maxAge = maxAge;
        }
    }

    /** How evaluations are counted and shipped. */
    public static class Logs {
        /** Whether evaluations are counted and shipped at all. */
        private boolean enabled = true;

        /**
         * Where batches go: auto (the client's server, SLF4J without one), server (requires tollgate.client.server.url) or slf4j.
         */
        private Destination destination = Destination.AUTO;

        /** How often a batch is sent in the background; 5 s unless set. */
        private Duration flushInterval;

        /** Exposures held between flushes, more are dropped and counted; 10,000 unless set. */
        private Integer maxExposures;

        /** Attempts per batch before it is given up and counted as dropped; 5 unless set. */
        private Integer maxAttempts;

        /** How long closing the client, on context shutdown, waits for the final flush; 5 s unless set. */
        private Duration closeTimeout;

        public boolean isEnabled() {
            return enabled;
        }

        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }

        public Destination getDestination() {
            return destination;
        }

        public void setDestination(Destination destination) {
            this.destination = destination;
        }

        public Duration getFlushInterval() {
            return flushInterval;
        }

        public void setFlushInterval(Duration flushInterval) {
            this.flushInterval = flushInterval;
        }

        public Integer getMaxExposures() {
            return maxExposures;
        }

        public void setMaxExposures(Integer maxExposures) {
            this.maxExposures = maxExposures;
        }

        public Integer getMaxAttempts() {
            return maxAttempts;
        }

        public void setMaxAttempts(Integer maxAttempts) {
            this.maxAttempts = maxAttempts;
        }

        public Duration getCloseTimeout() {
            return closeTimeout;
        }

        public void setCloseTimeout(Duration closeTimeout) {
            this.closeTimeout = closeTimeout;
        }
    }

    /** Where evaluation log batches go. */
    public enum Destination {
        /** The client's server when tollgate.client.server.url is set, SLF4J otherwise. */
        AUTO,
        /** The client's server; requires tollgate.client.server.url. */
        SERVER,
        /** The application's log, through SLF4J. */
        SLF4J
    }
}
