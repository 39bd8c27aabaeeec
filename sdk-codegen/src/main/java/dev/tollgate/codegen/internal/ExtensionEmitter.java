package dev.tollgate.codegen.internal;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.ParameterizedTypeName;
import com.palantir.javapoet.TypeName;
import com.palantir.javapoet.TypeSpec;
import com.palantir.javapoet.WildcardTypeName;
import java.util.function.Consumer;
import javax.lang.model.element.Modifier;

/**
 * Emits a JUnit 5 extension around the test kit: it injects the kit, the entry point and the client into test methods
 * and resets the values after each test. It needs junit-jupiter-api on the test class path.
 */
final class ExtensionEmitter {
    private static final String JUPITER = "org.junit.jupiter.api.extension";
    private static final ClassName AFTER_EACH = ClassName.get(JUPITER, "AfterEachCallback");
    private static final ClassName PARAMETER_RESOLVER = ClassName.get(JUPITER, "ParameterResolver");
    private static final ClassName EXTENSION_CONTEXT = ClassName.get(JUPITER, "ExtensionContext");
    private static final ClassName PARAMETER_CONTEXT = ClassName.get(JUPITER, "ParameterContext");
    /** {@code Class<?>}, written through JavaPoet so that it is qualified when the schema has a type named Class. */
    private static final TypeName ANY_CLASS =
            ParameterizedTypeName.get(ClassName.get(Class.class), WildcardTypeName.subtypeOf(Object.class));

    private final Model model;

    ExtensionEmitter(Model model) {
        this.model = model;
    }

