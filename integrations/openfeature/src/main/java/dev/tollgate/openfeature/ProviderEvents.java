package dev.tollgate.openfeature;

import dev.openfeature.sdk.ErrorCode;
import dev.openfeature.sdk.EventProvider;
import dev.openfeature.sdk.ImmutableMetadata;
import dev.openfeature.sdk.ProviderEvent;
import dev.openfeature.sdk.ProviderEventDetails;
import dev.tollgate.ClientStatus;
import dev.tollgate.SnapshotChange;
import dev.tollgate.TollgateClient;
import java.util.function.Consumer;

/**
 * Turns the client's status and snapshot changes into OpenFeature provider events.
 *
 * <p>Protocol: the client calls {@link #statusChanged} and {@link #snapshotChanged} on its own event thread, one at a
 * time; {@link #initialized} runs on the thread that initializes the provider. All three hold this object's monitor,
 * which guards {@code initialized}, {@code initialRevision} and {@code announced}, the provider state OpenFeature was
 * last told about. Until {@code initialize} ends, OpenFeature itself reports the outcome (READY when it returns, ERROR
 * when it throws), so nothing is emitted; afterwards a status change is emitted only when it maps to another state than
 * the one announced, so a client that keeps failing its retries reports STALE once, not once per retry. A change that
 * lands between the end of the wait and the end of {@code initialize} is announced with the client's next status
 * change: a failing source reports every new error, so a STALE client is seen at its next retry. A snapshot installed
 * before {@code initialize} ended is not announced as a configuration change, even when its event arrives after.
 * Emitting under the monitor is safe: {@link EventProvider#emit} updates OpenFeature's state and hands the event to
 * OpenFeature's own executor, and never calls back into this object.
 */
final class ProviderEvents {
    private final EventProvider provider;
    private final TollgateClient client;
    private final Consumer<ClientStatus> statusListener = this::statusChanged;
    private final Consumer<SnapshotChange> snapshotListener = this::snapshotChanged;
    private boolean attached;
    private boolean initialized;
    private Announced announced = Announced.NONE;
    /** The revision served when {@code initialize} ended: READY announced it, so its snapshot events are not news. */
    private long initialRevision;

    /** The provider states this class announces. */
    enum Announced {
        NONE,
        READY,
        STALE,
        ERROR
    }

    ProviderEvents(EventProvider provider, TollgateClient client) {
        this.provider = provider;
        this.client = client;
    }

    /** Starts listening to the client; idempotent. */
    synchronized void attach() {
        if (!attached) {
            attached = true;
            client.addStatusListener(statusListener);
            client.addSnapshotListener(snapshotListener);
        }
    }

    /** Stops listening; events the client is delivering right now may still arrive and are dropped. */
    synchronized void detach() {
        attached = false;
        client.removeStatusListener(statusListener);
        client.removeSnapshotListener(snapshotListener);
    }

    /** Records how {@code initialize} ended: OpenFeature announces READY if the provider serves, else ERROR. */
    synchronized void initialized(boolean serving) {
        initialized = true;
        initialRevision = client.revision();
        announced = serving ? Announced.READY : Announced.ERROR;
    }

    synchronized void statusChanged(ClientStatus status) {
        Announced next = map(status.state());
        if (!attached || !initialized || next == Announced.NONE || next == announced) {
            return;
        }
        announced = next;
        ProviderEventDetails.ProviderEventDetailsBuilder<?, ?> details =
                ProviderEventDetails.builder().eventMetadata(metadata(status));
        switch (next) {
            case READY -> provider.emit(
                    ProviderEvent.PROVIDER_READY,
                    details.message("serving revision " + status.revision()).build());
            case STALE -> provider.emit(
                    ProviderEvent.PROVIDER_STALE, details.message(why(status)).build());
            default -> provider.emit(
                    ProviderEvent.PROVIDER_ERROR,
                    details.errorCode(ErrorCode.GENERAL).message(why(status)).build());
        }
    }

    /**
     * A change the client delivers after {@code initialize} ended but installed before (its events run on the client's
     * thread, later) is part of what READY announced, and is not emitted again as CONFIGURATION_CHANGED.
     */
    synchronized void snapshotChanged(SnapshotChange change) {
        if (!attached || !initialized || change.revision() <= initialRevision) {
            return;
        }
        provider.emit(
                ProviderEvent.PROVIDER_CONFIGURATION_CHANGED,
                ProviderEventDetails.builder()
                        .flagsChanged(change.changedPaths())
                        .message("revision " + change.revision() + " from " + change.source())
                        .eventMetadata(ImmutableMetadata.builder()
                                .addLong(Answers.REVISION, change.revision())
                                .addLong("tollgate.previousRevision", change.previousRevision())
                                .build())
                        .build());
    }

    /**
     * VALID is READY; STALE and INTERRUPTED serve a snapshot no live source confirms now, which OpenFeature calls
     * STALE; OFF is ERROR when every live source stopped for good, and STALE when the client was closed, since the
     * answers then stay at the last revision without anything having failed.
     */
    private Announced map(ClientStatus.State state) {
        return switch (state) {
            case INITIALIZING -> Announced.NONE;
            case VALID -> Announced.READY;
            case STALE, INTERRUPTED -> Announced.STALE;
            case OFF -> client.isClosed() ? Announced.STALE : Announced.ERROR;
        };
    }

    private String why(ClientStatus status) {
        if (status.state() == ClientStatus.State.OFF && client.isClosed()) {
            return "the Tollgate client was closed; answers stay at revision " + status.revision();
        }
        String state = "Tollgate client " + status.state() + ", serving revision " + status.revision();
        return status.lastError()
                .map(error -> state + "; last error: " + error.source() + ": " + error.message())
                .orElse(state);
    }

    private static ImmutableMetadata metadata(ClientStatus status) {
        return ImmutableMetadata.builder()
                .addLong(Answers.REVISION, status.revision())
                .addString("tollgate.state", status.state().name())
                .build();
    }
}
