package dev.tollgate.server;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;

/**
 * One organization in the directory.
 *
 * @param id the organization's key, the value of {@code context.organization.id}
 * @param name the display name people search for
 * @param plan the value of {@code context.organization.plan}; null when the schema has no plan
 * @param attributes further context attribute paths and their values, such as {@code {"organization.region": "eu"}},
 *     keys sorted
 * @param updatedAt when the row last changed; null for a row not stored yet
 * @param updatedBy who last changed it; null for a row not stored yet
 */
record Organization(String id, String name, String plan, ObjectNode attributes, Instant updatedAt, String updatedBy) {

    /** Whether storing {@code other} over this row would change nothing people see. */
    boolean sameAs(Organization other) {
        return name.equals(other.name)
                && java.util.Objects.equals(plan, other.plan)
                && attributes.equals(other.attributes);
    }

    ObjectNode toJson() {
        ObjectNode node = Json.object();
        node.put("id", id);
        node.put("name", name);
        node.put("plan", plan);
        node.set("attributes", attributes);
        if (updatedAt != null) {
            node.put("updatedAt", updatedAt.toString());
            node.put("updatedBy", updatedBy);
        }
        return node;
    }
}
