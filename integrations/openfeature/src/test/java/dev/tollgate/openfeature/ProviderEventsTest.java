package dev.tollgate.openfeature;

import static dev.tollgate.openfeature.Fixtures.context;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.openfeature.sdk.Client;
import dev.openfeature.sdk.ErrorCode;
import dev.openfeature.sdk.EventDetails;
import dev.openfeature.sdk.FlagEvaluationDetails;
import dev.openfeature.sdk.OpenFeatureAPI;
import dev.openfeature.sdk.ProviderState;
import dev.openfeature.sdk.exceptions.OpenFeatureError;
import dev.tollgate.ClientStatus;
import dev.tollgate.LogOptions;
import dev.tollgate.SourceError;
import dev.tollgate.TollgateClient;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Provider events through OpenFeature's handlers, with a client fed by a live source the test drives. */
class ProviderEventsTest {
    private final OpenFeatureAPI api = OpenFeatureAPI.getInstance();
    private final ManualSource source = new ManualSource();
    private final TollgateClient tollgate = TollgateClient.builder(Fixtures.SCHEMA)
            .source(source)
            .logs(LogOptions.disabled())
            .build();
    /**
     * The events handlers received, each with its details. OpenFeature runs handlers on its own thread pool, so events
     * emitted back to back (READY and CONFIGURATION_CHANGED for one snapshot) may reach them in either order.
     */
    private final BlockingQueue<Map.Entry<String, EventDetails>> events = new LinkedBlockingQueue<>();

    @AfterEach
    void shutdown() {
        api.shutdown();
        tollgate.close();
    }

    private TollgateProvider.Builder provider() {
        return TollgateProvider.newBuilder(tollgate).targetingKey("user.id");
    }

    private void listen() {
        api.onProviderReady(event -> record("READY", event));
        api.onProviderStale(event -> record("STALE", event));
        api.onProviderError(event -> record("ERROR", event));
        api.onProviderConfigurationChanged(event -> record("CONFIGURATION_CHANGED", event));
    }

    private void record(String name, EventDetails event) {
        events.add(Map.entry(name, event));
    }

    private EventDetails next(String expected) throws InterruptedException {
        Map.Entry<String, EventDetails> event = events.poll(5, TimeUnit.SECONDS);
        assertThat(event).as("the next event").isNotNull();
        assertThat(event.getKey()).as("the next event").isEqualTo(expected);
        return event.getValue();
    }

    /** The next two events, which must be {@code first} and {@code second} in either order, by name. */
    private Map<String, EventDetails> nextTwo(String first, String second) throws InterruptedException {
        Map<String, EventDetails> received = new HashMap<>();
        for (int i = 0; i < 2; i++) {
            Map.Entry<String, EventDetails> event = events.poll(5, TimeUnit.SECONDS);
            assertThat(event).as("event " + (i + 1) + " of two").isNotNull();
            received.put(event.getKey(), event.getValue());
        }
        assertThat(received).containsOnlyKeys(first, second);
        return received;
    }

    private void deliver(long revision) {
        source.context().deliver(Fixtures.snapshot(revision).toJson().getBytes(UTF_8), null);
    }

    @Test
    void initialize_waitsForTheFirstSnapshot_thenReady() throws InterruptedException {
        listen();
        Thread delivery = new Thread(() -> deliver(1));
        delivery.start();

        api.setProviderAndWait(provider().initTimeout(Duration.ofSeconds(5)).build());

        assertThat(next("READY").getProviderName()).isEqualTo("Tollgate");
        assertThat(api.getClient().getProviderState()).isEqualTo(ProviderState.READY);
        assertThat(api.getClient().getIntegerValue("entitlements.maxTeamSize", 5, context("org_7", "PRO", "u_1")))
                .isEqualTo(20);
    }

    @Test
    void initTimeout_isProviderError_evaluationsNotReady_untilASnapshotMakesItReady() throws InterruptedException {
        listen();
        TollgateProvider provider = provider().initTimeout(Duration.ZERO).build();

        assertThatThrownBy(() -> api.setProviderAndWait(provider))
                .isInstanceOf(OpenFeatureError.class)
                .hasMessageStartingWith("Tollgate has no snapshot: no source delivered a snapshot within 0 ms");
        assertThat(next("ERROR").getMessage())
                .isEqualTo("Tollgate has no snapshot: no source delivered a snapshot within 0 ms");
        Client client = api.getClient();
        FlagEvaluationDetails<Integer> notReady =
                client.getIntegerDetails("entitlements.maxTeamSize", 5, context("org_7", "PRO", "u_1"));
        assertThat(notReady.getValue()).isEqualTo(5);
        assertThat(notReady.getErrorCode()).isEqualTo(ErrorCode.PROVIDER_NOT_READY);
        assertThat(notReady.getFlagMetadata().getString("tollgate.reason")).isEqualTo("fallback:NOT_READY");

        deliver(1);

        Map<String, EventDetails> received = nextTwo("READY", "CONFIGURATION_CHANGED");
        assertThat(received.get("READY").getMessage()).isEqualTo("serving revision 1");
        assertThat(received.get("CONFIGURATION_CHANGED").getFlagsChanged())
                .contains("entitlements.maxTeamSize", "entitlements.brandName");
        assertThat(client.getProviderState()).isEqualTo(ProviderState.READY);
        assertThat(client.getIntegerValue("entitlements.maxTeamSize", 5, context("org_7", "PRO", "u_1")))
                .isEqualTo(20);
    }

