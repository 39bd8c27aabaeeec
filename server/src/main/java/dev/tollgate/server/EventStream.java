package dev.tollgate.server;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * The response of an open Server-Sent Events stream, written without blocking: a write starts at once when none is in
 * progress and waits in a queue otherwise, so that the thread that writes to thousands of streams never waits for a
 * slow client. A client that lets more than {@link #MAX_QUEUED_BYTES} wait is cut off: its stream fails and the SDK
 * reconnects (and, having missed events, fetches the snapshot).
 *
 * <p>Thread-safe: the queue and the flags are guarded by this object's monitor; the response is written outside it,
 * one write at a time, as Jetty requires.
 */
final class EventStream {
    /** What a stream may have waiting before its client counts as too slow. */
    static final int MAX_QUEUED_BYTES = 64 * 1024;

    private final Response response;
    private final Callback exchange;
    private final ArrayDeque<ByteBuffer> queue = new ArrayDeque<>();
    private final Callback written = Callback.from(this::writeNext, this::fail);
    private int queuedBytes;
    private boolean writing;
    /** Set by {@link #close}: the exchange completes once the queue is written. */
    private boolean closing;
    /** The exchange completed or failed: nothing more is written. */
    private boolean done;

    EventStream(Response response, Callback exchange) {
        this.response = response;
        this.exchange = exchange;
    }

    /**
     * Writes {@code text}, or queues it behind the write in progress. Returns false when the stream has ended (the
     * client went away, was too slow, or the stream was closed): the caller drops it.
     */
    boolean write(String text) {
        ByteBuffer buffer = ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
        boolean tooSlow = false;
        synchronized (this) {
            if (done || closing) {
                return false;
            }
            if (writing) {
                if (queuedBytes + buffer.remaining() > MAX_QUEUED_BYTES) {
                    done = true;
                    tooSlow = true;
                    queue.clear();
                } else {
                    queue.add(buffer);
                    queuedBytes += buffer.remaining();
                    return true;
                }
            } else {
                writing = true;
            }
        }
        if (tooSlow) {
            exchange.failed(new java.io.IOException("the stream's client reads too slowly: more than "
                    + MAX_QUEUED_BYTES + " bytes waited to be written"));
            return false;
        }
        response.write(false, buffer, written);
        return true;
    }

    /** Ends the stream once what is queued is written. */
    void close() {
        boolean idle;
        synchronized (this) {
            if (done || closing) {
                return;
            }
            closing = true;
            idle = !writing;
            if (idle) {
                done = true;
            }
        }
        if (idle) {
            response.write(true, null, exchange);
        }
    }

    /** Whether the stream has ended or is ending. */
    synchronized boolean ended() {
        return done || closing;
    }

    private void writeNext() {
        ByteBuffer next;
        boolean finish = false;
        synchronized (this) {
            if (done) {
                return;
            }
            next = queue.poll();
            if (next != null) {
                queuedBytes -= next.remaining();
            } else {
                writing = false;
                if (closing) {
                    done = true;
                    finish = true;
                }
            }
        }
        if (next != null) {
            response.write(false, next, written);
        } else if (finish) {
            response.write(true, null, exchange);
        }
    }

    private void fail(Throwable failure) {
        synchronized (this) {
            if (done) {
                return;
            }
            done = true;
            queue.clear();
        }
        exchange.failed(failure);
    }
}
