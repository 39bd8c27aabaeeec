package dev.tollgate.codegen.internal;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.FieldSpec;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.NameAllocator;
import com.palantir.javapoet.ParameterizedTypeName;
import com.palantir.javapoet.TypeName;
import com.palantir.javapoet.TypeSpec;
import dev.tollgate.internal.schema.FieldDefinition;
import dev.tollgate.internal.schema.MeterDefinition;
import dev.tollgate.internal.schema.TypeRef;
import java.util.ArrayList;
import java.util.List;
import javax.lang.model.element.Modifier;

/**
 * Emits a node class per object type: one accessor per field taking the field's arguments and a fallback, a {@code
 * ...Detail} variant with the reason, for Int fields an accessor without the fallback returning an {@code IntLimit} to
 * check usage against, and accessors returning child nodes for object fields.
 *
 * <p>A node reads through the runtime's snapshot reader by field index, passing the root's context. Because indices
 * are assigned depth-first, a field's index is its enclosing object field's index plus a fixed offset, so one class
 * serves every path a type is used at: nodes hold the enclosing index ({@code base}) and the arguments of the enclosing
 * fields.
 *
 * <p>Every node holds the reader and the context itself, copied from its parent, rather than an object holding them:
 * C2 removes a node that a request's inlined reads use directly, but not an object loaded back from a node's field, so
 * a root is then free once its reads are inlined.
 *
 * <p>No field, parameter or local is named like a class generated code refers to, nor a parameter like one of the
 * offset constants, which method bodies name without qualifying them.
 */
final class NodeEmitter {
    private final Model model;
    private final InputEmitter inputs;

    /** The names of a node's own fields, usually {@code reader}, {@code context}, {@code base} and {@code arguments}. */
    private record Fields(String reader, String context, String base, String arguments) {}

    NodeEmitter(Model model, InputEmitter inputs) {
        this.model = model;
        this.inputs = inputs;
    }

    TypeSpec emit(Model.NodeModel node) {
        String schemaName = node.type().name();
        TypeSpec.Builder type = TypeSpec.classBuilder(node.className())
                .addModifiers(Modifier.PUBLIC, Modifier.FINAL)
                .addJavadoc(Docs.description(
                        node.type().description(), "The fields of the schema type {@code " + schemaName + "}."))
                .addAnnotation(Emitters.generated(model));
        if (node.root()) {
            type.addJavadoc(
                    "\n<p>One context bound to one snapshot: every read through this root sees the same revision. Take"
                            + " one per request with {@link $T#root($T)}; roots are cheap, immutable and thread-safe.\n",
                    model.entry,
                    model.contextClass());
        } else {
            type.addJavadoc("\n<p>Immutable and thread-safe; reads see the snapshot of the root it came from.\n");
        }
        type.addJavadoc("\n<p>No accessor throws because of the logic: when the snapshot cannot give a well-typed"
                + " value, the caller's fallback comes back, and the {@code ...Detail} accessors say why.\n");
        for (Model.FieldModel field : node.fields()) {
            type.addField(FieldSpec.builder(TypeName.INT, field.constant(), Modifier.PRIVATE, Modifier.STATIC)
                    .addModifiers(Modifier.FINAL)
                    .addJavadoc(
                            "{@code $L.$L}: its index is the enclosing field's plus this.\n",
                            schemaName,
                            field.definition().name())
                    .initializer("$L", field.offset())
                    .build());
        }
        NameAllocator names = model.names();
        for (Model.FieldModel field : node.fields()) {
            names.newName(field.constant(), field.constant());
        }
        Fields fields = new Fields(
                names.newName("reader", "reader"),
                names.newName("context", "context"),
                names.newName("base", "base"),
                names.newName("arguments", "arguments"));
        type.addField(Emitters.SNAPSHOT_READER, fields.reader(), Modifier.PRIVATE, Modifier.FINAL);
        type.addField(contextType(node), fields.context(), Modifier.PRIVATE, Modifier.FINAL);
        type.addField(TypeName.INT, fields.base(), Modifier.PRIVATE, Modifier.FINAL);
        type.addField(Object[].class, fields.arguments(), Modifier.PRIVATE, Modifier.FINAL);
        type.addMethod(constructor(node, fields));
        if (node.root()) {
            addRootMembers(type, fields);
        }
        for (Model.FieldModel field : node.fields()) {
            if (field.isObject()) {
                type.addMethod(objectAccessor(node, fields, field));
            } else {
                type.addMethod(valueAccessor(node, fields, field));
                type.addMethod(detailAccessor(node, fields, field));
                if (field.isIntLimit()) {
                    type.addMethod(limitAccessor(node, fields, field));
                }
                if (field.argumentsClass() != null) {
                    type.addMethod(argumentsOverload(node, field, false));
                    type.addMethod(argumentsOverload(node, field, true));
                    if (field.isIntLimit()) {
                        type.addMethod(limitArgumentsOverload(node, field));
                    }
                    type.addType(inputs.emitArguments(node, field));
                }
            }
        }
        type.addMethod(toStringMethod(node, fields));
        return type.build();
    }

