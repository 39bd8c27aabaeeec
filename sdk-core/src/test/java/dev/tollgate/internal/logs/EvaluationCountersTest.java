package dev.tollgate.internal.logs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.FallbackCause;
import dev.tollgate.internal.schema.SchemaModel;
import dev.tollgate.internal.schema.SchemaParser;
import java.lang.ref.WeakReference;
import org.junit.jupiter.api.Test;

class EvaluationCountersTest {
    private static final SchemaModel SCHEMA =
            SchemaParser.parse("input Context { id: String! } type Root { seats: Int! }", "counters.graphql");

    @Test
    void totals_includeEveryThreadsCounts_andNewSlots() throws Exception {
        EvaluationCounters counters = new EvaluationCounters(SCHEMA);
        int rule = counters.slot("seats", "rule:pro");
        int fallback = EvaluationCounters.fallbackSlot(0, FallbackCause.NO_LOGIC);
        Thread other = new Thread(() -> {
            for (int i = 0; i < 1_000; i++) {
                counters.increment(rule);
            }
        });
        other.start();
        counters.increment(fallback);
        other.join();

        long[] totals = counters.totals();

        assertThat(totals[rule]).isEqualTo(1_000);
        assertThat(totals[fallback]).isEqualTo(1);
        assertThat(counters.label(rule)).isEqualTo("rule:pro");
        assertThat(counters.field(fallback)).isEqualTo("seats");
        assertThat(counters.liveBlocks())
                .as("the ended thread's block is folded away")
                .isEqualTo(1);
        assertThat(counters.totals()[rule]).as("folded counts stay counted").isEqualTo(1_000);
    }

    /** An array given out is kept; slots registered later must neither lose its counts nor count them twice. */
    @Test
    void anArrayGivenOut_keepsCounting_afterTheThreadMovesToALongerOne() {
        EvaluationCounters counters = new EvaluationCounters(SCHEMA);
        int early = counters.slot("seats", "rule:early");
        long[] first = counters.counts();
        EvaluationCounters.increment(first, early);
        EvaluationCounters.increment(first, early);
        int late = -1;
        for (int i = 0; i < first.length + 10; i++) {
            late = counters.slot("seats", "rule:late" + i);
        }

        long[] second = counters.counts();
        EvaluationCounters.increment(first, early);
        EvaluationCounters.increment(second, early);
        EvaluationCounters.increment(second, late);
        counters.increment(late);

        assertThat(second).as("a longer array for the new slots").hasSizeGreaterThan(late);
        assertThat(second).isNotSameAs(first);
        long[] totals = counters.totals();
        assertThat(totals[early]).isEqualTo(4);
        assertThat(totals[late]).isEqualTo(2);
        assertThat(counters.counts())
                .as("no further array while the newest is long enough")
                .isSameAs(second);
    }

    /** Two live threads whose ids share a stripe: the first holds it, the second counts through its ThreadLocal. */
    @Test
    void aThreadWhoseStripeIsHeld_countsThroughItsThreadLocal_andNothingIsLost() throws Exception {
        EvaluationCounters counters = new EvaluationCounters(SCHEMA);
        int rule = counters.slot("seats", "rule:pro");
        counters.increment(rule);
        Thread colliding = threadInTheStripeOf(Thread.currentThread(), () -> {
            for (int i = 0; i < 10_000; i++) {
                counters.increment(rule);
            }
        });

        colliding.start();
        for (int i = 0; i < 5_000; i++) {
            counters.increment(rule);
        }
        colliding.join();

        assertThat(counters.holdsStripe(Thread.currentThread())).isTrue();
        assertThat(counters.holdsStripe(colliding)).isFalse();
        assertThat(counters.totals()[rule]).isEqualTo(15_001);
    }

    /** A dead thread's stripe is freed when its block is folded, keeping its counts, and taken by the next thread. */
    @Test
    void aDeadThreadsStripe_isFreedWhenFolded_andTakenByTheNextThreadThere() throws Exception {
        EvaluationCounters counters = new EvaluationCounters(SCHEMA);
        int rule = counters.slot("seats", "rule:pro");
        boolean[] held = new boolean[2];
        Thread first = new Thread(() -> {
            counters.increment(rule);
            held[0] = counters.holdsStripe(Thread.currentThread());
        });
        first.start();
        first.join();
        Thread second = threadInTheStripeOf(first, () -> {
            counters.increment(rule);
            counters.increment(rule);
            held[1] = counters.holdsStripe(Thread.currentThread());
        });

        assertThat(counters.totals()[rule])
                .as("the dead thread's count, folded")
                .isEqualTo(1);
        second.start();
        second.join();

        assertThat(held).containsExactly(true, true);
        assertThat(counters.totals()[rule]).isEqualTo(3);
        assertThat(counters.liveBlocks())
                .as("both dead threads' blocks folded away")
                .isZero();
    }

    /** A new, unstarted thread running {@code task} whose id falls in the same stripe as {@code other}'s. */
    private static Thread threadInTheStripeOf(Thread other, Runnable task) {
        long stripe = other.getId() % EvaluationCounters.STRIPES;
        for (int i = 0; i <= EvaluationCounters.STRIPES * 4; i++) {
            Thread candidate = new Thread(task); // ids are handed out in order, so one in STRIPES matches
            if (candidate.getId() % EvaluationCounters.STRIPES == stripe) {
                return candidate;
            }
        }
        throw new AssertionError("no thread id in stripe " + stripe + " after " + EvaluationCounters.STRIPES * 4);
    }

    /** Regression: a thread's block referenced the registry, and through it the ThreadLocal, so nothing was freed. */
    @Test
    void aRegistryNoLongerUsed_isCollected_evenAfterThisThreadCountedInIt() throws InterruptedException {
        EvaluationCounters counters = new EvaluationCounters(SCHEMA);
        counters.increment(counters.slot("seats", "default"));
        WeakReference<EvaluationCounters> reference = new WeakReference<>(counters);
        counters = null;

        for (int i = 0; i < 50 && reference.get() != null; i++) {
            System.gc();
            Thread.sleep(10);
        }

        assertThat(reference.get()).isNull();
    }
}
