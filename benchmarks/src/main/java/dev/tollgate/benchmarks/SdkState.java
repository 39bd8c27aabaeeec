package dev.tollgate.benchmarks;

import dev.tollgate.benchmarks.sdk.Correctness;
import dev.tollgate.benchmarks.sdk.Evaluator;
import dev.tollgate.benchmarks.sdk.LaunchDarklySdk;
import dev.tollgate.benchmarks.sdk.Sdk;
import dev.tollgate.benchmarks.sdk.TollgateSdk;
import dev.tollgate.benchmarks.workload.RequestData;
import dev.tollgate.benchmarks.workload.Workload;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * One SDK on the workload, per benchmark thread: started in the trial's setup, checked for correctness on every context
 * and flag (a wrong answer fails the trial), then visited round-robin through the workload's contexts.
 */
@State(Scope.Thread)
public class SdkState {
    /** Which SDK; see {@link Sdk}. */
    @Param({
        "tollgate",
        "tollgateLogsOff",
        "tollgateHeldRoot",
        "tollgateLogsOffHeldRoot",
        "floor",
        "launchDarklyEventsOff",
        "launchDarklyEventsOn",
        "unleash",
        "flagd"
    })
    public String sdk;

    /** Rows in every flag's organization override table. */
    @Param({"10", "10000", "100000"})
    public int overrides;

    Evaluator evaluator;
    private RequestData[] requests;
    private Path dir;
    private int cursor;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        Workload workload = Workload.of(overrides);
        dir = Files.createTempDirectory("tollgate-bench-");
        evaluator = Sdk.byId(sdk).start(workload, dir, false);
        Correctness.check(evaluator, workload);
        requests = workload.contexts().toArray(new RequestData[0]);
    }

    /** The next context index, round-robin. */
    int next() {
        int i = cursor;
        cursor = i + 1 == Workload.CONTEXTS ? 0 : i + 1;
        return i;
    }

    /** The next request's raw data, round-robin. */
    RequestData nextRequest() {
        return requests[next()];
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        try {
            evaluator.close();
            report(evaluator);
        } finally {
            TempDirs.delete(dir);
        }
    }

    /** Prints evidence that logging and events were really on: what the sinks received. */
    static void report(Evaluator evaluator) {
        if (evaluator instanceof TollgateSdk tollgate && tollgate.sink() != null) {
            System.out.printf(
                    "%n[tollgate] log sink received %,d evaluation counts in %,d batches%n",
                    tollgate.sink().evaluations(), tollgate.sink().batches());
        } else if (evaluator instanceof LaunchDarklySdk ld && ld.eventPayloads() > 0) {
            System.out.printf("%n[launchDarkly] loopback events server received %,d payloads%n", ld.eventPayloads());
        }
    }
}
