package dev.tollgate.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.internal.snapshot.LogicFingerprints;
import dev.tollgate.internal.snapshot.RowHasher;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Which revisions get a {@code delta} event and what it says: {@link SnapshotDeltas}. */
class SnapshotDeltasTest {
    private static final String HASH = "sha256:" + "0".repeat(64);

    private static byte[] document(long revision, String table, String rules) {
        return """
                {"format": 1, "revision": %d, "schemaHash": "%s", "fields": {
                  "seats": {"overrides": [%s], "rules": %s, "default": 5}}}
                """
                .formatted(revision, HASH, table, rules)
                .getBytes(StandardCharsets.UTF_8);
    }

    private static JsonNode delta(String before, String after) {
        String data = SnapshotDeltas.data(document(7, before, "[]"), 7, document(8, after, "[]"), 8);
        return data == null ? null : Json.parseTrusted(data);
    }

    @Test
    void rowsSetRemovedAndMovedIntoAWindow_withTheTablesCountAndChecksumAfter() {
        JsonNode delta = delta(
                "{\"by\": \"context.org\", \"values\": {\"a\": 1, \"b\": 2, \"c\": 3}}",
                "{\"by\": \"context.org\", \"values\": {\"a\": 1, \"d\": 4},"
                        + " \"rows\": {\"b\": {\"value\": 2, \"until\": \"2030-01-01T00:00:00Z\"}}}");

        assertThat(delta.get("revision").asLong()).isEqualTo(8);
        assertThat(delta.get("base").asLong()).isEqualTo(7);
        JsonNode change = delta.get("changes").get(0);
        assertThat(change.get("field").asText()).isEqualTo("seats");
        assertThat(change.get("table").asInt()).isEqualTo(0);
        assertThat(change.get("set").toString())
                .isEqualTo("{\"d\":{\"value\":4,\"was\":null},"
                        + "\"b\":{\"value\":2,\"until\":\"2030-01-01T00:00:00Z\",\"was\":{\"value\":2}}}");
        assertThat(change.get("remove").toString()).isEqualTo("{\"c\":{\"was\":{\"value\":3}}}");
        assertThat(change.get("rows").asInt()).isEqualTo(3);
        RowHasher hasher = new RowHasher();
        long sum = hasher.rowObject("a", Json.parseTrusted("{\"value\": 1}"))
                + hasher.rowObject("d", Json.parseTrusted("{\"value\": 4}"))
                + hasher.rowObject("b", Json.parseTrusted("{\"value\": 2, \"until\": \"2030-01-01T00:00:00Z\"}"));
        assertThat(change.get("checksum").asText()).isEqualTo(RowHasher.hex(sum));
    }

    @Test
    void aCompactRowWrittenAsARowObject_isNoChange() {
        JsonNode delta = delta(
                "{\"by\": \"context.org\", \"values\": {\"a\": 1}}",
                "{\"by\": \"context.org\", \"rows\": {\"a\": {\"value\": 1}}}");

        assertThat(delta.get("changes").get(0).has("set")).isFalse();
        assertThat(delta.get("changes").get(0).has("remove")).isFalse();
    }

    @Test
    void ruleAdded_isALogicChange_withoutTheUnchangedTablesRows_andTheFieldsFingerprint() {
        String table = "{\"by\": \"context.org\", \"values\": {\"a\": 1}}";
        String rules = "[{\"id\": \"r\", \"value\": 3}]";
        JsonNode delta =
                Json.parseTrusted(SnapshotDeltas.data(document(7, table, "[]"), 7, document(8, table, rules), 8));

        JsonNode change = delta.get("changes").get(0);
        assertThat(change.get("field").asText()).isEqualTo("seats");
        assertThat(change.get("logic").toString())
                .isEqualTo("{\"overrides\":[{\"by\":\"context.org\"}],\"rules\":[{\"id\":\"r\",\"value\":3}],"
                        + "\"default\":5}");
        String checksum = RowHasher.hex(new RowHasher().rowObject("a", Json.parseTrusted("{\"value\": 1}")));
        assertThat(change.get("checksums").toString()).isEqualTo("[\"" + checksum + "\"]");
        assertThat(delta.get("fingerprints").get("seats").asText())
                .isEqualTo(LogicFingerprints.of(change.get("logic")));
    }

