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
 * one table per benchmark, then the goals of issue 20 checked against ratios of medians from the same run.
 *
 * <p>Run: {@code java -cp benchmarks/target/benchmarks.jar dev.tollgate.benchmarks.report.ResultsReport out.md
 * heap.json jmh-1.json [jmh-2.json ...]}.
 */
public final class ResultsReport {
    /** The size of the context itself on the per-request path: Context, Organization and User objects (see docs). */
    static final int CONTEXT_BYTES = 64;

    private static final Map<String, String> TITLES = new LinkedHashMap<>();

    static {
        TITLES.put(
                "PerRequestBenchmark.oneAccessor",
                "Per request: build the context, take a root, read one (`maxTeamSize`)");
        TITLES.put("PerRequestBenchmark.request", "Per request: build the context, take a root, read all four");
        TITLES.put("SingleAccessorBenchmark", "One accessor (`maxTeamSize`) with a pre-built context, a root per read");
        TITLES.put("AllAccessorsBenchmark", "All four accessors with a pre-built context, one root per operation");
        TITLES.put(
                "ConcurrentSwapBenchmark", "Two threads reading all four while the configuration reloads every second");
        TITLES.put("LoggingOverheadBenchmark", "Evaluation logging on and off, one primitive accessor");
        TITLES.put("SnapshotLoadBenchmark", "Configuration load, warm");
        TITLES.put("SnapshotLoadColdBenchmark", "Configuration load, cold (a fresh JVM per sample)");
        TITLES.put(
                "ClientStartColdBenchmark", "Start, cold: a fresh JVM to a client ready from its configuration file");
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
                .append("all measurement iterations of all forks, and the ratios use medians. *× floor* is the row's ")
                .append("cost as a multiple of the hand-written floor's in the same table and size (time, or the ")
                .append("inverse of throughput); *vs LD off* is how many times faster the row is than LaunchDarkly ")
                .append("with events off (below 1: slower). `tollgate` takes a root per read, as a request does; ")
                .append("`…HeldRoot` rows read through a root taken once in the setup. *B/op* is ")
                .append("`gc.alloc.rate.norm` from `-prof gc` (Java heap only; native memory, such as Unleash's ")
                .append("engine's, is not counted).\n\n");
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
            if (result.benchmark().equals(benchmarkClass) || result.benchmark().startsWith(benchmarkClass + ".")) {
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
        out.append("| SDK | overrides | median | score ± error | unit | B/op | × floor | vs LD off |\n");
        out.append("| --- | ---: | ---: | ---: | --- | ---: | ---: | ---: |\n");
        for (Result r : group) {
            Optional<Result> floor = find(group, "floor", r.overrides());
            Optional<Result> launchDarkly = find(group, "launchDarklyEventsOff", r.overrides());
            if (launchDarkly.isEmpty()) {
                launchDarkly = find(group, "launchDarkly", r.overrides()); // the start benchmark has events off
            }
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
                    .append(floor.map(f -> times(f.timesFasterThan(r))).orElse(""))
                    .append(" | ")
                    .append(launchDarkly.map(ld -> times(r.timesFasterThan(ld))).orElse(""))
                    .append(" |\n");
        }
        out.append('\n');
    }

    private void heapTable(StringBuilder out) {
        if (heap.isEmpty()) {
            return;
        }
        out.append("### Heap retained by a loaded configuration\n\n");
        out.append("| overrides | Tollgate snapshot | floor map | LaunchDarkly flags | × floor | × LaunchDarkly |\n");
        out.append("| ---: | ---: | ---: | ---: | ---: | ---: |\n");
        for (JsonNode row : heap) {
            long tollgate = row.get("tollgateBytes").asLong();
            long launchDarkly = row.path("launchDarklyBytes").asLong(0);
            out.append(String.format(
                    Locale.ROOT,
                    "| %,d | %,d B | %,d B | %s | %.2f× | %s |%n",
                    row.get("overrides").asInt(),
                    tollgate,
                    row.get("floorBytes").asLong(),
                    launchDarkly == 0 ? "–" : String.format(Locale.ROOT, "%,d B", launchDarkly),
                    row.get("ratio").asDouble(),
                    launchDarkly == 0 ? "–" : times((double) tollgate / launchDarkly)));
        }
        out.append('\n');
    }

    /** The goals of issue 20, each with what this run measured and whether it meets it. */
    private void targets(StringBuilder out) {
        out.append("### Goals, by medians of this run\n\n| goal | measured | met |\n| --- | --- | --- |\n");
        List<Result> one = group("PerRequestBenchmark.oneAccessor");
        List<Result> four = group("PerRequestBenchmark.request");
        List<Result> single = group("SingleAccessorBenchmark");
        floorTarget(out, "per request, one accessor: at most 2× the floor", one, 2);
        fasterTarget(out, "per request, one accessor: ≥ 10× faster than LaunchDarkly, events off", one, 10);
        allocationTarget(
                out,
                "per request, one accessor: allocates only the context (" + CONTEXT_BYTES + " B)",
                one,
                CONTEXT_BYTES);
        fasterTarget(out, "per request, all four: ≥ 8× faster than LaunchDarkly, events off", four, 8);
        floorTarget(out, "one accessor through a root: at most 2× the floor", single, 2);
        flatTarget(out, single);
        startTarget(out);
        loadTarget(out);
        heapTarget(out);
        loggingTarget(out);
        out.append('\n');
    }

    /** Logging on within 10% of off, on every benchmark that measures both. */
    private void loggingTarget(StringBuilder out) {
        List<String> measured = new ArrayList<>();
        boolean met = true;
        for (String benchmark : List.of(
                "PerRequestBenchmark.oneAccessor",
                "PerRequestBenchmark.request",
                "SingleAccessorBenchmark",
                "AllAccessorsBenchmark",
                "LoggingOverheadBenchmark")) {
            List<Result> group = group(benchmark);
            for (int size : sizes(group)) {
                Optional<Result> on = find(group, "tollgate", size);
                Optional<Result> off = find(group, "tollgateLogsOff", size);
                if (on.isPresent() && off.isPresent()) {
                    double ratio = on.get().median() / off.get().median();
                    met &= ratio <= 1.10;
                    measured.add(String.format(
                            Locale.ROOT, "%s %,d: %+.1f%%", shortName(benchmark), size, (ratio - 1) * 100));
                }
            }
        }
        row(out, "logging on within 10% of off on every benchmark above", measured, met);
    }

    private static String shortName(String benchmark) {
        return switch (benchmark) {
            case "PerRequestBenchmark.oneAccessor" -> "per request (one)";
            case "PerRequestBenchmark.request" -> "per request (four)";
            case "SingleAccessorBenchmark" -> "one accessor";
            case "AllAccessorsBenchmark" -> "all four";
            default -> "logging benchmark";
        };
    }

    /** Tollgate (a root per read) at least {@code minimum} times faster than LaunchDarkly with events off. */
    private void fasterTarget(StringBuilder out, String target, List<Result> group, double minimum) {
        List<String> measured = new ArrayList<>();
        boolean met = true;
        for (int size : sizes(group)) {
            Optional<Result> tollgate = find(group, "tollgate", size);
            Optional<Result> other = find(group, "launchDarklyEventsOff", size);
            if (tollgate.isPresent() && other.isPresent()) {
                double ratio = tollgate.get().timesFasterThan(other.get());
                met &= ratio >= minimum;
                measured.add(String.format(Locale.ROOT, "%,d: %s", size, times(ratio)));
            }
        }
        row(out, target, measured, met);
    }

    /** Tollgate's (a root per read) cost as a multiple of the floor's, at most {@code maximum}. */
    private void floorTarget(StringBuilder out, String target, List<Result> group, double maximum) {
        List<String> measured = new ArrayList<>();
        boolean met = true;
        for (int size : sizes(group)) {
            Optional<Result> tollgate = find(group, "tollgate", size);
            Optional<Result> floor = find(group, "floor", size);
            if (tollgate.isPresent() && floor.isPresent()) {
                double multiple = floor.get().timesFasterThan(tollgate.get());
                met &= multiple <= maximum;
                measured.add(String.format(
                        Locale.ROOT,
                        "%,d: %s (%s vs %s %s)",
                        size,
                        times(multiple),
                        number(tollgate.get().median()),
                        number(floor.get().median()),
                        tollgate.get().unit()));
            }
        }
        row(out, target, measured, met);
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
        row(out, target, measured, met);
    }

    private void flatTarget(StringBuilder out, List<Result> single) {
        List<String> measured = new ArrayList<>();
        Optional<Result> small = find(single, "tollgate", 10);
        Optional<Result> large = find(single, "tollgate", 100_000);
        double ratio = Double.NaN;
        if (small.isPresent() && large.isPresent()) {
            ratio = large.get().median() / small.get().median();
            measured.add(String.format(
                    Locale.ROOT,
                    "%s / %s ns = %s",
                    number(large.get().median()),
                    number(small.get().median()),
                    times(ratio)));
        }
        row(out, "one accessor through a root: 100,000 overrides within 1.1× of 10", measured, ratio <= 1.1);
    }

    private void startTarget(StringBuilder out) {
        List<String> measured = new ArrayList<>();
        List<Result> start = group("ClientStartColdBenchmark");
        Optional<Result> tollgate = find(start, "tollgate", 10_000);
        Optional<Result> launchDarkly = find(start, "launchDarkly", 10_000);
        boolean met = false;
        if (tollgate.isPresent() && launchDarkly.isPresent()) {
            met = tollgate.get().median() < launchDarkly.get().median();
            measured.add(String.format(
                    Locale.ROOT,
                    "%s vs %s ms (%s)",
                    number(tollgate.get().median()),
                    number(launchDarkly.get().median()),
                    times(tollgate.get().timesFasterThan(launchDarkly.get()))));
        }
        row(out, "cold start with 10,000 overrides: faster than LaunchDarkly", measured, met);
    }

    private void loadTarget(StringBuilder out) {
        List<String> measured = new ArrayList<>();
        List<Result> warm = group("SnapshotLoadBenchmark");
        Optional<Result> tollgate = find(warm, "tollgate", 100_000);
        Optional<Result> floor = find(warm, "floor", 100_000);
        boolean met = false;
        if (tollgate.isPresent() && floor.isPresent()) {
            double multiple = floor.get().timesFasterThan(tollgate.get());
            met = multiple < 3;
            measured.add(String.format(
                    Locale.ROOT,
                    "%s vs %s %s (%s)",
                    number(tollgate.get().median()),
                    number(floor.get().median()),
                    tollgate.get().unit(),
                    times(multiple)));
        }
        row(out, "warm load of 100,000 overrides: under 3× the floor's", measured, met);
    }

    private void heapTarget(StringBuilder out) {
        List<String> measured = new ArrayList<>();
        boolean met = false;
        for (JsonNode row : heap) {
            if (row.get("overrides").asInt() == 10_000 && row.has("launchDarklyBytes")) {
                long tollgate = row.get("tollgateBytes").asLong();
                long launchDarkly = row.get("launchDarklyBytes").asLong();
                double ratio = row.get("ratio").asDouble();
                met = tollgate < launchDarkly && ratio <= 2;
                measured.add(String.format(
                        Locale.ROOT,
                        "%,d B vs LaunchDarkly's %,d B (%s), %s the floor's",
                        tollgate,
                        launchDarkly,
                        times((double) tollgate / launchDarkly),
                        times(ratio)));
            }
        }
        row(out, "retained heap, 10,000 overrides: below LaunchDarkly's, within 2× the floor's", measured, met);
    }

    /** A goal's row: what was measured, and whether it is met ("not measured" when nothing was). */
    private static void row(StringBuilder out, String target, List<String> measured, boolean met) {
        row(
                out,
                target,
                measured.isEmpty() ? "not measured" : String.join(", ", measured),
                measured.isEmpty() ? null : met);
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
