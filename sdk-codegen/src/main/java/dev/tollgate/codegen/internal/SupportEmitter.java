package dev.tollgate.codegen.internal;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.FieldSpec;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.ParameterizedTypeName;
import com.palantir.javapoet.TypeName;
import com.palantir.javapoet.TypeSpec;
import com.palantir.javapoet.TypeVariableName;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import javax.lang.model.element.Modifier;

/**
 * Emits the package-private helper class the other generated classes share: schema loading and layout checking,
 * argument arrays, typed views of runtime values, and list copies.
 */
final class SupportEmitter {
    private static final ClassName SCHEMA_PARSER = ClassName.get("dev.tollgate.schema", "SchemaParser");
    private static final ClassName SCHEMA_FIELD = ClassName.get("dev.tollgate.schema", "SchemaField");
    private static final ClassName TYPE_DEFINITION = ClassName.get("dev.tollgate.schema", "TypeDefinition");
    private static final ClassName INPUT_LAYOUT = ClassName.get("dev.tollgate.schema", "InputLayout");
    private static final ClassName INPUT_ATTRIBUTE = ClassName.get("dev.tollgate.schema", "InputAttribute");
    private static final TypeVariableName T = TypeVariableName.get("T");
    private static final TypeVariableName E = TypeVariableName.get("E");

    private final Model model;

    SupportEmitter(Model model) {
        this.model = model;
    }

    TypeSpec emit() {
        return TypeSpec.classBuilder(model.support)
                .addModifiers(Modifier.FINAL)
                .addJavadoc("Helpers shared by the classes generated from the schema. Not part of the API: it changes"
                        + " with the generator.\n")
                .addAnnotation(Emitters.generated(model))
                .addField(FieldSpec.builder(Object[].class, "NO_ARGUMENTS", Modifier.STATIC, Modifier.FINAL)
                        .initializer("{}")
                        .build())
                .addMethod(MethodSpec.constructorBuilder()
                        .addModifiers(Modifier.PRIVATE)
                        .build())
                .addMethod(loadSchema())
                .addMethod(layoutDigest())
                .addMethods(arguments())
                .addMethod(typed())
                .addMethod(enumDetail())
                .addMethod(enumList())
                .addMethod(enumListDetail())
                .addMethod(unknown())
                .addMethod(list())
                .addMethod(listArgument())
                .addMethod(copyList())
                .addMethod(enumNames())
                .addMethod(checkRequired())
                .build();
    }

    private MethodSpec loadSchema() {
        return MethodSpec.methodBuilder("loadSchema")
                .addJavadoc("Parses the embedded schema and checks that the runtime on the class path assigns the field"
                        + " indices and attribute slots the generated code was compiled against.\n")
                .addModifiers(Modifier.STATIC)
                .returns(Emitters.SCHEMA)
                .addParameter(String.class, "sdl")
                .addParameter(String.class, "file")
                .addParameter(String.class, "hash")
                .addParameter(String.class, "layout")
                .addStatement("$T schema = $T.parse(sdl, file)", Emitters.SCHEMA, SCHEMA_PARSER)
                .beginControlFlow("if (!schema.hash().equals(hash))")
                .addStatement(
                        "throw new $T($S + hash + $S + schema.hash())",
                        IllegalStateException.class,
                        "the embedded schema should hash to ",
                        " but the runtime computes ")
                .endControlFlow()
                .beginControlFlow("if (!layoutDigest(schema).equals(layout))")
                .addStatement(
                        "throw new $T($S)",
                        IllegalStateException.class,
                        "this version of tollgate-sdk-core numbers the schema's fields differently from the one the"
                                + " code was generated for; regenerate it with the tollgate-codegen version matching"
                                + " tollgate-sdk-core")
                .endControlFlow()
                .addStatement("return schema")
                .build();
    }

