package dev.tollgate.benchmarks.sdk;

import dev.tollgate.LogOptions;
import dev.tollgate.TollgateClient;
import dev.tollgate.benchmarks.flags.Context;
import dev.tollgate.benchmarks.flags.Entitlements;
import dev.tollgate.benchmarks.flags.Plan;
import dev.tollgate.benchmarks.flags.Tollgate;
import dev.tollgate.benchmarks.workload.Flag;
import dev.tollgate.benchmarks.workload.JsonWriter;
import dev.tollgate.benchmarks.workload.RequestData;
import dev.tollgate.benchmarks.workload.Workload;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Tollgate through the typed accessors its generator writes from {@code src/main/tollgate/schema.graphql} (package
 * {@link dev.tollgate.benchmarks.flags}), as a service calls them: {@code
 * tollgate.root(context).entitlements().maxTeamSize(-1)}. Evaluation logging is on (counts go to a {@link
 * DiscardingLogSink}, flushed every 5 seconds, the default interval) or off.
 *
 * <p>Every read takes its root as a request does (a root pins one snapshot, so no service keeps one across requests),
 * from the pre-built context. The held-root variants ({@code tollgateHeldRoot}, {@code tollgateLogsOffHeldRoot}) read
 * through a root taken once in the setup instead: the evaluator alone, without the cost of taking a root.
 *
 * <p>The workload becomes one snapshot: each field gets an override table by {@code context.organization.id}, the rules
 * {@code enterprise} and {@code pro} on {@code context.organization.plan}, and a default.
 */
public final class TollgateSdk implements Evaluator {
    /** The argument passed to {@code maxApiRequestsPerDay}; the workload's logic does not depend on it. */
    public static final String ENDPOINT = "/search";

    /** The generated enum by the workload's plan. */
    private static final Plan[] PLANS = plans();

    private final boolean logs;
    private final boolean heldRoot;
    private final DiscardingLogSink sink;
    private final Tollgate tollgate;
    private final Context[] contexts;
    private final Entitlements[] entitlements;
    private final String snapshotWithoutRevision;
    private long revision = 1;
    private Swapper swapper;

    private TollgateSdk(Workload workload, boolean logs, boolean heldRoot) {
        this.logs = logs;
        this.heldRoot = heldRoot;
        this.sink = logs ? new DiscardingLogSink() : null;
        this.tollgate = newClient(sink);
        this.snapshotWithoutRevision = snapshotWithoutRevision(workload, Tollgate.SCHEMA_HASH);
        tollgate.loadSnapshot(withRevision(revision));
        List<RequestData> data = workload.contexts();
        this.contexts = new Context[data.size()];
        this.entitlements = new Entitlements[data.size()];
        for (int i = 0; i < contexts.length; i++) {
            contexts[i] = context(data.get(i));
            entitlements[i] = tollgate.root(contexts[i]).entitlements();
        }
    }

    /**
     * Tollgate with logging on (to a discarding sink) or off, taking a root per read or, with {@code heldRoot}, reading
     * through roots taken in the setup (which belong to the calling thread).
     */
    public static TollgateSdk start(Workload workload, boolean logs, boolean heldRoot) {
        return new TollgateSdk(workload, logs, heldRoot);
    }

    /** A generated entry point for the seed schema; logging to {@code sink}, or off when it is null. */
    public static Tollgate newClient(DiscardingLogSink sink) {
        LogOptions logs = sink == null
                ? LogOptions.disabled()
                : LogOptions.builder().sink(sink).build();
        return Tollgate.builder().logs(logs).build();
    }

