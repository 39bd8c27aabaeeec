package dev.tollgate.benchmarks.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The regression guard: each Tollgate figure as a multiple of the hand-written floor's in the same run (so that the
 * machine's speed cancels out), recorded from a full run in {@code benchmarks/results/floor-ratios.json} and checked
 * by {@code benchmarks/run.sh --check} before a release. A figure fails when its multiple is more than 25% above the
 * recorded one. On a shared machine one pass's multiples move by that much between passes of the same code, so a
 * figure that fails is a suspect: {@code run.sh} measures the suspects again, with more forks, and fails only on those
 * that fail a second time. Timers in CI are noise, so {@code .ci/run} does not run it.
 *
 * <p>Run: {@code java -cp benchmarks/target/benchmarks.jar dev.tollgate.benchmarks.report.FloorRatios record
 * floor-ratios.json jmh.json...} or {@code ... check floor-ratios.json [--suspects file] jmh.json...}. A check exits
 * with 0 when every figure is within the tolerance and 1 when one is not; with {@code --suspects}, when every failing
 * figure was recorded before, it exits with 3 instead and writes to {@code file} one line per JMH run that measures the
 * failing figures again with their floor: the benchmark's regular expression, the {@code sdk} parameter ({@code -} for
 * none) and the {@code overrides} parameter. A figure never recorded fails at once: measuring it again cannot help.
 */
public final class FloorRatios {
    /** How far a multiple of the floor may grow beyond the recorded one before the check fails. */
    static final double TOLERANCE = 1.25;

    /** The exit status of a check whose failing figures may be measured again: all were recorded before. */
    static final int SUSPECTS = 3;

    /** The Tollgate rows the guard follows; each is compared with the floor row of its benchmark and size. */
    static final List<String> SDKS = List.of("tollgate", "tollgateLogsOff");

    private FloorRatios() {}

    public static void main(String[] args) throws IOException {
        boolean suspects = args.length > 2 && args[2].equals("--suspects");
        int first = suspects ? 4 : 2;
        if (args.length <= first
                || !(args[0].equals("record") || args[0].equals("check"))
                || suspects && args[0].equals("record")) {
            System.err.println("usage: FloorRatios record floor-ratios.json jmh.json...");
            System.err.println("       FloorRatios check floor-ratios.json [--suspects file] jmh.json...");
            System.exit(2);
        }
        ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        List<Result> results = new ArrayList<>();
        for (int i = first; i < args.length; i++) {
            for (JsonNode run : json.readTree(Path.of(args[i]).toFile())) {
                results.add(Result.of(run));
            }
        }
        Map<String, Double> measured = ratios(results);
        Path file = Path.of(args[1]);
        if (args[0].equals("record")) {
            ObjectNode out = json.createObjectNode();
            measured.forEach(out::put);
            json.writeValue(file.toFile(), out);
            System.out.printf("recorded %d ratios to the floor in %s%n", measured.size(), file);
            return;
        }
        Map<String, Double> recorded = new TreeMap<>();
        json.readTree(file.toFile())
                .fields()
                .forEachRemaining(e -> recorded.put(e.getKey(), e.getValue().asDouble()));
        List<String> report = new ArrayList<>();
        List<Failure> failures = check(recorded, measured, report);
        report.forEach(System.out::println);
        if (failures.isEmpty()) {
            System.out.printf("all %d figures within 25%% of their recorded ratio to the floor%n", report.size());
            return;
        }
        System.out.printf(
                "%d of %d figures fell more than 25%% behind their recorded ratio to the floor, or were never recorded:%n",
                failures.size(), report.size());
        failures.forEach(f -> System.out.println("  " + f.line()));
        if (suspects && confirmable(failures)) {
            Files.write(Path.of(args[3]), reruns(failures));
            System.exit(SUSPECTS);
        }
        System.exit(1);
    }

