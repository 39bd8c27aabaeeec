package dev.tollgate.codegen.internal;

import com.palantir.javapoet.ArrayTypeName;
import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.FieldSpec;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.NameAllocator;
import com.palantir.javapoet.ParameterSpec;
import com.palantir.javapoet.ParameterizedTypeName;
import com.palantir.javapoet.TypeName;
import com.palantir.javapoet.TypeSpec;
import dev.tollgate.schema.TypeRef;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import javax.lang.model.element.Modifier;

/**
 * Emits the typed test kit: per object type a {@code ...Values} class with one setter per field, a builder for the
 * root's values, and the kit itself, which turns the values into a snapshot (through the runtime's {@code
 * SnapshotBuilder}, so it is validated like any other) and installs it into a private entry point instance.
 */
final class TestKitEmitter {
    private static final TypeName CONDITIONS = ParameterizedTypeName.get(ClassName.get(List.class), Emitters.CONDITION);

    private final Model model;
    private final ClassName stateClass;
    private final ClassName fieldValuesClass;

    TestKitEmitter(Model model) {
        this.model = model;
        this.stateClass = model.testKit.nestedClass("State");
        this.fieldValuesClass = model.testKit.nestedClass("FieldValues");
    }

    TypeSpec emit() {
        ClassName kit = model.testKit;
        Model.NodeModel rootNode = model.rootNode();
        ClassName rootValues = model.valuesClass(rootNode);
        TypeSpec.Builder type = TypeSpec.classBuilder(kit)
                .addModifiers(Modifier.PUBLIC, Modifier.FINAL)
                .addJavadoc(
                        "Entitlements for tests: set values per field in Java and get a {@link $T} that answers with"
                                + " them, with no JSON and no network.\n\n",
                        model.entry)
                .addJavadoc(example())
                .addJavadoc(
                        "<p>Fields without a value have no logic, so their accessors return the caller's fallback."
                                + " Each change installs a new snapshot revision into the same {@link $T}, so code"
                                + " holding it sees the change. The values go through the same validation as"
                                + " production snapshots. Evaluation logs are off. Thread-safe.\n",
                        model.entry)
                .addAnnotation(Emitters.generated(model));
        type.addField(model.entry, "tollgate", Modifier.PRIVATE, Modifier.FINAL);
        type.addField(stateClass, "baseline", Modifier.PRIVATE, Modifier.FINAL);
        type.addField(stateClass, "current", Modifier.PRIVATE);
        type.addField(TypeName.LONG, "revision", Modifier.PRIVATE);
        MethodSpec.Builder constructor =
                MethodSpec.constructorBuilder().addModifiers(Modifier.PRIVATE).addParameter(stateClass, "baseline");
        constructor.addStatement(
                "this.tollgate = $T.builder()$L.logs($T.disabled()).build()",
                model.entry,
                model.request.buildTimeSnapshotResource() != null ? ".buildTimeSnapshot(false)" : "",
                Emitters.LOG_OPTIONS);
        type.addMethod(constructor
                .addStatement("this.baseline = baseline")
                .addStatement("this.current = baseline.copy()")
                .addStatement("install()")
                .build());
        type.addMethod(MethodSpec.methodBuilder("builder")
                .addJavadoc("A builder for a kit with initial values.\n")
                .addModifiers(Modifier.PUBLIC, Modifier.STATIC)
                .returns(kit.nestedClass("Builder"))
                .addStatement("return new Builder()")
                .build());
        type.addMethod(MethodSpec.methodBuilder("create")
                .addJavadoc("A kit with no values: every accessor returns its fallback until values are set.\n")
                .addModifiers(Modifier.PUBLIC, Modifier.STATIC)
                .returns(kit)
                .addStatement("return new $T(new State())", kit)
                .build());
        type.addMethod(getter("tollgate", model.entry, "The instance answering with the kit's values."));
        type.addMethod(MethodSpec.methodBuilder("client")
                .addJavadoc("The underlying client.\n")
                .addModifiers(Modifier.PUBLIC)
                .returns(Emitters.CLIENT)
                .addStatement("return this.tollgate.client()")
                .build());
        type.addMethod(MethodSpec.methodBuilder("root")
                .addJavadoc("A root for {@code context} with the current values.\n\n")
                .addJavadoc("@param context what to evaluate for\n@return the typed root\n")
                .addModifiers(Modifier.PUBLIC)
                .returns(rootNode.className())
                .addParameter(model.contextClass(), "context")
                .addStatement("return this.tollgate.root(context)")
                .build());
        type.addMethod(MethodSpec.methodBuilder("update")
                .addJavadoc("Changes values on top of the current ones and installs them as a new revision.\n\n")
                .addJavadoc("@param values sets the values to change\n@return this kit\n")
                .addModifiers(Modifier.PUBLIC, Modifier.SYNCHRONIZED)
                .returns(kit)
                .addParameter(consumer(rootValues), "values")
                .addStatement("State next = this.current.copy()")
                .addStatement("values.accept(new $T(next, $S, $T.of()))", rootValues, "", List.class)
                .addStatement("this.current = next")
                .addStatement("install()")
                .addStatement("return this")
                .build());
        type.addMethod(MethodSpec.methodBuilder("reset")
                .addJavadoc("Goes back to the values the kit was built with, as a new revision.\n\n")
                .addJavadoc("@return this kit\n")
                .addModifiers(Modifier.PUBLIC, Modifier.SYNCHRONIZED)
                .returns(kit)
                .addStatement("this.current = this.baseline.copy()")
                .addStatement("install()")
                .addStatement("return this")
                .build());
        type.addMethod(MethodSpec.methodBuilder("snapshotJson")
                .addJavadoc("The installed snapshot as JSON, for example to check it into a fixture.\n")
                .addModifiers(Modifier.PUBLIC, Modifier.SYNCHRONIZED)
                .returns(String.class)
                .addStatement("return this.current.toJson(this.revision)")
                .build());
        type.addMethod(MethodSpec.methodBuilder("install")
                .addModifiers(Modifier.PRIVATE)
                .addStatement("this.revision++")
                .addStatement("this.tollgate.loadSnapshot(this.current.toJson(this.revision))")
                .build());
        type.addMethod(MethodSpec.methodBuilder("toString")
                .addAnnotation(Override.class)
                .addModifiers(Modifier.PUBLIC, Modifier.SYNCHRONIZED)
                .returns(String.class)
                .addStatement("return $S + this.revision + $S", kit.simpleName() + "[revision=", "]")
                .build());
        List<TypeSpec> valuesTypes = new ArrayList<>();
        TypeSpec rootValuesType = null;
        for (Model.NodeModel node : model.nodes) {
            TypeSpec values = valuesType(node);
            valuesTypes.add(values);
            if (node.root()) {
                rootValuesType = values;
            }
        }
        type.addType(builderType(kit, rootValues, rootValuesType));
        type.addTypes(valuesTypes);
        type.addType(stateType());
        type.addType(fieldValuesType());
        return type.build();
    }

