package dev.tollgate.benchmarks.sdk;

import dev.tollgate.benchmarks.workload.RequestData;

/**
 * One SDK set up on the workload, with a context pre-built for each of the workload's contexts in its own form.
 * Benchmarks call the implementations directly (each benchmark method uses one class, and each runs in its own JVM), so
 * this interface costs nothing on the measured path; it exists for the correctness check.
 *
 * <p>Every accessor uses a fallback no flag ever answers ({@code -1}) or {@code false}; since the workload's boolean
 * flags answer both values across contexts, an SDK that falls back is caught by {@link Correctness}.
 */
public interface Evaluator extends AutoCloseable {
    /** The name shown in results, such as {@code launchDarklyEventsOn}. */
    String name();

    boolean teamRolesEnabled(int context);

    int maxTeamSize(int context);

    int maxApiRequestsPerDay(int context);

    boolean versionHistoryEnabled(int context);

    /** All four accessors with the pre-built context, {@linkplain Answers#pack packed}. */
    int allFour(int context);

    /**
     * All four accessors as a request sees the latest configuration: for Tollgate through a root taken now for the
     * pre-built context (a root pins one snapshot); for the others, whose every call reads the current configuration,
     * the same as {@link #allFour}.
     */
    int allFourLatest(int context);

    /**
     * The per-request path: builds the SDK's context from what the request knows, then reads all four flags, packed.
     */
    int request(RequestData request);

    /** The per-request path with one flag: builds the SDK's context from what the request knows, reads {@code maxTeamSize}. */
    int requestOne(RequestData request);

    /** Starts reloading the full configuration in the background every {@code intervalMillis}, the SDK's own way. */
    void startSwapping(long intervalMillis);

    /** How many reloads have been installed since {@link #startSwapping}. */
    long swaps();

    @Override
    void close();
}
