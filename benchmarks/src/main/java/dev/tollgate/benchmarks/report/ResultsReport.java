package dev.tollgate.benchmarks.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tollgate.benchmarks.sdk.Sdk;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeSet;

/**
 * Turns JMH's JSON results (and the retained-heap figures) into the Markdown tables of {@code docs/performance.md}:
 * one table per benchmark, then the targets of issues 7 and 5 checked against ratios of medians from the same run.
 *
 * <p>Run: {@code java -cp benchmarks/target/benchmarks.jar dev.tollgate.benchmarks.report.ResultsReport out.md
 * heap.json jmh-1.json [jmh-2.json ...]}.
 */
public final class ResultsReport {
    /** The size of the context itself on the per-request path: Context, Organization and User objects (see docs). */
    static final int CONTEXT_BYTES = 64;

    private static final Map<String, String> TITLES = new LinkedHashMap<>();

    static {
        TITLES.put("SingleAccessorBenchmark", "One accessor (`maxTeamSize`) with a pre-built context");
        TITLES.put("AllAccessorsBenchmark", "All four accessors with a pre-built context");
        TITLES.put("PerRequestBenchmark", "Per request: build the context (and the root), read all four");
        TITLES.put(
                "ConcurrentSwapBenchmark", "Two threads reading all four while the configuration reloads every second");
        TITLES.put("LoggingOverheadBenchmark", "Evaluation logging on and off, one primitive accessor");
        TITLES.put("SnapshotLoadBenchmark", "Configuration load, warm");
        TITLES.put("SnapshotLoadColdBenchmark", "Configuration load, cold (a fresh JVM per sample)");
    }

    private final List<Result> results;
    private final List<JsonNode> heap;

    ResultsReport(List<Result> results, List<JsonNode> heap) {
        this.results = results;
        this.heap = heap;
    }

    public static void main(String[] args) throws IOException {
        if (args.length < 3) {
            System.err.println("usage: ResultsReport out.md heap.json jmh.json...");
            System.exit(2);
        }
        ObjectMapper json = new ObjectMapper();
        List<Result> results = new ArrayList<>();
        for (int i = 2; i < args.length; i++) {
            for (JsonNode run : json.readTree(Path.of(args[i]).toFile())) {
                results.add(Result.of(run));
            }
        }
        List<JsonNode> heap = new ArrayList<>();
        Path heapFile = Path.of(args[1]);
        if (Files.exists(heapFile)) {
            json.readTree(heapFile.toFile()).forEach(heap::add);
        }
        String markdown = new ResultsReport(results, heap).markdown();
        Files.writeString(Path.of(args[0]), markdown);
        System.out.print(markdown);
    }

    String markdown() throws IOException {
        StringBuilder out = new StringBuilder();
        versions(out);
        out.append(
                        "Scores are JMH's mean ± the half-width of its 99.9% confidence interval; *median* is the median of ")
                .append(
                        "all measurement iterations of all forks, and the ratios use medians. *Tollgate ×* is how many ")
                .append("times faster Tollgate (logging on) is than the row, same benchmark and table size: below 1, ")
                .append("the row is faster. *B/op* is `gc.alloc.rate.norm` from `-prof gc` (Java heap only; native ")
                .append("memory, such as Unleash's engine's, is not counted).\n\n");
        for (Map.Entry<String, String> title : TITLES.entrySet()) {
            List<Result> group = group(title.getKey());
            if (!group.isEmpty()) {
                table(out, title.getValue(), group);
            }
        }
        heapTable(out);
        targets(out);
        return out.toString();
    }

    /** The versions the jar was built with, from the build's filtered {@code benchmark-versions.properties}. */
    private static void versions(StringBuilder out) throws IOException {
        Properties versions = new Properties();
        try (InputStream in = ResultsReport.class.getResourceAsStream("/benchmark-versions.properties")) {
            if (in == null) {
                return;
            }
            versions.load(in);
        }
        out.append("| component | version |\n| --- | --- |\n");
        for (String name : new TreeSet<>(versions.stringPropertyNames())) {
            out.append("| ")
                    .append(name)
                    .append(" | ")
                    .append(versions.getProperty(name))
                    .append(" |\n");
        }
        out.append('\n');
    }

    private List<Result> group(String benchmarkClass) {
        List<Result> group = new ArrayList<>();
        for (Result result : results) {
            if (result.benchmark().startsWith(benchmarkClass + ".")) {
                group.add(result);
            }
        }
        group.sort(Comparator.comparingInt(Result::overrides).thenComparingInt(r -> sdkOrder(r.sdk())));
        return group;
    }

    private static int sdkOrder(String sdk) {
        for (Sdk known : Sdk.values()) {
            if (known.id().equals(sdk)) {
                return known.ordinal();
            }
        }
        return Integer.MAX_VALUE;
    }