    /** A usage example setting the leaf of {@link Model#examplePath()}, if there is one. */
    private CodeBlock example() {
        List<Model.FieldModel> path = model.examplePath();
        if (path.isEmpty()) {
            return CodeBlock.of("");
        }
        StringBuilder chain = new StringBuilder();
        List<String> variables = new ArrayList<>();
        for (Model.FieldModel field : path.subList(0, path.size() - 1)) {
            String variable = field.definition().name().substring(0, 1).toLowerCase(java.util.Locale.ROOT);
            while (variables.contains(variable) || JavaNames.isKeyword(variable)) {
                variable = variable + variables.size();
            }
            variables.add(variable);
            chain.append(field.javaName())
                    .append('(')
                    .append(variable)
                    .append(" -> ")
                    .append(variable)
                    .append('.');
        }
        Model.FieldModel leaf = path.get(path.size() - 1);
        chain.append(leaf.javaName())
                .append('(')
                .append(exampleValue(leaf.type()))
                .append(')');
        chain.append(")".repeat(path.size() - 1));
        return CodeBlock.builder()
                .add("<pre>{@code\n")
                .add("$L kit = $L.builder()\n", model.testKit.simpleName(), model.testKit.simpleName())
                .add("        .$L\n", chain)
                .add("        .build();\n")
                .add("MyService service = new MyService(kit.tollgate());\n")
                .add("}</pre>\n\n")
                .build();
    }

