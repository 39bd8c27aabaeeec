package dev.tollgate.internal.schema;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A validated Tollgate schema: the single source of truth for what can be entitled.
 *
 * <p>The root is found in one of two ways. If the schema declares {@code type Query { root(context: Context!): Root! }}
 * (any names), the field called {@code root} on {@code Query} names the root type and, through its single argument, the
 * context input type. Otherwise the schema must declare {@code type Root} and {@code input Context}.
 *
 * <p>Instances are immutable and thread-safe. Create them with {@link SchemaParser}.
 */
public final class SchemaModel {
    static final String QUERY_TYPE = "Query";
    static final String ROOT_FIELD = "root";
    static final String DEFAULT_ROOT_TYPE = "Root";
    static final String DEFAULT_CONTEXT_TYPE = "Context";

    private final String source;
    private final Map<String, TypeDefinition> types;
    private final ObjectTypeDefinition rootType;
    private final InputTypeDefinition contextType;
    private final List<SchemaField> fields;
    private final Map<String, SchemaField> fieldsByPath;
    private final Map<String, InputLayout> inputLayouts;
    private final String hash;

    SchemaModel(
            Map<String, TypeDefinition> types,
            ObjectTypeDefinition rootType,
            InputTypeDefinition contextType,
            List<SchemaField> fields,
            Map<String, InputLayout> inputLayouts,
            String source) {
        this.source = source;
        this.types = Collections.unmodifiableMap(new LinkedHashMap<>(types));
        this.rootType = rootType;
        this.contextType = contextType;
        this.fields = List.copyOf(fields);
        Map<String, SchemaField> byPath = new LinkedHashMap<>();
        for (SchemaField field : fields) {
            byPath.put(field.path(), field);
        }
        this.fieldsByPath = Collections.unmodifiableMap(byPath);
        this.inputLayouts = Collections.unmodifiableMap(new LinkedHashMap<>(inputLayouts));
        this.hash = computeHash(types.values(), rootType.name(), contextType.name());
    }

    /** Every declared type, in declaration order. */
    public Map<String, TypeDefinition> types() {
        return types;
    }

    public Optional<TypeDefinition> type(String name) {
        return Optional.ofNullable(types.get(name));
    }

    /** The enum called {@code name}; throws if there is none. */
    public EnumTypeDefinition enumType(String name) {
        return typed(name, EnumTypeDefinition.class);
    }

    /** The input type called {@code name}; throws if there is none. */
    /** The object type called {@code name}; throws if there is none. */
    public ObjectTypeDefinition objectType(String name) {
        return typed(name, ObjectTypeDefinition.class);
    }

    private <T extends TypeDefinition> T typed(String name, Class<T> kind) {
        TypeDefinition type = types.get(name);
        if (!kind.isInstance(type)) {
            throw new IllegalArgumentException("no " + kind.getSimpleName() + " named " + name);
        }
        return kind.cast(type);
    }

    /** The type whose fields are the top of every field path. */
    public ObjectTypeDefinition rootType() {
        return rootType;
    }

    /** The input type a root is evaluated for. */
    public InputTypeDefinition contextType() {
        return contextType;
    }

    /** Every field path reachable from the root, depth-first in declaration order; {@code fields().get(i).index() == i}. */
    public List<SchemaField> fields() {
        return fields;
    }

    /** The field at a dotted path such as {@code entitlements.maxTeamSize}. */
    public Optional<SchemaField> field(String path) {
        return Optional.ofNullable(fieldsByPath.get(path));
    }

    /** The index of the field at {@code path}, or -1 if there is none; allocation-free. */
    public int fieldIndex(String path) {
        SchemaField field = fieldsByPath.get(path);
        return field == null ? -1 : field.index();
    }

    /** The fields of the root type. */
    public List<SchemaField> topLevelFields() {
        List<SchemaField> top = new ArrayList<>();
        for (SchemaField field : fields) {
            if (field.parent() == null) {
                top.add(field);
            }
        }
        return top;
    }

    /** The attribute layout of the context type. */
    public InputLayout contextLayout() {
        return inputLayouts.get(contextType.name());
    }

