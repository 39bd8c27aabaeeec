package dev.tollgate.codegen.internal;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.NameAllocator;
import com.palantir.javapoet.ParameterizedTypeName;
import com.palantir.javapoet.TypeName;
import dev.tollgate.codegen.Diagnostic;
import dev.tollgate.codegen.GenerationRequest;
import dev.tollgate.codegen.SchemaSources;
import dev.tollgate.internal.schema.EnumTypeDefinition;
import dev.tollgate.internal.schema.EnumValueDefinition;
import dev.tollgate.internal.schema.FieldDefinition;
import dev.tollgate.internal.schema.InputTypeDefinition;
import dev.tollgate.internal.schema.InputValueDefinition;
import dev.tollgate.internal.schema.ObjectTypeDefinition;
import dev.tollgate.internal.schema.ScalarType;
import dev.tollgate.internal.schema.SchemaModel;
import dev.tollgate.internal.schema.SourceLocation;
import dev.tollgate.internal.schema.TypeDefinition;
import dev.tollgate.internal.schema.TypeRef;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The schema as the emitters see it: every generated class with its Java name, every field with its method name,
 * offset and arguments, every input type with its attribute slots. Building it checks that the names work in Java and
 * reports each clash at its place in the schema, so the emitters never produce code that does not compile.
 */
final class Model {
    /** Fields with at least this many arguments also get a generated arguments class. */
    static final int ARGUMENTS_CLASS_THRESHOLD = 3;
    /** The builder class nested in the entry point, the test kit, input classes and arguments classes. */
    static final String BUILDER = "Builder";
    /** What the test kit's class for an object type's values appends to the type's class name. */
    static final String VALUES_SUFFIX = "Values";
    /** What a field's arguments class appends to the field's capitalized name. */
    static final String ARGUMENTS_SUFFIX = "Arguments";

    static final Set<String> OBJECT_METHODS =
            Set.of("getClass", "hashCode", "equals", "toString", "notify", "notifyAll", "wait", "clone", "finalize");
    static final Set<String> ROOT_NODE_MEMBERS = Set.of("revision", "context", "untyped");
    static final Set<String> VALUES_MEMBERS = Set.of("when");
    static final Set<String> ROOT_VALUES_MEMBERS = Set.of("snapshot", "values", "build", "toJson");
    static final Set<String> INPUT_MEMBERS = union(OBJECT_METHODS, Set.of("inputTypeName", "toBuilder", "builder"));

    final SchemaModel schema;
    final SchemaSources sources;
    final GenerationRequest request;
    final String packageName;
    final ClassName entry;
    final ClassName support;
    final ClassName testKit;
    final ClassName extension;
    final String layoutDigest;

    private final Map<String, ClassName> typeClasses = new HashMap<>();
    /** The simple names of the generated top-level classes and of the types generated code imports. */
    final Set<String> classNames = new HashSet<>(Emitters.IMPORTED_NAMES);
    /**
     * Every simple name generated code may refer to a class or package by: the generated classes, nested ones too, the
     * imported and {@code java.lang} types, and the first part of every package name it may write out. A variable,
     * parameter or field of one of these names would hide the class or package wherever code calls through it ({@code
     * Tier.forSchemaName(...)}, {@code Tier::schemaName}, {@code java.util.Objects.requireNonNull(...)}), so no
     * generated variable, parameter or field is named like one; see {@link #variable} and {@link #names()}.
     */
    private final Set<String> referencedNames = new HashSet<>();
    /** A name allocator holding {@link #referencedNames}, copied for every scope that names variables. */
    private final NameAllocator referencedNamesAllocator = new NameAllocator();

    final List<EnumModel> enums = new ArrayList<>();
    final List<InputModel> inputs = new ArrayList<>();
    final List<NodeModel> nodes = new ArrayList<>();
    private final Map<String, EnumModel> enumsByName = new HashMap<>();
    private final Map<String, InputModel> inputsByName = new HashMap<>();
    private final Map<String, NodeModel> nodesByName = new HashMap<>();
    final List<Diagnostic> diagnostics = new ArrayList<>();

