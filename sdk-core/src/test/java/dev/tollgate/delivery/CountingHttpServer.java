package dev.tollgate.delivery;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A loopback HTTP/1.1 server that counts the body bytes it actually wrote to each connection, for tests that a client
 * stops downloading a response it does not want. Every request to a path gets that path's fixed {@link Answer}; once a
 * response ends (written completely, or cut off by the client), it is recorded as a {@link Sent}.
 *
 * <p>The accepted sockets get a small send buffer, so that a response the client stops reading fills only that buffer
 * and the client's receive buffer: what the server wrote is then close to what the client received.
 */
final class CountingHttpServer implements AutoCloseable {
    private static final int SEND_BUFFER = 64 * 1024;
    private static final int SLICE = 64 * 1024;

    /** A response: status, header lines ("Name: value"), and a body sent with its {@code Content-Length}. */
    record Answer(int code, List<String> headers, byte[] body) {}

    /** One response as sent: the request path, the body's length, and how much of it was written. */
    record Sent(String path, long length, long written) {}

    private final ServerSocket socket;
    private final Map<String, Answer> answers = new ConcurrentHashMap<>();
    private final List<Sent> sent = new CopyOnWriteArrayList<>();
    private final List<Socket> connections = new CopyOnWriteArrayList<>();

    CountingHttpServer() throws IOException {
        socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(this::accept, "counting-http-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    String url() {
        return "http://" + socket.getInetAddress().getHostAddress() + ":" + socket.getLocalPort();
    }

    /** Answers every request whose path starts with {@code path} with {@code answer}. */
    void answer(String path, Answer answer) {
        answers.put(path, answer);
    }

    /** The responses sent so far to paths starting with {@code path}, in the order they ended. */
    List<Sent> sent(String path) {
        List<Sent> matching = new ArrayList<>();
        for (Sent response : sent) {
            if (response.path().startsWith(path)) {
                matching.add(response);
            }
        }
        return matching;
    }

    private void accept() {
        while (!socket.isClosed()) {
            try {
                Socket connection = socket.accept();
                connection.setSendBufferSize(SEND_BUFFER);
                connections.add(connection);
                Thread worker = new Thread(() -> serve(connection), "counting-http-connection");
                worker.setDaemon(true);
                worker.start();
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    /** Serves requests on one connection until the client closes it or a response is cut off. */
    private void serve(Socket connection) {
        try (connection) {
            InputStream in = connection.getInputStream();
            OutputStream out = connection.getOutputStream();
            String path;
            while ((path = requestPath(in)) != null) {
                if (!respond(out, path)) {
                    return;
                }
            }
        } catch (IOException e) {
            // The client went away while sending a request.
        }
    }

    /** Reads one request head and returns its path, or null at the end of the connection. */
    private static String requestPath(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        int b;
        while (matched < 4 && (b = in.read()) != -1) {
            head.write(b);
            matched = b == (matched % 2 == 0 ? '\r' : '\n') ? matched + 1 : (b == '\r' ? 1 : 0);
        }
        if (matched < 4) {
            return null;
        }
        String requestLine =
                head.toString(StandardCharsets.ISO_8859_1).lines().findFirst().orElse("");
        String[] parts = requestLine.split(" ");
        return parts.length > 1 ? parts[1] : "";
    }

    /** Writes the answer for {@code path}; false if the client cut the response off. */
    private boolean respond(OutputStream out, String path) {
        Answer answer = answerFor(path);
        StringBuilder head =
                new StringBuilder("HTTP/1.1 ").append(answer.code()).append(" Status\r\n");
        for (String header : answer.headers()) {
            head.append(header).append("\r\n");
        }
        head.append("Content-Length: ").append(answer.body().length).append("\r\n\r\n");
        long written = 0;
        try {
            out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
            for (int offset = 0; offset < answer.body().length; offset += SLICE) {
                int length = Math.min(SLICE, answer.body().length - offset);
                out.write(answer.body(), offset, length);
                written += length;
            }
            out.flush();
            return true;
        } catch (IOException e) {
            return false;
        } finally {
            sent.add(new Sent(path, answer.body().length, written));
        }
    }

    private Answer answerFor(String path) {
        for (Map.Entry<String, Answer> entry : answers.entrySet()) {
            if (path.startsWith(entry.getKey())) {
                return entry.getValue();
            }
        }
        return new Answer(404, List.of(), new byte[0]);
    }

    @Override
    public void close() throws IOException {
        socket.close();
        for (Socket connection : connections) {
            try {
                connection.close();
            } catch (SocketException e) {
                // Already closed.
            }
        }
    }
}
