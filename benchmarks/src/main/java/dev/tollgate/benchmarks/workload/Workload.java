package dev.tollgate.benchmarks.workload;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * The one workload every SDK is measured on, generated deterministically from the size of the override table.
 *
 * <ul>
 *   <li>{@code overrides} organizations have a row in every flag's override table; row {@code i} takes tier {@code (i
 *       + flag) % tiers} of each flag's {@link Flag#overrideTiers()}.
 *   <li>{@link #CONTEXTS} request contexts (organization id, plan, user id), visited round-robin in a shuffled order;
 *       one in ten belongs to an overridden organization, spread over the whole table.
 *   <li>Ids look like real ones ({@code org_} and 16 hex digits), so no SDK benefits from sequential keys.
 * </ul>
 *
 * <p>{@link #expected} is the answer every SDK must give; it is computed here from the description, not by any SDK.
 */
public final class Workload {
    /** How many pre-built contexts the benchmarks cycle through. */
    public static final int CONTEXTS = 1_000;
    /** One context in this many belongs to an overridden organization. */
    public static final int OVERRIDDEN_EVERY = 10;

    private static final long SEED = 0x70116A7EL;

    private final int overrideCount;
    private final List<Override> overrides;
    private final Map<String, Override> overridesById;
    private final List<RequestData> contexts;

    private Workload(int overrideCount) {
        if (overrideCount < 1) {
            throw new IllegalArgumentException("at least one override row is needed, was " + overrideCount);
        }
        this.overrideCount = overrideCount;
        List<Override> rows = new ArrayList<>(overrideCount);
        Map<String, Override> byId = new HashMap<>(overrideCount * 2);
        Plan[] plans = Plan.values();
        for (int i = 0; i < overrideCount; i++) {
            Override row = new Override(organizationId(i), plans[i % plans.length], i);
            rows.add(row);
            byId.put(row.organizationId(), row);
        }
        this.overrides = Collections.unmodifiableList(rows);
        this.overridesById = byId;
        this.contexts = Collections.unmodifiableList(contexts(rows, plans));
    }

    /** The workload with an override table of {@code overrides} organizations. */
    public static Workload of(int overrides) {
        return new Workload(overrides);
    }

    public int overrideCount() {
        return overrideCount;
    }

    /** The override rows, in table order. */
    public List<Override> overrides() {
        return overrides;
    }

    /** The request contexts, in the order the benchmarks visit them. */
    public List<RequestData> contexts() {
        return contexts;
    }

    public RequestData context(int index) {
        return contexts.get(index);
    }

    /** The value every SDK must answer for {@code flag} in {@code context}. */
    public Object expected(Flag flag, RequestData context) {
        Override row = overridesById.get(context.organizationId());
        return row != null ? row.value(flag) : flag.planValue(context.plan());
    }

    /** Whether the context's organization has an override row. */
    public boolean isOverridden(RequestData context) {
        return overridesById.containsKey(context.organizationId());
    }

    /** The override rows grouped by the value they give {@code flag}, in tier order; rows keep table order. */
    public Map<Object, List<String>> overridesByValue(Flag flag) {
        Map<Object, List<String>> groups = new java.util.LinkedHashMap<>();
        for (Object tier : flag.overrideTiers()) {
            groups.put(tier, new ArrayList<>());
        }
        for (Override row : overrides) {
            groups.get(row.value(flag)).add(row.organizationId());
        }
        groups.values().removeIf(List::isEmpty);
        return groups;
    }

    private static List<RequestData> contexts(List<Override> rows, Plan[] plans) {
        List<RequestData> result = new ArrayList<>(CONTEXTS);
        for (int k = 0; k < CONTEXTS; k++) {
            String user = "user_" + hex(mix(SEED * 3 + k));
            if (k % OVERRIDDEN_EVERY == 0) {
                // Spread over the whole table: a multiplicative stride visits distant rows.
                Override row = rows.get((int) (((long) (k / OVERRIDDEN_EVERY) * 7_919L) % rows.size()));
                result.add(new RequestData(row.organizationId(), row.plan(), user));
            } else {
                String org = "org_" + hex(mix(SEED * 5 + k));
                result.add(new RequestData(org, plans[(int) Long.remainderUnsigned(mix(SEED * 7 + k), 3)], user));
            }
        }
        Collections.shuffle(result, new Random(SEED));
        return result;
    }

    private static String organizationId(int row) {
        return "org_" + hex(mix(SEED + row));
    }

    private static String hex(long value) {
        String digits = Long.toHexString(value);
        return "0".repeat(16 - digits.length()) + digits;
    }

    /** SplitMix64's finalizer: a bijection, so distinct inputs give distinct ids. */
    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** One overridden organization: its id, its plan, and its row in every flag's table. */
    public record Override(String organizationId, Plan plan, int row) {
        /** The value this organization's row gives {@code flag}. */
        public Object value(Flag flag) {
            List<Object> tiers = flag.overrideTiers();
            return tiers.get((row + flag.ordinal()) % tiers.size());
        }
    }
}