    private String exampleValue(TypeRef type) {
        if (type instanceof TypeRef.ListOf) {
            return "List.of()";
        }
        return switch (type.namedType()) {
            case "Boolean" -> "true";
            case "Int" -> "3";
            case "Float" -> "1.5";
            case "String" -> "\"value\"";
            default -> model.typeClass(type.namedType()).simpleName() + "."
                    + model.enumModel(type.namedType()).constants().get(0);
        };
    }

    private static MethodSpec getter(String name, TypeName type, String doc) {
        return MethodSpec.methodBuilder(name)
                .addJavadoc("$L\n", doc)
                .addModifiers(Modifier.PUBLIC)
                .returns(type)
                .addStatement("return this.$N", name)
                .build();
    }

    private static TypeName consumer(TypeName type) {
        return ParameterizedTypeName.get(ClassName.get(Consumer.class), type);
    }

    // ---- the builder ----

    private TypeSpec builderType(ClassName kit, ClassName rootValues, TypeSpec rootValuesType) {
        ClassName builder = kit.nestedClass("Builder");
        TypeSpec.Builder type = TypeSpec.classBuilder(builder)
                .addModifiers(Modifier.PUBLIC, Modifier.STATIC, Modifier.FINAL)
                .addJavadoc(
                        "Builds a {@link $T} with initial values; {@link $T#reset()} goes back to them.\n", kit, kit)
                .addField(FieldSpec.builder(stateClass, "state", Modifier.PRIVATE, Modifier.FINAL)
                        .initializer("new State()")
                        .build())
                .addField(FieldSpec.builder(rootValues, "values", Modifier.PRIVATE, Modifier.FINAL)
                        .initializer("new $T(this.state, $S, $T.of())", rootValues, "", List.class)
                        .build())
                .addMethod(MethodSpec.constructorBuilder()
                        .addModifiers(Modifier.PRIVATE)
                        .build());
        for (MethodSpec method : rootValuesType.methodSpecs()) {
            if (method.isConstructor() || method.name().equals("when")) {
                continue;
            }
            type.addMethod(delegate(builder, method));
        }
        type.addMethod(MethodSpec.methodBuilder("values")
                .addJavadoc("Sets values through the root's values, as {@link $T#update} does.\n\n", kit)
                .addJavadoc("@param values sets the values\n@return this builder\n")
                .addModifiers(Modifier.PUBLIC)
                .returns(builder)
                .addParameter(consumer(rootValues), "values")
                .addStatement("values.accept(this.values)")
                .addStatement("return this")
                .build());
        type.addMethod(MethodSpec.methodBuilder("toJson")
                .addJavadoc("The snapshot these values make, as JSON.\n")
                .addModifiers(Modifier.PUBLIC)
                .returns(String.class)
                .addStatement("return this.state.toJson(1)")
                .build());
        type.addMethod(MethodSpec.methodBuilder("build")
                .addJavadoc("The kit, with these values installed as revision 1.\n\n")
                .addJavadoc(
                        "@throws $T if the values do not make a valid snapshot\n",
                        ClassName.get("dev.tollgate", "InvalidSnapshotException"))
                .addModifiers(Modifier.PUBLIC)
                .returns(kit)
                .addStatement("return new $T(this.state.copy())", kit)
                .build());
        return type.build();
    }