    private Model(SchemaModel schema, SchemaSources sources, GenerationRequest request) {
        this.schema = schema;
        this.sources = sources;
        this.request = request;
        this.packageName = request.packageName();
        this.entry = ClassName.get(packageName, request.entryClassName());
        this.support = ClassName.get("dev.tollgate.runtime", "GeneratedSupport");
        this.testKit = ClassName.get(packageName, request.testKitClassName());
        this.extension = ClassName.get(packageName, request.extensionClassName());
        this.layoutDigest = schema.layoutDigest();
    }

    static Model build(SchemaModel schema, SchemaSources sources, GenerationRequest request) {
        Model model = new Model(schema, sources, request);
        model.assignClassNames();
        if (!model.hasErrors()) {
            model.buildEnums();
            model.buildInputs();
            NodeModels.build(model);
            model.collectReferencedNames();
        }
        return model;
    }

    private void collectReferencedNames() {
        referencedNames.addAll(classNames);
        referencedNames.addAll(Emitters.JAVA_LANG_NAMES);
        referencedNames.addAll(Emitters.PACKAGE_ROOTS);
        referencedNames.add(packageName.split("\\.", -1)[0]);
        referencedNames.add(BUILDER);
        for (NodeModel node : nodes) {
            referencedNames.add(valuesClass(node).simpleName());
            for (FieldModel field : node.fields()) {
                if (field.argumentsClass() != null) {
                    referencedNames.add(field.argumentsClass().simpleName());
                }
            }
        }
        for (String name : referencedNames) {
            referencedNamesAllocator.newName(name, new Object());
        }
    }

    /**
     * {@code name} for a generated variable, parameter or field, with underscores appended while it is the name of a
     * class or package that generated code refers to (a field {@code base} would hide an enum {@code base}).
     */
    String variable(String name) {
        String variable = name;
        while (referencedNames.contains(variable)) {
            variable = variable + "_";
        }
        return variable;
    }

    /**
     * A name allocator for the variables of one scope which, like {@link #variable}, never hands out the name of a class
     * or package that generated code refers to.
     */
    NameAllocator names() {
        return referencedNamesAllocator.clone();
    }

    boolean hasErrors() {
        return diagnostics.stream().anyMatch(Diagnostic::isError);
    }

    // ---- class names ----

    private void assignClassNames() {
        for (String named : request.typeNames().keySet()) {
            if (schema.type(named).isEmpty()) {
                error(null, "typeNames maps " + named + ", but the schema declares no type " + named);
            }
        }
        classNames.addAll(List.of(entry.simpleName(), testKit.simpleName(), extension.simpleName()));
        Map<String, String> taken = new LinkedHashMap<>();
        taken.put(entry.simpleName().toLowerCase(Locale.ROOT), "the entry point class " + entry.simpleName());
        if (request.generatesTestKit()) {
            claim(taken, testKit.simpleName(), "the test kit class " + testKit.simpleName(), null);
            if (request.junitExtension()) {
                claim(taken, extension.simpleName(), "the JUnit extension class " + extension.simpleName(), null);
            }
        }
        Set<String> reachable = reachableObjectTypes();
        for (TypeDefinition type : schema.types().values()) {
            if (type instanceof ObjectTypeDefinition && !reachable.contains(type.name())) {
                continue;
            }
            String javaName = request.typeNames().getOrDefault(type.name(), JavaNames.type(type.name()));
            typeClasses.put(type.name(), ClassName.get(packageName, javaName));
            classNames.add(javaName);
            claim(taken, javaName, "type " + type.name(), type.location());
            checkNestedClassNames(type, javaName);
            checkPackageRoots(type, javaName);
            checkFileNames(type, javaName);
        }
    }

    /**
     * A class named like the first part of a package the generated code names in full ({@code dev.tollgate...}, {@code
     * java.util...}) would hide that package in the code of its own package.
     */
    private void checkPackageRoots(TypeDefinition type, String javaName) {
        String ownRoot = packageName.split("\\.", -1)[0];
        if (Emitters.PACKAGE_ROOTS.contains(javaName) || javaName.equals(ownRoot)) {
            error(
                    type.location(),
                    "type " + type.name() + " would be generated as class " + javaName + ", which hides the package "
                            + javaName + " that generated code refers to; map the type to another class name with"
                            + " typeNames");
        }
    }

