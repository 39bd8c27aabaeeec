package dev.tollgate.server;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The open Server-Sent Events streams, per environment. A stream holds no thread: the request handler registers the
 * exchange and returns. Events and heartbeats are written by one thread of the hub's own, without blocking ({@link
 * EventStream}), so that neither a writing request nor the other streams wait for a slow stream client.
 *
 * <p>A stream lives no longer than the token that opened it: revoking a token on this instance closes its streams at
 * once ({@link #closeToken}); every {@code tokenRecheck} the hub also asks the database which of its streams' tokens
 * are still valid and closes the streams of the others, which is how a revocation made on another instance, or a
 * token's expiry, ends a stream. The SDK then reconnects, gets 401 and stops, as {@code docs/protocol.md} says.
 *
 * <p>Metered usage: when an environment's meter rows change ({@link MeterEvents}), its streams get a {@code usage}
 * event with the environment's meter version and no {@code id} (ids are revisions, which {@code Last-Event-ID} would
 * name), coalesced to at most one per environment every {@link #USAGE_NOTICE_INTERVAL}: {@link #usage} only records the
 * highest version in {@code usageNotices} (one entry per environment that changed), and the hub thread sends and
 * removes the entries once per interval. A version recorded while the hub thread sends goes out at the next interval.
 *
 * <p>Deltas: a stream opened with {@code ?deltas=1} gets, for each new revision that has one, the {@code delta} event
 * instead of the {@code revision} event ({@link DeltaEvents}, computed once per revision by the snapshot cache); the
 * first event of a stream is always a {@code revision} event.
 *
 * <p>Concurrency: subscribers live in concurrent sets (added by request threads, removed by the hub thread); each
 * subscriber's writes are synchronized on it, so the first event written by the request thread and later ones never
 * interleave. A write that fails closes and drops the subscriber.
 */
final class StreamHub implements RevisionEvents.Listener, MeterEvents.Listener, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(StreamHub.class);
    static final Duration USAGE_NOTICE_INTERVAL = Duration.ofSeconds(1);

    /** Which of some tokens are still valid: neither revoked, expired nor deleted. */
    @FunctionalInterface
    interface ValidTokens {
        Set<Long> validAmong(Set<Long> tokenIds);
    }

    /** The {@code delta} event text leading to a revision, or null when there is none. */
    @FunctionalInterface
    interface DeltaEvents {
        String event(String environment, long revision);
    }

    private final ConcurrentHashMap<String, Set<Subscriber>> byEnvironment = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, Long> usageNotices = new ConcurrentHashMap<>();
    private final ScheduledExecutorService writer;
    private final AtomicInteger open = new AtomicInteger();
    private final int maxStreams;
    private final ValidTokens validTokens;
    private final Clock clock;
    /** Set by {@link #close}: a stream opened after it is ended at once. */
    private volatile boolean closed;

    private volatile Duration retryAfterClose = Duration.ofSeconds(1);
    private final DeltaEvents deltas;

    StreamHub(Duration heartbeat, int maxStreams, Duration tokenRecheck, ValidTokens validTokens, Clock clock) {
        this(heartbeat, maxStreams, tokenRecheck, validTokens, clock, (environment, revision) -> null);
    }

    StreamHub(
            Duration heartbeat,
            int maxStreams,
            Duration tokenRecheck,
            ValidTokens validTokens,
            Clock clock,
            DeltaEvents deltas) {
        this.deltas = deltas;
        this.maxStreams = maxStreams;
        this.validTokens = validTokens;
        this.clock = clock;
        writer = DaemonThreads.scheduler("tollgate-streams");
        long millis = heartbeat.toMillis();
        writer.scheduleAtFixedRate(this::heartbeat, millis, millis, TimeUnit.MILLISECONDS);
        long recheck = tokenRecheck.toMillis();
        writer.scheduleWithFixedDelay(this::recheckTokens, recheck, recheck, TimeUnit.MILLISECONDS);
        long notices = USAGE_NOTICE_INTERVAL.toMillis();
        writer.scheduleWithFixedDelay(this::sendUsageNotices, notices, notices, TimeUnit.MILLISECONDS);
    }

    /**
     * Starts an event stream on {@code exchange}, first telling it the current revision if there is one (0: none). The
     * subscriber is registered
     * before {@code currentRevision} is read, so a revision published meanwhile reaches it (perhaps twice, which SDKs
     * ignore) rather than not at all.
     */
    void open(Call call, String environment, LongSupplier currentRevision) throws IOException {
        open(call, environment, currentRevision, false);
    }

    /** Likewise; {@code wantsDeltas} when the client asked for {@code delta} events. */
    void open(Call call, String environment, LongSupplier currentRevision, boolean wantsDeltas) throws IOException {
        if (open.get() >= maxStreams) {
            call.setHeader("Retry-After", "30");
            throw new ApiException(
                    503,
                    "too_many_streams",
                    "this server has its maximum of " + maxStreams + " open streams; poll, and reconnect later");
        }
        call.setHeader("Content-Type", "text/event-stream; charset=utf-8");
        call.setHeader("Cache-Control", "no-cache");
        call.setHeader("X-Accel-Buffering", "no");
        Subscriber subscriber = new Subscriber(call.openStream(), environment, call.principal(), wantsDeltas);
        byEnvironment
                .computeIfAbsent(environment, k -> ConcurrentHashMap.newKeySet())
                .add(subscriber);
        open.incrementAndGet();
        if (closed) {
            // close() ran meanwhile and did not see this stream: nothing would write to it or end it.
            subscriber.write("retry: " + retryAfterClose.toMillis() + "\n: the server is shutting down; reconnect\n\n");
            drop(subscriber);
            return;
        }
        long revision;
        try {
            revision = currentRevision.getAsLong();
        } catch (RuntimeException e) {
            // The stream is open, so no error can be answered any more: end it, and the client reconnects.
            LOG.warn(
                    "Cannot read the current revision of {} for a new stream; closing it: {}",
                    environment,
                    e.toString());
            drop(subscriber);
            return;
        }
        if (!subscriber.write("retry: 1000\n" + (revision > 0 ? event(revision) : ": no revision yet\n\n"))) {
            drop(subscriber);
        }
    }

    /** How many streams are open. */
    int openStreams() {
        return open.get();
    }

    static String event(long revision) {
        return "id: " + revision + "\nevent: revision\ndata: {\"revision\": " + revision + "}\n\n";
    }

    @Override
    public void revision(String environment, long revision) {
        try {
            writer.execute(() -> broadcast(environment, revision));
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // closed: the streams are gone
        }
    }

    private void broadcast(String environment, long revision) {
        Set<Subscriber> subscribers = byEnvironment.get(environment);
        if (subscribers == null) {
            return;
        }
        String plain = event(revision);
        String delta = deltas.event(environment, revision);
        for (Subscriber subscriber : subscribers) {
            if (!subscriber.write(delta != null && subscriber.wantsDeltas ? delta : plain)) {
                drop(subscriber);
            }
        }
    }

    /** Records that {@code environment}'s meter rows changed up to {@code version}; sent at the next interval. */
    @Override
    public void usage(String environment, long version) {
        usageNotices.merge(environment, version, Math::max);
    }

    static String usageEvent(long version) {
        return "event: usage\ndata: {\"version\": " + version + "}\n\n";
    }

    private void sendUsageNotices() {
        for (String environment : usageNotices.keySet()) {
            Long version = usageNotices.remove(environment);
            Set<Subscriber> subscribers = byEnvironment.get(environment);
            if (version != null && subscribers != null) {
                send(subscribers, usageEvent(version));
            }
        }
    }

    private void send(Set<Subscriber> subscribers, String text) {
        for (Subscriber subscriber : subscribers) {
            if (!subscriber.write(text)) {
                drop(subscriber);
            }
        }
    }

    private void heartbeat() {
        for (Set<Subscriber> subscribers : byEnvironment.values()) {
            send(subscribers, ": keep-alive\n\n");
        }
    }

    /** Closes the streams opened with token {@code tokenId}, which has just been revoked. */
    void closeToken(long tokenId) {
        try {
            writer.execute(() -> dropIf(subscriber -> subscriber.tokenId == tokenId, "revoked"));
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // closed: the streams are gone
        }
    }

    /** Closes the streams whose token has expired, or is no longer valid according to the database. */
    private void recheckTokens() {
        Instant now = clock.instant();
        dropIf(subscriber -> subscriber.expiresAt != null && !subscriber.expiresAt.isAfter(now), "expired");
        Set<Long> tokenIds = new HashSet<>();
        for (Set<Subscriber> subscribers : byEnvironment.values()) {
            for (Subscriber subscriber : subscribers) {
                tokenIds.add(subscriber.tokenId);
            }
        }
        if (tokenIds.isEmpty()) {
            return;
        }
        Set<Long> valid;
        try {
            valid = validTokens.validAmong(tokenIds);
        } catch (RuntimeException e) {
            LOG.warn(
                    "Cannot check the tokens of {} open streams; keeping them open until the next check",
                    open.get(),
                    e);
            return;
        }
        dropIf(subscriber -> !valid.contains(subscriber.tokenId), "revoked");
    }

    private void dropIf(java.util.function.Predicate<Subscriber> ended, String why) {
        for (Set<Subscriber> subscribers : byEnvironment.values()) {
            for (Subscriber subscriber : subscribers) {
                if (ended.test(subscriber)) {
                    subscriber.write(": token " + why + "\n\n");
                    drop(subscriber);
                    LOG.info("Closed a revision stream of token {}: the token is {}", subscriber.tokenId, why);
                }
            }
        }
    }

    private void drop(Subscriber subscriber) {
        Set<Subscriber> subscribers = byEnvironment.get(subscriber.environment);
        if (subscribers != null && subscribers.remove(subscriber)) {
            open.decrementAndGet();
            subscriber.close();
        }
    }

    /**
     * Ends every stream, telling its client to reconnect in {@code retry} (another instance, or this one restarted,
     * will take it), and stops the hub's thread.
     */
    void close(Duration retry) {
        retryAfterClose = retry;
        closed = true;
        writer.shutdownNow();
        String goodbye = "retry: " + retry.toMillis() + "\n: the server is shutting down; reconnect\n\n";
        for (Set<Subscriber> subscribers : byEnvironment.values()) {
            for (Subscriber subscriber : subscribers) {
                subscriber.write(goodbye);
                drop(subscriber);
            }
        }
    }

    @Override
    public void close() {
        close(Duration.ofSeconds(1));
    }

    /** One open stream. */
    private static final class Subscriber {
        private final EventStream stream;
        private final String environment;
        private final long tokenId;
        private final Instant expiresAt;
        private final boolean wantsDeltas;

        Subscriber(EventStream stream, String environment, Principal principal, boolean wantsDeltas) {
            this.wantsDeltas = wantsDeltas;
            this.stream = stream;
            this.environment = environment;
            this.tokenId = principal.tokenId();
            this.expiresAt = principal.expiresAt();
        }

        boolean write(String text) {
            return stream.write(text);
        }

        void close() {
            stream.close();
        }
    }
}
