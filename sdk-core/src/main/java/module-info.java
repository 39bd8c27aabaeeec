/**
 * Tollgate's runtime: the client applications build ({@code dev.tollgate}), the contract generated code calls ({@code
 * dev.tollgate.runtime}) and what plugins implement ({@code dev.tollgate.spi}). Everything under {@code
 * dev.tollgate.internal} is exported only to Tollgate's own modules, which share the schema model and the access to
 * package-private parts of the public types; docs/api.md lists the whole public API.
 */
@SuppressWarnings({"module", "requires-automatic", "requires-transitive-automatic"})
module dev.tollgate {
    requires transitive okhttp3; // ServerOptions takes the application's OkHttpClient
    requires okhttp3.sse;
    requires com.fasterxml.jackson.core;
    requires com.fasterxml.jackson.databind;
    requires org.slf4j;
    requires re2j;

    exports dev.tollgate;
    exports dev.tollgate.runtime;
    exports dev.tollgate.spi;
    exports dev.tollgate.internal to
            dev.tollgate.codegen,
            dev.tollgate.server;
    exports dev.tollgate.internal.schema to
            dev.tollgate.codegen,
            dev.tollgate.server;
    exports dev.tollgate.internal.snapshot to
            dev.tollgate.server; // RowHasher: the checksums of stream deltas
}
