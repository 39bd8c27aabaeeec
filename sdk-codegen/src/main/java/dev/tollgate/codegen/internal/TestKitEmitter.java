package dev.tollgate.codegen.internal;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.ParameterSpec;
import com.palantir.javapoet.ParameterizedTypeName;
import com.palantir.javapoet.TypeSpec;
import dev.tollgate.internal.schema.TypeRef;
import java.util.ArrayList;
import java.util.List;
import javax.lang.model.element.Modifier;

/**
 * Emits the typed test kit: per object type a {@code ...Values} class with one setter per field, a builder for the
 * root's values, and the kit itself, which turns the values into a snapshot (through tollgate-testing's {@code
 * SnapshotBuilder}, so it is validated like any other) and installs it into a private entry point instance. What does
 * not depend on the schema (the values, their revisions, {@code update}, {@code reset}, the builder's {@code values},
 * {@code snapshot} and {@code toJson}) is inherited from {@code TypedTestKit} and {@code TypedTestKitBuilder}, in the
 * tollgate-testing artifact.
 */
final class TestKitEmitter {

    private final Model model;
    private final ClassName stateClass;

    TestKitEmitter(Model model) {
        this.model = model;
        this.stateClass = Emitters.TEST_VALUES;
    }

    TypeSpec emit() {
        ClassName kit = model.testKit;
        Model.NodeModel rootNode = model.rootNode();
        ClassName rootValues = model.valuesClass(rootNode);
        TypeSpec.Builder type = TypeSpec.classBuilder(kit)
                .addModifiers(Modifier.PUBLIC, Modifier.FINAL)
                .superclass(ParameterizedTypeName.get(Emitters.TYPED_TEST_KIT, model.entry, rootValues, kit))
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
        addConstructor(type, rootValues);
        addFactories(type, kit);
        addRoot(type, rootNode);
        addNestedTypes(type, kit, rootValues);
        return type.build();
    }

    /** The kit's own entry point instance, with logs off, and the values it starts with. */
    private void addConstructor(TypeSpec.Builder type, ClassName rootValues) {
        String baseline = model.variable("baseline");
        type.addMethod(MethodSpec.constructorBuilder()
                .addModifiers(Modifier.PRIVATE)
                .addParameter(stateClass, baseline)
                .addStatement(
                        "super($T.builder()$L.logs($T.disabled()).build(),$W$N,$W$L)",
                        model.entry,
                        model.request.buildTimeSnapshotResource() != null ? ".buildTimeSnapshot(false)" : "",
                        Emitters.LOG_OPTIONS,
                        baseline,
                        newRootValues(rootValues))
                .build());
    }

    /** A lambda making the root's values over the {@code TestValues} it is given, with no prefix and no conditions. */
    private CodeBlock newRootValues(ClassName rootValues) {
        String state = model.variable("state");
        return CodeBlock.of("$N -> new $T($N, $S, $T.of())", state, rootValues, state, "", List.class);
    }

    private void addFactories(TypeSpec.Builder type, ClassName kit) {
        type.addMethod(MethodSpec.methodBuilder("builder")
                .addJavadoc("A builder for a kit with initial values.\n")
                .addModifiers(Modifier.PUBLIC, Modifier.STATIC)
                .returns(kit.nestedClass(Model.BUILDER))
                .addStatement("return new Builder()")
                .build());
        type.addMethod(MethodSpec.methodBuilder("create")
                .addJavadoc("A kit with no values: every accessor returns its fallback until values are set.\n")
                .addModifiers(Modifier.PUBLIC, Modifier.STATIC)
                .returns(kit)
                .addStatement("return new $T(new $T())", kit, stateClass)
                .build());
    }

