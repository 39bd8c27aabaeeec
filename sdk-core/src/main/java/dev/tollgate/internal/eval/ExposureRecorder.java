package dev.tollgate.internal.eval;

/**
 * Where a split records the units that reach it, when the client logs exposures. Called on evaluating threads, so an
 * implementation must be thread-safe, must not block and should not allocate for a duplicate.
 */
public interface ExposureRecorder {
    /** The unit {@code unit} reached arm {@code arm} of the split of rule {@code rule} on field {@code field}. */
    void record(String field, String rule, String arm, String unit);
}