    private MethodSpec layoutDigest() {
        return MethodSpec.methodBuilder("layoutDigest")
                .addModifiers(Modifier.STATIC)
                .returns(String.class)
                .addParameter(Emitters.SCHEMA, "schema")
                .addStatement("$T text = new $T()", StringBuilder.class, StringBuilder.class)
                .beginControlFlow("for ($T field : schema.fields())", SCHEMA_FIELD)
                .addStatement("text.append(field.index()).append(' ').append(field.path()).append(' ')"
                        + ".append(field.type()).append('\\n')")
                .endControlFlow()
                .beginControlFlow("for ($T type : schema.types().values())", TYPE_DEFINITION)
                .addStatement("$T<$T> layout = schema.inputLayout(type.name())", Optional.class, INPUT_LAYOUT)
                .beginControlFlow("if (layout.isPresent())")
                .addStatement("text.append($S).append(type.name()).append('\\n')", "input ")
                .beginControlFlow("for ($T attribute : layout.get().attributes())", INPUT_ATTRIBUTE)
                .addStatement("text.append(attribute.slot()).append(' ').append(attribute.path()).append(' ')"
                        + ".append(attribute.type()).append('\\n')")
                .endControlFlow()
                .endControlFlow()
                .endControlFlow()
                .beginControlFlow("try")
                .addStatement(
                        "return $T.of().formatHex($T.getInstance($S).digest(text.toString().getBytes($T.UTF_8)))",
                        HexFormat.class,
                        MessageDigest.class,
                        "SHA-256",
                        StandardCharsets.class)
                .nextControlFlow("catch ($T e)", NoSuchAlgorithmException.class)
                .addStatement("throw new $T($S, e)", IllegalStateException.class, "the JDK has no SHA-256")
                .endControlFlow()
                .build();
    }

    private List<MethodSpec> arguments() {
        List<MethodSpec> methods = new ArrayList<>();
        String[] names = {"first", "second", "third"};
        for (int count = 1; count <= names.length; count++) {
            MethodSpec.Builder method = MethodSpec.methodBuilder("arguments")
                    .addModifiers(Modifier.STATIC)
                    .returns(Object[].class)
                    .addParameter(Object[].class, "inherited");
            if (count == 1) {
                method.addJavadoc("The enclosing fields' arguments followed by a field's own; one allocation.\n");
            }
            method.addStatement(
                    "Object[] arguments = $T.copyOf(inherited, inherited.length + $L)", Arrays.class, count);
            for (int i = 0; i < count; i++) {
                method.addParameter(Object.class, names[i]);
                method.addStatement("arguments[inherited.length$L] = $N", i == 0 ? "" : " + " + i, names[i]);
            }
            methods.add(method.addStatement("return arguments").build());
        }
        methods.add(MethodSpec.methodBuilder("appendArguments")
                .addModifiers(Modifier.STATIC)
                .returns(Object[].class)
                .addParameter(Object[].class, "inherited")
                .addParameter(Object[].class, "own")
                .addStatement("Object[] arguments = $T.copyOf(inherited, inherited.length + own.length)", Arrays.class)
                .addStatement("$T.arraycopy(own, 0, arguments, inherited.length, own.length)", System.class)
                .addStatement("return arguments")
                .build());
        return methods;
    }

    private static TypeName detailOf(TypeName type) {
        return ParameterizedTypeName.get(Emitters.EVALUATION_DETAIL, type);
    }

    private static TypeName listOf(TypeName type) {
        return ParameterizedTypeName.get(ClassName.get(List.class), type);
    }

    private static TypeName function(TypeName from, TypeName to) {
        return ParameterizedTypeName.get(ClassName.get(Function.class), from, to);
    }

    private MethodSpec typed() {
        return MethodSpec.methodBuilder("typed")
                .addJavadoc("A detail as its field's type: the value is the snapshot's, which the schema types, or the"
                        + " caller's fallback of that type.\n")
                .addAnnotation(Emitters.suppress("unchecked"))
                .addModifiers(Modifier.STATIC)
                .addTypeVariable(T)
                .returns(detailOf(T))
                .addParameter(detailOf(ClassName.OBJECT), "detail")
                .addStatement("return ($T) ($T) detail", detailOf(T), detailOf(TypeVariableName.get("?")))
                .build();
    }

