package dev.tollgate.benchmarks.sdk;

import dev.tollgate.benchmarks.workload.Flag;
import dev.tollgate.benchmarks.workload.JsonWriter;
import dev.tollgate.benchmarks.workload.Plan;
import dev.tollgate.benchmarks.workload.RequestData;
import dev.tollgate.benchmarks.workload.Workload;
import io.getunleash.DefaultUnleash;
import io.getunleash.UnleashContext;
import io.getunleash.event.ClientFeaturesResponse;
import io.getunleash.repository.ToggleBootstrapFileProvider;
import io.getunleash.util.UnleashConfig;
import io.getunleash.variant.Payload;
import io.getunleash.variant.Variant;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Unleash's Java SDK (its Yggdrasil engine, native code behind JNI), bootstrapped from a file, with metrics off and
 * polling off, so it never touches the network.
 *
 * <p>Boolean entitlements are toggles read with {@code isEnabled}, as Unleash users write them: a strategy enabling the
 * organizations overridden to true, then one strategy per plan whose value is true that excludes the organizations
 * overridden to false ({@code NOT_IN}). Int entitlements are read with {@code getVariant}: strategies in order, each with
 * one variant carrying the value as a number payload: one per override value ({@code organizationId IN [...]}), then
 * {@code plan IN [ENTERPRISE]}, {@code plan IN [PRO]}, then an unconstrained strategy with the default.
 */
public final class UnleashSdk implements Evaluator {
    private static final AtomicLong INSTANCES = new AtomicLong();

    private final DefaultUnleash unleash;
    private final UnleashContext[] contexts;
    private final AtomicLong fetches = new AtomicLong();
    private final boolean swapping;

    private UnleashSdk(Workload workload, Path dir, boolean swapping) throws IOException {
        this.swapping = swapping;
        String features = featuresJson(workload);
        Path bootstrap = Files.writeString(dir.resolve("unleash-features.json"), features);
        UnleashConfig.Builder config = UnleashConfig.builder()
                .appName("tollgate-benchmarks")
                .instanceId("benchmark-" + INSTANCES.incrementAndGet())
                .unleashAPI("http://127.0.0.1:9/api/")
                .backupFile(dir.resolve("unleash-backup.json").toString())
                .toggleBootstrapProvider(new ToggleBootstrapFileProvider(bootstrap.toString()))
                .disableMetrics()
                .synchronousFetchOnInitialisation(false);
        if (swapping) {
            // A fetcher that hands the full feature set to the SDK every second, as a changed server response would.
            config.fetchTogglesInterval(1).unleashFeatureFetcherFactory(c -> () -> {
                fetches.incrementAndGet();
                return ClientFeaturesResponse.updated(features);
            });
        } else {
            config.disablePolling();
        }
        this.unleash = new DefaultUnleash(config.build());
        List<RequestData> data = workload.contexts();
        this.contexts = new UnleashContext[data.size()];
        for (int i = 0; i < contexts.length; i++) {
            contexts[i] = context(data.get(i));
        }
    }