    /** A builder method forwarding to the root values method of the same signature. */
    private static MethodSpec delegate(ClassName builder, MethodSpec method) {
        List<String> arguments = new ArrayList<>();
        for (ParameterSpec parameter : method.parameters()) {
            arguments.add(parameter.name());
        }
        String javadoc = method.javadoc().toString().replace("@return these values", "@return this builder");
        return MethodSpec.methodBuilder(method.name())
                .addJavadoc("$L", javadoc)
                .addAnnotations(method.annotations())
                .addModifiers(Modifier.PUBLIC)
                .returns(builder)
                .addParameters(method.parameters())
                .varargs(method.varargs())
                .addStatement("this.values.$N($L)", method.name(), String.join(", ", arguments))
                .addStatement("return this")
                .build();
    }

    // ---- values per object type ----

    private TypeSpec valuesType(Model.NodeModel node) {
        ClassName values = model.valuesClass(node);
        TypeSpec.Builder type = TypeSpec.classBuilder(values)
                .addModifiers(Modifier.PUBLIC, Modifier.STATIC, Modifier.FINAL)
                .addJavadoc(
                        "Values for the fields of {@link $T}. A value set again replaces the earlier one; a value"
                                + " for all arguments replaces the ones set for particular arguments.\n",
                        node.className())
                .addField(stateClass, "state", Modifier.PRIVATE, Modifier.FINAL)
                .addField(String.class, "prefix", Modifier.PRIVATE, Modifier.FINAL)
                .addField(CONDITIONS, "conditions", Modifier.PRIVATE, Modifier.FINAL)
                .addMethod(MethodSpec.constructorBuilder()
                        .addModifiers(Modifier.PRIVATE)
                        .addParameter(stateClass, "state")
                        .addParameter(String.class, "prefix")
                        .addParameter(CONDITIONS, "conditions")
                        .addStatement("this.state = state")
                        .addStatement("this.prefix = prefix")
                        .addStatement("this.conditions = conditions")
                        .build());
        for (Model.FieldModel field : node.fields()) {
            if (field.isObject()) {
                type.addMethod(objectSetter(node, values, field, false));
                if (!field.arguments().isEmpty() && simpleArguments(field)) {
                    type.addMethod(objectSetter(node, values, field, true));
                }
            } else {
                type.addMethod(valueSetter(node, values, field, false));
                if (!field.arguments().isEmpty() && simpleArguments(field)) {
                    type.addMethod(valueSetter(node, values, field, true));
                }
                if (field.type() instanceof TypeRef.ListOf && field.arguments().isEmpty()) {
                    type.addMethod(varargsSetter(node, values, field));
                }
            }
        }
        type.addMethod(MethodSpec.methodBuilder("when")
                .addJavadoc("Sets values that apply only when {@code condition} holds, for example {@code"
                        + " Condition.eq(\"context.organization.id\", \"org_42\")}; they take precedence over"
                        + " values set without it.\n\n")
                .addJavadoc("@param condition the condition, over {@code context.} and {@code args.} attributes\n")
                .addJavadoc("@param values sets the values\n@return these values\n")
                .addModifiers(Modifier.PUBLIC)
                .returns(values)
                .addParameter(Emitters.CONDITION, "condition")
                .addParameter(consumer(values), "values")
                .addStatement(
                        "values.accept(new $T(this.state, this.prefix, State.with(this.conditions, condition)))",
                        values)
                .addStatement("return this")
                .build());
        if (node.root()) {
            type.addMethod(MethodSpec.methodBuilder("snapshot")
                    .addJavadoc("Adds logic the typed setters cannot express (overrides, splits, segments) straight to"
                            + " the snapshot; applied after the typed values.\n\n")
                    .addJavadoc("@param logic adds to the snapshot\n@return these values\n")
                    .addModifiers(Modifier.PUBLIC)
                    .returns(values)
                    .addParameter(consumer(Emitters.SNAPSHOT_BUILDER), "logic")
                    .addStatement("this.state.logic.add($T.requireNonNull(logic, $S))", Objects.class, "logic")
                    .addStatement("return this")
                    .build());
        }
        return type.build();
    }