    private ClassName childClass(Model.FieldModel field) {
        return model.node(field.objectType().name()).className();
    }

    /** A name allocator for a method's parameters and locals, which must name neither classes nor the constants. */
    private NameAllocator methodNames(Model.NodeModel node) {
        NameAllocator names = model.names();
        for (Model.FieldModel field : node.fields()) {
            names.newName(field.constant(), field.constant());
        }
        return names;
    }

    /** The root's context is the generated context class; other nodes hold it as the runtime's input value. */
    private TypeName contextType(Model.NodeModel node) {
        return node.root() ? model.contextClass() : Emitters.INPUT_VALUE;
    }

    private MethodSpec constructor(Model.NodeModel node, Fields fields) {
        MethodSpec.Builder constructor = MethodSpec.constructorBuilder()
                .addParameter(Emitters.SNAPSHOT_READER, fields.reader())
                .addParameter(contextType(node), fields.context())
                .addStatement("this.$N = $N", fields.reader(), fields.reader())
                .addStatement("this.$N = $N", fields.context(), fields.context());
        if (node.root()) {
            constructor
                    .addStatement("this.$N = -1", fields.base())
                    .addStatement("this.$N = $T.NO_ARGUMENTS", fields.arguments(), model.support);
        } else {
            constructor
                    .addParameter(TypeName.INT, fields.base())
                    .addParameter(Object[].class, fields.arguments())
                    .addStatement("this.$N = $N", fields.base(), fields.base())
                    .addStatement("this.$N = $N", fields.arguments(), fields.arguments());
        }
        return constructor.build();
    }

    private void addRootMembers(TypeSpec.Builder type, Fields fields) {
        type.addMethod(MethodSpec.methodBuilder("revision")
                .addJavadoc("The snapshot revision every read through this root sees, or 0 if there was none yet.\n")
                .addModifiers(Modifier.PUBLIC)
                .returns(TypeName.LONG)
                .addStatement("return this.$N.revision()", fields.reader())
                .build());
        type.addMethod(MethodSpec.methodBuilder("context")
                .addJavadoc("The context this root evaluates for.\n")
                .addModifiers(Modifier.PUBLIC)
                .returns(model.contextClass())
                .addStatement("return this.$N", fields.context())
                .build());
        type.addMethod(MethodSpec.methodBuilder("untyped")
                .addJavadoc("The same root without types, to read fields by path, for example in tools.\n")
                .addModifiers(Modifier.PUBLIC)
                .returns(Emitters.UNTYPED_ROOT)
                .addStatement("return this.$N.untyped(this.$N)", fields.reader(), fields.context())
                .build());
    }