    TypeSpec emit() {
        ClassName extension = model.extension;
        ClassName kit = model.testKit;
        ClassName rootValues = model.valuesClass(model.rootNode());
        TypeName valuesConsumer = ParameterizedTypeName.get(ClassName.get(Consumer.class), rootValues);
        // Named so that none hides a class: a test kit class named kit must not meet a field kit.
        String kitField = model.variable("kit");
        String values = model.variable("values");
        String context = model.variable("context");
        String extensionContext = model.variable("extensionContext");
        String parameterContext = model.variable("parameterContext");
        String type = model.variable("type");
        return TypeSpec.classBuilder(extension)
                .addModifiers(Modifier.PUBLIC, Modifier.FINAL)
                .addSuperinterface(AFTER_EACH)
                .addSuperinterface(PARAMETER_RESOLVER)
                .addJavadoc(
                        "A JUnit 5 extension giving each test a {@link $T} with known values, and putting the values"
                                + " back after each test.\n\n",
                        model.entry)
                .addJavadoc("<pre>\n")
                .addJavadoc("&#64;RegisterExtension\n")
                .addJavadoc(
                        "static final $L tollgate = $L.withValues(v -&gt; ...);\n",
                        extension.simpleName(),
                        extension.simpleName())
                .addJavadoc("\n")
                .addJavadoc("&#64;Test\n")
                .addJavadoc("void teamAtItsLimit_getsForbidden() {\n")
                .addJavadoc("    tollgate.update(v -&gt; ...);\n")
                .addJavadoc("    var service = new TeamService(tollgate.tollgate());\n")
                .addJavadoc("    ...\n")
                .addJavadoc("}\n")
                .addJavadoc("</pre>\n\n")
                .addJavadoc(
                        "<p>Test methods can also take a {@link $T}, a {@link $T} or a {@link $T} parameter. Registered"
                                + " with {@code @ExtendWith}, it starts with no values. The values are shared by the"
                                + " tests of a class, so do not run them concurrently.\n",
                        model.entry,
                        kit,
                        Emitters.CLIENT)
                .addAnnotation(Emitters.generated(model))
                .addField(kit, kitField, Modifier.PRIVATE, Modifier.FINAL)
                .addMethod(MethodSpec.constructorBuilder()
                        .addJavadoc("An extension with no values, for {@code @ExtendWith}.\n")
                        .addModifiers(Modifier.PUBLIC)
                        .addStatement("this($T.create())", kit)
                        .build())
                .addMethod(MethodSpec.constructorBuilder()
                        .addModifiers(Modifier.PRIVATE)
                        .addParameter(kit, kitField)
                        .addStatement("this.$N = $N", kitField, kitField)
                        .build())
                .addMethod(MethodSpec.methodBuilder("withValues")
                        .addJavadoc("An extension whose values, before and after each test, are these.\n\n")
                        .addJavadoc("@param $N sets the values\n@return the extension\n", values)
                        .addModifiers(Modifier.PUBLIC, Modifier.STATIC)
                        .returns(extension)
                        .addParameter(valuesConsumer, values)
                        .addStatement("return new $T($T.builder().values($N).build())", extension, kit, values)
                        .build())
                .addMethod(MethodSpec.methodBuilder("update")
                        .addJavadoc("Changes values for the current test; they are put back after it.\n\n")
                        .addJavadoc("@param $N sets the values to change\n@return this extension\n", values)
                        .addModifiers(Modifier.PUBLIC)
                        .returns(extension)
                        .addParameter(valuesConsumer, values)
                        .addStatement("this.$N.update($N)", kitField, values)
                        .addStatement("return this")
                        .build())
                .addMethod(MethodSpec.methodBuilder("kit")
                        .addJavadoc("The test kit.\n")
                        .addModifiers(Modifier.PUBLIC)
                        .returns(kit)
                        .addStatement("return this.$N", kitField)
                        .build())
                .addMethod(MethodSpec.methodBuilder("tollgate")
                        .addJavadoc("The instance answering with the current values.\n")
                        .addModifiers(Modifier.PUBLIC)
                        .returns(model.entry)
                        .addStatement("return this.$N.tollgate()", kitField)
                        .build())
                .addMethod(MethodSpec.methodBuilder("root")
                        .addJavadoc("A root for {@code $N} with the current values.\n\n", context)
                        .addJavadoc("@param $N what to evaluate for\n@return the typed root\n", context)
                        .addModifiers(Modifier.PUBLIC)
                        .returns(model.rootNode().className())
                        .addParameter(model.contextClass(), context)
                        .addStatement("return this.$N.root($N)", kitField, context)
                        .build())
                .addMethod(MethodSpec.methodBuilder("afterEach")
                        .addAnnotation(Override.class)
                        .addModifiers(Modifier.PUBLIC)
                        .addParameter(EXTENSION_CONTEXT, extensionContext)
                        .addStatement("this.$N.reset()", kitField)
                        .build())
                .addMethod(MethodSpec.methodBuilder("supportsParameter")
                        .addAnnotation(Override.class)
                        .addModifiers(Modifier.PUBLIC)
                        .returns(TypeName.BOOLEAN)
                        .addParameter(PARAMETER_CONTEXT, parameterContext)
                        .addParameter(EXTENSION_CONTEXT, extensionContext)
                        .addStatement("$T $N = $N.getParameter().getType()", ANY_CLASS, type, parameterContext)
                        .addStatement(
                                "return $N == $T.class || $N == $T.class || $N == $T.class",
                                type,
                                model.entry,
                                type,
                                kit,
                                type,
                                Emitters.CLIENT)
                        .build())
                .addMethod(MethodSpec.methodBuilder("resolveParameter")
                        .addAnnotation(Override.class)
                        .addModifiers(Modifier.PUBLIC)
                        .returns(Object.class)
                        .addParameter(PARAMETER_CONTEXT, parameterContext)
                        .addParameter(EXTENSION_CONTEXT, extensionContext)
                        .addStatement("$T $N = $N.getParameter().getType()", ANY_CLASS, type, parameterContext)
                        .beginControlFlow("if ($N == $T.class)", type, model.entry)
                        .addStatement("return this.$N.tollgate()", kitField)
                        .endControlFlow()
                        .beginControlFlow("if ($N == $T.class)", type, Emitters.CLIENT)
                        .addStatement("return this.$N.client()", kitField)
                        .endControlFlow()
                        .addStatement("return this.$N", kitField)
                        .build())
                .build();
    }
}
