package dev.tollgate.openfeature;

import dev.openfeature.sdk.ErrorCode;
import dev.openfeature.sdk.ImmutableMetadata;
import dev.openfeature.sdk.MutableStructure;
import dev.openfeature.sdk.ProviderEvaluation;
import dev.openfeature.sdk.Value;
import dev.tollgate.EvaluationDetail;
import dev.tollgate.FallbackCause;
import dev.tollgate.Reason;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Turns Tollgate's answers into OpenFeature's: reasons, error codes, variants and flag metadata, as the tables of
 * docs/openfeature.md say. Stateless.
 */
final class Answers {
    /** Flag metadata key: the snapshot revision the answer was read from (a long; 0 before the first snapshot). */
    static final String REVISION = "tollgate.revision";
    /** Flag metadata key: Tollgate's reason label, such as {@code rule:pro} or {@code fallback:NO_LOGIC}. */
    static final String REASON = "tollgate.reason";
    /** Flag metadata key: for an override, the table's attribute and key, such as {@code context.organization.id=o}. */
    static final String OVERRIDE_KEY = "tollgate.override";

    /** The variant of an override answer. */
    static final String OVERRIDE_VARIANT = "override";
    /** The variant of an answer from the field's default. */
    static final String DEFAULT_VARIANT = "default";
    /** The variant of the caller's default value returned because the snapshot has nothing to say (no error). */
    static final String FALLBACK_VARIANT = "fallback";

    private Answers() {}

    /**
     * The answer for {@code detail}, whose value must be of {@code type} unless it is the fallback; {@code convert}
     * turns a value of the right type into the flag's type.
     */
    static <T> ProviderEvaluation<T> answer(
            String key, EvaluationDetail<Object> detail, T fallback, Class<?> type, Converter<T> convert) {
        Reason reason = detail.reason();
        if (reason.isFallback()) {
            return fallback(detail, fallback);
        }
        Object value = detail.value();
        if (!type.isInstance(value)) {
            return error(
                    fallback,
                    ErrorCode.TYPE_MISMATCH,
                    key + " answered " + describe(value) + ", not a " + type.getSimpleName(),
                    detail);
        }
        return ProviderEvaluation.<T>builder()
                .value(convert.convert(value))
                .variant(variant(reason))
                .reason(openFeatureReason(reason.kind()))
                .flagMetadata(metadata(detail))
                .build();
    }

    /** The answer when the context or the arguments could not be read: the caller's value and INVALID_CONTEXT. */
    static <T> ProviderEvaluation<T> invalidContext(T fallback, String message, long revision) {
        return ProviderEvaluation.<T>builder()
                .value(fallback)
                .reason(dev.openfeature.sdk.Reason.ERROR.name())
                .errorCode(ErrorCode.INVALID_CONTEXT)
                .errorMessage(message)
                .flagMetadata(
                        ImmutableMetadata.builder().addLong(REVISION, revision).build())
                .build();
    }

    /** The answer when the provider itself failed unexpectedly: the caller's value and GENERAL. */
    static <T> ProviderEvaluation<T> failed(T fallback, String message) {
        return ProviderEvaluation.<T>builder()
                .value(fallback)
                .reason(dev.openfeature.sdk.Reason.ERROR.name())
                .errorCode(ErrorCode.GENERAL)
                .errorMessage(message)
                .build();
    }

    /**
     * The caller's value for a fallback: NO_LOGIC and NO_MATCH mean the snapshot has nothing to say about this field
     * for this context, which OpenFeature calls DEFAULT; every other cause is an error with its code.
     */
    private static <T> ProviderEvaluation<T> fallback(EvaluationDetail<Object> detail, T fallback) {
        FallbackCause cause = detail.reason().fallbackCause();
        if (cause == FallbackCause.NO_LOGIC || cause == FallbackCause.NO_MATCH) {
            return ProviderEvaluation.<T>builder()
                    .value(fallback)
                    .variant(FALLBACK_VARIANT)
                    .reason(dev.openfeature.sdk.Reason.DEFAULT.name())
                    .flagMetadata(metadata(detail))
                    .build();
        }
        return error(fallback, errorCode(cause), detail.reason().message(), detail);
    }

