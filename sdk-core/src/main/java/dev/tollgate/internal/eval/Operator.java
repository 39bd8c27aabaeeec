package dev.tollgate.internal.eval;

import static dev.tollgate.internal.eval.Problems.describe;
import static dev.tollgate.internal.eval.Problems.quote;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;
import dev.tollgate.SnapshotLimits;
import dev.tollgate.internal.eval.Condition.Comparison;
import dev.tollgate.internal.eval.Condition.TextTest;
import dev.tollgate.internal.schema.TypeRef;
import dev.tollgate.runtime.InputValue;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The comparison operators of conditions, and the one place each is defined: its name in a snapshot's {@code "op"},
 * the shape of its operand, the attribute types it applies to, and how it compiles into a {@link Condition}. The
 * compiler finds operators by name here and checks them against attributes here, and every message that lists
 * operators or the types they take is built from these constants. Each constant compiles with its own {@link
 * #condition}, which has no default, so no operator can fall through to another's logic.
 *
 * <p>Adding an operator is one constant here (plus its documentation in {@code docs/snapshot-format.md} and its JSON
 * Schema, and its conformance cases); an operand of a new shape adds an {@link Operand} and the way it is read.
 */
enum Operator {
    EQ("eq", Operand.VALUE, Kinds.SCALARS) {
        @Override
        Condition condition(AttributeReader reader, ValueKind kind, Object operand) {
            return kind.isNumber()
                    ? Condition.numeric(reader, Comparison.EQ, number(operand))
                    : Condition.equalTo(reader, operand, false);
        }
    },
    NE("ne", Operand.VALUE, Kinds.SCALARS) {
        @Override
        Condition condition(AttributeReader reader, ValueKind kind, Object operand) {
            return kind.isNumber()
                    ? Condition.numeric(reader, Comparison.NE, number(operand))
                    : Condition.equalTo(reader, operand, true);
        }
    },
    IN("in", Operand.VALUES, Kinds.SCALARS) {
        @Override
        Condition condition(AttributeReader reader, ValueKind kind, Object operand) {
            return Condition.member(reader, new HashSet<>((List<?>) operand), false);
        }
    },
    NOT_IN("notIn", Operand.VALUES, Kinds.SCALARS) {
        @Override
        Condition condition(AttributeReader reader, ValueKind kind, Object operand) {
            return Condition.member(reader, new HashSet<>((List<?>) operand), true);
        }
    },
    LT("lt", Operand.VALUE, Kinds.ORDERED) {
        @Override
        Condition condition(AttributeReader reader, ValueKind kind, Object operand) {
            return ordered(reader, kind, Comparison.LT, operand);
        }
    },
    LTE("lte", Operand.VALUE, Kinds.ORDERED) {
        @Override
        Condition condition(AttributeReader reader, ValueKind kind, Object operand) {
            return ordered(reader, kind, Comparison.LTE, operand);
        }
    },
    GT("gt", Operand.VALUE, Kinds.ORDERED) {
        @Override
        Condition condition(AttributeReader reader, ValueKind kind, Object operand) {
            return ordered(reader, kind, Comparison.GT, operand);
        }
    },
    GTE("gte", Operand.VALUE, Kinds.ORDERED) {
        @Override
        Condition condition(AttributeReader reader, ValueKind kind, Object operand) {
            return ordered(reader, kind, Comparison.GTE, operand);
        }
    },
    STARTS_WITH("startsWith", Operand.VALUE, Kinds.STRINGS) {
        @Override
        Condition condition(AttributeReader reader, ValueKind kind, Object operand) {
            return Condition.text(reader, TextTest.STARTS_WITH, (String) operand);
        }
    },
    ENDS_WITH("endsWith", Operand.VALUE, Kinds.STRINGS) {
        @Override
        Condition condition(AttributeReader reader, ValueKind kind, Object operand) {
            return Condition.text(reader, TextTest.ENDS_WITH, (String) operand);
        }
    },
    CONTAINS("contains", Operand.VALUE, Kinds.STRINGS_AND_LISTS) {
        @Override
        Condition condition(AttributeReader reader, ValueKind kind, Object operand) {
            return kind == ValueKind.LIST
                    ? Condition.listContains(reader, operand)
                    : Condition.text(reader, TextTest.CONTAINS, (String) operand);
        }
    },
    MATCHES("matches", Operand.PATTERN, Kinds.STRINGS) {
        @Override
        Condition condition(AttributeReader reader, ValueKind kind, Object operand) {
            return Condition.matches(reader, (Pattern) operand);
        }
    },
    BEFORE("before", Operand.INSTANT, Kinds.STRINGS) {
        @Override
        Condition condition(AttributeReader reader, ValueKind kind, Object operand) {
            return new InstantComparison(reader, Comparison.LT, (Instant) operand);
        }
    },
    AFTER("after", Operand.INSTANT, Kinds.STRINGS) {
        @Override
        Condition condition(AttributeReader reader, ValueKind kind, Object operand) {
            return new InstantComparison(reader, Comparison.GT, (Instant) operand);
        }
    },
    SEMVER_EQ("semverEq", Operand.VERSION, Kinds.STRINGS) {
        @Override
        Condition condition(AttributeReader reader, ValueKind kind, Object operand) {
            return new VersionComparison(reader, Comparison.EQ, (SemanticVersion) operand);
        }
    },
    SEMVER_LT("semverLt", Operand.VERSION, Kinds.STRINGS) {
        @Override
        Condition condition(AttributeReader reader, ValueKind kind, Object operand) {
            return new VersionComparison(reader, Comparison.LT, (SemanticVersion) operand);
        }
    },
    SEMVER_LTE("semverLte", Operand.VERSION, Kinds.STRINGS) {
        @Override
        Condition condition(AttributeReader reader, ValueKind kind, Object operand) {
            return new VersionComparison(reader, Comparison.LTE, (SemanticVersion) operand);
        }
    },
    SEMVER_GT("semverGt", Operand.VERSION, Kinds.STRINGS) {
        @Override
        Condition condition(AttributeReader reader, ValueKind kind, Object operand) {
            return new VersionComparison(reader, Comparison.GT, (SemanticVersion) operand);
        }
    },
    SEMVER_GTE("semverGte", Operand.VERSION, Kinds.STRINGS) {
        @Override
        Condition condition(AttributeReader reader, ValueKind kind, Object operand) {
            return new VersionComparison(reader, Comparison.GTE, (SemanticVersion) operand);
        }
    };

    private static final Map<String, Operator> BY_NAME = new HashMap<>();

    static {
        for (Operator operator : values()) {
            BY_NAME.put(operator.jsonName, operator);
        }
    }

    private final String jsonName;
    private final Operand operand;
    private final Set<ValueKind> kinds;

    Operator(String jsonName, Operand operand, Set<ValueKind> kinds) {
        this.jsonName = jsonName;
        this.operand = operand;
        this.kinds = kinds;
    }

    /** The shapes of operands, each read and checked in its own way at load. */
    enum Operand {
        /** One value of the attribute's type; for a list attribute, one element. */
        VALUE,
        /** A list of values of the attribute's type. */
        VALUES,
        /** An RE2 regular expression, within the pattern limits. */
        PATTERN,
        /** An RFC 3339 date-time, read into an instant. */
        INSTANT,
        /** A semantic version, parsed for comparing. */
        VERSION
    }

    /** What compiling an operand needs from the snapshot compiler: typed values, limits and the problem list. */
    record Compilation(ValueReader values, SnapshotLimits limits, Problems problems) {}

    /** The attribute types operators apply to; a holder class, since constants cannot use the enum's own statics. */
    private static final class Kinds {
        static final Set<ValueKind> SCALARS =
                EnumSet.of(ValueKind.BOOLEAN, ValueKind.INT, ValueKind.FLOAT, ValueKind.STRING, ValueKind.ENUM);
        static final Set<ValueKind> ORDERED = EnumSet.of(ValueKind.INT, ValueKind.FLOAT, ValueKind.STRING);
        static final Set<ValueKind> STRINGS = EnumSet.of(ValueKind.STRING);
        static final Set<ValueKind> STRINGS_AND_LISTS = EnumSet.of(ValueKind.STRING, ValueKind.LIST);
    }

    /** The name written in a snapshot, such as {@code notIn}. */
    String jsonName() {
        return jsonName;
    }

    Operand operand() {
        return operand;
    }

    /** Whether this operator applies to attributes of {@code kind}. */
    boolean appliesTo(ValueKind kind) {
        return kinds.contains(kind);
    }

    /** The operator written {@code name} in a snapshot; names are case-sensitive. */
    static Optional<Operator> named(String name) {
        return Optional.ofNullable(BY_NAME.get(name));
    }

    /** Every operator's name, in declaration order, for messages such as {@code expected one of eq, ne, ...}. */
    static String names() {
        List<String> names = new ArrayList<>();
        for (Operator operator : values()) {
            names.add(operator.jsonName);
        }
        return String.join(", ", names);
    }

    /**
     * Compiles this operator on an attribute of {@code type} with the given operand, or reports at {@code where} why it
     * cannot (an attribute type it does not apply to, an operand that does not fit) and returns {@code null}.
     */
    Condition compile(AttributeReader reader, TypeRef type, ValueKind kind, JsonNode node, Where where, Compilation c) {
        if (!appliesTo(kind)) {
            c.problems()
                    .add(
                            where,
                            "operator " + jsonName + " does not apply to " + reader.name() + " of type " + type + "; "
                                    + applicability(kind));
            return null;
        }
        Object value = read(type, node, where, c);
        return value == null ? null : condition(reader, kind, value);
    }

    /** The condition this operator makes of an operand {@link #operand()} has read and checked. */
    abstract Condition condition(AttributeReader reader, ValueKind kind, Object operand);

    private Object read(TypeRef type, JsonNode node, Where where, Compilation c) {
        return switch (operand) {
            case VALUE -> c.values()
                    .value(
                            node,
                            ValueReader.nullable(type instanceof TypeRef.ListOf list ? list.element() : type),
                            where);
            case VALUES -> c.values().value(node, new TypeRef.ListOf(ValueReader.nullable(type), true), where);
            case PATTERN -> pattern(node, where, c);
            case INSTANT -> instant(node, where, c.problems());
            case VERSION -> version(node, where, c.problems());
        };
    }

    /**
     * The types this operator does apply to, for a message about one it does not. For a list attribute: the operators
     * lists take. Otherwise the types, followed by the operators of the same operand shape that take those types and
     * lists too, the ones to reach for on a list.
     */
    private String applicability(ValueKind kind) {
        if (kind == ValueKind.LIST) {
            return "list attributes take only " + joined(operatorsFor(ValueKind.LIST, null));
        }
        List<String> types = new ArrayList<>();
        for (ValueKind applicable : kinds) {
            if (applicable != ValueKind.LIST) {
                types.add(applicable.label());
            }
        }
        String hint = "it applies to " + joined(types) + " attributes";
        List<String> alsoLists = operatorsFor(ValueKind.LIST, this);
        return alsoLists.isEmpty() ? hint : hint + ", and " + joined(alsoLists) + " also to lists";
    }

    /** The operators that apply to {@code kind}; if {@code like} is given, only those of its shape and types. */
    private static List<String> operatorsFor(ValueKind kind, Operator like) {
        List<String> names = new ArrayList<>();
        for (Operator operator : values()) {
            boolean alike = like == null || operator.operand == like.operand && operator.kinds.containsAll(like.kinds);
            if (operator.appliesTo(kind) && alike) {
                names.add(operator.jsonName);
            }
        }
        return names;
    }

    /** {@code a}, {@code a and b}, {@code a, b and c}. */
    private static String joined(List<String> words) {
        int last = words.size() - 1;
        return last <= 0
                ? String.join("", words)
                : String.join(", ", words.subList(0, last)) + " and " + words.get(last);
    }

    private static double number(Object operand) {
        return ((Number) operand).doubleValue();
    }

    private static Condition ordered(AttributeReader reader, ValueKind kind, Comparison comparison, Object operand) {
        return kind.isNumber()
                ? Condition.numeric(reader, comparison, number(operand))
                : Condition.ordered(reader, comparison, (String) operand);
    }

    private static Pattern pattern(JsonNode node, Where where, Compilation c) {
        if (!node.isTextual()) {
            c.problems().add(where, "expected a regular expression string but found " + describe(node));
            return null;
        }
        String pattern = node.textValue();
        int maxLength = c.limits().maxPatternLength();
        if (pattern.length() > maxLength) {
            c.problems().add(where, "pattern is " + pattern.length() + " characters, over the limit of " + maxLength);
            return null;
        }
        NestedRepetition.Result scan = NestedRepetition.scan(pattern);
        if (scan.tooLarge()) {
            long repetitions = scan.product();
            c.problems()
                    .add(
                            where,
                            "pattern " + quote(pattern) + " repeats "
                                    + (repetitions == Long.MAX_VALUE ? "more than " + Long.MAX_VALUE : repetitions)
                                    + " times through nested counted repetitions, over the limit of "
                                    + NestedRepetition.LIMIT + " (the product of nested {n} counts)");
            return null;
        }
        try {
            return Pattern.compile(pattern);
        } catch (PatternSyntaxException e) {
            c.problems().add(where, "invalid pattern " + quote(pattern) + ": " + e.getDescription());
            return null;
        }
    }

    private static Instant instant(JsonNode node, Where where, Problems problems) {
        long second = node.isTextual() ? Rfc3339.epochSecond(node.textValue()) : Rfc3339.INVALID;
        if (second == Rfc3339.INVALID) {
            problems.add(
                    where,
                    "expected an RFC 3339 date-time such as \"2024-05-01T09:30:00Z\" but found " + describe(node));
            return null;
        }
        return Instant.ofEpochSecond(second, Rfc3339.nano(node.textValue()));
    }

    private static SemanticVersion version(JsonNode node, Where where, Problems problems) {
        SemanticVersion version = node.isTextual() ? SemanticVersion.parse(node.textValue()) : null;
        if (version == null) {
            problems.add(
                    where,
                    "expected a semantic version (semver.org 2.0) such as \"2.1.0\" or \"2.1.0-rc.1\" but found "
                            + describe(node));
        }
        return version;
    }

    /**
     * {@code before} and {@code after}: the attribute, read as an RFC 3339 date-time on each evaluation without
     * allocating, against an operand read at load. An attribute that is not a date-time does not match.
     */
    private static final class InstantComparison extends Condition {
        private final AttributeReader attribute;
        private final Comparison comparison;
        private final long second;
        private final int nano;

        InstantComparison(AttributeReader attribute, Comparison comparison, Instant operand) {
            this.attribute = attribute;
            this.comparison = comparison;
            this.second = operand.getEpochSecond();
            this.nano = operand.getNano();
        }

        @Override
        void addAttributes(List<AttributeReader> into) {
            into.add(attribute);
        }

        @Override
        boolean test(InputValue context, Object[] args, long now) {
            if (!(attribute.read(context, args) instanceof String value)) {
                return false;
            }
            long valueSecond = Rfc3339.epochSecond(value);
            if (valueSecond == Rfc3339.INVALID) {
                return false;
            }
            int order = valueSecond != second
                    ? Long.compare(valueSecond, second)
                    : Integer.compare(Rfc3339.nano(value), nano);
            return comparison.holds(order);
        }
    }

    /**
     * The {@code semver} operators: the attribute's precedence against a version parsed at load, compared without
     * allocating. An attribute that is not a semantic version does not match.
     */
    private static final class VersionComparison extends Condition {
        private final AttributeReader attribute;
        private final Comparison comparison;
        private final SemanticVersion operand;

        VersionComparison(AttributeReader attribute, Comparison comparison, SemanticVersion operand) {
            this.attribute = attribute;
            this.comparison = comparison;
            this.operand = operand;
        }

        @Override
        void addAttributes(List<AttributeReader> into) {
            into.add(attribute);
        }

        @Override
        boolean test(InputValue context, Object[] args, long now) {
            if (!(attribute.read(context, args) instanceof String value)) {
                return false;
            }
            int order = operand.orderOf(value);
            return order != SemanticVersion.INVALID && comparison.holds(order);
        }
    }
}