    /**
     * A child node's accessor: a new node per call, never cached in this one. Once a request's reads are inlined, escape
     * analysis removes it with the root, which a cached node (a field read merged with a new node) would prevent.
     */
    private MethodSpec objectAccessor(Model.NodeModel node, Fields fields, Model.FieldModel field) {
        ClassName child = childClass(field);
        MethodSpec.Builder method = MethodSpec.methodBuilder(field.javaName())
                .addModifiers(Modifier.PUBLIC)
                .returns(child)
                .addJavadoc(Docs.description(
                        field.definition().description(), "The fields of {@code " + owner(node, field) + "}."))
                .addJavadoc("\n");
        NameAllocator names = methodNames(node);
        List<String> parameters = addArguments(method, field, names);
        method.addJavadoc("@return the child node; never null\n");
        deprecate(method, field.definition());
        return method.addStatement(
                        "return new $T(this.$N,$Wthis.$N,$Wthis.$N + $N,$W$L)",
                        child,
                        fields.reader(),
                        fields.context(),
                        fields.base(),
                        field.constant(),
                        argumentsExpression(fields, field, parameters))
                .build();
    }

    private MethodSpec valueAccessor(Model.NodeModel node, Fields fields, Model.FieldModel field) {
        TypeRef type = field.type();
        TypeName valueType = model.valueType(type);
        MethodSpec.Builder method = MethodSpec.methodBuilder(field.javaName())
                .addModifiers(Modifier.PUBLIC)
                .returns(valueType)
                .addJavadoc(
                        Docs.description(field.definition().description(), "Reads {@code " + owner(node, field) + "}."))
                .addJavadoc(
                        "\n<p>Schema field {@code $L}, of type $L. Allocation-free for fields without arguments;"
                                + " {@link #$L($L)} also gives the reason.\n",
                        owner(node, field),
                        Docs.code(type),
                        field.detailName(),
                        linkParameters(field));
        if (field.isIntLimit()) {
            method.addJavadoc(
                    "{@link #$L($L)} $L usage against it.\n",
                    field.javaName(),
                    limitLinkParameters(field),
                    field.definition().metered() ? "counts" : "checks");
        }
        if (!field.definition().constraints().isEmpty()) {
            method.addJavadoc(
                    "Its values are $L: snapshots giving it any other are rejected.\n",
                    Docs.escape(field.definition().constraints().describe()));
        }
        method.addJavadoc("\n");
        NameAllocator names = methodNames(node);
        List<String> parameters = addArguments(method, field, names);
        String fallback = names.newName("fallback", "fallback");
        method.addParameter(valueType, fallback);
        method.addJavadoc("@param $N returned whenever the snapshot cannot give a well-typed value\n", fallback);
        method.addJavadoc("@return the value for this root's context, or {@code $N}\n", fallback);
        deprecate(method, field.definition());
        CodeBlock read = CodeBlock.of(
                "this.$N,$Wthis.$N + $N,$W$L",
                fields.context(),
                fields.base(),
                field.constant(),
                argumentsExpression(fields, field, parameters));
        if (type instanceof TypeRef.ListOf) {
            if (model.isEnum(type)) {
                String value = names.newName("value", "value");
                ClassName enumClass = model.typeClass(type.namedType());
                method.addStatement(
                        "$T $N = $T.enumList(this.$N.listValue($L,$Wnull),$W$T::forSchemaName)",
                        valueType,
                        value,
                        model.support,
                        fields.reader(),
                        read,
                        enumClass);
                return method.addStatement("return $N != null ? $N : $N", value, value, fallback)
                        .build();
            }
            return method.addStatement(
                            "return $T.list(this.$N.listValue($L,$W$N))",
                            model.support,
                            fields.reader(),
                            read,
                            fallback)
                    .build();
        }
        if (model.isEnum(type)) {
            String value = names.newName("value", "value");
            method.addStatement(
                    "$T $N = $T.forSchemaName(this.$N.enumValue($L,$Wnull))",
                    valueType,
                    value,
                    valueType,
                    fields.reader(),
                    read);
            return method.addStatement("return $N != null ? $N : $N", value, value, fallback)
                    .build();
        }
        String accessor =
                switch (type.scalar()) {
                    case BOOLEAN -> "booleanValue";
                    case INT -> "intValue";
                    case FLOAT -> "floatValue";
                    case STRING -> "stringValue";
                };
        return method.addStatement("return this.$N.$L($L,$W$N)", fields.reader(), accessor, read, fallback)
                .build();
    }