    /** Unleash from a bootstrap file; with {@code swapping}, it reloads the full feature set every second instead. */
    public static UnleashSdk start(Workload workload, Path dir, boolean swapping) {
        try {
            return new UnleashSdk(workload, dir, swapping);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public String name() {
        return "unleash";
    }

    @Override
    public boolean teamRolesEnabled(int context) {
        return unleash.isEnabled("teamRolesEnabled", contexts[context], false);
    }

    @Override
    public int maxTeamSize(int context) {
        return number(unleash.getVariant("maxTeamSize", contexts[context]));
    }

    @Override
    public int maxApiRequestsPerDay(int context) {
        return number(unleash.getVariant("maxApiRequestsPerDay", contexts[context]));
    }

    @Override
    public boolean versionHistoryEnabled(int context) {
        return unleash.isEnabled("versionHistoryEnabled", contexts[context], false);
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
        return number(unleash.getVariant("maxTeamSize", context(request)));
    }

    private int allFour(UnleashContext context) {
        return Answers.pack(
                unleash.isEnabled("teamRolesEnabled", context, false),
                number(unleash.getVariant("maxTeamSize", context)),
                number(unleash.getVariant("maxApiRequestsPerDay", context)),
                unleash.isEnabled("versionHistoryEnabled", context, false));
    }

    private static int number(Variant variant) {
        if (!variant.isEnabled()) {
            return -1;
        }
        String value = variant.getPayload().map(Payload::getValue).orElse(null);
        return value == null ? -1 : Integer.parseInt(value);
    }

    private static UnleashContext context(RequestData request) {
        return UnleashContext.builder()
                .userId(request.userId())
                .addProperty("organizationId", request.organizationId())
                .addProperty("plan", request.plan().name())
                .build();
    }

    /** Swapping is set up when the SDK starts (its own poller fetches every second); this only checks that it was. */
    @Override
    public void startSwapping(long intervalMillis) {
        if (!swapping || intervalMillis != 1_000) {
            throw new IllegalStateException("start Unleash with swapping to reload every 1,000 ms");
        }
    }

    @Override
    public long swaps() {
        return fetches.get();
    }

    @Override
    public void close() {
        unleash.shutdown();
    }

    /** The workload as an Unleash client features document (API version 2). */
    static String featuresJson(Workload workload) {
        JsonWriter json = new JsonWriter(256 + workload.overrideCount() * 4 * 24);
        json.beginObject().member("version", 2).name("features").beginArray();
        for (Flag flag : Flag.values()) {
            json.beginObject()
                    .member("name", flag.key())
                    .member("type", "release")
                    .member("enabled", true);
            json.member("project", "default").member("stale", false).member("impressionData", false);
            json.name("strategies").beginArray();
            if (flag.isBoolean()) {
                booleanStrategies(json, workload, flag);
            } else {
                variantStrategies(json, workload, flag);
            }
            json.endArray().name("variants").beginArray().endArray().endObject();
        }
        json.endArray().name("segments").beginArray().endArray().endObject();
        return json.toString();
    }

    private static void booleanStrategies(JsonWriter json, Workload workload, Flag flag) {
        if (!Boolean.FALSE.equals(flag.defaultValue())) {
            throw new IllegalStateException(flag.key() + ": the Unleash mapping expects boolean defaults to be false");
        }
        Map<Object, List<String>> overrides = workload.overridesByValue(flag);
        List<String> enabled = overrides.getOrDefault(true, List.of());
        List<String> disabled = overrides.getOrDefault(false, List.of());
        int order = 0;
        if (!enabled.isEmpty()) {
            strategy(json, flag, order++, List.of(constraint("organizationId", "IN", enabled)), null);
        }
        for (Plan plan : List.of(Plan.ENTERPRISE, Plan.PRO)) {
            if (Boolean.TRUE.equals(flag.planValue(plan))) {
                List<Constraint> constraints = new ArrayList<>();
                constraints.add(constraint("plan", "IN", List.of(plan.name())));
                if (!disabled.isEmpty()) {
                    constraints.add(constraint("organizationId", "NOT_IN", disabled));
                }
                strategy(json, flag, order++, constraints, null);
            }
        }
    }

    private static void variantStrategies(JsonWriter json, Workload workload, Flag flag) {
        int order = 0;
        for (Map.Entry<Object, List<String>> group :
                workload.overridesByValue(flag).entrySet()) {
            strategy(
                    json, flag, order++, List.of(constraint("organizationId", "IN", group.getValue())), group.getKey());
        }
        for (Plan plan : List.of(Plan.ENTERPRISE, Plan.PRO)) {
            strategy(
                    json, flag, order++, List.of(constraint("plan", "IN", List.of(plan.name()))), flag.planValue(plan));
        }
        strategy(json, flag, order, List.of(), flag.defaultValue());
    }

    /** A 100% flexible rollout with constraints and, for a value, one variant of weight 1000 carrying it. */
    private static void strategy(JsonWriter json, Flag flag, int order, List<Constraint> constraints, Object value) {
        json.beginObject().member("name", "flexibleRollout").member("sortOrder", order);
        json.name("parameters").beginObject();
        json.member("rollout", "100").member("stickiness", "default").member("groupId", flag.key());
        json.endObject();
        json.name("constraints").beginArray();
        for (Constraint c : constraints) {
            json.beginObject().member("contextName", c.contextName()).member("operator", c.operator());
            json.member("caseInsensitive", false).member("inverted", false);
            json.name("values").array(c.values()).endObject();
        }
        json.endArray();
        json.name("segments").beginArray().endArray();
        json.name("variants").beginArray();
        if (value != null) {
            json.beginObject()
                    .member("name", "v" + value)
                    .member("weight", 1000)
                    .member("weightType", "variable");
            json.member("stickiness", "default");
            json.name("payload").beginObject().member("type", "number").member("value", value.toString());
            json.endObject().endObject();
        }
        json.endArray().endObject();
    }

    private static Constraint constraint(String contextName, String operator, List<String> values) {
        return new Constraint(contextName, operator, values);
    }

    private record Constraint(String contextName, String operator, List<String> values) {}
}
