package dev.tollgate.benchmarks.sdk;

import dev.tollgate.benchmarks.workload.Flag;
import dev.tollgate.benchmarks.workload.JsonWriter;
import dev.tollgate.benchmarks.workload.Plan;
import dev.tollgate.benchmarks.workload.Workload;
import java.util.List;
import java.util.Map;

/**
 * The workload as LaunchDarkly's flag data, written without loading any LaunchDarkly class, so that the cold start
 * benchmark's setup leaves them all to the measured start.
 */
public final class LaunchDarklyFlags {
    /** The context kind of organizations. */
    static final String ORGANIZATION = "organization";

    private LaunchDarklyFlags() {}

    /** The workload as LaunchDarkly's flag data format (the file data source reads full flag representations). */
    public static String json(Workload workload, int version) {
        JsonWriter json = new JsonWriter(256 + workload.overrideCount() * 4 * 24);
        json.beginObject().name("flags").beginObject();
        for (Flag flag : Flag.values()) {
            List<Object> variations = flag.distinctValues();
            int fallthrough = variations.indexOf(flag.defaultValue());
            json.name(flag.key()).beginObject();
            json.member("key", flag.key()).member("version", version).member("on", true);
            json.name("variations").array(variations);
            json.member("offVariation", fallthrough);
            json.name("fallthrough")
                    .beginObject()
                    .member("variation", fallthrough)
                    .endObject();
            json.name("targets").beginArray().endArray();
            json.name("contextTargets").beginArray();
            for (Map.Entry<Object, List<String>> target :
                    workload.overridesByValue(flag).entrySet()) {
                json.beginObject().member("contextKind", ORGANIZATION);
                json.member("variation", variations.indexOf(target.getKey()));
                json.name("values").array(target.getValue()).endObject();
            }
            json.endArray();
            json.name("rules").beginArray();
            rule(json, "enterprise", Plan.ENTERPRISE, variations.indexOf(flag.planValue(Plan.ENTERPRISE)));
            rule(json, "pro", Plan.PRO, variations.indexOf(flag.planValue(Plan.PRO)));
            json.endArray();
            json.name("prerequisites").beginArray().endArray();
            json.member("salt", flag.key()).member("trackEvents", false).member("trackEventsFallthrough", false);
            json.endObject();
        }
        json.endObject().endObject();
        return json.toString();
    }

    private static void rule(JsonWriter json, String id, Plan plan, int variation) {
        json.beginObject().member("id", id).member("variation", variation);
        json.name("clauses").beginArray().beginObject();
        json.member("contextKind", ORGANIZATION).member("attribute", "plan").member("op", "in");
        json.name("values").array(List.of(plan.name())).member("negate", false);
        json.endObject().endArray();
        json.member("trackEvents", false).endObject();
    }
}
