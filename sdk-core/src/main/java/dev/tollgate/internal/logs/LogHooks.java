package dev.tollgate.internal.logs;

/**
 * What a snapshot compiled for a client with logging on reports into: counter slots for its outcomes, and the buffer
 * its splits record exposures in.
 */
public record LogHooks(EvaluationCounters counters, ExposureBuffer exposures) {}
