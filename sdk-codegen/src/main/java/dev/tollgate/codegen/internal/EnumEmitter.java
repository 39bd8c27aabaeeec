package dev.tollgate.codegen.internal;

import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.FieldSpec;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.TypeSpec;
import dev.tollgate.internal.schema.EnumValueDefinition;
import java.util.List;
import javax.lang.model.element.Modifier;

/** Emits a Java enum for a schema enum, with the schema name of each value and a lookup that never throws. */
final class EnumEmitter {
    private final Model model;

    EnumEmitter(Model model) {
        this.model = model;
    }

    TypeSpec emit(Model.EnumModel enumModel) {
        // The constants are fields too: the private field and the parameters must not be named like one, nor like a
        // class generated code refers to.
        String schemaNameField = unused(model.variable("schemaName"), enumModel.constants());
        String name = unused(model.variable("name"), enumModel.constants());
        TypeSpec.Builder type = TypeSpec.enumBuilder(enumModel.className())
                .addModifiers(Modifier.PUBLIC)
                .addJavadoc(Docs.description(
                        enumModel.type().description(),
                        "The values of the schema enum {@code "
                                + enumModel.type().name() + "}."))
                .addJavadoc("\n<p>A value this version of the enum does not know never causes an exception: accessors"
                        + " return the caller's fallback instead.\n")
                .addAnnotation(Emitters.generated(model));
        List<EnumValueDefinition> values = enumModel.type().values();
        CodeBlock.Builder lookup = CodeBlock.builder();
        for (int i = 0; i < values.size(); i++) {
            EnumValueDefinition value = values.get(i);
            String constant = enumModel.constants().get(i);
            TypeSpec.Builder body = TypeSpec.anonymousClassBuilder("$S", value.name());
            if (value.description() != null && !value.description().isBlank()) {
                body.addJavadoc("$L\n", Docs.escape(value.description()));
            }
            if (value.deprecated()) {
                body.addJavadoc("\n@deprecated $L\n", Docs.deprecation(value.deprecationReason()));
                body.addAnnotation(Deprecated.class);
            }
            type.addEnumConstant(constant, body.build());
            lookup.add("case $S -> $N;\n", value.name(), constant);
        }
        type.addField(FieldSpec.builder(String.class, schemaNameField, Modifier.PRIVATE, Modifier.FINAL)
                .build());
        type.addMethod(MethodSpec.constructorBuilder()
                .addParameter(String.class, schemaNameField)
                .addStatement("this.$N = $N", schemaNameField, schemaNameField)
                .build());
        type.addMethod(MethodSpec.methodBuilder("schemaName")
                .addJavadoc("The value's name in the schema and in snapshots.\n")
                .addModifiers(Modifier.PUBLIC)
                .returns(String.class)
                .addStatement("return $N", schemaNameField)
                .build());
        type.addMethod(MethodSpec.methodBuilder("forSchemaName")
                .addJavadoc("The value called {@code $N} in the schema, or {@code null} if this enum has none.\n", name)
                .addModifiers(Modifier.PUBLIC, Modifier.STATIC)
                .returns(enumModel.className())
                .addParameter(String.class, name)
                .beginControlFlow("if ($N == null)", name)
                .addStatement("return null")
                .endControlFlow()
                .addCode("return switch ($N) {\n$>", name)
                .addCode(lookup.build())
                .addCode("default -> null;\n$<};\n")
                .build());
        return type.build();
    }

    private String unused(String name, List<String> constants) {
        String unused = name;
        while (constants.contains(unused)) {
            unused = model.variable(unused + "_");
        }
        return unused;
    }
}
