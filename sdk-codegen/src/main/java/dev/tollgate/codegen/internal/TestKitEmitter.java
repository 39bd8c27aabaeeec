package dev.tollgate.codegen.internal;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.FieldSpec;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.ParameterSpec;
import com.palantir.javapoet.TypeName;
import com.palantir.javapoet.TypeSpec;
import dev.tollgate.schema.TypeRef;
import java.util.ArrayList;
import java.util.List;
import javax.lang.model.element.Modifier;

/**
 * Emits the typed test kit: per object type a {@code ...Values} class with one setter per field, a builder for the
 * root's values, and the kit itself, which turns the values into a snapshot (through the runtime's {@code
 * SnapshotBuilder}, so it is validated like any other) and installs it into a private entry point instance.
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
        addState(type);
        addFactories(type, kit);
        addAccessors(type, rootNode);
        addChanges(type, kit, rootValues);
        addNestedTypes(type, kit, rootValues);
        return type.build();
    }

    /** The instance the kit installs into, the values it was built with, the current ones and the revision. */
    private void addState(TypeSpec.Builder type) {
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
        type.addMethod(MethodSpec.methodBuilder("install")
                .addModifiers(Modifier.PRIVATE)
                .addStatement("this.revision++")
                .addStatement(
                        "this.tollgate.loadSnapshot(this.current.toJson($T.schema(), this.revision))", model.entry)
                .build());
    }

    private void addFactories(TypeSpec.Builder type, ClassName kit) {
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
                .addStatement("return new $T(new $T())", kit, stateClass)
                .build());
    }

    private void addAccessors(TypeSpec.Builder type, Model.NodeModel rootNode) {
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
    }

    /** {@code update}, {@code reset} and what shows the current values. */
    private void addChanges(TypeSpec.Builder type, ClassName kit, ClassName rootValues) {
        type.addMethod(MethodSpec.methodBuilder("update")
                .addJavadoc("Changes values on top of the current ones and installs them as a new revision.\n\n")
                .addJavadoc("@param values sets the values to change\n@return this kit\n")
                .addModifiers(Modifier.PUBLIC, Modifier.SYNCHRONIZED)
                .returns(kit)
                .addParameter(ValuesEmitter.consumer(rootValues), "values")
                .addStatement("$T next = this.current.copy()", stateClass)
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
                .addStatement("return this.current.toJson($T.schema(), this.revision)", model.entry)
                .build());
        type.addMethod(MethodSpec.methodBuilder("toString")
                .addAnnotation(Override.class)
                .addModifiers(Modifier.PUBLIC, Modifier.SYNCHRONIZED)
                .returns(String.class)
                .addStatement("return $S + this.revision + $S", kit.simpleName() + "[revision=", "]")
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

    // ---- the builder ----

    private TypeSpec builderType(ClassName kit, ClassName rootValues, TypeSpec rootValuesType) {
        ClassName builder = kit.nestedClass("Builder");
        TypeSpec.Builder type = TypeSpec.classBuilder(builder)
                .addModifiers(Modifier.PUBLIC, Modifier.STATIC, Modifier.FINAL)
                .addJavadoc(
                        "Builds a {@link $T} with initial values; {@link $T#reset()} goes back to them.\n", kit, kit)
                .addField(FieldSpec.builder(stateClass, "state", Modifier.PRIVATE, Modifier.FINAL)
                        .initializer("new $T()", stateClass)
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
                .addParameter(ValuesEmitter.consumer(rootValues), "values")
                .addStatement("values.accept(this.values)")
                .addStatement("return this")
                .build());
        type.addMethod(MethodSpec.methodBuilder("toJson")
                .addJavadoc("The snapshot these values make, as JSON.\n")
                .addModifiers(Modifier.PUBLIC)
                .returns(String.class)
                .addStatement("return this.state.toJson($T.schema(), 1)", model.entry)
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
}