    /** Whether every own argument of the field is a scalar or enum, so it can be matched with {@code eq}. */
    private boolean simpleArguments(Model.FieldModel field) {
        for (Model.PropertyModel argument : field.arguments()) {
            if (argument.type() instanceof TypeRef.ListOf || model.isInput(argument.type())) {
                return false;
            }
        }
        return true;
    }

    private MethodSpec valueSetter(
            Model.NodeModel node, ClassName values, Model.FieldModel field, boolean withArguments) {
        NameAllocator names = new NameAllocator();
        MethodSpec.Builder method = MethodSpec.methodBuilder(field.javaName())
                .addModifiers(Modifier.PUBLIC)
                .returns(values)
                .addJavadoc(
                        "Sets {@link $T#$L} to {@code value}$L.\n\n",
                        node.className(),
                        field.javaName(),
                        withArguments
                                ? " for these arguments"
                                : field.arguments().isEmpty() ? "" : " for all arguments");
        CodeBlock conditions = withArguments
                ? CodeBlock.of("$N", addArgumentConditions(method, field, names))
                : CodeBlock.of("this.conditions");
        String value = names.newName("value", "value");
        TypeName valueType = model.valueType(field.type());
        method.addParameter(valueType, value);
        method.addJavadoc("@param $N the value\n@return these values\n", value);
        deprecate(method, field);
        method.addStatement(
                "this.state.set(this.prefix + $S, $L, $L)",
                field.definition().name(),
                conditions,
                snapshotValue(field.type(), value, valueType));
        return method.addStatement("return this").build();
    }

    private MethodSpec varargsSetter(Model.NodeModel node, ClassName values, Model.FieldModel field) {
        TypeName element =
                model.valueType(((TypeRef.ListOf) field.type()).element()).box();
        MethodSpec.Builder method = MethodSpec.methodBuilder(field.javaName())
                .addModifiers(Modifier.PUBLIC)
                .returns(values)
                .addJavadoc("Sets {@link $T#$L} to a list of {@code values}.\n\n", node.className(), field.javaName())
                .addJavadoc("@param values the elements\n@return these values\n")
                .addParameter(ArrayTypeName.of(element), "values")
                .varargs();
        deprecate(method, field);
        return method.addStatement("return $N($T.of(values))", field.javaName(), List.class)
                .build();
    }

    private MethodSpec objectSetter(
            Model.NodeModel node, ClassName values, Model.FieldModel field, boolean withArguments) {
        ClassName childValues = model.valuesClass(model.node(field.objectType().name()));
        NameAllocator names = new NameAllocator();
        MethodSpec.Builder method = MethodSpec.methodBuilder(field.javaName())
                .addModifiers(Modifier.PUBLIC)
                .returns(values)
                .addJavadoc(
                        "Sets values under {@link $T#$L}$L.\n\n",
                        node.className(),
                        field.javaName(),
                        withArguments
                                ? " for these arguments"
                                : field.arguments().isEmpty() ? "" : " for all arguments");
        CodeBlock conditions = withArguments
                ? CodeBlock.of("$N", addArgumentConditions(method, field, names))
                : CodeBlock.of("this.conditions");
        String consumer = names.newName("values", "values");
        method.addParameter(consumer(childValues), consumer);
        method.addJavadoc("@param $N sets the values\n@return these values\n", consumer);
        deprecate(method, field);
        method.addStatement(
                "$N.accept(new $T(this.state, this.prefix + $S, $L))",
                consumer,
                childValues,
                field.definition().name() + ".",
                conditions);
        return method.addStatement("return this").build();
    }