    private MethodSpec detailAccessor(Model.NodeModel node, Fields fields, Model.FieldModel field) {
        TypeRef type = field.type();
        TypeName detailType = ParameterizedTypeName.get(Emitters.EVALUATION_DETAIL, model.boxedValueType(type));
        MethodSpec.Builder method = MethodSpec.methodBuilder(field.detailName())
                .addModifiers(Modifier.PUBLIC)
                .returns(detailType)
                .addJavadoc(
                        "Reads {@code $L} like {@link #$L($L)}, with the reason the value came out and the revision it"
                                + " was read from: for logs, support and tests. Allocates; prefer the plain accessor"
                                + " on hot paths.\n\n",
                        owner(node, field),
                        field.javaName(),
                        linkParameters(field));
        NameAllocator names = methodNames(node);
        List<String> parameters = addArguments(method, field, names);
        String fallback = names.newName("fallback", "fallback");
        method.addParameter(model.valueType(type), fallback);
        method.addJavadoc("@param $N the value when the snapshot cannot give a well-typed one\n", fallback);
        method.addJavadoc("@return the value, its reason and the snapshot revision\n");
        deprecate(method, field.definition());
        CodeBlock detail = CodeBlock.of(
                "this.$N.detail(this.$N,$Wthis.$N + $N,$W$L,$W$N)",
                fields.reader(),
                fields.context(),
                fields.base(),
                field.constant(),
                argumentsExpression(fields, field, parameters),
                fallback);
        if (model.isEnum(type)) {
            ClassName enumClass = model.typeClass(type.namedType());
            String helper = type instanceof TypeRef.ListOf ? "enumListDetail" : "enumDetail";
            return method.addStatement(
                            "return $T.$L($L,$W$T::forSchemaName,$W$N,$W$S)",
                            model.support,
                            helper,
                            detail,
                            enumClass,
                            fallback,
                            type.namedType())
                    .build();
        }
        return method.addStatement("return $T.typed($L)", model.support, detail).build();
    }

    /**
     * {@code maxTeamSize()}: the Int field as an {@code IntLimit}, to check usage against; a metered field as a {@code
     * MeteredLimit}, to count usage against.
     */
    private MethodSpec limitAccessor(Model.NodeModel node, Fields fields, Model.FieldModel field) {
        MethodSpec.Builder method = MethodSpec.methodBuilder(field.javaName())
                .addModifiers(Modifier.PUBLIC)
                .returns(limitClass(field));
        MeterDefinition meter = field.definition().meter();
        if (meter == null) {
            method.addJavadoc(
                    "{@code $L} as a limit: {@code check(used, requested, fallback)} says whether {@code requested}"
                            + " more fits, the limit, the reason and, when it does not fit, which values of the"
                            + " context's enum attributes (such as the plan) would allow it.\n\n",
                    owner(node, field));
        } else {
            method.addJavadoc(
                    "{@code $L} as a metered limit: {@code tryConsume(amount, fallback)} counts usage against it for"
                            + " each value of {@code $L}$L, $L $L, and says whether it fits, the limit, the usage,"
                            + " when it resets and the reason; {@code usage(fallback)} only looks.\n\n",
                    owner(node, field),
                    meter.countedBy(),
                    field.arguments().isEmpty() ? "" : " and of the arguments",
                    meter.rolling() ? "over a rolling" : "per calendar",
                    meter.period().name().toLowerCase(java.util.Locale.ROOT)
                            + (meter.rolling()
                                    ? " (the current one and the share of the last the window covers)"
                                    : " in UTC"));
        }
        NameAllocator names = methodNames(node);
        List<String> parameters = addArguments(method, field, names);
        method.addJavadoc(
                "@return the limit, read when $L, from this root's snapshot\n", meter == null ? "checked" : "used");
        deprecate(method, field.definition());
        return method.addStatement(
                        "return $T.of(this.$N,$Wthis.$N,$Wthis.$N + $N,$W$L)",
                        limitClass(field),
                        fields.reader(),
                        fields.context(),
                        fields.base(),
                        field.constant(),
                        argumentsExpression(fields, field, parameters))
                .build();
    }

