package dev.tollgate.internal.logs;

import dev.tollgate.internal.eval.CompiledSnapshot;

/**
 * What the snapshots of a client with logging on report into: the counters their outcomes count in, attached when a
 * snapshot is installed, and the buffer their splits record exposures in, given to the compiler.
 */
public record LogHooks(EvaluationCounters counters, ExposureBuffer exposures) {
    /**
     * Registers the counter slots of {@code snapshot}'s outcomes, by their keys, and attaches them to the outcomes. The
     * client calls this as it installs the snapshot, on the installing thread, before publishing it; see {@link
     * CompiledSnapshot#attachCounterSlots}.
     */
    public void attachCounters(CompiledSnapshot snapshot) {
        snapshot.attachCounterSlots(counters.slots(snapshot.unattachedOutcomeKeys()));
    }
}