    /** Reports a type whose longest class file name would be too long for some file systems. */
    private void checkFileNames(TypeDefinition type, String javaName) {
        Map<String, String> files = new LinkedHashMap<>();
        files.put("its class", javaName + ".class");
        if (type instanceof InputTypeDefinition) {
            files.put("its builder", javaName + "$" + BUILDER + ".class");
        }
        if (type instanceof ObjectTypeDefinition && request.generatesTestKit()) {
            files.put("its test kit values class", testKit.simpleName() + "$" + javaName + VALUES_SUFFIX + ".class");
        }
        String longest = null;
        int bytes = 0;
        for (Map.Entry<String, String> file : files.entrySet()) {
            if (JavaNames.fileNameBytes(file.getValue()) > bytes) {
                longest = file.getKey();
                bytes = JavaNames.fileNameBytes(file.getValue());
            }
        }
        if (bytes > JavaNames.MAX_FILE_NAME_BYTES) {
            error(
                    type.location(),
                    "type " + type.name() + " would be generated with a class file name of " + bytes + " bytes ("
                            + longest + "), longer than the " + JavaNames.MAX_FILE_NAME_BYTES
                            + " file systems reliably allow; map the type to a shorter class name with typeNames");
        }
    }

    /** A nested class cannot have the name of a class it is nested in. */
    private void checkNestedClassNames(TypeDefinition type, String javaName) {
        if (type instanceof InputTypeDefinition && javaName.equals(BUILDER)) {
            error(
                    type.location(),
                    "input type " + type.name() + " would be generated as class " + javaName + ", which cannot hold"
                            + " its nested class " + BUILDER + "; map the type to another class name with typeNames");
        }
        if (type instanceof ObjectTypeDefinition
                && request.generatesTestKit()
                && (javaName + VALUES_SUFFIX).equals(testKit.simpleName())) {
            error(
                    type.location(),
                    "type " + type.name() + " would get the test kit values class " + javaName + VALUES_SUFFIX
                            + ", nested in the test kit class of the same name; map the type to another class name"
                            + " with typeNames, or rename the test kit class in the configuration");
        }
    }

    private void claim(Map<String, String> taken, String javaName, String what, SourceLocation location) {
        String previous = taken.putIfAbsent(javaName.toLowerCase(Locale.ROOT), what);
        if (previous != null) {
            error(
                    location,
                    what + " would be generated as class " + javaName + ", which clashes with " + previous
                            + " (class names must differ in more than case); map the type to another class name with"
                            + " typeNames, or rename the generated class in the configuration");
        }
    }

    /** The object types reachable from the root, in declaration order: the ones that get node classes. */
    private Set<String> reachableObjectTypes() {
        Set<String> reachable = new HashSet<>();
        Deque<ObjectTypeDefinition> pending = new ArrayDeque<>(List.of(schema.rootType()));
        while (!pending.isEmpty()) {
            ObjectTypeDefinition type = pending.pop();
            if (reachable.add(type.name())) {
                for (FieldDefinition field : type.fields()) {
                    if (schema.type(field.type().namedType()).orElse(null) instanceof ObjectTypeDefinition child) {
                        pending.push(child);
                    }
                }
            }
        }
        Set<String> ordered = new LinkedHashSet<>();
        for (TypeDefinition type : schema.types().values()) {
            if (reachable.contains(type.name())) {
                ordered.add(type.name());
            }
        }
        return ordered;
    }

    ClassName typeClass(String schemaTypeName) {
        ClassName name = typeClasses.get(schemaTypeName);
        if (name == null) {
            throw new IllegalArgumentException("no generated class for " + schemaTypeName);
        }
        return name;
    }

    ClassName contextClass() {
        return typeClass(schema.contextType().name());
    }

    NodeModel rootNode() {
        return nodesByName.get(schema.rootType().name());
    }

    EnumModel enumModel(String name) {
        return enumsByName.get(name);
    }

    InputModel inputModel(String name) {
        return inputsByName.get(name);
    }

    NodeModel node(String name) {
        return nodesByName.get(name);
    }

    void addNode(NodeModel node) {
        nodes.add(node);
        nodesByName.put(node.type().name(), node);
    }

    /** Whether the schema type gets a generated class (object types do only when reachable from the root). */
    boolean hasClass(String schemaTypeName) {
        return typeClasses.containsKey(schemaTypeName);
    }