    private MethodSpec enumDetail() {
        return MethodSpec.methodBuilder("enumDetail")
                .addJavadoc("A detail of an enum field; a value this code does not know gives the fallback.\n")
                .addModifiers(Modifier.STATIC)
                .addTypeVariable(E)
                .returns(detailOf(E))
                .addParameter(detailOf(ClassName.OBJECT), "detail")
                .addParameter(function(ClassName.get(String.class), E), "lookup")
                .addParameter(E, "fallback")
                .addParameter(String.class, "enumName")
                .beginControlFlow("if (detail.isFallback())")
                .addStatement("return $T.of(fallback, detail.reason(), detail.revision())", Emitters.EVALUATION_DETAIL)
                .endControlFlow()
                .addStatement("E value = detail.value() instanceof String name ? lookup.apply(name) : null")
                .beginControlFlow("if (value == null)")
                .addStatement(
                        "return $T.of(fallback, unknown(detail, enumName), detail.revision())",
                        Emitters.EVALUATION_DETAIL)
                .endControlFlow()
                .addStatement("return $T.of(value, detail.reason(), detail.revision())", Emitters.EVALUATION_DETAIL)
                .build();
    }

    private MethodSpec enumList() {
        return MethodSpec.methodBuilder("enumList")
                .addJavadoc("Enum values by schema name, or {@code null} if {@code names} is or any name is unknown.\n")
                .addModifiers(Modifier.STATIC)
                .addTypeVariable(E)
                .returns(listOf(E))
                .addParameter(listOf(TypeVariableName.get("?")), "names")
                .addParameter(function(ClassName.get(String.class), E), "lookup")
                .beginControlFlow("if (names == null)")
                .addStatement("return null")
                .endControlFlow()
                .addStatement("$T<E> values = new $T<>(names.size())", List.class, ArrayList.class)
                .beginControlFlow("for (Object name : names)")
                .addStatement("E value = name instanceof String text ? lookup.apply(text) : null")
                .beginControlFlow("if (value == null)")
                .addStatement("return null")
                .endControlFlow()
                .addStatement("values.add(value)")
                .endControlFlow()
                .addStatement("return $T.unmodifiableList(values)", Collections.class)
                .build();
    }

    private MethodSpec enumListDetail() {
        return MethodSpec.methodBuilder("enumListDetail")
                .addJavadoc("A detail of an enum list field; a value this code does not know gives the fallback.\n")
                .addModifiers(Modifier.STATIC)
                .addTypeVariable(E)
                .returns(detailOf(listOf(E)))
                .addParameter(detailOf(ClassName.OBJECT), "detail")
                .addParameter(function(ClassName.get(String.class), E), "lookup")
                .addParameter(listOf(E), "fallback")
                .addParameter(String.class, "enumName")
                .beginControlFlow("if (detail.isFallback())")
                .addStatement("return $T.of(fallback, detail.reason(), detail.revision())", Emitters.EVALUATION_DETAIL)
                .endControlFlow()
                .addStatement(
                        "$T<E> values = detail.value() instanceof $T<?> names ? enumList(names, lookup) : null",
                        List.class,
                        List.class)
                .beginControlFlow("if (values == null)")
                .addStatement(
                        "return $T.of(fallback, unknown(detail, enumName), detail.revision())",
                        Emitters.EVALUATION_DETAIL)
                .endControlFlow()
                .addStatement("return $T.of(values, detail.reason(), detail.revision())", Emitters.EVALUATION_DETAIL)
                .build();
    }

    private MethodSpec list() {
        return MethodSpec.methodBuilder("list")
                .addJavadoc("A list value as its field's element type, which the schema guarantees; the runtime's lists"
                        + " are unmodifiable.\n")
                .addAnnotation(Emitters.suppress("unchecked"))
                .addModifiers(Modifier.STATIC)
                .addTypeVariable(T)
                .returns(listOf(T))
                .addParameter(listOf(TypeVariableName.get("?")), "list")
                .addStatement("return ($T) list", listOf(T))
                .build();
    }