    /**
     * The workload's snapshot at revision 1 for the schema with hash {@code schemaHash}; with the generated {@code
     * Tollgate.SCHEMA_HASH}, a constant, it loads no Tollgate class.
     */
    public static byte[] snapshot(Workload workload, String schemaHash) {
        return (snapshotWithoutRevision(workload, schemaHash) + ",\"revision\":1}").getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public String name() {
        return (logs ? "tollgate" : "tollgateLogsOff") + (heldRoot ? "HeldRoot" : "");
    }

    public TollgateClient client() {
        return tollgate.client();
    }

    /** Totals received by the log sink; {@code null} with logging off. */
    public DiscardingLogSink sink() {
        return sink;
    }

    /** The entitlements of pre-built context {@code context}: through a root taken now, or the one held. */
    private Entitlements entitlements(int context) {
        return heldRoot
                ? entitlements[context]
                : tollgate.root(contexts[context]).entitlements();
    }

    @Override
    public boolean teamRolesEnabled(int context) {
        return entitlements(context).teamRolesEnabled(false);
    }

    @Override
    public int maxTeamSize(int context) {
        return entitlements(context).maxTeamSize(-1);
    }

    @Override
    public int maxApiRequestsPerDay(int context) {
        return entitlements(context).maxApiRequestsPerDay(ENDPOINT, -1);
    }

    @Override
    public boolean versionHistoryEnabled(int context) {
        return entitlements(context).versionHistoryEnabled(false);
    }

    @Override
    public int allFour(int context) {
        return allFour(entitlements(context));
    }

    @Override
    public int allFourLatest(int context) {
        return allFour(tollgate.root(contexts[context]).entitlements());
    }

    @Override
    public int request(RequestData request) {
        return allFour(tollgate.root(context(request)).entitlements());
    }

    @Override
    public int requestOne(RequestData request) {
        return tollgate.root(context(request)).entitlements().maxTeamSize(-1);
    }

    private static int allFour(Entitlements e) {
        return Answers.pack(
                e.teamRolesEnabled(false),
                e.maxTeamSize(-1),
                e.maxApiRequestsPerDay(ENDPOINT, -1),
                e.versionHistoryEnabled(false));
    }

    /** Loads the snapshot again under the next revision: parse, validate, compile, swap. */
    public void reload() {
        tollgate.loadSnapshot(withRevision(++revision));
    }

    @Override
    public void startSwapping(long intervalMillis) {
        swapper = new Swapper("tollgate-swapper", intervalMillis, this::reload);
    }

    @Override
    public long swaps() {
        return swapper == null ? 0 : swapper.count();
    }

    @Override
    public void close() {
        if (swapper != null) {
            swapper.close();
        }
        tollgate.close();
    }

    private byte[] withRevision(long revision) {
        return (snapshotWithoutRevision + ",\"revision\":" + revision + "}").getBytes(StandardCharsets.UTF_8);
    }

    private static Plan[] plans() {
        dev.tollgate.benchmarks.workload.Plan[] workload = dev.tollgate.benchmarks.workload.Plan.values();
        Plan[] plans = new Plan[workload.length];
        for (int i = 0; i < plans.length; i++) {
            plans[i] = Plan.valueOf(workload[i].name());
        }
        return plans;
    }

    private static Context context(RequestData data) {
        return Context.builder()
                .organization(data.organizationId(), PLANS[data.plan().ordinal()])
                .user(data.userId())
                .build();
    }

    /** The snapshot document without its closing brace, so that the revision can be appended as the last key. */
    private static String snapshotWithoutRevision(Workload workload, String schemaHash) {
        JsonWriter json = new JsonWriter(64 + workload.overrideCount() * 4 * 32);
        json.beginObject().member("format", 1).member("schemaHash", schemaHash);
        json.name("fields").beginObject();
        for (Flag flag : Flag.values()) {
            json.name(flag.path()).beginObject();
            json.name("overrides").beginArray().beginObject();
            json.member("by", "context.organization.id").name("values").beginObject();
            for (Workload.Override row : workload.overrides()) {
                json.member(row.organizationId(), row.value(flag));
            }
            json.endObject().endObject().endArray();
            json.name("rules").beginArray();
            rule(json, "enterprise", "ENTERPRISE", flag.planValue(dev.tollgate.benchmarks.workload.Plan.ENTERPRISE));
            rule(json, "pro", "PRO", flag.planValue(dev.tollgate.benchmarks.workload.Plan.PRO));
            json.endArray();
            json.member("default", flag.defaultValue());
            json.endObject();
        }
        json.endObject();
        return json.toString();
    }

    private static void rule(JsonWriter json, String id, String plan, Object value) {
        json.beginObject().member("id", id);
        json.name("if").beginObject();
        json.member("attribute", "context.organization.plan").member("op", "eq").member("value", plan);
        json.endObject();
        json.member("value", value).endObject();
    }
}
