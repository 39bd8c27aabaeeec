package dev.tollgate.delivery;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import okhttp3.mockwebserver.Dispatcher;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.RecordedRequest;

/**
 * Answers snapshot requests from a script: the n-th request gets the n-th response, and once the script is used up,
 * the last one again (so a failing server keeps failing). Stream requests get {@code streamResponses} the same way, or
 * 404 when there are none.
 */
final class ScriptedDispatcher extends Dispatcher {
    private final List<MockResponse> snapshotResponses = new CopyOnWriteArrayList<>();
    private final List<MockResponse> streamResponses = new CopyOnWriteArrayList<>();
    private final List<RecordedRequest> snapshotRequests = new CopyOnWriteArrayList<>();
    private final List<Long> snapshotRequestNanos = new CopyOnWriteArrayList<>();
    private final List<RecordedRequest> streamRequests = new CopyOnWriteArrayList<>();
    private final List<Long> streamRequestNanos = new CopyOnWriteArrayList<>();

    ScriptedDispatcher snapshots(MockResponse... responses) {
        snapshotResponses.addAll(List.of(responses));
        return this;
    }

    ScriptedDispatcher streams(MockResponse... responses) {
        streamResponses.addAll(List.of(responses));
        return this;
    }

    @Override
    public MockResponse dispatch(RecordedRequest request) {
        String path =
                request.getRequestUrl() == null ? "" : request.getRequestUrl().encodedPath();
        if (path.endsWith("/v1/stream")) {
            int index = streamRequests.size();
            streamRequestNanos.add(System.nanoTime()); // before the request, which the counts are taken from
            streamRequests.add(request);
            return pick(streamResponses, index, new MockResponse().setResponseCode(404));
        }
        int index = snapshotRequests.size();
        snapshotRequestNanos.add(System.nanoTime());
        snapshotRequests.add(request);
        return pick(snapshotResponses, index, new MockResponse().setResponseCode(500));
    }

    private static MockResponse pick(List<MockResponse> script, int index, MockResponse none) {
        return script.isEmpty() ? none : script.get(Math.min(index, script.size() - 1));
    }

    int snapshotRequestCount() {
        return snapshotRequests.size();
    }

    int streamRequestCount() {
        return streamRequests.size();
    }

    RecordedRequest snapshotRequest(int index) {
        return snapshotRequests.get(index);
    }

    RecordedRequest streamRequest(int index) {
        return streamRequests.get(index);
    }

    /** Nanoseconds between the starts of snapshot request {@code from} and {@code to}. */
    long nanosBetween(int from, int to) {
        return snapshotRequestNanos.get(to) - snapshotRequestNanos.get(from);
    }

    /** Nanoseconds between the starts of stream request {@code from} and {@code to}. */
    long streamNanosBetween(int from, int to) {
        return streamRequestNanos.get(to) - streamRequestNanos.get(from);
    }

    List<RecordedRequest> allSnapshotRequests() {
        return new ArrayList<>(snapshotRequests);
    }
}