    private void table(StringBuilder out, String title, List<Result> group) {
        out.append("### ").append(title).append("\n\n");
        out.append("`")
                .append(group.get(0).benchmark())
                .append("`")
                .append(
                        group.size() > 1
                                        && !group.get(0)
                                                .benchmark()
                                                .equals(group.get(group.size() - 1)
                                                        .benchmark())
                                ? " and `" + group.get(group.size() - 1).benchmark() + "`"
                                : "")
                .append(", mode ")
                .append(group.get(0).mode())
                .append("\n\n");
        out.append("| SDK | overrides | median | score ± error | unit | B/op | Tollgate × |\n");
        out.append("| --- | ---: | ---: | ---: | --- | ---: | ---: |\n");
        for (Result r : group) {
            Optional<Result> tollgate = find(group, "tollgate", r.overrides());
            out.append("| ")
                    .append(r.sdk())
                    .append(" | ")
                    .append(r.overrides() == 0 ? "" : String.format(Locale.ROOT, "%,d", r.overrides()))
                    .append(" | ")
                    .append(number(r.median()))
                    .append(" | ")
                    .append(number(r.score()))
                    .append(" ± ")
                    .append(number(r.error()))
                    .append(" | ")
                    .append(r.unit())
                    .append(" | ")
                    .append(r.bytesPerOp() == null ? "" : number(r.bytesPerOp()))
                    .append(" | ")
                    .append(tollgate.map(t -> times(t.timesFasterThan(r))).orElse(""))
                    .append(" |\n");
        }
        out.append('\n');
    }

    private void heapTable(StringBuilder out) {
        if (heap.isEmpty()) {
            return;
        }
        out.append("### Heap retained by a loaded configuration\n\n");
        out.append("| overrides | Tollgate snapshot | floor map | ratio |\n| ---: | ---: | ---: | ---: |\n");
        for (JsonNode row : heap) {
            out.append(String.format(
                    Locale.ROOT,
                    "| %,d | %,d B | %,d B | %.2f× |%n",
                    row.get("overrides").asInt(),
                    row.get("tollgateBytes").asLong(),
                    row.get("floorBytes").asLong(),
                    row.get("ratio").asDouble()));
        }
        out.append('\n');
    }

    private void targets(StringBuilder out) {
        out.append("### Targets, by medians of this run\n\n| target | measured | met |\n| --- | --- | --- |\n");
        List<Result> single = group("SingleAccessorBenchmark");
        ratioTarget(
                out,
                "one accessor, logging on: ≥ 10× faster than LaunchDarkly, events on",
                single,
                "launchDarklyEventsOn",
                10);
        ratioTarget(
                out,
                "one accessor, logging on: ≥ 5× faster than LaunchDarkly, events off",
                single,
                "launchDarklyEventsOff",
                5);
        floorTarget(out, single);
        allocationTarget(out, "one accessor, logging on: 0 B/op", single, 0);
        ratioTarget(
                out,
                "all four accessors: ≥ 5× faster than LaunchDarkly, events off",
                group("AllAccessorsBenchmark"),
                "launchDarklyEventsOff",
                5);
        List<Result> request = group("PerRequestBenchmark");
        ratioTarget(out, "per request: ≥ 5× faster than LaunchDarkly, events off", request, "launchDarklyEventsOff", 5);
        allocationTarget(
                out,
                "per request: allocates nothing but the context (" + CONTEXT_BYTES + " B)",
                request,
                CONTEXT_BYTES);
        flatTarget(out, single);
        loadTarget(out);
        heapTarget(out);
        loggingTarget(out);
        out.append('\n');
    }

    private void ratioTarget(StringBuilder out, String target, List<Result> group, String peer, double minimum) {
        List<String> measured = new ArrayList<>();
        boolean met = true;
        boolean any = false;
        for (int size : sizes(group)) {
            Optional<Result> tollgate = find(group, "tollgate", size);
            Optional<Result> other = find(group, peer, size);
            if (tollgate.isPresent() && other.isPresent()) {
                double ratio = tollgate.get().timesFasterThan(other.get());
                any = true;
                met &= ratio >= minimum;
                measured.add(String.format(Locale.ROOT, "%,d: %s", size, times(ratio)));
            }
        }
        row(out, target, any ? String.join(", ", measured) : "not measured", any ? met : null);
    }

    /** Tollgate's time as a multiple of the floor's, which must stay at or under 3. */
    private void floorTarget(StringBuilder out, List<Result> single) {
        List<String> measured = new ArrayList<>();
        boolean met = true;
        for (int size : sizes(single)) {
            Optional<Result> tollgate = find(single, "tollgate", size);
            Optional<Result> floor = find(single, "floor", size);
            if (tollgate.isPresent() && floor.isPresent()) {
                double multiple = tollgate.get().median() / floor.get().median();
                met &= multiple <= 3;
                measured.add(String.format(Locale.ROOT, "%,d: %s the floor's time", size, times(multiple)));
            }
        }
        row(
                out,
                "one accessor, logging on: within 3× of the hand-written floor",
                measured.isEmpty() ? "not measured" : String.join(", ", measured),
                measured.isEmpty() ? null : met);
    }

