/**
 * What applications call: {@link dev.tollgate.TollgateClient} holds the current snapshot and hands out {@link
 * dev.tollgate.Root}s that evaluate locally; {@link dev.tollgate.DynamicInput} and {@link dev.tollgate.Args} supply
 * contexts and arguments where there is no generated code.
 */
package dev.tollgate;
