package dev.tollgate.benchmarks.sdk;

import dev.openfeature.contrib.providers.flagd.Config;
import dev.openfeature.contrib.providers.flagd.FlagdOptions;
import dev.openfeature.contrib.providers.flagd.FlagdProvider;
import dev.openfeature.sdk.Client;
import dev.openfeature.sdk.EvaluationContext;
import dev.openfeature.sdk.ImmutableContext;
import dev.openfeature.sdk.OpenFeatureAPI;
import dev.openfeature.sdk.Value;
import dev.tollgate.benchmarks.workload.Flag;
import dev.tollgate.benchmarks.workload.JsonWriter;
import dev.tollgate.benchmarks.workload.Plan;
import dev.tollgate.benchmarks.workload.RequestData;
import dev.tollgate.benchmarks.workload.Workload;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The OpenFeature Java SDK with the flagd provider in-process, reading its flag definitions from a file ({@code
 * Resolver.FILE}, the offline mode: no flagd daemon, no gRPC connection).
 *
 * <p>The workload becomes one flag per entitlement with a variant per value and JsonLogic targeting: an {@code if}
 * chain testing the organization's membership in a list once per override value, then {@code plan == "ENTERPRISE"},
 * then {@code plan == "PRO"}, else the default variant. JsonLogic has no keyed lookup, so a list is how flagd users
 * write an override table. The request context has the user id as targeting key and {@code organizationId} and {@code
 * plan} attributes.
 *
 * <p>The list is written one of two ways ({@link ListEncoding}). The idiomatic one, {@code {"in": [{"var":
 * "organizationId"}, ["org_a", ...]]}}, is unusable at these sizes: json-logic-java 1.1.0 evaluates every element of
 * an array literal on every evaluation and formats a JSON-path string for each ({@code JsonLogicEvaluator.evaluate
 * (JsonLogicArray ...)}), so one flag costs milliseconds at 10,000 rows. {@code flagd} therefore uses the fastest
 * correct encoding we found: membership of {@code ",<id>,"} in one comma-delimited string, a single substring scan.
 * {@code flagdArrayIn} keeps the idiomatic form for the smallest table, to show the difference.
 */
public final class FlagdSdk implements Evaluator {
    private final ListEncoding encoding;
    private final OpenFeatureAPI api;
    private final Client client;
    private final EvaluationContext[] contexts;
    private final Path flagsFile;
    private final String flagsJson;
    private final AtomicLong reloads = new AtomicLong();
    private Swapper swapper;

    private FlagdSdk(Workload workload, Path dir, int pollMillis, ListEncoding encoding) throws IOException {
        this.encoding = encoding;
        this.flagsJson = flagsJson(workload, encoding);
        this.flagsFile = Files.writeString(dir.resolve("flagd-flags.json"), flagsJson);
        FlagdOptions options = FlagdOptions.builder()
                .resolverType(Config.Resolver.FILE)
                .offlineFlagSourcePath(flagsFile.toString())
                .offlinePollIntervalMs(pollMillis)
                .deadline(60_000)
                .build();
        this.api = OpenFeatureAPI.createIsolated();
        api.setProviderAndWait(new FlagdProvider(options));
        api.onProviderConfigurationChanged(event -> reloads.incrementAndGet());
        this.client = api.getClient();
        List<RequestData> data = workload.contexts();
        this.contexts = new EvaluationContext[data.size()];
        for (int i = 0; i < contexts.length; i++) {
            contexts[i] = context(data.get(i));
        }
    }