    private static ClassName limitClass(Model.FieldModel field) {
        return field.definition().metered() ? Emitters.METERED_LIMIT : Emitters.INT_LIMIT;
    }

    private MethodSpec limitArgumentsOverload(Model.NodeModel node, Model.FieldModel field) {
        NameAllocator names = methodNames(node);
        String arguments = names.newName("arguments", "arguments");
        MethodSpec.Builder method = MethodSpec.methodBuilder(field.javaName())
                .addModifiers(Modifier.PUBLIC)
                .returns(limitClass(field))
                .addParameter(field.argumentsClass(), arguments)
                .addJavadoc(
                        "{@link #$L($L)} with the arguments in one value.\n\n",
                        field.javaName(),
                        limitLinkParameters(field))
                .addJavadoc("@param $N the arguments of {@code $L}\n", arguments, owner(node, field))
                .addJavadoc("@return the limit, read when checked, from this root's snapshot\n");
        deprecate(method, field.definition());
        List<CodeBlock> values = new ArrayList<>();
        for (Model.PropertyModel argument : field.arguments()) {
            values.add(CodeBlock.of("$N.$N()", arguments, argument.javaName()));
        }
        return method.addStatement("return this.$N($L)", field.javaName(), Emitters.commaSeparated(values))
                .build();
    }

    private MethodSpec argumentsOverload(Model.NodeModel node, Model.FieldModel field, boolean detail) {
        TypeRef type = field.type();
        String name = detail ? field.detailName() : field.javaName();
        TypeName returned = detail
                ? ParameterizedTypeName.get(Emitters.EVALUATION_DETAIL, model.boxedValueType(type))
                : model.valueType(type);
        NameAllocator names = methodNames(node);
        String arguments = names.newName("arguments", "arguments");
        String fallback = names.newName("fallback", "fallback");
        MethodSpec.Builder method = MethodSpec.methodBuilder(name)
                .addModifiers(Modifier.PUBLIC)
                .returns(returned)
                .addParameter(field.argumentsClass(), arguments)
                .addParameter(model.valueType(type), fallback)
                .addJavadoc("{@link #$L($L)} with the arguments in one value.\n\n", name, linkParameters(field))
                .addJavadoc("@param $N the arguments of {@code $L}\n", arguments, owner(node, field))
                .addJavadoc("@param $N the value when the snapshot cannot give a well-typed one\n", fallback)
                .addJavadoc("@return $L\n", detail ? "the value, its reason and the snapshot revision" : "the value");
        deprecate(method, field.definition());
        List<CodeBlock> values = new ArrayList<>();
        for (Model.PropertyModel argument : field.arguments()) {
            values.add(CodeBlock.of("$N.$N()", arguments, argument.javaName()));
        }
        values.add(CodeBlock.of("$N", fallback));
        return method.addStatement("return this.$N($L)", name, Emitters.commaSeparated(values))
                .build();
    }

    /** Adds the field's own arguments as parameters, with their Javadoc; returns the parameter names. */
    private List<String> addArguments(MethodSpec.Builder method, Model.FieldModel field, NameAllocator names) {
        List<String> parameters = new ArrayList<>();
        for (Model.PropertyModel argument : field.arguments()) {
            String name = names.newName(argument.javaName(), argument);
            parameters.add(name);
            method.addParameter(model.parameterType(argument.type()), name);
            String description = Docs.inline(
                    argument.definition().description(),
                    "the argument {@code " + argument.definition().name() + "}");
            if (argument.definition().deprecated()) {
                description += " (deprecated: "
                        + Docs.deprecation(argument.definition().deprecationReason()) + ")";
            }
            method.addJavadoc(
                    "@param $N $L$L\n", name, description, argument.required() ? "" : "; {@code null} when absent");
        }
        return parameters;
    }