    @Test
    void tableAddedOrRekeyedOrWithAnObjectValue_isALogicChange_withThatTablesRows() {
        String table = "{\"by\": \"context.org\", \"values\": {\"a\": 1}}";
        assertThat(delta(table, table + ", " + table)
                        .get("changes")
                        .get(0)
                        .get("logic")
                        .toString())
                .as("a table added")
                .isEqualTo("{\"overrides\":[{\"by\":\"context.org\"},"
                        + "{\"by\":\"context.org\",\"values\":{\"a\":1}}],\"rules\":[],\"default\":5}");
        assertThat(delta(table, "{\"by\": \"context.plan\", \"values\": {\"a\": 1}}")
                        .get("changes")
                        .get(0)
                        .get("logic")
                        .get("overrides")
                        .toString())
                .as("another key")
                .isEqualTo("[{\"by\":\"context.plan\",\"values\":{\"a\":1}}]");
        assertThat(delta(table, "{\"by\": \"context.org\", \"values\": {\"a\": {\"n\": 1}}}")
                        .get("changes")
                        .get(0)
                        .get("logic")
                        .get("overrides")
                        .toString())
                .as("an object value")
                .isEqualTo("[{\"by\":\"context.org\",\"values\":{\"a\":{\"n\":1}}}]");
    }

    @Test
    void segmentChanged_isASegmentChange_withTheFingerprintsOfTheFieldsUsingIt() {
        String rules = "[{\"id\": \"vip\", \"if\": {\"segment\": \"outer\"}, \"value\": 9}]";
        String before = segmentsDocument(7, "[\"org_1\"]", rules);
        String after = segmentsDocument(8, "[\"org_1\", \"org_2\"]", rules);

        JsonNode delta = Json.parseTrusted(SnapshotDeltas.data(bytes(before), 7, bytes(after), 8));

        JsonNode change = delta.get("changes").get(0);
        assertThat(delta.get("changes").size()).isEqualTo(1);
        assertThat(change.get("segment").asText()).isEqualTo("vip");
        assertThat(change.get("definition").toString())
                .isEqualTo("{\"if\":{\"attribute\":\"context.org\",\"op\":\"in\",\"value\":[\"org_1\",\"org_2\"]}}");
        assertThat(change.get("fingerprint").asText()).isEqualTo(LogicFingerprints.of(change.get("definition")));
        JsonNode seats = Json.parseTrusted(after).get("fields").get("seats");
        assertThat(delta.get("fingerprints").toString())
                .as("seats uses vip through outer; other uses no segment")
                .isEqualTo("{\"seats\":\"" + LogicFingerprints.of(LogicFingerprints.withoutRows(seats)) + "\"}");
    }

    @Test
    void noDelta_forFieldsOrSegmentsAddedMetaOrTooMuchData() {
        String table = "{\"by\": \"context.org\", \"values\": {\"a\": 1}}";
        String rules = "[]";
        assertThat(SnapshotDeltas.data(
                        bytes(segmentsDocument(7, "[]", rules)),
                        7,
                        bytes(segmentsDocument(8, "[]", rules)
                                .replace("\"outer\":", "\"new\": {\"if\": {\"segment\": \"vip\"}}, \"outer\":")),
                        8))
                .as("a segment added")
                .isNull();
        assertThat(SnapshotDeltas.data(
                        bytes(segmentsDocument(7, "[]", rules)),
                        7,
                        bytes(segmentsDocument(8, "[]", rules)
                                .replace("\"other\":", "\"limits\": {\"default\": 1}, \"other\":")),
                        8))
                .as("a field added")
                .isNull();
        assertThat(SnapshotDeltas.data(
                        bytes(segmentsDocument(7, "[]", rules)),
                        7,
                        bytes(segmentsDocument(8, "[]", rules)
                                .replace("\"fields\":", "\"meta\": {\"by\": \"x\"}, \"fields\":")),
                        8))
                .as("meta")
                .isNull();
        StringBuilder many = new StringBuilder("{\"by\": \"context.org\", \"values\": {");
        for (int i = 0; i < 1_000; i++) {
            many.append(i == 0 ? "" : ",")
                    .append("\"org_")
                    .append(i)
                    .append("\": ")
                    .append(i);
        }
        assertThat(delta(table, many.append("}}").toString()))
                .as("over " + SnapshotDeltas.MAX_DATA_BYTES + " bytes")
                .isNull();
    }

    private static String segmentsDocument(long revision, String members, String rules) {
        return """
                {"format": 1, "revision": %d, "schemaHash": "%s",
                 "segments": {"vip": {"if": {"attribute": "context.org", "op": "in", "value": %s}},
                              "outer": {"if": {"segment": "vip"}}},
                 "fields": {"seats": {"rules": %s, "default": 5}, "other": {"default": 2}}}
                """
                .formatted(revision, HASH, members, rules);
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
