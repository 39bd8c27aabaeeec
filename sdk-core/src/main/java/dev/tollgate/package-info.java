/**
 * What applications call. {@link dev.tollgate.TollgateClient} holds the current snapshot, keeps it up to date from its
 * sources (an embedded resource, a last-known-good copy on disk, a file, a Tollgate server) and hands out {@link
 * dev.tollgate.UntypedRoot}s that evaluate locally; {@link dev.tollgate.ClientStatus}, {@link dev.tollgate.ReadyResult} and the
 * listeners say how delivery is going; {@link dev.tollgate.ServerOptions} configures the server
 * source and {@link dev.tollgate.LogOptions} evaluation logs; {@link dev.tollgate.DynamicInput} and field arguments as maps supply contexts and
 * arguments where there is no generated code.
 */
package dev.tollgate;
