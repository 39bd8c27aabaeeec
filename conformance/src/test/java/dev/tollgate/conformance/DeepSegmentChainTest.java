package dev.tollgate.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.tollgate.InvalidSnapshotException;
import dev.tollgate.Schema;
import dev.tollgate.TollgateClient;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * A snapshot within every default cap whose segments refer to each other in a long chain ({@code s0 = not s1}, {@code
 * s1 = not s2}, ...). {@code maxConditionDepth} counts segment references, so the chain must be rejected like any other
 * snapshot over a cap, with the installed snapshot kept; it must not crash the loader. Too large for a case file.
 */
class DeepSegmentChainTest {
    private static final String FIELD = "entitlements.teamRolesEnabled";

    @Test
    void loadSnapshot_chainOfFiveThousandSegments_isRejectedAsInvalid() {
        Schema schema = schema();
        TollgateClient client = TollgateClient.builder(schema).build();
        client.loadSnapshot(snapshot(schema, 1, "\"fields\": {\"" + FIELD + "\": {\"default\": true}}"));

        Throwable thrown = catchThrowable(() -> client.loadSnapshot(snapshot(schema, 2, chain(5_000))));

        assertThat(thrown).isInstanceOf(InvalidSnapshotException.class);
        assertThat(client.revision()).isEqualTo(1);
    }

    private static String chain(int length) {
        StringBuilder segments = new StringBuilder("\"segments\": {");
        for (int i = 0; i < length; i++) {
            String condition = i == length - 1
                    ? "{\"attribute\": \"context.organization.plan\", \"op\": \"eq\", \"value\": \"PRO\"}"
                    : "{\"not\": {\"segment\": \"s" + (i + 1) + "\"}}";
            segments.append(i == 0 ? "" : ", ")
                    .append("\"s")
                    .append(i)
                    .append("\": {\"if\": ")
                    .append(condition)
                    .append('}');
        }
        return segments.append("}, \"fields\": {\"")
                .append(FIELD)
                .append("\": {\"rules\": [{\"id\": \"r\", \"if\": {\"segment\": \"s0\"}, \"value\": false}]}}")
                .toString();
    }

    private static String snapshot(Schema schema, long revision, String body) {
        return "{\"format\": 1, \"revision\": " + revision + ", \"schemaHash\": \"" + schema.hash() + "\", " + body
                + "}";
    }

    private static Schema schema() {
        String resource = CaseFile.DIRECTORY + "/schemas/entitlements.graphql";
        try (InputStream in = DeepSegmentChainTest.class.getClassLoader().getResourceAsStream(resource)) {
            return Schema.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8), resource);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