    /**
     * Adds the field's own arguments as parameters and, to the method body, a local list of the conditions matching
     * them: a required argument must equal its value, an optional one too unless it is null (any value). Returns the
     * local's name.
     */
    private String addArgumentConditions(MethodSpec.Builder method, Model.FieldModel field, NameAllocator names) {
        List<String> parameters = new ArrayList<>();
        for (Model.PropertyModel argument : field.arguments()) {
            parameters.add(names.newName(argument.javaName(), argument));
        }
        String conditions = names.newName("conditions", "conditions");
        method.addStatement("$T $N = this.conditions", CONDITIONS, conditions);
        for (int i = 0; i < parameters.size(); i++) {
            Model.PropertyModel argument = field.arguments().get(i);
            String name = parameters.get(i);
            TypeName type = model.parameterType(argument.type());
            method.addParameter(type, name);
            method.addJavadoc(
                    "@param $N the argument {@code $L} the value is for$L\n",
                    name,
                    argument.definition().name(),
                    argument.required() ? "" : "; {@code null} for any");
            CodeBlock value =
                    model.isEnum(argument.type()) ? CodeBlock.of("$N.schemaName()", name) : CodeBlock.of("$N", name);
            CodeBlock condition = CodeBlock.of(
                    "$N = State.with($N, $T.eq($S, $L))",
                    conditions,
                    conditions,
                    Emitters.CONDITION,
                    "args." + argument.definition().name(),
                    value);
            if (argument.required()) {
                if (!type.isPrimitive()) {
                    method.addStatement("$T.requireNonNull($N, $S)", Objects.class, name, name);
                }
                method.addStatement(condition);
            } else {
                method.beginControlFlow("if ($N != null)", name)
                        .addStatement(condition)
                        .endControlFlow();
            }
        }
        return conditions;
    }

    /** A field value as snapshot JSON takes it: enums by schema name. */
    private CodeBlock snapshotValue(TypeRef type, String value, TypeName valueType) {
        if (type instanceof TypeRef.ListOf && model.isEnum(type)) {
            return CodeBlock.of(
                    "$T.enumNames($T.requireNonNull($N, $S), $T::schemaName)",
                    model.support,
                    Objects.class,
                    value,
                    value,
                    model.typeClass(type.namedType()));
        }
        if (model.isEnum(type)) {
            return CodeBlock.of("$T.requireNonNull($N, $S).schemaName()", Objects.class, value, value);
        }
        if (valueType.isPrimitive()) {
            return CodeBlock.of("$N", value);
        }
        return CodeBlock.of("$T.requireNonNull($N, $S)", Objects.class, value, value);
    }

    private static void deprecate(MethodSpec.Builder method, Model.FieldModel field) {
        if (field.definition().deprecated()) {
            method.addJavadoc(
                    "@deprecated $L\n", Docs.deprecation(field.definition().deprecationReason()));
            method.addAnnotation(Deprecated.class);
        }
    }

    // ---- state ----

    private TypeSpec stateType() {
        TypeName fields =
                ParameterizedTypeName.get(ClassName.get(Map.class), ClassName.get(String.class), fieldValuesClass);
        TypeName logic = ParameterizedTypeName.get(ClassName.get(List.class), consumer(Emitters.SNAPSHOT_BUILDER));
        return TypeSpec.classBuilder("State")
                .addModifiers(Modifier.PRIVATE, Modifier.STATIC, Modifier.FINAL)
                .addJavadoc("The values set so far, by field path, and the extra logic.\n")
                .addField(FieldSpec.builder(fields, "fields", Modifier.PRIVATE, Modifier.FINAL)
                        .initializer("new $T<>()", LinkedHashMap.class)
                        .build())
                .addField(FieldSpec.builder(logic, "logic", Modifier.PRIVATE, Modifier.FINAL)
                        .initializer("new $T<>()", ArrayList.class)
                        .build())
                .addMethod(MethodSpec.methodBuilder("copy")
                        .returns(stateClass)
                        .addStatement("State copy = new State()")
                        .addStatement("this.fields.forEach((path, values) -> copy.fields.put(path, values.copy()))")
                        .addStatement("copy.logic.addAll(this.logic)")
                        .addStatement("return copy")
                        .build())
                .addMethod(MethodSpec.methodBuilder("set")
                        .addParameter(String.class, "path")
                        .addParameter(CONDITIONS, "conditions")
                        .addParameter(Object.class, "value")
                        .addStatement(
                                "this.fields.computeIfAbsent(path, p -> new FieldValues()).set(conditions, value)")
                        .build())
                .addMethod(MethodSpec.methodBuilder("toJson")
                        .returns(String.class)
                        .addParameter(TypeName.LONG, "revision")
                        .addStatement(
                                "$T snapshot = $T.forSchema($T.schema()).revision(revision)",
                                Emitters.SNAPSHOT_BUILDER,
                                Emitters.SNAPSHOT_BUILDER,
                                model.entry)
                        .addStatement("this.fields.forEach((path, values) -> snapshot.field(path, values::applyTo))")
                        .addStatement("this.logic.forEach(logic -> logic.accept(snapshot))")
                        .addStatement("return snapshot.toJson()")
                        .build())
                .addMethod(MethodSpec.methodBuilder("with")
                        .addModifiers(Modifier.STATIC)
                        .returns(CONDITIONS)
                        .addParameter(CONDITIONS, "conditions")
                        .addParameter(Emitters.CONDITION, "condition")
                        .addStatement(
                                "$T<$T> combined = new $T<>(conditions)",
                                List.class,
                                Emitters.CONDITION,
                                ArrayList.class)
                        .addStatement("combined.add($T.requireNonNull(condition, $S))", Objects.class, "condition")
                        .addStatement("return $T.copyOf(combined)", List.class)
                        .build())
                .build();
    }

