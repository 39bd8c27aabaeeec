package dev.tollgate.internal.source;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.LoadResult;
import dev.tollgate.ServerOptions;
import dev.tollgate.SnapshotLimits;
import dev.tollgate.SourceError;
import dev.tollgate.spi.SourceContext;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import okhttp3.mockwebserver.Dispatcher;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The server source walks through its modes as the server answers, on the client's (here the test's) scheduler. */
class ServerSnapshotSourceModeTest {
    private final MockWebServer server = new MockWebServer();
    private final List<MockResponse> streamAnswers = new CopyOnWriteArrayList<>();
    private final List<String> warnings = new CopyOnWriteArrayList<>();
    private final List<String> stops = new CopyOnWriteArrayList<>();
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    private ServerSnapshotSource source;

    @BeforeEach
    void startServer() throws IOException {
        server.setDispatcher(new Dispatcher() {
            private int streams;

            @Override
            public MockResponse dispatch(RecordedRequest request) {
                if (request.getPath().startsWith("/v1/stream")) {
                    return streamAnswers.get(Math.min(streams++, streamAnswers.size() - 1));
                }
                return new MockResponse().setBody("{}");
            }
        });
        server.start();
    }

    @AfterEach
    void stop() throws IOException {
        if (source != null) {
            source.close();
        }
        scheduler.shutdownNow();
        server.shutdown();
    }

    private void start(boolean streaming) {
        source = new ServerSnapshotSource(
                ServerOptions.builder(server.url("/").toString(), "token")
                        .streaming(streaming)
                        .pollInterval(Duration.ofSeconds(30))
                        .initialBackoff(Duration.ofMillis(20))
                        .maxBackoff(Duration.ofMillis(50))
                        .build(),
                "mode-test");
        assertThat(source.mode()).isEqualTo(DeliveryMode.NEW);
        source.start(new RecordingContext());
    }

    /** An open stream that announces revision 1, sends comments for about {@code millis}, then ends. */
    private static MockResponse streamFor(long millis) {
        String comments = ": still here\n".repeat((int) (millis / 50));
        return new MockResponse()
                .setHeader("Content-Type", "text/event-stream")
                .setBody("event: revision\ndata: {\"revision\":1}\n\n" + comments)
                .throttleBody(13, 50, TimeUnit.MILLISECONDS);
    }

    @Test
    void streamUpDownAndRefused_movesPollingStreamingPollingStopped_thenClosed() {
        streamAnswers.add(streamFor(600));
        streamAnswers.add(new MockResponse().setResponseCode(401));
        start(true);
        assertThat(source.mode()).isEqualTo(DeliveryMode.POLLING);

        await("STREAMING", () -> source.mode() == DeliveryMode.STREAMING);
        // The source moves to STOPPED, then reports it (in the mode it led to): wait for both.
        await(
                "STOPPED by the 401 on reconnecting, and reported",
                () -> source.mode() == DeliveryMode.STOPPED && !stops.isEmpty());
        assertThat(warnings)
                .as("reported in the mode it led to")
                .containsExactly("POLLING: the stream GET " + server.url("/v1/stream")
                        + " was closed by the server; polling every 30000 ms until it reconnects");
        assertThat(stops)
                .singleElement()
                .asString()
                .startsWith("STOPPED: GET " + server.url("/v1/stream") + " answered 401");

        source.close();
        assertThat(source.mode()).isEqualTo(DeliveryMode.CLOSED);
    }

    @Test
    void withoutStreaming_staysPolling_untilClosed() throws InterruptedException {
        start(false);
        await("the first snapshot request", () -> server.getRequestCount() >= 1);
        Thread.sleep(100);

        assertThat(source.mode()).isEqualTo(DeliveryMode.POLLING);
        source.close();
        assertThat(source.mode()).isEqualTo(DeliveryMode.CLOSED);
    }

    @Test
    void closeBeforeStart_isClosed_andStartMakesNoRequest() throws InterruptedException {
        source = new ServerSnapshotSource(
                ServerOptions.builder(server.url("/").toString(), "token").build(), "mode-test");
        source.close();
        source.start(new RecordingContext());
        Thread.sleep(100);

        assertThat(source.mode()).isEqualTo(DeliveryMode.CLOSED);
        assertThat(server.getRequestCount()).isZero();
    }

    private static void await(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("waiting for %s", what).isLessThan(deadline);
            Thread.onSpinWait();
        }
    }

    /** Accepts every snapshot as revision 1 and runs tasks on the test's scheduler. */
    private final class RecordingContext implements SourceContext {
        private volatile long revision;

        @Override
        public LoadResult deliver(byte[] snapshot, String signature) {
            revision = 1;
            return new LoadResult(LoadResult.Status.INSTALLED, 1, 0, "schema-hash", true, null);
        }

        @Override
        public void upToDate() {}

        @Override
        public void failed(SourceError.Kind kind, String message) {}

        @Override
        public void warning(SourceError.Kind kind, String message) {
            warnings.add(source.mode() + ": " + message);
        }

        @Override
        public void stopped(SourceError.Kind kind, String message) {
            stops.add(source.mode() + ": " + message);
        }

        @Override
        public long revision() {
            return revision;
        }

        @Override
        public SnapshotLimits limits() {
            return SnapshotLimits.defaults();
        }

        @Override
        public String schemaHash() {
            return "sha256:" + "0".repeat(64);
        }

        @Override
        public Future<?> schedule(Runnable task, Duration delay) {
            return scheduler.schedule(task, delay.toNanos(), TimeUnit.NANOSECONDS);
        }
    }
}
