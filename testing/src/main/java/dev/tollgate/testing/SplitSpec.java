package dev.tollgate.testing;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Objects;

/**
 * A percentage split for {@link FieldLogic#splitRule}: the unit attribute, the seed, weighted arms and the default arm
 * for the remaining percentage.
 *
 * <pre>{@code
 * SplitSpec.by("context.user.id").seed("roles-rollout").arm("on", 25, true).defaultArm("off", false)
 * }</pre>
 */
public final class SplitSpec {
    private final ObjectNode json = JsonNodeFactory.instance.objectNode();
    private final ArrayNode arms;

    private SplitSpec(String unitAttribute) {
        json.put("by", Objects.requireNonNull(unitAttribute, "unitAttribute"));
        json.put("seed", "");
        arms = json.putArray("arms");
    }

    /** A split bucketing units by {@code unitAttribute}, such as {@code context.user.id}. */
    public static SplitSpec by(String unitAttribute) {
        return new SplitSpec(unitAttribute);
    }

    public SplitSpec seed(String seed) {
        json.put("seed", Objects.requireNonNull(seed, "seed"));
        return this;
    }

    /** An arm taking {@code percent} (0 to 100, at most two decimals) of units. */
    public SplitSpec arm(String id, double percent, Object value) {
        ObjectNode arm = arms.addObject();
        arm.put("id", Objects.requireNonNull(id, "id"));
        arm.put("weight", percent);
        arm.set("value", JsonValues.toJson(value));
        return this;
    }

    /** The arm for units past the weighted arms. */
    public SplitSpec defaultArm(String id, Object value) {
        ObjectNode arm = json.putObject("defaultArm");
        arm.put("id", Objects.requireNonNull(id, "id"));
        arm.set("value", JsonValues.toJson(value));
        return this;
    }

    ObjectNode toJson() {
        return json.deepCopy();
    }
}
