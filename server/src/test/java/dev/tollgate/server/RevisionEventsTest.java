package dev.tollgate.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The order and retry guarantees of {@link RevisionEvents#publishLocal}. */
class RevisionEventsTest {

    /**
     * Regression: a revision counted as announced before its listeners ran, so when the snapshot cache failed once (a
     * database hiccup) the streams announced a revision the instance never served, and nothing tried again.
     */
    @Test
    void aFailingListener_stopsTheLaterOnes_andTheRevisionIsOfferedAgain() {
        List<String> cache = new ArrayList<>();
        List<String> streams = new ArrayList<>();
        int[] failuresLeft = {1};
        try (RevisionEvents events = new RevisionEvents(null, Duration.ofSeconds(10))) {
            events.addListener((environment, revision) -> {
                if (failuresLeft[0]-- > 0) {
                    throw new IllegalStateException("database unavailable");
                }
                cache.add(environment + "@" + revision);
            });
            events.addListener((environment, revision) -> streams.add(environment + "@" + revision));

            events.publishLocal("production", 2);

            assertThat(cache).isEmpty();
            assertThat(streams).as("not told what the cache could not load").isEmpty();

            events.publishLocal("production", 2);
            events.publishLocal("production", 2);
            events.publishLocal("production", 1);

            assertThat(cache).containsExactly("production@2");
            assertThat(streams).containsExactly("production@2");
        }
    }
}