    private static <T> ProviderEvaluation<T> error(
            T fallback, ErrorCode code, String message, EvaluationDetail<Object> detail) {
        return ProviderEvaluation.<T>builder()
                .value(fallback)
                .reason(dev.openfeature.sdk.Reason.ERROR.name())
                .errorCode(code)
                .errorMessage(message)
                .flagMetadata(metadata(detail))
                .build();
    }

    static ErrorCode errorCode(FallbackCause cause) {
        return switch (cause) {
            case NOT_READY -> ErrorCode.PROVIDER_NOT_READY;
            case UNKNOWN_FIELD -> ErrorCode.FLAG_NOT_FOUND;
            case TYPE_MISMATCH -> ErrorCode.TYPE_MISMATCH;
            case MISSING_CONTEXT_ATTRIBUTE, INVALID_ARGUMENTS -> ErrorCode.INVALID_CONTEXT;
            case NO_LOGIC, NO_MATCH, EVALUATION_ERROR -> ErrorCode.GENERAL;
        };
    }

    private static String openFeatureReason(Reason.Kind kind) {
        return switch (kind) {
            case OVERRIDE, RULE -> dev.openfeature.sdk.Reason.TARGETING_MATCH.name();
            case SPLIT -> dev.openfeature.sdk.Reason.SPLIT.name();
            case DEFAULT -> dev.openfeature.sdk.Reason.DEFAULT.name();
            case FALLBACK -> dev.openfeature.sdk.Reason.ERROR.name();
        };
    }

    private static String variant(Reason reason) {
        return switch (reason.kind()) {
            case OVERRIDE -> OVERRIDE_VARIANT;
            case RULE -> reason.ruleId();
            case SPLIT -> reason.arm();
            case DEFAULT -> DEFAULT_VARIANT;
            case FALLBACK -> FALLBACK_VARIANT;
        };
    }

    private static ImmutableMetadata metadata(EvaluationDetail<Object> detail) {
        ImmutableMetadata.ImmutableMetadataBuilder metadata = ImmutableMetadata.builder()
                .addLong(REVISION, detail.revision())
                .addString(REASON, detail.reason().label());
        if (detail.reason().overrideKey() != null) {
            metadata.addString(OVERRIDE_KEY, detail.reason().overrideKey());
        }
        return metadata.build();
    }

    private static String describe(Object value) {
        String shown = value instanceof String s ? "\"" + s + "\"" : String.valueOf(value);
        return shown + " (" + typeName(value) + ")";
    }

    private static String typeName(Object value) {
        if (value instanceof Integer) {
            return "an Int";
        }
        if (value instanceof Double) {
            return "a Float";
        }
        if (value instanceof Boolean) {
            return "a Boolean";
        }
        if (value instanceof String) {
            return "a String or enum";
        }
        return value instanceof List<?> ? "a list" : value instanceof Map<?, ?> ? "an object" : "null";
    }

    /** {@code value}, any value a field can answer, as an OpenFeature {@link Value}. */
    static Value toValue(Object value) {
        if (value instanceof List<?> list) {
            List<Value> values = new ArrayList<>(list.size());
            for (Object element : list) {
                values.add(toValue(element));
            }
            return new Value(values);
        }
        if (value instanceof Map<?, ?> map) {
            MutableStructure structure = new MutableStructure();
            for (Map.Entry<?, ?> entry : map.entrySet()) {
                structure.add(String.valueOf(entry.getKey()), toValue(entry.getValue()));
            }
            return new Value(structure);
        }
        return Value.objectToValue(value);
    }

    /** Turns a field's value, already checked to be of the right Java type, into the flag's type. */
    @FunctionalInterface
    interface Converter<T> {
        T convert(Object value);
    }
}
