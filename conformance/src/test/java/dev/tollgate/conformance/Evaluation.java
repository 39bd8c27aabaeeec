package dev.tollgate.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.DynamicInput;
import dev.tollgate.EvaluationDetail;
import dev.tollgate.FallbackCause;
import dev.tollgate.Reason;
import dev.tollgate.Schema;
import dev.tollgate.TollgateClient;
import dev.tollgate.UntypedRoot;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * One read of one field and what it must give: the accessor's value, and the value, reason, cause, message, override
 * key and revision that {@link UntypedRoot#detail} reports.
 *
 * <p>{@code detail} is untyped, so when the accessor does not fit the field ({@code TYPE_MISMATCH}) the accessor
 * returns the fallback while {@code detail} still answers; {@code detailValue} says what {@code detail} returns then.
 */
final class Evaluation {
    private static final Set<String> EXPECT_KEYS =
            Set.of("value", "detailValue", "reason", "cause", "message", "overrideKey", "notes", "revision");

    private final Schema schema;
    private final JsonNode context;
    private final JsonNode args;
    private final String field;
    private final Accessor accessor;
    private final JsonNode fallback;
    private final JsonNode expect;
    private final String where;

    /**
     * {@code spec} holds {@code context} (merged into {@code baseContext}), {@code args}, {@code field}, {@code
     * accessor}, {@code fallback} and {@code expect}; {@code where} names the case in messages.
     */
    Evaluation(Schema schema, JsonNode baseContext, JsonNode spec, String where) {
        this.schema = schema;
        this.where = where;
        this.context = spec.has("context") ? CaseJson.merge(baseContext, spec.get("context")) : baseContext;
        this.args = spec.path("args");
        this.field = required(spec, "field", where).textValue();
        this.accessor = Accessor.named(required(spec, "accessor", where).textValue());
        this.fallback = required(spec, "fallback", where);
        this.expect = required(spec, "expect", where);
        CaseFile.requireKnownKeys(expect, EXPECT_KEYS, where + ": expect");
        required(expect, "value", where + ": expect");
        String reason = required(expect, "reason", where + ": expect").textValue();
        if (reason.startsWith("fallback:") != expect.has("cause")) {
            throw new IllegalArgumentException(
                    where + ": expect names a \"cause\" exactly when the reason is a fallback");
        }
    }

    /** Reads the field from a fresh root of {@code client}, asserts every expectation and returns the detail. */
    EvaluationDetail<Object> check(TollgateClient client) {
        UntypedRoot root = client.root(DynamicInput.context(schema, toMap(context)));
        Map<String, ?> arguments = args.isObject() ? toMap(args) : Map.of();
        Object fallbackValue = accessor.fallback(fallback);
        Object value = accessor.read(root, field, arguments, fallbackValue);
        EvaluationDetail<Object> detail = root.detail(field, arguments, fallbackValue);
        String shown = where + ": " + field + " read as " + accessor.name().toLowerCase(Locale.ROOT) + " (detail: "
                + detail + ")";

        assertThat(CaseJson.tree(value)).as("value of %s", shown).isEqualTo(expect.get("value"));
        JsonNode detailValue = expect.has("detailValue") ? expect.get("detailValue") : expect.get("value");
        assertThat(CaseJson.tree(detail.value()))
                .as("detail value of %s", shown)
                .isEqualTo(detailValue);
        Reason reason = detail.reason();
        assertThat(reason.label())
                .as("reason of %s", shown)
                .isEqualTo(expect.get("reason").textValue());
        if (expect.has("cause")) {
            assertThat(reason.fallbackCause())
                    .as("cause of %s", shown)
                    .isEqualTo(FallbackCause.valueOf(expect.get("cause").textValue()));
        }
        if (expect.has("message")) {
            assertThat(reason.message())
                    .as("message of %s", shown)
                    .isEqualTo(expect.get("message").textValue());
        }
        if (expect.has("overrideKey")) {
            assertThat(reason.overrideKey())
                    .as("override key of %s", shown)
                    .isEqualTo(expect.get("overrideKey").textValue());
        }
        List<String> notes = new ArrayList<>();
        expect.path("notes").forEach(note -> notes.add(note.textValue()));
        assertThat(reason.notes()).as("notes of %s", shown).isEqualTo(notes);
        long revision = expect.has("revision") ? expect.get("revision").longValue() : client.revision();
        assertThat(detail.revision()).as("revision of %s", shown).isEqualTo(revision);
        assertThat(root.revision()).as("root revision of %s", shown).isEqualTo(revision);
        return detail;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> toMap(JsonNode node) {
        return (Map<String, Object>) CaseJson.toJava(node);
    }

    static JsonNode required(JsonNode node, String key, String where) {
        JsonNode value = node.get(key);
        if (value == null) {
            throw new IllegalArgumentException(where + ": missing \"" + key + "\"");
        }
        return value;
    }
}