    @Test
    void snapshotInstalledBeforeInitializeEnded_isNotAConfigurationChange_whenItsEventArrivesAfter()
            throws InterruptedException {
        // Holds the client's event thread on revision 1's status event, which comes before its snapshot event, until
        // the provider is READY, as a busy machine may.
        CountDownLatch release = new CountDownLatch(1);
        tollgate.addStatusListener(status -> {
            if (status.revision() == 1) {
                awaitQuietly(release);
            }
        });
        List<Long> heard = new CopyOnWriteArrayList<>();
        tollgate.addSnapshotListener(change -> heard.add(change.revision()));
        listen();
        deliver(1);

        api.setProviderAndWait(provider().build());
        assertThat(next("READY").getProviderName()).isEqualTo("Tollgate");
        assertThat(heard).as("revision 1's event, still held").isEmpty();
        release.countDown();
        deliver(2);

        EventDetails changed = next("CONFIGURATION_CHANGED");
        assertThat(changed.getMessage()).isEqualTo("revision 2 from manual");
        assertThat(heard).containsExactly(1L, 2L);
        assertThat(events.poll(200, TimeUnit.MILLISECONDS)).isNull();
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            assertThat(latch.await(10, TimeUnit.SECONDS)).isTrue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void newRevision_isConfigurationChanged_withTheChangedFieldPaths() throws InterruptedException {
        deliver(1);
        api.setProviderAndWait(provider().build());
        listen();

        source.context()
                .deliver(
                        Fixtures.snapshot(2)
                                .field("entitlements.maxTeamSize", f -> f.defaultValue(4))
                                .value("entitlements.teamRolesEnabled", true)
                                .toJson()
                                .getBytes(UTF_8),
                        null);

        EventDetails changed = next("CONFIGURATION_CHANGED");
        assertThat(changed.getFlagsChanged())
                .containsExactly("entitlements.teamRolesEnabled", "entitlements.maxTeamSize");
        assertThat(changed.getMessage()).isEqualTo("revision 2 from manual");
        assertThat(changed.getEventMetadata().getLong("tollgate.revision")).isEqualTo(2L);
        assertThat(changed.getEventMetadata().getLong("tollgate.previousRevision"))
                .isEqualTo(1L);
    }

    @Test
    void failingSource_isStaleOnce_thenReadyWhenItRecovers() throws InterruptedException {
        deliver(1);
        api.setProviderAndWait(provider().build());
        listen();

        source.context().failed(SourceError.Kind.NETWORK, "connection refused");
        source.context().failed(SourceError.Kind.NETWORK, "connection refused again");

        EventDetails stale = next("STALE");
        assertThat(stale.getMessage())
                .isEqualTo("Tollgate client INTERRUPTED, serving revision 1; last error: manual: connection refused");
        assertThat(stale.getEventMetadata().getString("tollgate.state")).isEqualTo("INTERRUPTED");
        assertThat(api.getClient().getProviderState()).isEqualTo(ProviderState.STALE);
        assertThat(api.getClient().getIntegerValue("entitlements.maxTeamSize", 5, context("org_7", "PRO", "u_1")))
                .as("a stale provider answers from the last good snapshot")
                .isEqualTo(20);

        source.context().upToDate();

        assertThat(next("READY").getMessage()).isEqualTo("serving revision 1");
        assertThat(events).isEmpty();
    }

    @Test
    void sourceStoppedForGood_isProviderError_andEvaluationGoesOn() throws InterruptedException {
        deliver(1);
        api.setProviderAndWait(provider().build());
        listen();

        source.context().stopped(SourceError.Kind.HTTP_STATUS, "HTTP 401: the token was refused");

        EventDetails error = next("ERROR");
        assertThat(error.getMessage())
                .isEqualTo(
                        "Tollgate client OFF, serving revision 1; last error: manual: HTTP 401: the token was refused");
        assertThat(api.getClient().getProviderState()).isEqualTo(ProviderState.ERROR);
        assertThat(api.getClient()
                        .getIntegerDetails("entitlements.maxTeamSize", 5, context("org_7", "PRO", "u_1"))
                        .getValue())
                .isEqualTo(20);
    }

    @Test
    void clientClosedUnderTheProvider_isStale() throws InterruptedException {
        deliver(1);
        api.setProviderAndWait(provider().build());
        listen();

        tollgate.close();

        assertThat(next("STALE").getMessage()).isEqualTo("the Tollgate client was closed; answers stay at revision 1");
    }

    @Test
    void shutdown_stopsListening_andLeavesAClientItDoesNotOwnOpen() throws InterruptedException {
        deliver(1);
        api.setProviderAndWait(provider().build());
        listen();

        api.shutdown();
        deliver(2);

        assertThat(events.poll(200, TimeUnit.MILLISECONDS)).isNull();
        assertThat(tollgate.isClosed()).isFalse();
        assertThat(tollgate.status().state()).isEqualTo(ClientStatus.State.VALID);
    }
}
