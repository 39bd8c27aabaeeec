package dev.tollgate.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
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
    void noDelta_forRulesTablesKeysObjectValuesOrTooMuchData() {
        String table = "{\"by\": \"context.org\", \"values\": {\"a\": 1}}";
        assertThat(SnapshotDeltas.data(
                        document(7, table, "[]"), 7, document(8, table, "[{\"id\": \"r\", \"value\": 3}]"), 8))
                .as("a rule added")
                .isNull();
        assertThat(delta(table, table + ", " + table)).as("a table added").isNull();
        assertThat(delta(table, "{\"by\": \"context.plan\", \"values\": {\"a\": 1}}"))
                .as("another key")
                .isNull();
        assertThat(delta(table, "{\"by\": \"context.org\", \"values\": {\"a\": {\"n\": 1}}}"))
                .as("an object value")
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
}
