package dev.tollgate.server;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Reads a server's revision stream in the background and queues each {@code revision} and {@code usage} event with its
 * arrival time.
 */
final class SseClient implements AutoCloseable {
    private static final HttpClient CLIENT = HttpClient.newHttpClient();

    /** One event: the revision it announced and when it arrived ({@link System#nanoTime()}). */
    record Event(long revision, long receivedNanos) {}

    /** One {@code delta} event: its revision, its JSON data, and its size on the wire (as the server writes it). */
    record DeltaEvent(long revision, com.fasterxml.jackson.databind.JsonNode data, int wireBytes) {}

    /** One {@code usage} event: the meter version it announced, its {@code id} line or null, when it arrived. */
    record UsageEvent(long version, String id, long receivedNanos) {}

    private final BlockingQueue<Event> events = new LinkedBlockingQueue<>();
    private final BlockingQueue<UsageEvent> usageEvents = new LinkedBlockingQueue<>();
    private final BlockingQueue<DeltaEvent> deltaEvents = new LinkedBlockingQueue<>();
    private final BlockingQueue<String> comments = new LinkedBlockingQueue<>();
    /** The reconnection delays the server sent ({@code retry:} lines), in milliseconds, in order. */
    final BlockingQueue<Long> retries = new LinkedBlockingQueue<>();

    private final java.util.concurrent.CountDownLatch ended = new java.util.concurrent.CountDownLatch(1);
    private final InputStream body;
    private final Thread reader;
    final int status;

    SseClient(String baseUrl, String token) throws IOException, InterruptedException {
        this(baseUrl, "/v1/stream", token);
    }

    /** A stream of {@code path}, such as {@code /v1/stream?deltas=1}. */
    SseClient(String baseUrl, String path, String token) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(baseUrl + path))
                .header("Authorization", "Bearer " + token)
                .header("Accept", "text/event-stream")
                .build();
        HttpResponse<InputStream> response = CLIENT.send(request, HttpResponse.BodyHandlers.ofInputStream());
        status = response.statusCode();
        body = response.body();
        reader = new Thread(this::read, "sse-test-reader");
        reader.setDaemon(true);
        reader.start();
    }

    private void read() {
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8))) {
            String event = null;
            String id = null;
            for (String line; (line = lines.readLine()) != null; ) {
                if (line.startsWith("event: ")) {
                    event = line.substring(7);
                } else if (line.startsWith("id: ")) {
                    id = line.substring(4);
                } else if (line.startsWith("data: ") && "revision".equals(event)) {
                    long revision =
                            Api.JSON.readTree(line.substring(6)).get("revision").asLong();
                    events.add(new Event(revision, System.nanoTime()));
                } else if (line.startsWith("data: ") && "delta".equals(event)) {
                    String data = line.substring(6);
                    String wire = "id: " + id + "\nevent: delta\ndata: " + data + "\n\n";
                    deltaEvents.add(new DeltaEvent(
                            Long.parseLong(id), Api.JSON.readTree(data), wire.getBytes(StandardCharsets.UTF_8).length));
                } else if (line.startsWith("data: ") && "usage".equals(event)) {
                    long version =
                            Api.JSON.readTree(line.substring(6)).get("version").asLong();
                    usageEvents.add(new UsageEvent(version, id, System.nanoTime()));
                } else if (line.startsWith("retry: ")) {
                    retries.add(Long.parseLong(line.substring(7).strip()));
                } else if (line.startsWith(":")) {
                    comments.add(line);
                } else if (line.isEmpty()) {
                    event = null;
                    id = null;
                }
            }
        } catch (IOException e) {
            // closed
        } finally {
            ended.countDown();
        }
    }

    /** Whether the server ended the stream within {@code millis}. */
    boolean awaitEnd(long millis) throws InterruptedException {
        return ended.await(millis, TimeUnit.MILLISECONDS);
    }

    /** The next event with a revision of at least {@code revision}, or null after {@code millis}. */
    Event awaitRevision(long revision, long millis) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        while (true) {
            Event event = events.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (event == null || event.revision() >= revision) {
                return event;
            }
        }
    }

    /** The next {@code delta} event, or null after {@code millis}. */
    DeltaEvent awaitDelta(long millis) throws InterruptedException {
        return deltaEvents.poll(millis, TimeUnit.MILLISECONDS);
    }

    /** The next {@code usage} event with a version of at least {@code version}, or null after {@code millis}. */
    UsageEvent awaitUsage(long version, long millis) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        while (true) {
            UsageEvent event = usageEvents.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (event == null || event.version() >= version) {
                return event;
            }
        }
    }

    /** The {@code usage} events received within {@code millis} from now, in order. */
    java.util.List<UsageEvent> usageEventsWithin(long millis) throws InterruptedException {
        Thread.sleep(millis);
        java.util.List<UsageEvent> received = new java.util.ArrayList<>();
        usageEvents.drainTo(received);
        return received;
    }

    /** The comments received and not yet awaited, in order. */
    java.util.List<String> comments() {
        java.util.List<String> received = new java.util.ArrayList<>();
        comments.drainTo(received);
        return received;
    }

    String awaitComment(long millis) throws InterruptedException {
        return comments.poll(millis, TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() throws IOException {
        body.close();
        reader.interrupt();
    }
}
