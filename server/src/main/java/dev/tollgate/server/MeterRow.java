package dev.tollgate.server;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/** A meter's current values: what the SDKs reported, what was granted on top, and the version that last changed it. */
record MeterRow(Meter meter, long used, long extra, long version) {

    /**
     * The row as every answer shows it: {@code {"field", "arguments", "key", "period", "periodStart", "used", "extra",
     * "version"}}.
     */
    ObjectNode toJson() {
        ObjectNode row = Json.object();
        row.put("field", meter.field());
        row.set("arguments", Json.parseTrusted(meter.argsKey()));
        row.put("key", meter.key());
        row.put("period", meter.period().name());
        row.put("periodStart", meter.periodStart().toString());
        row.put("used", used);
        row.put("extra", extra);
        row.put("version", version);
        return row;
    }

    /** The rows as a JSON array, in their order. */
    static ArrayNode toJson(List<MeterRow> rows) {
        ArrayNode array = Json.array();
        rows.forEach(row -> array.add(row.toJson()));
        return array;
    }
}
