package dev.tollgate.spring.boot;

import dev.tollgate.ClientStatus;
import dev.tollgate.ReadyResult;
import dev.tollgate.TollgateClient;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import org.springframework.boot.actuate.health.AbstractHealthIndicator;
import org.springframework.boot.actuate.health.Health;

/**
 * The client's readiness: {@code OUT_OF_SERVICE} while no live source has delivered or confirmed a snapshot, for at most
 * {@code tollgate.client.readiness-timeout} after start, and once the client is closed; {@code UP} otherwise, with the
 * state, revision, source and last error as details. A stale or interrupted source keeps it {@code UP}: evaluation goes
 * on from the last good snapshot, and taking traffic away would not bring the source back. It belongs in the readiness
 * group, never in liveness: evaluation works offline, so restarting the service would not help.
 */
public class TollgateHealthIndicator extends AbstractHealthIndicator {
    private final TollgateClient client;
    private final Duration readinessTimeout;
    private final Clock clock;
    private final Instant started;

    /**
     * A health indicator for {@code client}, which waits up to {@code readinessTimeout} from now for a live source.
     *
     * @param client the client
     * @param readinessTimeout how long to report {@code OUT_OF_SERVICE} while no live source has answered
     */
    public TollgateHealthIndicator(TollgateClient client, Duration readinessTimeout) {
        this(client, readinessTimeout, Clock.systemUTC());
    }

    TollgateHealthIndicator(TollgateClient client, Duration readinessTimeout, Clock clock) {
        super("Tollgate health check failed");
        this.client = Objects.requireNonNull(client, "client");
        this.readinessTimeout = Objects.requireNonNull(readinessTimeout, "readinessTimeout");
        if (readinessTimeout.isNegative()) {
            throw new IllegalArgumentException(
                    TollgateClientFactory.property("readiness-timeout") + " must not be negative: " + readinessTimeout);
        }
        this.clock = clock;
        this.started = clock.instant();
    }

    @Override
    protected void doHealthCheck(Health.Builder builder) {
        ClientStatus status = client.status();
        builder.withDetail("state", status.state().name()).withDetail("revision", status.revision());
        status.source().ifPresent(source -> builder.withDetail("source", source));
        status.lastError()
                .ifPresent(error ->
                        builder.withDetail("lastError", error.source() + ": " + error.kind() + ": " + error.message()));
        if (client.isClosed()) {
            builder.outOfService().withDetail("reason", "the client is closed");
            return;
        }
        ReadyResult ready = client.readiness().getNow(null);
        if (ready != null) {
            builder.up();
            ready.message().ifPresent(message -> builder.withDetail("reason", message));
            return;
        }
        Duration waited = Duration.between(started, clock.instant());
        if (waited.compareTo(readinessTimeout) < 0) {
            builder.outOfService()
                    .withDetail(
                            "reason", "waiting up to " + readinessTimeout + " for a live source to deliver a snapshot");
            return;
        }
        builder.up()
                .withDetail(
                        "reason",
                        "no live source answered within " + readinessTimeout + "; "
                                + (client.isReady()
                                        ? "answering from revision " + client.revision()
                                        : "every evaluation answers its fallback"));
    }
}