    private void allocationTarget(StringBuilder out, String target, List<Result> group, int allowed) {
        List<String> measured = new ArrayList<>();
        boolean met = true;
        for (Result r : group) {
            if (r.sdk().equals("tollgate") && r.bytesPerOp() != null) {
                measured.add(String.format(Locale.ROOT, "%,d: %s B/op", r.overrides(), number(r.bytesPerOp())));
                met &= r.bytesPerOp() < allowed + 1;
            }
        }
        row(
                out,
                target,
                measured.isEmpty() ? "not measured" : String.join(", ", measured),
                measured.isEmpty() ? null : met);
    }

    private void flatTarget(StringBuilder out, List<Result> single) {
        Optional<Result> small = find(single, "tollgate", 10);
        Optional<Result> large = find(single, "tollgate", 100_000);
        if (small.isPresent() && large.isPresent()) {
            double ratio = large.get().median() / small.get().median();
            row(
                    out,
                    "flat: one accessor with 100,000 overrides within 1.2× of 10",
                    String.format(
                            Locale.ROOT,
                            "%s / %s ns = %s",
                            number(large.get().median()),
                            number(small.get().median()),
                            times(ratio)),
                    ratio <= 1.2);
        } else {
            row(out, "flat: one accessor with 100,000 overrides within 1.2× of 10", "not measured", null);
        }
    }

    private void loadTarget(StringBuilder out) {
        Optional<Result> warm = find(group("SnapshotLoadBenchmark"), "tollgate", 100_000);
        row(
                out,
                "load of 100,000 overrides under 500 ms, warm",
                warm.map(r -> number(r.median()) + " " + r.unit()).orElse("not measured"),
                warm.map(r -> r.median() < 500 && r.unit().equals("ms/op")).orElse(null));
    }

    private void heapTarget(StringBuilder out) {
        for (JsonNode row : heap) {
            if (row.get("overrides").asInt() == 100_000) {
                double ratio = row.get("ratio").asDouble();
                row(out, "retained heap (100,000 overrides) under 2× the floor's", times(ratio), ratio < 2);
                return;
            }
        }
        row(out, "retained heap (100,000 overrides) under 2× the floor's", "not measured", null);
    }

    private void loggingTarget(StringBuilder out) {
        List<Result> logging = group("LoggingOverheadBenchmark");
        for (int size : sizes(logging)) {
            Optional<Result> on = find(logging, "tollgate", size);
            Optional<Result> off = find(logging, "tollgateLogsOff", size);
            if (on.isPresent() && off.isPresent()) {
                double ratio = on.get().median() / off.get().median();
                Double bytes = on.get().bytesPerOp();
                row(
                        out,
                        "issue 5: logging on within 10% of off, 0 B/op",
                        String.format(
                                Locale.ROOT,
                                "%s vs %s ns (%+.1f%%), %s B/op",
                                number(on.get().median()),
                                number(off.get().median()),
                                (ratio - 1) * 100,
                                bytes == null ? "?" : number(bytes)),
                        ratio <= 1.10 && bytes != null && bytes < 1);
                return;
            }
        }
        row(out, "issue 5: logging on within 10% of off, 0 B/op", "not measured", null);
    }

    private static void row(StringBuilder out, String target, String measured, Boolean met) {
        out.append("| ")
                .append(target)
                .append(" | ")
                .append(measured)
                .append(" | ")
                .append(met == null ? "–" : met ? "yes" : "**no**")
                .append(" |\n");
    }

    private static TreeSet<Integer> sizes(List<Result> group) {
        TreeSet<Integer> sizes = new TreeSet<>();
        group.forEach(r -> sizes.add(r.overrides()));
        return sizes;
    }

    private static Optional<Result> find(List<Result> group, String sdk, int overrides) {
        return group.stream()
                .filter(r -> r.sdk().equals(sdk) && r.overrides() == overrides)
                .findFirst();
    }

    private static String times(double ratio) {
        return number(ratio) + "×";
    }

    /** Three significant digits, thousands separated. */
    static String number(double value) {
        if (Double.isNaN(value)) {
            return "–";
        }
        double magnitude = Math.abs(value);
        if (magnitude >= 100) {
            return String.format(Locale.ROOT, "%,.0f", value);
        }
        if (magnitude >= 10) {
            return String.format(Locale.ROOT, "%.1f", value);
        }
        if (magnitude >= 1) {
            return String.format(Locale.ROOT, "%.2f", value);
        }
        return String.format(Locale.ROOT, "%.3f", value);
    }
}
