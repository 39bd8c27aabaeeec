package dev.tollgate.internal.schema;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.Schema;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The field directives @range, @length and @pattern: as parsed, as described, and in the schema hash. */
class ValueConstraintsTest {
    private static final String PLAIN = "input Context { id: String! } type Root { seats: Int! slug: String }";

    private static SchemaModel parse(String sdl) {
        return SchemaParser.parse(sdl, "c.graphql");
    }

    @Test
    void parse_rangeLengthAndPattern_areTheFieldsConstraints() {
        SchemaModel schema = parse("input Context { id: String! } type Root {"
                + " seats: Int! @range(min: 0, max: 100000) @deprecated(reason: \"use plan seats\")"
                + " slug: String @length(min: 2, max: 8) @pattern(regex: \"[a-z-]+\") }");

        ValueConstraints seats =
                schema.field("seats").orElseThrow().definition().constraints();
        assertThat(seats.min()).isEqualByComparingTo(BigDecimal.ZERO);
        assertThat(seats.max()).isEqualByComparingTo(BigDecimal.valueOf(100000));
        assertThat(seats.location()).hasToString("c.graphql:1:55");
        assertThat(schema.field("seats").orElseThrow().definition().deprecationReason())
                .isEqualTo("use plan seats");
        ValueConstraints slug = schema.field("slug").orElseThrow().definition().constraints();
        assertThat(slug.describe()).isEqualTo("2 to 8 characters, matching [a-z-]+");
        assertThat(seats.describe()).isEqualTo("from 0 to 100000");
        assertThat(schema.field("seats")
                        .orElseThrow()
                        .definition()
                        .constraints()
                        .violation(100001))
                .isEqualTo("value 100001 is above the maximum 100000 (@range)");
        assertThat(slug.violation("acme")).isNull();
        assertThat(slug.violation("Acme")).isEqualTo("value \"Acme\" does not match the pattern [a-z-]+ (@pattern)");
    }

    @Test
    void hash_withoutConstraints_isUnchanged_andAConstraintChangesIt() {
        String plain = parse(PLAIN).hash();
        String ranged = parse(PLAIN.replace("seats: Int!", "seats: Int! @range(min: 0)"))
                .hash();
        String sameRangeWrittenDifferently = parse(PLAIN.replace("seats: Int!", "seats: Int! @range(min: 0.0)"))
                .hash();

        assertThat(Schema.parse(PLAIN, "other.graphql").hash()).isEqualTo(plain);
        assertThat(ranged).isNotEqualTo(plain).isEqualTo(sameRangeWrittenDifferently);
        assertThat(parse(PLAIN.replace("seats: Int!", "seats: Int! @range(min: 1)"))
                        .hash())
                .isNotEqualTo(ranged);
    }

    @Test
    void hash_ofTheExampleSchema_isTheOneItsSnapshotsRecord() throws IOException {
        SchemaModel seed;
        try (InputStream in = ValueConstraintsTest.class.getResourceAsStream("/seed.graphql")) {
            seed = parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }

        assertThat(seed.hash())
                .as(
                        "the seed schema's hash, which examples/team-service/tollgate/snapshot.json records, from before constraints")
                .isEqualTo("sha256:15b74fc72b9b01389b99cca7777427ee52f3f18c2e9684dcec460e1e76ec1b05");
    }
}