    /**
     * The fields from the root to a leaf for usage examples: the first leaf without arguments on the way, preferring an
     * {@code Int}, as in {@code root.entitlements().maxTeamSize(5)}; empty when there is none.
     */
    List<FieldModel> examplePath() {
        List<FieldModel> best = List.of();
        Deque<List<FieldModel>> pending = new ArrayDeque<>();
        pending.add(List.of());
        while (!pending.isEmpty()) {
            List<FieldModel> path = pending.removeFirst();
            NodeModel node = path.isEmpty()
                    ? rootNode()
                    : node(path.get(path.size() - 1).objectType().name());
            for (FieldModel field : node.fields()) {
                if (!field.arguments().isEmpty() || field.definition().deprecated()) {
                    continue;
                }
                List<FieldModel> next = new ArrayList<>(path);
                next.add(field);
                if (field.isObject()) {
                    pending.addLast(next);
                } else if (field.type().scalar() == ScalarType.INT && field.type() instanceof TypeRef.Named) {
                    return next;
                } else if (best.isEmpty()) {
                    best = next;
                }
            }
        }
        return best;
    }

    ClassName valuesClass(NodeModel node) {
        return testKit.nestedClass(node.className().simpleName() + VALUES_SUFFIX);
    }

    // ---- enums ----

    private void buildEnums() {
        for (TypeDefinition type : schema.types().values()) {
            if (type instanceof EnumTypeDefinition enumType) {
                List<String> constants = new ArrayList<>();
                Set<String> used = new HashSet<>();
                for (EnumValueDefinition value : enumType.values()) {
                    String constant = JavaNames.member(value.name());
                    if (!used.add(constant)) {
                        error(
                                value.location(),
                                "enum value " + enumType.name() + "." + value.name() + " would be generated as "
                                        + constant + ", which another value of " + enumType.name() + " already is");
                    }
                    constants.add(constant);
                }
                EnumModel model = new EnumModel(enumType, typeClass(enumType.name()), constants);
                enums.add(model);
                enumsByName.put(enumType.name(), model);
            }
        }
    }

    // ---- inputs ----

    private void buildInputs() {
        Map<String, Integer> sizes = new HashMap<>();
        for (TypeDefinition type : schema.types().values()) {
            if (type instanceof InputTypeDefinition input) {
                attributeCount(input, sizes, new HashSet<>());
            }
        }
        for (TypeDefinition type : schema.types().values()) {
            if (type instanceof InputTypeDefinition input) {
                List<PropertyModel> properties = properties(input.name(), input.fields(), INPUT_MEMBERS);
                List<InputSlots> slots = new ArrayList<>();
                int next = 0;
                for (PropertyModel property : properties) {
                    int count = slotCount(property.type(), sizes);
                    slots.add(new InputSlots(property, next, count));
                    next += count;
                }
                InputModel model = new InputModel(input, typeClass(input.name()), properties, slots, next);
                inputs.add(model);
                inputsByName.put(input.name(), model);
            }
        }
    }

    private int attributeCount(InputTypeDefinition type, Map<String, Integer> sizes, Set<String> visiting) {
        Integer known = sizes.get(type.name());
        if (known != null) {
            return known;
        }
        visiting.add(type.name());
        int count = 0;
        for (InputValueDefinition field : type.fields()) {
            if (field.type() instanceof TypeRef.Named
                    && schema.type(field.type().namedType()).orElse(null) instanceof InputTypeDefinition nested) {
                count += visiting.contains(nested.name()) ? 0 : attributeCount(nested, sizes, visiting);
            } else if (!(field.type() instanceof TypeRef.ListOf && isInput(field.type()))) {
                count++;
            }
        }
        visiting.remove(type.name());
        sizes.put(type.name(), count);
        return count;
    }

    private int slotCount(TypeRef type, Map<String, Integer> sizes) {
        if (isInput(type)) {
            return type instanceof TypeRef.ListOf ? 0 : sizes.get(type.namedType());
        }
        return 1;
    }

    /** Properties of an input type or of a field's arguments, with Java names checked for clashes. */
    List<PropertyModel> properties(String owner, List<InputValueDefinition> values, Set<String> reserved) {
        List<PropertyModel> properties = new ArrayList<>();
        Map<String, String> used = new HashMap<>();
        for (InputValueDefinition value : values) {
            String javaName = escape(value.name(), reserved);
            String previous = used.putIfAbsent(javaName, value.name());
            if (previous != null) {
                error(
                        value.location(),
                        owner + "." + value.name() + " would be generated as " + javaName + ", which " + owner + "."
                                + previous + " already is; rename one of them");
            }
            properties.add(new PropertyModel(value, javaName));
        }
        return properties;
    }