    /**
     * Each Tollgate row's cost as a multiple of the floor's (time, or inverse throughput), keyed {@code
     * benchmark/sdk/overrides}; rows without a floor row in the same benchmark and size are left out.
     */
    static Map<String, Double> ratios(List<Result> results) {
        Map<String, Double> ratios = new TreeMap<>();
        for (Result r : results) {
            if (!SDKS.contains(r.sdk())) {
                continue;
            }
            for (Result floor : results) {
                if (floor.sdk().equals("floor")
                        && family(floor).equals(family(r))
                        && floor.overrides() == r.overrides()) {
                    ratios.put(key(r), floor.timesFasterThan(r));
                }
            }
        }
        return ratios;
    }

    /**
     * A figure that failed the check: its key ({@code benchmark/sdk/overrides}), whether it was recorded before, and
     * its line of the report.
     */
    record Failure(String key, boolean recorded, String line) {}

    /**
     * Compares {@code measured} with {@code recorded}: one line per measured figure into {@code report}; returns the
     * figures whose multiple of the floor grew more than {@link #TOLERANCE}, and those measured but never recorded.
     */
    static List<Failure> check(Map<String, Double> recorded, Map<String, Double> measured, List<String> report) {
        List<Failure> failures = new ArrayList<>();
        for (Map.Entry<String, Double> e : measured.entrySet()) {
            Double before = recorded.get(e.getKey());
            if (before == null) {
                String line = e.getKey() + ": " + format(e.getValue()) + " the floor, never recorded";
                report.add(line);
                failures.add(new Failure(e.getKey(), false, line));
                continue;
            }
            double growth = e.getValue() / before;
            String line = String.format(
                    Locale.ROOT,
                    "%s: %s the floor, recorded %s (%+.0f%%)",
                    e.getKey(),
                    format(e.getValue()),
                    format(before),
                    (growth - 1) * 100);
            report.add(line);
            if (growth > TOLERANCE) {
                failures.add(new Failure(e.getKey(), true, line));
            }
        }
        return failures;
    }

    /** Whether measuring {@code failures} again can clear them: all were recorded before. */
    static boolean confirmable(List<Failure> failures) {
        return failures.stream().allMatch(Failure::recorded);
    }

    /**
     * The JMH runs that measure the figures of {@code failures} again, each with its floor:
     * one line per benchmark and size, {@code regex sdks overrides}, where {@code sdks} is {@code -} for the load
     * benchmarks, whose methods are the SDKs.
     */
    static List<String> reruns(List<Failure> failures) {
        Map<String, Set<String>> sdks = new LinkedHashMap<>();
        for (Failure failure : failures) {
            String[] key = failure.key().split("/");
            sdks.computeIfAbsent(key[0] + "/" + key[2], k -> new TreeSet<>()).add(key[1]);
        }
        List<String> lines = new ArrayList<>();
        sdks.forEach((family, failing) -> {
            String benchmark = family.substring(0, family.indexOf('/'));
            String overrides = family.substring(family.indexOf('/') + 1);
            String regex = "\\." + benchmark.replace(".", "\\.");
            if (benchmark.contains(".")) {
                Set<String> withFloor = new TreeSet<>(failing);
                withFloor.add("floor");
                lines.add(regex + "$ " + String.join(",", withFloor) + " " + overrides);
            } else {
                lines.add(regex + "\\.(" + String.join("|", failing) + "|floor)$ - " + overrides);
            }
        });
        return lines;
    }

    private static String key(Result r) {
        return family(r) + "/" + r.sdk() + "/" + r.overrides();
    }

    /**
     * The benchmark a row belongs to: its method, or, for the load benchmarks, whose methods are the SDKs ({@code
     * SnapshotLoadBenchmark.tollgate}, {@code SnapshotLoadBenchmark.floor}), its class.
     */
    private static String family(Result r) {
        String benchmark = r.benchmark();
        return benchmark.endsWith("." + r.sdk()) ? benchmark.substring(0, benchmark.lastIndexOf('.')) : benchmark;
    }

    private static String format(double multiple) {
        return String.format(Locale.ROOT, "%.2f×", multiple);
    }
}