    private MethodSpec listArgument() {
        return MethodSpec.methodBuilder("listArgument")
                .addJavadoc("An unmodifiable copy of a list argument; null stays null.\n")
                .addModifiers(Modifier.STATIC)
                .returns(listOf(TypeVariableName.get("?")))
                .addParameter(listOf(TypeVariableName.get("?")), "list")
                .addStatement(
                        "return list == null ? null : $T.unmodifiableList(new $T<>(list))",
                        Collections.class,
                        ArrayList.class)
                .build();
    }

    private MethodSpec copyList() {
        return MethodSpec.methodBuilder("copyList")
                .addJavadoc("An unmodifiable copy of a list for an input or arguments builder.\n")
                .addModifiers(Modifier.STATIC)
                .addTypeVariable(T)
                .returns(listOf(T))
                .addParameter(listOf(T), "list")
                .addParameter(String.class, "field")
                .addParameter(TypeName.BOOLEAN, "required")
                .addParameter(TypeName.BOOLEAN, "nonNullElements")
                .beginControlFlow("if (list == null)")
                .beginControlFlow("if (required)")
                .addStatement("throw new $T(field + $S)", NullPointerException.class, " must not be null")
                .endControlFlow()
                .addStatement("return null")
                .endControlFlow()
                .addStatement("$T<T> copy = new $T<>(list)", List.class, ArrayList.class)
                .beginControlFlow("if (nonNullElements && copy.contains(null))")
                .addStatement("throw new $T(field + $S)", NullPointerException.class, " must not contain null")
                .endControlFlow()
                .addStatement("return $T.unmodifiableList(copy)", Collections.class)
                .build();
    }

    private MethodSpec enumNames() {
        return MethodSpec.methodBuilder("enumNames")
                .addJavadoc("The schema names of enum values, as the evaluator reads them; null stays null.\n")
                .addModifiers(Modifier.STATIC)
                .addTypeVariable(E)
                .returns(listOf(ClassName.get(String.class)))
                .addParameter(listOf(E), "values")
                .addParameter(function(E, ClassName.get(String.class)), "name")
                .beginControlFlow("if (values == null)")
                .addStatement("return null")
                .endControlFlow()
                .addStatement("$T<String> names = new $T<>(values.size())", List.class, ArrayList.class)
                .beginControlFlow("for (E value : values)")
                .addStatement("names.add(value == null ? null : name.apply(value))")
                .endControlFlow()
                .addStatement("return $T.unmodifiableList(names)", Collections.class)
                .build();
    }

    private MethodSpec checkRequired() {
        return MethodSpec.methodBuilder("checkRequired")
                .addJavadoc("Throws naming every required field that is null; arguments are name, value pairs.\n")
                .addModifiers(Modifier.STATIC)
                .addParameter(String.class, "owner")
                .addParameter(Object[].class, "namesAndValues")
                .varargs()
                .addStatement("$T<String> missing = new $T<>()", List.class, ArrayList.class)
                .beginControlFlow("for (int i = 0; i < namesAndValues.length; i += 2)")
                .beginControlFlow("if (namesAndValues[i + 1] == null)")
                .addStatement("missing.add(owner + \".\" + namesAndValues[i])")
                .endControlFlow()
                .endControlFlow()
                .beginControlFlow("if (missing.size() == 1)")
                .addStatement(
                        "throw new $T(missing.get(0) + $S)",
                        IllegalStateException.class,
                        " is required but was not set")
                .nextControlFlow("else if (!missing.isEmpty())")
                .addStatement(
                        "throw new $T(String.join($S, missing) + $S)",
                        IllegalStateException.class,
                        ", ",
                        " are required but were not set")
                .endControlFlow()
                .build();
    }

    private MethodSpec unknown() {
        return MethodSpec.methodBuilder("unknown")
                .addModifiers(Modifier.PRIVATE, Modifier.STATIC)
                .returns(Emitters.REASON)
                .addParameter(detailOf(ClassName.OBJECT), "detail")
                .addParameter(String.class, "enumName")
                .addStatement(
                        "return $T.fallback($T.TYPE_MISMATCH, $S + detail.value() + $S + enumName + $S)",
                        Emitters.REASON,
                        Emitters.FALLBACK_CAUSE,
                        "the snapshot's value ",
                        " is not a value of ",
                        " that this code knows; regenerate it from the current schema")
                .build();
    }
}
