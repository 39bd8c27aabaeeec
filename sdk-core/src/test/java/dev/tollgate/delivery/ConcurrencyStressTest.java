package dev.tollgate.delivery;

import static dev.tollgate.delivery.Fixtures.API_REQUESTS;
import static dev.tollgate.delivery.Fixtures.MAX_TEAM_SIZE;
import static dev.tollgate.delivery.Fixtures.SCHEMA;
import static dev.tollgate.delivery.Fixtures.TEAM_ROLES;
import static dev.tollgate.delivery.Fixtures.VERSION_HISTORY;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.ClientStatus;
import dev.tollgate.TollgateClient;
import dev.tollgate.UntypedRoot;
import dev.tollgate.runtime.InputValue;
import dev.tollgate.spi.SnapshotSource;
import dev.tollgate.spi.SourceContext;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * Readers evaluate through roots while two writers swap snapshots thousands of times, one by hand and one through a
 * source on the client's thread, each skipping revisions the other delivers. Every value of a snapshot encodes its
 * revision, so a root that mixed two snapshots would show it.
 */
class ConcurrencyStressTest {
    private static final int REVISIONS = 3_000;
    private static final int READERS = 3;

    @Test
    void everyRootReadsOneRevision_revisionsOnlyGoUp_andNothingThrows() throws InterruptedException {
        List<byte[]> snapshots = new ArrayList<>();
        for (long revision = 1; revision <= REVISIONS; revision++) {
            snapshots.add(Fixtures.snapshotBytes(revision));
        }
        SourceHolder source = new SourceHolder();
        TollgateClient client = TollgateClient.builder(SCHEMA).source(source).build();
        InputValue context = Fixtures.context();
        Map<String, ?> search = Map.of("endpoint", "/search");
        AtomicBoolean done = new AtomicBoolean();
        Queue<Throwable> failures = new ConcurrentLinkedQueue<>();
        AtomicLong reads = new AtomicLong();
        CountDownLatch finished = new CountDownLatch(READERS + 1);

        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < READERS; i++) {
            threads.add(new Thread(
                    () -> {
                        try {
                            long last = 0;
                            while (!done.get()) {
                                UntypedRoot root = client.root(context);
                                long revision = root.revision();
                                int teamSize = root.intValue(MAX_TEAM_SIZE, -1);
                                int requests = root.intValue(API_REQUESTS, search, -1);
                                boolean roles = root.booleanValue(TEAM_ROLES, false);
                                boolean history = root.booleanValue(VERSION_HISTORY, true);
                                boolean even = revision % 2 == 0;
                                if (revision < last) {
                                    throw new AssertionError("revision went back from " + last + " to " + revision);
                                }
                                if (revision == 0
                                        ? teamSize != -1 || requests != -1 || roles || !history
                                        : teamSize != revision
                                                || requests != revision * 100
                                                || roles != even
                                                || history != even) {
                                    throw new AssertionError("root of revision " + revision + " read " + teamSize + ", "
                                            + requests + ", " + roles + ", " + history);
                                }
                                last = revision;
                                reads.incrementAndGet();
                            }
                        } catch (Throwable t) {
                            failures.add(t);
                        } finally {
                            finished.countDown();
                        }
                    },
                    "reader-" + i));
        }
        threads.add(new Thread(
                () -> {
                    try {
                        for (int i = 0; i < REVISIONS; i += 2) {
                            client.loadSnapshot(snapshots.get(i)); // odd revisions, by hand
                        }
                    } catch (Throwable t) {
                        failures.add(t);
                    } finally {
                        finished.countDown();
                    }
                },
                "manual-writer"));
        CountDownLatch sourceDone = new CountDownLatch(1);
        source.context.schedule(
                () -> {
                    for (int i = 1; i < REVISIONS; i += 2) {
                        source.context.deliver(snapshots.get(i), null); // even revisions, on the client's thread
                    }
                    sourceDone.countDown();
                },
                Duration.ZERO);

        long started = System.nanoTime();
        threads.forEach(Thread::start);
        assertThat(sourceDone.await(60, TimeUnit.SECONDS)).isTrue();
        threads.get(READERS).join(60_000);
        done.set(true);
        assertThat(finished.await(10, TimeUnit.SECONDS)).isTrue();
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
        client.close();

        assertThat(failures).isEmpty();
        assertThat(client.revision()).isEqualTo(REVISIONS);
        assertThat(reads.get()).isPositive();
        System.out.printf(
                "STRESS %d snapshots offered by 2 writers, %d consistent root reads by %d readers in %d ms%n",
                REVISIONS, reads.get(), READERS, millis);
    }

    /**
     * The revision roots read and the one {@code status()} reports move in one step: a status read after {@code
     * revision()} returned N reports N or later with N's source, and a root taken after a status reported N reads N or
     * later. A service that waits for a revision and then reports the status (a health check, a test) sees them agree.
     */
    @Test
    void statusAndRevision_neverDisagree_whileSnapshotsAreInstalled() throws InterruptedException {
        List<byte[]> snapshots = new ArrayList<>();
        for (long revision = 1; revision <= REVISIONS; revision++) {
            snapshots.add(Fixtures.snapshotBytes(revision));
        }
        TollgateClient client = TollgateClient.builder(SCHEMA).build();
        InputValue context = Fixtures.context();
        AtomicBoolean done = new AtomicBoolean();
        Queue<String> failures = new ConcurrentLinkedQueue<>();
        AtomicLong checks = new AtomicLong();
        Thread reader = new Thread(
                () -> {
                    while (!done.get() && failures.isEmpty()) {
                        long revision = client.revision();
                        ClientStatus status = client.status();
                        if (status.revision() < revision) {
                            failures.add("status() reported revision " + status.revision() + " after revision() "
                                    + revision);
                        } else if (status.revision() == revision
                                && revision > 0
                                && !status.source().equals(Optional.of("manual"))) {
                            failures.add("status() at revision " + revision + " named source " + status.source());
                        }
                        long rootRevision = client.root(context).revision();
                        if (rootRevision < status.revision()) {
                            failures.add("a root read revision " + rootRevision + " after status() reported "
                                    + status.revision());
                        }
                        checks.incrementAndGet();
                    }
                },
                "status-reader");
        reader.start();
        for (byte[] snapshot : snapshots) {
            client.loadSnapshot(snapshot);
        }
        done.set(true);
        reader.join(10_000);
        client.close();

        assertThat(failures).isEmpty();
        assertThat(client.status().revision()).isEqualTo(REVISIONS);
        assertThat(checks.get()).isPositive();
    }

    /** A source that only hands its context to the test. */
    private static final class SourceHolder implements SnapshotSource {
        volatile SourceContext context;

        @Override
        public String name() {
            return "stress-source";
        }

        @Override
        public void start(SourceContext context) {
            this.context = context;
        }

        @Override
        public void close() {}
    }
}
