package dev.tollgate.benchmarks.sdk;

import dev.tollgate.benchmarks.workload.Flag;
import dev.tollgate.benchmarks.workload.Plan;
import dev.tollgate.benchmarks.workload.RequestData;
import dev.tollgate.benchmarks.workload.Workload;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The hardware floor: what a careful developer would hard-code for this workload. The override table is one {@link
 * HashMap} from organization id to the four values, loaded from a CSV file; each accessor is one lookup and a switch on
 * the plan. No validation, no typed schema, no logs, no fallbacks: nothing else is cheaper.
 */
public final class FloorSdk implements Evaluator {
    private final byte[] csv;
    private final Context[] contexts;
    private volatile Map<String, Row> table;
    private Swapper swapper;

    private FloorSdk(Workload workload) {
        this.csv = csv(workload);
        this.table = load(csv);
        List<RequestData> data = workload.contexts();
        this.contexts = new Context[data.size()];
        for (int i = 0; i < contexts.length; i++) {
            RequestData d = data.get(i);
            contexts[i] = new Context(d.organizationId(), d.plan(), d.userId());
        }
    }

    public static FloorSdk start(Workload workload) {
        return new FloorSdk(workload);
    }

    /** The override table as CSV: {@code organizationId,teamRolesEnabled,maxTeamSize,maxApiRequestsPerDay,history}. */
    public static byte[] csv(Workload workload) {
        StringBuilder out = new StringBuilder(workload.overrideCount() * 48);
        for (Workload.Override row : workload.overrides()) {
            out.append(row.organizationId());
            for (Flag flag : Flag.values()) {
                out.append(',').append(row.value(flag));
            }
            out.append('\n');
        }
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** Parses the CSV into the lookup table. */
    public static Map<String, Row> load(byte[] csv) {
        String text = new String(csv, StandardCharsets.UTF_8);
        Map<String, Row> table = new HashMap<>();
        int start = 0;
        while (start < text.length()) {
            int end = text.indexOf('\n', start);
            String[] cells = text.substring(start, end).split(",", -1);
            table.put(
                    cells[0],
                    new Row(
                            Boolean.parseBoolean(cells[1]),
                            Integer.parseInt(cells[2]),
                            Integer.parseInt(cells[3]),
                            Boolean.parseBoolean(cells[4])));
            start = end + 1;
        }
        return table;
    }

    @Override
    public String name() {
        return "floor";
    }

    @Override
    public boolean teamRolesEnabled(int context) {
        return teamRolesEnabled(contexts[context]);
    }

    @Override
    public int maxTeamSize(int context) {
        return maxTeamSize(contexts[context]);
    }

    @Override
    public int maxApiRequestsPerDay(int context) {
        return maxApiRequestsPerDay(contexts[context]);
    }

    @Override
    public boolean versionHistoryEnabled(int context) {
        return versionHistoryEnabled(contexts[context]);
    }

    @Override
    public int allFour(int context) {
        return allFour(contexts[context]);
    }

    @Override
    public int allFourLatest(int context) {
        return allFour(contexts[context]);
    }

    @Override
    public int request(RequestData request) {
        return allFour(new Context(request.organizationId(), request.plan(), request.userId()));
    }

    @Override
    public int requestOne(RequestData request) {
        return maxTeamSize(new Context(request.organizationId(), request.plan(), request.userId()));
    }

    private int allFour(Context c) {
        return Answers.pack(teamRolesEnabled(c), maxTeamSize(c), maxApiRequestsPerDay(c), versionHistoryEnabled(c));
    }

    private boolean teamRolesEnabled(Context c) {
        Row row = table.get(c.organizationId);
        if (row != null) {
            return row.teamRolesEnabled;
        }
        return switch (c.plan) {
            case ENTERPRISE, PRO -> true;
            case FREE -> false;
        };
    }

    private int maxTeamSize(Context c) {
        Row row = table.get(c.organizationId);
        if (row != null) {
            return row.maxTeamSize;
        }
        return switch (c.plan) {
            case ENTERPRISE -> 1_000;
            case PRO -> 20;
            case FREE -> 5;
        };
    }

    private int maxApiRequestsPerDay(Context c) {
        Row row = table.get(c.organizationId);
        if (row != null) {
            return row.maxApiRequestsPerDay;
        }
        return switch (c.plan) {
            case ENTERPRISE -> 1_000_000;
            case PRO -> 100_000;
            case FREE -> 1_000;
        };
    }

    private boolean versionHistoryEnabled(Context c) {
        Row row = table.get(c.organizationId);
        if (row != null) {
            return row.versionHistoryEnabled;
        }
        return c.plan == Plan.ENTERPRISE;
    }

    @Override
    public void startSwapping(long intervalMillis) {
        swapper = new Swapper("floor-swapper", intervalMillis, () -> table = load(csv));
    }

    @Override
    public long swaps() {
        return swapper == null ? 0 : swapper.count();
    }

    @Override
    public void close() {
        if (swapper != null) {
            swapper.close();
        }
    }

    /** One organization's four values. */
    public static final class Row {
        final boolean teamRolesEnabled;
        final int maxTeamSize;
        final int maxApiRequestsPerDay;
        final boolean versionHistoryEnabled;

        Row(boolean teamRolesEnabled, int maxTeamSize, int maxApiRequestsPerDay, boolean versionHistoryEnabled) {
            this.teamRolesEnabled = teamRolesEnabled;
            this.maxTeamSize = maxTeamSize;
            this.maxApiRequestsPerDay = maxApiRequestsPerDay;
            this.versionHistoryEnabled = versionHistoryEnabled;
        }
    }

    /** The floor's request context: just the three values. */
    static final class Context {
        final String organizationId;
        final Plan plan;
        final String userId;

        Context(String organizationId, Plan plan, String userId) {
            this.organizationId = organizationId;
            this.plan = plan;
            this.userId = userId;
        }
    }
}