    /** flagd in-process from a file, polling it for changes every {@code pollMillis}. */
    public static FlagdSdk start(Workload workload, Path dir, int pollMillis, ListEncoding encoding) {
        try {
            return new FlagdSdk(workload, dir, pollMillis, encoding);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public String name() {
        return encoding == ListEncoding.DELIMITED_STRING ? "flagd" : "flagdArrayIn";
    }

    @Override
    public boolean teamRolesEnabled(int context) {
        return client.getBooleanValue("teamRolesEnabled", false, contexts[context]);
    }

    @Override
    public int maxTeamSize(int context) {
        return client.getIntegerValue("maxTeamSize", -1, contexts[context]);
    }

    @Override
    public int maxApiRequestsPerDay(int context) {
        return client.getIntegerValue("maxApiRequestsPerDay", -1, contexts[context]);
    }

    @Override
    public boolean versionHistoryEnabled(int context) {
        return client.getBooleanValue("versionHistoryEnabled", false, contexts[context]);
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
        return client.getIntegerValue("maxTeamSize", -1, context(request));
    }

    private int allFour(EvaluationContext context) {
        return Answers.pack(
                client.getBooleanValue("teamRolesEnabled", false, context),
                client.getIntegerValue("maxTeamSize", -1, context),
                client.getIntegerValue("maxApiRequestsPerDay", -1, context),
                client.getBooleanValue("versionHistoryEnabled", false, context));
    }

    private static EvaluationContext context(RequestData request) {
        Map<String, Value> attributes = new HashMap<>(4);
        attributes.put("organizationId", new Value(request.organizationId()));
        attributes.put("plan", new Value(request.plan().name()));
        return new ImmutableContext(request.userId(), attributes);
    }

    /** Rewrites the flag file (atomically, by a rename) for the provider's file poller to reload. */
    @Override
    public void startSwapping(long intervalMillis) {
        swapper = new Swapper("flagd-swapper", intervalMillis, () -> {
            Path next = Files.writeString(flagsFile.resolveSibling("flagd-flags.json.next"), flagsJson);
            Files.move(next, flagsFile, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        });
    }

    /** Reloads seen by the provider: configuration-changed events after the first load. */
    @Override
    public long swaps() {
        return reloads.get();
    }

    @Override
    public void close() {
        if (swapper != null) {
            swapper.close();
        }
        api.shutdown();
    }

    /** The workload as a flagd flag definition document. */
    static String flagsJson(Workload workload, ListEncoding encoding) {
        JsonWriter json = new JsonWriter(256 + workload.overrideCount() * 4 * 24);
        json.beginObject().name("flags").beginObject();
        for (Flag flag : Flag.values()) {
            json.name(flag.key()).beginObject().member("state", "ENABLED");
            json.name("variants").beginObject();
            for (Object value : flag.distinctValues()) {
                json.member(variant(value), value);
            }
            json.endObject();
            json.member("defaultVariant", variant(flag.defaultValue()));
            json.name("targeting").beginObject().name("if").beginArray();
            for (Map.Entry<Object, List<String>> group :
                    workload.overridesByValue(flag).entrySet()) {
                membership(json, group.getValue(), encoding);
                json.value(variant(group.getKey()));
            }
            for (Plan plan : List.of(Plan.ENTERPRISE, Plan.PRO)) {
                json.beginObject().name("==").beginArray();
                json.beginObject().member("var", "plan").endObject().value(plan.name());
                json.endArray().endObject();
                json.value(variant(flag.planValue(plan)));
            }
            json.value(variant(flag.defaultValue()));
            json.endArray().endObject();
            json.endObject();
        }
        json.endObject().endObject();
        return json.toString();
    }

    private static void membership(JsonWriter json, List<String> organizations, ListEncoding encoding) {
        json.beginObject().name("in").beginArray();
        if (encoding == ListEncoding.ARRAY) {
            json.beginObject().member("var", "organizationId").endObject();
            json.array(organizations);
        } else {
            json.beginObject().name("cat").beginArray().value(",");
            json.beginObject().member("var", "organizationId").endObject();
            json.value(",").endArray().endObject();
            json.value("," + String.join(",", organizations) + ",");
        }
        json.endArray().endObject();
    }

    private static String variant(Object value) {
        return value instanceof Boolean b ? (b ? "on" : "off") : "v" + value;
    }

    /** How an override list is written in JsonLogic. */
    public enum ListEncoding {
        /** {@code {"in": [{"var": "organizationId"}, ["org_a", "org_b"]]}}: idiomatic, linear with a large constant. */
        ARRAY,
        /** {@code {"in": [{"cat": [",", {"var": "organizationId"}, ","]}, ",org_a,org_b,"]}}: one substring scan. */
        DELIMITED_STRING
    }
}
