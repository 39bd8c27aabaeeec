package dev.tollgate.benchmarks.sdk;

import com.launchdarkly.sdk.ContextKind;
import com.launchdarkly.sdk.LDContext;
import com.launchdarkly.sdk.server.Components;
import com.launchdarkly.sdk.server.LDClient;
import com.launchdarkly.sdk.server.LDConfig;
import com.launchdarkly.sdk.server.integrations.FileData;
import dev.tollgate.benchmarks.workload.Flag;
import dev.tollgate.benchmarks.workload.RequestData;
import dev.tollgate.benchmarks.workload.Workload;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * LaunchDarkly's Java server SDK with its file data source, with analytics events off ({@link Components#noEvents()})
 * or on (the default event processor, flushing every 5 seconds to a {@link LoopbackEventsServer} started here).
 *
 * <p>The workload becomes one flag per entitlement: context targets for the {@code organization} context kind (one
 * target list per override value), the rules {@code enterprise} and {@code pro} on the organization's {@code plan}
 * attribute, and the default as the fallthrough. A request's context is a multi-context of an {@code organization} (key
 * and {@code plan}) and a {@code user}.
 */
public final class LaunchDarklySdk implements Evaluator {
    private static final ContextKind ORGANIZATION = ContextKind.of("organization");

    private final boolean events;
    private final Workload workload;
    private final Path flagsFile;
    private final AtomicLong flagChanges = new AtomicLong();
    private int version = 1;
    private final LoopbackEventsServer eventsServer;
    private final LDClient client;
    private final LDContext[] contexts;
    private Swapper swapper;

    private LaunchDarklySdk(Workload workload, Path dir, boolean events, boolean autoUpdate) throws IOException {
        this.events = events;
        this.workload = workload;
        this.flagsFile =
                Files.writeString(dir.resolve("launchdarkly-flags.json"), LaunchDarklyFlags.json(workload, version));
        this.eventsServer = events ? LoopbackEventsServer.start() : null;
        LDConfig.Builder config = new LDConfig.Builder()
                .dataSource(FileData.dataSource().filePaths(flagsFile).autoUpdate(autoUpdate))
                .startWait(Duration.ofSeconds(60));
        if (events) {
            config.events(Components.sendEvents().flushInterval(Duration.ofSeconds(5)))
                    .serviceEndpoints(Components.serviceEndpoints().events(eventsServer.uri()));
        } else {
            config.events(Components.noEvents()).diagnosticOptOut(true);
        }
        this.client = new LDClient("sdk-benchmark-key", config.build());
        if (!client.isInitialized()) {
            close();
            throw new IllegalStateException("LaunchDarkly did not initialize from " + flagsFile);
        }
        client.getFlagTracker().addFlagChangeListener(change -> flagChanges.incrementAndGet());
        List<RequestData> data = workload.contexts();
        this.contexts = new LDContext[data.size()];
        for (int i = 0; i < contexts.length; i++) {
            contexts[i] = context(data.get(i));
        }
    }

    /**
     * LaunchDarkly with events on or off. With {@code autoUpdate}, the file data source watches its file, so that
     * {@link #startSwapping} can rewrite it.
     */
    public static LaunchDarklySdk start(Workload workload, Path dir, boolean events, boolean autoUpdate) {
        try {
            return new LaunchDarklySdk(workload, dir, events, autoUpdate);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public String name() {
        return events ? "launchDarklyEventsOn" : "launchDarklyEventsOff";
    }

    /** Event payloads the loopback server received; 0 with events off. */
    public long eventPayloads() {
        return eventsServer == null ? 0 : eventsServer.payloads();
    }

    @Override
    public boolean teamRolesEnabled(int context) {
        return client.boolVariation("teamRolesEnabled", contexts[context], false);
    }

    @Override
    public int maxTeamSize(int context) {
        return client.intVariation("maxTeamSize", contexts[context], -1);
    }

    @Override
    public int maxApiRequestsPerDay(int context) {
        return client.intVariation("maxApiRequestsPerDay", contexts[context], -1);
    }

    @Override
    public boolean versionHistoryEnabled(int context) {
        return client.boolVariation("versionHistoryEnabled", contexts[context], false);
    }

    @Override
    public int allFour(int context) {
        return allFour(contexts[context]);
    }

    @Override
    public int allFourLatest(int context) {
        return allFour(contexts[context]);
    }

    @Override
    public int request(RequestData request) {
        return allFour(context(request));
    }

    @Override
    public int requestOne(RequestData request) {
        return client.intVariation("maxTeamSize", context(request), -1);
    }

    private int allFour(LDContext context) {
        return Answers.pack(
                client.boolVariation("teamRolesEnabled", context, false),
                client.intVariation("maxTeamSize", context, -1),
                client.intVariation("maxApiRequestsPerDay", context, -1),
                client.boolVariation("versionHistoryEnabled", context, false));
    }

    private static LDContext context(RequestData request) {
        return LDContext.createMulti(
                LDContext.builder(ORGANIZATION, request.organizationId())
                        .set("plan", request.plan().name())
                        .build(),
                LDContext.create(request.userId()));
    }

    /**
     * Rewrites the flag file with every flag's version raised (atomically, by a rename) for the file data source's
     * watcher to reload, as a real change would.
     */
    @Override
    public void startSwapping(long intervalMillis) {
        swapper = new Swapper("launchdarkly-swapper", intervalMillis, () -> {
            String json = LaunchDarklyFlags.json(workload, ++version);
            Path next = Files.writeString(flagsFile.resolveSibling("launchdarkly-flags.json.next"), json);
            Files.move(next, flagsFile, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        });
    }

    /** Reloads seen by the SDK: flag change events, one per flag per reload. */
    @Override
    public long swaps() {
        return flagChanges.get() / Flag.values().length;
    }

    @Override
    public void close() {
        if (swapper != null) {
            swapper.close();
        }
        try {
            client.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            if (eventsServer != null) {
                eventsServer.close();
            }
        }
    }
}