    /** The attribute layout of an input type used by the context or by a field argument. */
    public Optional<InputLayout> inputLayout(String inputTypeName) {
        return Optional.ofNullable(inputLayouts.get(inputTypeName));
    }

    /**
     * The canonical hash of the schema, {@code sha256:} followed by 64 hex digits. It covers type names and kinds,
     * fields, arguments, their types and value constraints (@range, @length, @pattern), enum values and the root and
     * context names; it ignores whitespace, comments,
     * descriptions, deprecations and declaration order.
     */
    public String hash() {
        return hash;
    }

    /** The SDL text this schema was parsed from. */
    public String source() {
        return source;
    }

    /**
     * A digest of every position generated code relies on: the field indices, argument positions and input attribute
     * slots this runtime assigns to this schema, which follow declaration order (the schema hash does not). The
     * generator records it in the code it writes; {@code GeneratedSupport.loadSchema} compares it when that code is loaded, and {@code
     * TypedClient} when it is handed a client.
     */
    public String layoutDigest() {
        StringBuilder text = new StringBuilder();
        for (SchemaField field : fields) {
            text.append(field.index())
                    .append(' ')
                    .append(field.path())
                    .append(' ')
                    .append(field.type())
                    .append('\n');
            for (PathArgument argument : field.arguments()) {
                text.append("  ")
                        .append(argument.position())
                        .append(' ')
                        .append(argument.name())
                        .append(' ')
                        .append(argument.type())
                        .append('\n');
            }
        }
        for (TypeDefinition type : types.values()) {
            Optional<InputLayout> layout = inputLayout(type.name());
            if (layout.isPresent()) {
                text.append("input ").append(type.name()).append('\n');
                for (InputAttribute attribute : layout.get().attributes()) {
                    text.append(attribute.slot())
                            .append(' ')
                            .append(attribute.path())
                            .append(' ')
                            .append(attribute.type())
                            .append('\n');
                }
            }
        }
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256")
                            .digest(text.toString().getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }

    @Override
    public String toString() {
        return "Schema[root=" + rootType.name() + ", context=" + contextType.name() + ", fields=" + fields.size()
                + ", hash=" + hash + "]";
    }

    private static String computeHash(Iterable<TypeDefinition> types, String root, String context) {
        List<String> lines = new ArrayList<>();
        for (TypeDefinition type : types) {
            lines.add(canonical(type));
        }
        Collections.sort(lines);
        StringBuilder text = new StringBuilder("root ")
                .append(root)
                .append(" context ")
                .append(context)
                .append('\n');
        for (String line : lines) {
            text.append(line).append('\n');
        }
        try {
            byte[] digest =
                    MessageDigest.getInstance("SHA-256").digest(text.toString().getBytes(StandardCharsets.UTF_8));
            return "sha256:" + HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }

    private static String canonical(TypeDefinition type) {
        List<String> members = new ArrayList<>();
        String kind;
        if (type instanceof ObjectTypeDefinition object) {
            kind = "type";
            for (FieldDefinition field : object.fields()) {
                members.add(field.name() + canonicalArguments(field.arguments()) + ":" + field.type()
                        + field.constraints().canonical()
                        + (field.meter() == null ? "" : field.meter().canonical()));
            }
        } else if (type instanceof InputTypeDefinition input) {
            kind = "input";
            for (InputValueDefinition field : input.fields()) {
                members.add(field.name() + ":" + field.type());
            }
        } else {
            kind = "enum";
            for (EnumValueDefinition value : ((EnumTypeDefinition) type).values()) {
                members.add(value.name());
            }
        }
        Collections.sort(members);
        return kind + " " + type.name() + " {" + String.join(" ", members) + "}";
    }

    private static String canonicalArguments(List<InputValueDefinition> arguments) {
        if (arguments.isEmpty()) {
            return "";
        }
        List<InputValueDefinition> sorted = new ArrayList<>(arguments);
        sorted.sort(Comparator.comparing(InputValueDefinition::name));
        StringBuilder text = new StringBuilder("(");
        for (InputValueDefinition argument : sorted) {
            text.append(argument.name()).append(':').append(argument.type()).append(' ');
        }
        return text.append(')').toString();
    }
}
