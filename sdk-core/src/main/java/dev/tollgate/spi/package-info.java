/**
 * What plugins implement: a {@link dev.tollgate.spi.SnapshotSource} delivers raw snapshot bytes to the client through
 * the {@link dev.tollgate.spi.SourceContext} it is started with, and the client verifies, validates, compiles and
 * installs them exactly as it does for its built-in sources; a {@link dev.tollgate.spi.LogSink} receives the batches of
 * evaluation logs, described by the types it receives.
 */
package dev.tollgate.spi;