    /** The positional argument array for the field: the enclosing fields' arguments, then its own. */
    private CodeBlock argumentsExpression(Fields fields, Model.FieldModel field, List<String> parameters) {
        if (parameters.isEmpty()) {
            return CodeBlock.of("this.$N", fields.arguments());
        }
        List<CodeBlock> values = new ArrayList<>();
        for (int i = 0; i < parameters.size(); i++) {
            values.add(runtimeValue(field.arguments().get(i).type(), parameters.get(i)));
        }
        if (values.size() <= 3) {
            return CodeBlock.of(
                    "$T.arguments(this.$N,$W$L)", model.support, fields.arguments(), Emitters.commaSeparated(values));
        }
        return CodeBlock.of(
                "$T.appendArguments(this.$N,$Wnew $T[] {$L})",
                model.support,
                fields.arguments(),
                ClassName.OBJECT,
                Emitters.commaSeparated(values));
    }

    /** An argument as the evaluator reads it: enums by schema name, lists as unmodifiable copies. */
    private CodeBlock runtimeValue(TypeRef type, String parameter) {
        if (type instanceof TypeRef.ListOf) {
            if (model.isEnum(type)) {
                return CodeBlock.of(
                        "$T.enumNames($N, $T::schemaName)",
                        model.support,
                        parameter,
                        model.typeClass(type.namedType()));
            }
            return CodeBlock.of("$T.listArgument($N)", model.support, parameter);
        }
        if (model.isEnum(type)) {
            return CodeBlock.of("$N == null ? null : $N.schemaName()", parameter, parameter);
        }
        return CodeBlock.of("$N", parameter);
    }

    /** Parameter types for a {@code {@link}} to one of the field's accessors. */
    private String linkParameters(Model.FieldModel field) {
        List<String> types = new ArrayList<>();
        for (Model.PropertyModel argument : field.arguments()) {
            types.add(erasedName(model.parameterType(argument.type())));
        }
        types.add(erasedName(model.valueType(field.type())));
        return String.join(", ", types);
    }

    /** Parameter types for a {@code {@link}} to a field's limit accessor: its arguments only. */
    private String limitLinkParameters(Model.FieldModel field) {
        List<String> types = new ArrayList<>();
        for (Model.PropertyModel argument : field.arguments()) {
            types.add(erasedName(model.parameterType(argument.type())));
        }
        return String.join(", ", types);
    }

    private static String erasedName(TypeName type) {
        TypeName raw = type instanceof ParameterizedTypeName parameterized ? parameterized.rawType() : type;
        return raw instanceof ClassName className ? String.join(".", className.simpleNames()) : raw.toString();
    }

    private MethodSpec toStringMethod(Model.NodeModel node, Fields fields) {
        CodeBlock text = node.root()
                ? CodeBlock.of(
                        "$S + this.$N.revision()$W+ $S + this.$N$W+ $S",
                        node.className().simpleName() + "[revision=",
                        fields.reader(),
                        ", context=",
                        fields.context(),
                        "]")
                : CodeBlock.of(
                        "$S + this.$N.revision()$W+ $S",
                        node.className().simpleName() + "[revision=",
                        fields.reader(),
                        "]");
        return MethodSpec.methodBuilder("toString")
                .addAnnotation(Override.class)
                .addModifiers(Modifier.PUBLIC)
                .returns(String.class)
                .addStatement("return $L", text)
                .build();
    }

    private static String owner(Model.NodeModel node, Model.FieldModel field) {
        return node.type().name() + "." + field.definition().name();
    }

    private static void deprecate(MethodSpec.Builder method, FieldDefinition definition) {
        if (definition.deprecated()) {
            method.addJavadoc("@deprecated $L\n", Docs.deprecation(definition.deprecationReason()));
            method.addAnnotation(Deprecated.class);
        }
    }
}
