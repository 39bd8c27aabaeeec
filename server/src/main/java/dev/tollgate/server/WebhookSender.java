package dev.tollgate.server;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends the outbox's deliveries: one poller thread claims due rows (see {@link WebhookOutbox}) every poll interval,
 * and at once after an event is written on this instance, and hands each to one of {@code threads} sender threads; it
 * claims no more rows than there are idle senders ({@link #idle}), so the pool's queue never holds more than {@code
 * threads} tasks and no claimed row waits long enough for its lease to end. Each attempt is one POST with the JDK's
 * HttpClient (connect timeout {@link #CONNECT_TIMEOUT}, the answer's headers within {@link #REQUEST_TIMEOUT}, the whole
 * exchange within {@code tollgate.webhook.timeout.seconds}, redirects not followed), signed with the endpoint's
 * secret ({@link #signature}).
 *
 * <p>{@link #close} stops polling, lets attempts in flight finish for up to ten seconds, then interrupts them; an
 * attempt cut short is not recorded and its row is due again when its lease ends. The client's executor is shut down
 * too; its selector thread (a daemon) ends once the client is unreferenced, as Java 17's HttpClient has no close.
 */
final class WebhookSender implements AutoCloseable {
    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(15);
    /** The start of an answer's body kept with the attempt. */
    static final int KEPT_BODY_BYTES = 1_000;

    private static final Logger LOG = LoggerFactory.getLogger(WebhookSender.class);

    private final Database db;
    private final WebhookOutbox outbox;
    private final AuditLog audit;
    private final Duration pollInterval;
    private final ScheduledExecutorService poller;
    private final ExecutorService senders;
    private final Semaphore idle;
    private final ExecutorService clientThreads;
    private final HttpClient http;
    private final AtomicBoolean polling = new AtomicBoolean();
    private final AtomicBoolean failing = new AtomicBoolean();
    private volatile boolean closed;

    /**
     * The longest one attempt may take, connecting and reading the whole answer ({@code
     * tollgate.webhook.timeout.seconds}): well within the claim's lease.
     */
    private final Duration exchangeDeadline;

    /** How long the answer's headers may take: the request timeout, or the deadline when that is shorter. */
    private final Duration headersTimeout;

    WebhookSender(
            Database db, WebhookOutbox outbox, AuditLog audit, int threads, Duration pollInterval, Duration timeout) {
        this.exchangeDeadline = timeout;
        this.headersTimeout = timeout.compareTo(REQUEST_TIMEOUT) < 0 ? timeout : REQUEST_TIMEOUT;
        this.db = db;
        this.outbox = outbox;
        this.audit = audit;
        this.pollInterval = pollInterval;
        this.idle = new Semaphore(threads);
        this.poller = DaemonThreads.scheduler("tollgate-webhooks");
        AtomicInteger n = new AtomicInteger();
        this.senders = new ThreadPoolExecutor(
                threads, threads, 0, TimeUnit.SECONDS, new LinkedBlockingQueue<>(threads), task -> {
                    Thread thread = new Thread(task, "tollgate-webhook-sender-" + n.incrementAndGet());
                    thread.setDaemon(true);
                    return thread;
                });
        // The client's own work (its async steps) runs on a thread of its own, never on a sender that waits for it.
        this.clientThreads = java.util.concurrent.Executors.newFixedThreadPool(1, task -> {
            Thread thread = new Thread(task, "tollgate-webhook-client");
            thread.setDaemon(true);
            return thread;
        });
        this.http = HttpClient.newBuilder()
                .connectTimeout(CONNECT_TIMEOUT)
                .followRedirects(HttpClient.Redirect.NEVER)
                .executor(clientThreads)
                .build();
    }

    void start() {
        outbox.onPublish(this::wake);
        long millis = pollInterval.toMillis();
        poller.scheduleWithFixedDelay(this::poll, millis, millis, TimeUnit.MILLISECONDS);
    }

    /** The endpoints this instance is sending to now: none gets a second sender, so a slow one holds one thread. */
    private final Set<Long> sending = java.util.concurrent.ConcurrentHashMap.newKeySet();

    /** Polls soon: an event was just written (its transaction commits in a moment). */
    void wake() {
        if (!closed) {
            try {
                poller.schedule(this::poll, 100, TimeUnit.MILLISECONDS);
            } catch (java.util.concurrent.RejectedExecutionException e) {
                // closing
            }
        }
    }

    /** Claims as many due deliveries as there are idle senders and starts them; on the poller thread, and from tests. */
    void poll() {
        if (closed || !polling.compareAndSet(false, true)) {
            return;
        }
        try {
            int free = idle.drainPermits();
            List<WebhookOutbox.Claimed> claimed;
            try {
                claimed = outbox.claim(db, free, Set.copyOf(sending));
            } finally {
                idle.release(free);
            }
            for (WebhookOutbox.Claimed row : claimed) {
                idle.acquireUninterruptibly();
                sending.add(row.endpointId());
                senders.execute(() -> {
                    try {
                        attempt(row);
                    } finally {
                        sending.remove(row.endpointId());
                        idle.release();
                    }
                });
            }
            if (failing.compareAndSet(true, false)) {
                LOG.info("Webhook deliveries are read again");
            }
        } catch (RuntimeException e) {
            if (failing.compareAndSet(false, true)) {
                LOG.warn("Reading the webhook outbox failed: {}", e.getMessage());
            }
        } finally {
            polling.set(false);
        }
    }

    private void attempt(WebhookOutbox.Claimed row) {
        WebhookEndpoints.Endpoint endpoint = db.read(c -> WebhookEndpoints.byId(c, row.endpointId()));
        if (endpoint == null || closed) {
            return; // deleted meanwhile (its rows went with it), or stopping: the lease ends and it is due again
        }
        WebhookOutbox.Outcome outcome = send(endpoint, row);
        if (closed && outcome.statusCode() == 0) {
            return; // cut short by the shutdown, not the endpoint's fault
        }
        try {
            boolean disabled = db.transaction(c -> {
                boolean off = outbox.recordAttempt(c, row, outcome);
                if (off) {
                    audit.recordByServer(
                            c,
                            WindowKeeper.ACTOR,
                            "webhook.disable",
                            endpoint.environment(),
                            "webhook " + endpoint.id() + " (" + endpoint.url() + ")",
                            "every attempt failed for " + WindowKeeper.describe(WebhookOutbox.DISABLE_AFTER));
                }
                return off;
            });
            if (disabled) {
                LOG.warn(
                        "Disabled webhook endpoint {} ({}): its deliveries have failed for {}",
                        endpoint.id(),
                        endpoint.url(),
                        WindowKeeper.describe(WebhookOutbox.DISABLE_AFTER));
            }
        } catch (RuntimeException e) {
            LOG.warn("Recording a webhook attempt of delivery {} failed: {}", row.id(), e.getMessage());
        }
    }

    /** One POST of the delivery's body to the endpoint. */
    WebhookOutbox.Outcome send(WebhookEndpoints.Endpoint endpoint, WebhookOutbox.Claimed row) {
        Instant now = outbox.now();
        String timestamp = Long.toString(now.getEpochSecond());
        StringBuilder signatures = new StringBuilder();
        for (String secret : endpoint.signingSecrets(now)) {
            signatures
                    .append(signatures.length() == 0 ? "" : " ")
                    .append("v1=")
                    .append(signature(secret, row.eventId(), timestamp, row.payload()));
        }
        long start = System.nanoTime();
        try {
            HttpRequest request = HttpRequest.newBuilder(URI.create(endpoint.url()))
                    .timeout(headersTimeout)
                    .header("Content-Type", "application/json")
                    .header("User-Agent", "Tollgate-Webhooks/1")
                    .header("Tollgate-Webhook-Id", row.eventId())
                    .header("Tollgate-Webhook-Timestamp", timestamp)
                    .header("Tollgate-Webhook-Signature", signatures.toString())
                    .header("Tollgate-Webhook-Attempt", Integer.toString(row.attempt()))
                    .POST(HttpRequest.BodyPublishers.ofString(row.payload(), StandardCharsets.UTF_8))
                    .build();
            // The request timeout ends the wait for the answer's headers only; the whole exchange, body included, gets
            // a
            // deadline of its own, so that a receiver that answers and then stalls cannot hold a sender past its lease.
            // Only the body's first KEPT_BODY_BYTES are kept; the rest is read and dropped.
            KeptBody kept = new KeptBody();
            java.util.concurrent.CompletableFuture<HttpResponse<Void>> exchange =
                    http.sendAsync(request, HttpResponse.BodyHandlers.ofByteArrayConsumer(kept));
            HttpResponse<Void> response;
            try {
                response = exchange.get(exchangeDeadline.toMillis(), TimeUnit.MILLISECONDS);
            } catch (java.util.concurrent.TimeoutException e) {
                exchange.cancel(true);
                return new WebhookOutbox.Outcome(
                        0,
                        "no complete answer within " + exchangeDeadline.toSeconds() + " s",
                        millisSince(start),
                        kept.text());
            } catch (java.util.concurrent.ExecutionException e) {
                Throwable cause = e.getCause() == null ? e : e.getCause();
                String error = cause.getClass().getSimpleName()
                        + (cause.getMessage() == null ? "" : ": " + cause.getMessage());
                return new WebhookOutbox.Outcome(0, error, millisSince(start), null);
            }
            int status = response.statusCode();
            return new WebhookOutbox.Outcome(
                    status, status / 100 == 2 ? null : "HTTP " + status, millisSince(start), kept.text());
        } catch (IllegalArgumentException e) {
            String error = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
            return new WebhookOutbox.Outcome(0, error, millisSince(start), null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new WebhookOutbox.Outcome(0, "interrupted", millisSince(start), null);
        }
    }

    /** Keeps the first {@link #KEPT_BODY_BYTES} of an answer's body, as the HTTP client hands it over. */
    private static final class KeptBody implements java.util.function.Consumer<java.util.Optional<byte[]>> {
        private final java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();

        @Override
        public synchronized void accept(java.util.Optional<byte[]> chunk) {
            chunk.ifPresent(b -> bytes.write(b, 0, Math.min(b.length, KEPT_BODY_BYTES - bytes.size())));
        }

        synchronized String text() {
            return bytes.toString(StandardCharsets.UTF_8);
        }
    }

    private static long millisSince(long start) {
        return (System.nanoTime() - start) / 1_000_000;
    }

    /** The hex HMAC-SHA256, keyed by the secret's UTF-8 bytes, of {@code "<id>.<timestamp>.<body>"}. */
    static String signature(String secret, String id, String timestamp, String body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            byte[] digest = mac.doFinal((id + "." + timestamp + "." + body).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("every JDK has HmacSHA256", e);
        }
    }

    @Override
    public void close() {
        closed = true;
        poller.shutdownNow();
        clientThreads.shutdown();
        senders.shutdown();
        try {
            if (!senders.awaitTermination(10, TimeUnit.SECONDS)) {
                senders.shutdownNow();
                senders.awaitTermination(2, TimeUnit.SECONDS);
            }
            poller.awaitTermination(2, TimeUnit.SECONDS);
            clientThreads.shutdownNow();
        } catch (InterruptedException e) {
            senders.shutdownNow();
            clientThreads.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }
}