    private static Set<String> union(Set<String> first, Set<String> second) {
        Set<String> union = new HashSet<>(first);
        union.addAll(second);
        return Set.copyOf(union);
    }

    static String escape(String schemaName, Set<String> reserved) {
        String name = JavaNames.member(schemaName);
        while (reserved.contains(name)) {
            name = name + "_";
        }
        return name;
    }

    static String unique(String name, Set<String> used) {
        String candidate = name;
        for (int i = 2; !used.add(candidate); i++) {
            candidate = name + "_" + i;
        }
        return candidate;
    }

    void error(SourceLocation location, String message) {
        diagnostics.add(
                location == null
                        ? Diagnostic.error(message)
                        : Diagnostic.error(sources.locate(location.problem(message))));
    }

    // ---- Java types for schema types ----

    boolean isEnum(TypeRef type) {
        return schema.type(type.namedType()).orElse(null) instanceof EnumTypeDefinition;
    }

    boolean isInput(TypeRef type) {
        return schema.type(type.namedType()).orElse(null) instanceof InputTypeDefinition;
    }

    /** The type a node accessor returns and takes as its fallback: primitives for non-list scalars. */
    TypeName valueType(TypeRef type) {
        if (type instanceof TypeRef.ListOf list) {
            return listOf(list.element());
        }
        if (type.scalar() == null) {
            return typeClass(type.namedType());
        }
        return switch (type.scalar()) {
            case BOOLEAN -> TypeName.BOOLEAN;
            case INT -> TypeName.INT;
            case FLOAT -> TypeName.DOUBLE;
            case STRING -> ClassName.get(String.class);
        };
    }

    /** The boxed form of {@link #valueType}. */
    TypeName boxedValueType(TypeRef type) {
        return valueType(type).box();
    }

    /** The type of an argument or input field parameter: primitive only when the value is required. */
    TypeName parameterType(TypeRef type) {
        TypeName value = valueType(type);
        return type.nonNull() ? value : value.box();
    }

    /** How an input or arguments class stores a property: always boxed, so attributes are read without boxing. */
    TypeName storageType(TypeRef type) {
        return valueType(type).box();
    }

    private ParameterizedTypeName listOf(TypeRef element) {
        return ParameterizedTypeName.get(
                ClassName.get(List.class), valueType(element).box());
    }

    // ---- model records ----

    /** An enum and the Java names of its constants, in declaration order. */
    record EnumModel(EnumTypeDefinition type, ClassName className, List<String> constants) {}

    /** A field of an input type or an argument of a field, with its Java name. */
    record PropertyModel(InputValueDefinition definition, String javaName) {
        TypeRef type() {
            return definition.type();
        }

        boolean required() {
            return definition.type().nonNull();
        }
    }

    /** Where a property's attributes live in its input type's slots; {@code count} is 0 for lists of inputs. */
    record InputSlots(PropertyModel property, int first, int count) {}

    /** An input type: its class, properties and attribute slots. */
    record InputModel(
            InputTypeDefinition type,
            ClassName className,
            List<PropertyModel> properties,
            List<InputSlots> slots,
            int attributeCount) {}

    /** An object type that gets a node class. */
    record NodeModel(ObjectTypeDefinition type, ClassName className, boolean root, List<FieldModel> fields) {}

    /** A field of an object type, as a node method. */
    record FieldModel(
            FieldDefinition definition,
            String javaName,
            String constant,
            int offset,
            List<PropertyModel> arguments,
            ClassName argumentsClass,
            ObjectTypeDefinition objectType) {

        TypeRef type() {
            return definition.type();
        }

        boolean isObject() {
            return objectType != null;
        }

        /** Whether the field is an {@code Int} (not a list), which also gets a limit accessor. */
        boolean isIntLimit() {
            return type() instanceof TypeRef.Named named && named.scalar() == ScalarType.INT;
        }

        /** {@code maxTeamSizeDetail}; from the schema name, since it cannot be a keyword. */
        String detailName() {
            return (javaName.equals(definition.name() + "_") ? definition.name() : javaName) + "Detail";
        }
    }
}
