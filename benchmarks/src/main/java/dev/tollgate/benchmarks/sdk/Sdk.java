package dev.tollgate.benchmarks.sdk;

import dev.tollgate.benchmarks.workload.Workload;
import java.nio.file.Path;

/** Every SDK measured, by the name used in JMH parameters and in the results. */
public enum Sdk {
    TOLLGATE("tollgate"),
    TOLLGATE_LOGS_OFF("tollgateLogsOff"),
    TOLLGATE_HELD_ROOT("tollgateHeldRoot"),
    TOLLGATE_LOGS_OFF_HELD_ROOT("tollgateLogsOffHeldRoot"),
    FLOOR("floor"),
    LAUNCHDARKLY_EVENTS_OFF("launchDarklyEventsOff"),
    LAUNCHDARKLY_EVENTS_ON("launchDarklyEventsOn"),
    UNLEASH("unleash"),
    FLAGD("flagd"),
    FLAGD_ARRAY_IN("flagdArrayIn");

    private final String id;

    Sdk(String id) {
        this.id = id;
    }

    public String id() {
        return id;
    }

    public static Sdk byId(String id) {
        for (Sdk sdk : values()) {
            if (sdk.id.equals(id)) {
                return sdk;
            }
        }
        throw new IllegalArgumentException("unknown SDK " + id);
    }

    /**
     * Starts the SDK on {@code workload}, writing its configuration under {@code dir}. With {@code swapping}, the SDK is
     * set up to reload its configuration (file watchers on, Unleash polling its fetcher every second); the caller then
     * calls {@link Evaluator#startSwapping(long)}.
     */
    public Evaluator start(Workload workload, Path dir, boolean swapping) {
        return switch (this) {
            case TOLLGATE -> TollgateSdk.start(workload, true, false);
            case TOLLGATE_LOGS_OFF -> TollgateSdk.start(workload, false, false);
            case TOLLGATE_HELD_ROOT -> TollgateSdk.start(workload, true, true);
            case TOLLGATE_LOGS_OFF_HELD_ROOT -> TollgateSdk.start(workload, false, true);
            case FLOOR -> FloorSdk.start(workload);
            case LAUNCHDARKLY_EVENTS_OFF -> LaunchDarklySdk.start(workload, dir, false, swapping);
            case LAUNCHDARKLY_EVENTS_ON -> LaunchDarklySdk.start(workload, dir, true, swapping);
            case UNLEASH -> UnleashSdk.start(workload, dir, swapping);
            case FLAGD -> FlagdSdk.start(workload, dir, swapping ? 100 : 5_000, FlagdSdk.ListEncoding.DELIMITED_STRING);
            case FLAGD_ARRAY_IN -> FlagdSdk.start(workload, dir, swapping ? 100 : 5_000, FlagdSdk.ListEncoding.ARRAY);
        };
    }
}
