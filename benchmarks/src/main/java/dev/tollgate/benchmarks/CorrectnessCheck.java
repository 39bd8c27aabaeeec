package dev.tollgate.benchmarks;

import dev.tollgate.benchmarks.sdk.Correctness;
import dev.tollgate.benchmarks.sdk.Evaluator;
import dev.tollgate.benchmarks.sdk.Sdk;
import dev.tollgate.benchmarks.workload.Workload;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs every SDK on every context for every flag at every override-table size and fails if any answer differs from the
 * workload's expected value. The benchmarks run the same check in their setup; this runs it once for all, before a
 * measurement pass.
 *
 * <p>Run: {@code java -cp benchmarks/target/benchmarks.jar dev.tollgate.benchmarks.CorrectnessCheck [sizes] [sdks]},
 * for example {@code 10,10000,100000 tollgate,floor}; both default to all.
 */
public final class CorrectnessCheck {
    private CorrectnessCheck() {}

    public static void main(String[] args) throws IOException {
        List<Integer> sizes = new ArrayList<>();
        for (String size : (args.length > 0 ? args[0] : "10,10000,100000").split(",")) {
            sizes.add(Integer.parseInt(size.trim()));
        }
        List<Sdk> sdks = new ArrayList<>();
        if (args.length > 1) {
            for (String id : args[1].split(",")) {
                sdks.add(Sdk.byId(id.trim()));
            }
        } else {
            sdks.addAll(List.of(Sdk.values()));
        }
        for (int size : sizes) {
            Workload workload = Workload.of(size);
            for (Sdk sdk : sdks) {
                Path dir = Files.createTempDirectory("tollgate-check-");
                long start = System.nanoTime();
                try (Evaluator evaluator = sdk.start(workload, dir, false)) {
                    long started = System.nanoTime();
                    Correctness.check(evaluator, workload);
                    System.out.printf(
                            "ok  %-22s %,7d overrides: %,d contexts x 4 flags correct (start %,d ms, check %,d ms)%n",
                            sdk.id(),
                            size,
                            Workload.CONTEXTS,
                            (started - start) / 1_000_000,
                            (System.nanoTime() - started) / 1_000_000);
                    System.out.flush();
                } finally {
                    TempDirs.delete(dir);
                }
            }
        }
    }
}
