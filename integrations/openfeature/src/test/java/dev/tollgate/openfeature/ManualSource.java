package dev.tollgate.openfeature;

import dev.tollgate.spi.SnapshotSource;
import dev.tollgate.spi.SourceContext;
import java.util.concurrent.CompletableFuture;

/** A live snapshot source a test drives by hand through the context the client gives it. */
final class ManualSource implements SnapshotSource {
    final CompletableFuture<SourceContext> context = new CompletableFuture<>();

    @Override
    public String name() {
        return "manual";
    }

    @Override
    public void start(SourceContext context) {
        this.context.complete(context);
    }

    @Override
    public void close() {}

    SourceContext context() {
        return context.join();
    }
}