    private void addRoot(TypeSpec.Builder type, Model.NodeModel rootNode) {
        String context = model.variable("context");
        type.addMethod(MethodSpec.methodBuilder("root")
                .addJavadoc("A root for {@code $N} with the current values.\n\n", context)
                .addJavadoc("@param $N what to evaluate for\n@return the typed root\n", context)
                .addModifiers(Modifier.PUBLIC)
                .returns(rootNode.className())
                .addParameter(model.contextClass(), context)
                .addStatement("return tollgate().root($N)", context)
                .build());
    }

    /** The builder and the values class of every object type. */
    private void addNestedTypes(TypeSpec.Builder type, ClassName kit, ClassName rootValues) {
        ValuesEmitter valuesEmitter = new ValuesEmitter(model);
        List<TypeSpec> valuesTypes = new ArrayList<>();
        TypeSpec rootValuesType = null;
        for (Model.NodeModel node : model.nodes) {
            TypeSpec values = valuesEmitter.emit(node);
            valuesTypes.add(values);
            if (node.root()) {
                rootValuesType = values;
            }
        }
        type.addType(builderType(kit, rootValues, rootValuesType));
        type.addTypes(valuesTypes);
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
        if (type.scalar() == null) {
            return model.typeClass(type.namedType()).simpleName() + "."
                    + model.enumModel(type.namedType()).constants().get(0);
        }
        return switch (type.scalar()) {
            case BOOLEAN -> "true";
            case INT -> "3";
            case FLOAT -> "1.5";
            case STRING -> "\"value\"";
        };
    }

    // ---- the builder ----

    private TypeSpec builderType(ClassName kit, ClassName rootValues, TypeSpec rootValuesType) {
        ClassName builder = kit.nestedClass(Model.BUILDER);
        TypeSpec.Builder type = TypeSpec.classBuilder(builder)
                .addModifiers(Modifier.PUBLIC, Modifier.STATIC, Modifier.FINAL)
                .superclass(ParameterizedTypeName.get(Emitters.TYPED_TEST_KIT_BUILDER, rootValues, builder))
                .addJavadoc(
                        "Builds a {@link $T} with initial values; {@link $T#reset()} goes back to them.\n", kit, kit)
                .addMethod(MethodSpec.constructorBuilder()
                        .addModifiers(Modifier.PRIVATE)
                        .addStatement("super($T.schema(),$W$L)", model.entry, newRootValues(rootValues))
                        .build());
        for (MethodSpec method : rootValuesType.methodSpecs()) {
            // when() is for nested values only; snapshot() is inherited from TypedTestKitBuilder.
            if (method.isConstructor()
                    || method.name().equals("when")
                    || method.name().equals("snapshot")) {
                continue;
            }
            type.addMethod(delegate(builder, method));
        }
        type.addMethod(MethodSpec.methodBuilder("build")
                .addJavadoc("The kit, with these values installed as revision 1.\n\n")
                .addJavadoc(
                        "@throws $T if the values do not make a valid snapshot\n",
                        ClassName.get("dev.tollgate", "InvalidSnapshotException"))
                .addModifiers(Modifier.PUBLIC)
                .returns(kit)
                .addStatement("return new $T(copyValues())", kit)
                .build());
        return type.build();
    }

    /** A builder method forwarding to the root values method of the same signature. */
    private static MethodSpec delegate(ClassName builder, MethodSpec method) {
        List<CodeBlock> arguments = new ArrayList<>();
        for (ParameterSpec parameter : method.parameters()) {
            arguments.add(CodeBlock.of("$N", parameter.name()));
        }
        String javadoc = method.javadoc().toString().replace("@return these values", "@return this builder");
        return MethodSpec.methodBuilder(method.name())
                .addJavadoc("$L", javadoc)
                .addAnnotations(method.annotations())
                .addModifiers(Modifier.PUBLIC)
                .returns(builder)
                .addParameters(method.parameters())
                .varargs(method.varargs())
                .addStatement("rootValues().$N($L)", method.name(), Emitters.commaSeparated(arguments))
                .addStatement("return this")
                .build();
    }
}