    private TypeSpec fieldValuesType() {
        TypeName rule = ParameterizedTypeName.get(ClassName.get(Map.Entry.class), CONDITIONS, ClassName.OBJECT);
        TypeName rules = ParameterizedTypeName.get(ClassName.get(List.class), rule);
        return TypeSpec.classBuilder("FieldValues")
                .addModifiers(Modifier.PRIVATE, Modifier.STATIC, Modifier.FINAL)
                .addJavadoc("The values of one field: a default, and rules for conditions, most recent first.\n")
                .addField(Object.class, "defaultValue", Modifier.PRIVATE)
                .addField(FieldSpec.builder(rules, "rules", Modifier.PRIVATE, Modifier.FINAL)
                        .initializer("new $T<>()", ArrayList.class)
                        .build())
                .addMethod(MethodSpec.methodBuilder("copy")
                        .returns(fieldValuesClass)
                        .addStatement("FieldValues copy = new FieldValues()")
                        .addStatement("copy.defaultValue = this.defaultValue")
                        .addStatement("copy.rules.addAll(this.rules)")
                        .addStatement("return copy")
                        .build())
                .addMethod(MethodSpec.methodBuilder("set")
                        .addParameter(CONDITIONS, "conditions")
                        .addParameter(Object.class, "value")
                        .addStatement("this.rules.removeIf(rule -> rule.getKey().containsAll(conditions))")
                        .beginControlFlow("if (conditions.isEmpty())")
                        .addStatement("this.defaultValue = value")
                        .nextControlFlow("else")
                        .addStatement("this.rules.add(0, $T.entry(conditions, value))", Map.class)
                        .endControlFlow()
                        .build())
                .addMethod(MethodSpec.methodBuilder("applyTo")
                        .addParameter(Emitters.FIELD_LOGIC, "logic")
                        .beginControlFlow("for (int i = 0; i < this.rules.size(); i++)")
                        .addStatement("$T conditions = this.rules.get(i).getKey()", CONDITIONS)
                        .addStatement(
                                "$T condition = conditions.size() == 1 ? conditions.get(0) : $T.all(conditions.toArray("
                                        + "new $T[0]))",
                                Emitters.CONDITION,
                                Emitters.CONDITION,
                                Emitters.CONDITION)
                        .addStatement("logic.rule($S + (i + 1), condition, this.rules.get(i).getValue())", "test-kit-")
                        .endControlFlow()
                        .beginControlFlow("if (this.defaultValue != null)")
                        .addStatement("logic.defaultValue(this.defaultValue)")
                        .endControlFlow()
                        .build())
                .build();
    }
}
