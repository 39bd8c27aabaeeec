package dev.tollgate.testing;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Objects;

/** The logic of one field in a {@link SnapshotBuilder}: overrides, rules in order, and a default. */
public final class FieldLogic {
    private final ObjectNode json = JsonNodeFactory.instance.objectNode();

    FieldLogic() {}

    /**
     * Adds a row to the override table keyed by {@code attribute} (created on first use; tables keep the order of
     * their first row).
     */
    public FieldLogic override(String attribute, Object key, Object value) {
        Objects.requireNonNull(attribute, "attribute");
        ArrayNode tables = json.has("overrides") ? (ArrayNode) json.get("overrides") : json.putArray("overrides");
        ObjectNode table = null;
        for (int i = 0; i < tables.size(); i++) {
            if (tables.get(i).get("by").asText().equals(attribute)) {
                table = (ObjectNode) tables.get(i);
            }
        }
        if (table == null) {
            table = tables.addObject();
            table.put("by", attribute);
            table.putObject("values");
        }
        String keyText = key instanceof Enum<?> e ? e.name() : String.valueOf(Objects.requireNonNull(key, "key"));
        ((ObjectNode) table.get("values")).set(keyText, JsonValues.toJson(value));
        return this;
    }

    /** A rule that always matches. */
    public FieldLogic rule(String id, Object value) {
        addRule(id, null).set("value", JsonValues.toJson(value));
        return this;
    }

    /** A rule that answers {@code value} when {@code condition} holds. */
    public FieldLogic rule(String id, ConditionSpec condition, Object value) {
        addRule(id, Objects.requireNonNull(condition, "condition")).set("value", JsonValues.toJson(value));
        return this;
    }

    /** A rule that, when {@code condition} holds (or always, if null), answers from a percentage split. */
    public FieldLogic splitRule(String id, ConditionSpec condition, SplitSpec split) {
        addRule(id, condition)
                .set("split", Objects.requireNonNull(split, "split").toJson());
        return this;
    }

    public FieldLogic defaultValue(Object value) {
        json.set("default", JsonValues.toJson(value));
        return this;
    }

    private ObjectNode addRule(String id, ConditionSpec condition) {
        ArrayNode rules = json.has("rules") ? (ArrayNode) json.get("rules") : json.putArray("rules");
        ObjectNode rule = rules.addObject();
        rule.put("id", Objects.requireNonNull(id, "id"));
        if (condition != null) {
            rule.set("if", condition.toJson());
        }
        return rule;
    }

    ObjectNode toJson() {
        return json.deepCopy();
    }
}
