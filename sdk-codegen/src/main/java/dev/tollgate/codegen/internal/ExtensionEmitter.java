package dev.tollgate.codegen.internal;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.ParameterizedTypeName;
import com.palantir.javapoet.TypeName;
import com.palantir.javapoet.TypeSpec;
import java.util.List;
import java.util.function.Consumer;
import javax.lang.model.element.Modifier;

/**
 * Emits the JUnit 5 extension around the test kit. What does not depend on the schema (injecting the kit, the entry
 * point and the client into test methods, {@code update}, and resetting the values after each test) is inherited from
 * {@code TypedTestKitExtension}; the subclass adds its constructors, {@code withValues} and {@code root(Context)}. It
 * needs junit-jupiter-api and tollgate-testing on the test class path.
 */
final class ExtensionEmitter {
    private final Model model;

    ExtensionEmitter(Model model) {
        this.model = model;
    }

    TypeSpec emit() {
        ClassName extension = model.extension;
        ClassName kit = model.testKit;
        ClassName rootValues = model.valuesClass(model.rootNode());
        TypeName superclass =
                ParameterizedTypeName.get(Emitters.TYPED_TEST_KIT_EXTENSION, model.entry, rootValues, kit, extension);
        return TypeSpec.classBuilder(extension)
                .addModifiers(Modifier.PUBLIC, Modifier.FINAL)
                .superclass(superclass)
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
                .addMethods(constructors(kit))
                .addMethod(withValues(extension, kit, rootValues))
                .addMethod(root())
                .build();
    }

    /** A public one with no values, for {@code @ExtendWith}, and a private one taking the kit. */
    private List<MethodSpec> constructors(ClassName kit) {
        String kitParameter = model.variable("kit");
        return List.of(
                MethodSpec.constructorBuilder()
                        .addJavadoc("An extension with no values, for {@code @ExtendWith}.\n")
                        .addModifiers(Modifier.PUBLIC)
                        .addStatement("this($T.create())", kit)
                        .build(),
                MethodSpec.constructorBuilder()
                        .addModifiers(Modifier.PRIVATE)
                        .addParameter(kit, kitParameter)
                        .addStatement("super($N)", kitParameter)
                        .build());
    }

    private MethodSpec withValues(ClassName extension, ClassName kit, ClassName rootValues) {
        String values = model.variable("values");
        return MethodSpec.methodBuilder("withValues")
                .addJavadoc("An extension whose values, before and after each test, are these.\n\n")
                .addJavadoc("@param $N sets the values\n@return the extension\n", values)
                .addModifiers(Modifier.PUBLIC, Modifier.STATIC)
                .returns(extension)
                .addParameter(ParameterizedTypeName.get(ClassName.get(Consumer.class), rootValues), values)
                .addStatement("return new $T($T.builder().values($N).build())", extension, kit, values)
                .build();
    }

    private MethodSpec root() {
        String context = model.variable("context");
        return MethodSpec.methodBuilder("root")
                .addJavadoc("A root for {@code $N} with the current values.\n\n", context)
                .addJavadoc("@param $N what to evaluate for\n@return the typed root\n", context)
                .addModifiers(Modifier.PUBLIC)
                .returns(model.rootNode().className())
                .addParameter(model.contextClass(), context)
                .addStatement("return kit().root($N)", context)
                .build();
    }
}
