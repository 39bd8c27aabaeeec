package dev.tollgate.codegen.internal;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.FieldSpec;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.NameAllocator;
import com.palantir.javapoet.ParameterizedTypeName;
import com.palantir.javapoet.TypeName;
import com.palantir.javapoet.TypeSpec;
import dev.tollgate.internal.schema.InputTypeDefinition;
import dev.tollgate.internal.schema.TypeRef;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import javax.lang.model.element.Modifier;

/**
 * Emits immutable value classes with builders: one per schema input type (implementing the runtime's {@code
 * InputValue}, so the evaluator reads attributes by slot without reflection), and one per field whose arguments are
 * too many to pass positionally.
 *
 * <p>Accessors and setters are named like the properties; the private fields and the parameters are too, unless that
 * would hide a class generated code refers to ({@code Tier: [Tier!]} is kept in a field {@code Tier_}).
 */
final class InputEmitter {
    /** A nested input type gets a shortcut setter taking its required fields when it has at most this many. */
    private static final int SHORTCUT_MAX_FIELDS = 3;

    private final Model model;

    InputEmitter(Model model) {
        this.model = model;
    }

    /**
     * The names in a value class: of each property's field (the same in the class and its builder), of the field with
     * the schema names of an input's enum list, and of the builder the constructor takes.
     */
    private record Names(
            Map<Model.PropertyModel, String> fields, Map<Model.PropertyModel, String> enumNames, String builder) {
        String field(Model.PropertyModel property) {
            return fields.get(property);
        }
    }

    private Names names(List<Model.PropertyModel> properties, boolean input) {
        NameAllocator names = model.names();
        Map<Model.PropertyModel, String> fields = new HashMap<>();
        for (Model.PropertyModel property : properties) {
            fields.put(property, names.newName(property.javaName(), property));
        }
        Map<Model.PropertyModel, String> enumNames = new HashMap<>();
        for (Model.PropertyModel property : properties) {
            if (input && property.type() instanceof TypeRef.ListOf && model.isEnum(property.type())) {
                enumNames.put(property, names.newName(property.javaName() + "Names", new Object()));
            }
        }
        return new Names(fields, enumNames, names.newName("builder", "builder"));
    }

    /** The class for an input type. */
    TypeSpec emitInput(Model.InputModel input) {
        String schemaName = input.type().name();
        TypeSpec.Builder type = TypeSpec.classBuilder(input.className())
                .addModifiers(Modifier.PUBLIC, Modifier.FINAL)
                .addSuperinterface(Emitters.INPUT_VALUE)
                .addJavadoc(Docs.description(
                        input.type().description(), "The schema input type {@code " + schemaName + "}."))
                .addJavadoc("\n<p>Immutable; create one with {@link #builder()}.\n")
                .addAnnotation(Emitters.generated(model));
        Names names = names(input.properties(), true);
        addValueClassMembers(type, input.className(), schemaName, input.properties(), names);
        type.addMethod(MethodSpec.methodBuilder("inputTypeName")
                .addAnnotation(Override.class)
                .addModifiers(Modifier.PUBLIC)
                .returns(String.class)
                .addStatement("return $S", schemaName)
                .build());
        type.addMethod(attribute(input, names));
        type.addMethods(objectMethods(input.className(), schemaName, input.properties(), names));
        type.addType(builder(input.className(), schemaName, input.properties(), names, true));
        return type.build();
    }

    /** The arguments class of a field, nested in its node class. */
    TypeSpec emitArguments(Model.NodeModel node, Model.FieldModel field) {
        ClassName className = field.argumentsClass();
        String owner = node.type().name() + "." + field.definition().name();
        TypeSpec.Builder type = TypeSpec.classBuilder(className)
                .addModifiers(Modifier.PUBLIC, Modifier.STATIC, Modifier.FINAL)
                .addJavadoc(
                        "The arguments of {@code $L}, for {@link $T#$L($T, $T)}.\n",
                        owner,
                        node.className(),
                        field.javaName(),
                        className,
                        model.valueType(field.type()))
                .addJavadoc("\n<p>Immutable; create one with {@link #builder()}.\n");
        Names names = names(field.arguments(), false);
        addValueClassMembers(type, className, owner, field.arguments(), names);
        type.addMethods(objectMethods(className, className.simpleName(), field.arguments(), names));
        type.addType(builder(className, owner, field.arguments(), names, false));
        return type.build();
    }

    /**
     * Fields, constructor, factories and accessors. For input classes, enum lists also keep their values' schema names
     * (in the fields of {@code names.enumNames()}), which is what the evaluator reads.
     */
    private void addValueClassMembers(
            TypeSpec.Builder type,
            ClassName className,
            String owner,
            List<Model.PropertyModel> properties,
            Names names) {
        String builder = names.builder();
        MethodSpec.Builder constructor = MethodSpec.constructorBuilder()
                .addModifiers(Modifier.PRIVATE)
                .addParameter(className.nestedClass(Model.BUILDER), builder);
        for (Model.PropertyModel property : properties) {
            String field = names.field(property);
            type.addField(model.storageType(property.type()), field, Modifier.PRIVATE, Modifier.FINAL);
            constructor.addStatement("this.$N = $N.$N", field, builder, field);
            String namesField = names.enumNames().get(property);
            if (namesField != null) {
                type.addField(
                        ParameterizedTypeName.get(List.class, String.class),
                        namesField,
                        Modifier.PRIVATE,
                        Modifier.FINAL);
                constructor.addStatement(
                        "this.$N = $T.enumNames($N.$N, $T::schemaName)",
                        namesField,
                        model.support,
                        builder,
                        field,
                        model.typeClass(property.type().namedType()));
            }
        }
        type.addMethod(constructor.build());
        type.addMethod(MethodSpec.methodBuilder("builder")
                .addJavadoc("A builder with no field set.\n")
                .addModifiers(Modifier.PUBLIC, Modifier.STATIC)
                .returns(className.nestedClass(Model.BUILDER))
                .addStatement("return new Builder()")
                .build());
        MethodSpec.Builder toBuilder = MethodSpec.methodBuilder("toBuilder")
                .addJavadoc("A builder holding this value's fields, to derive a changed copy.\n")
                .addModifiers(Modifier.PUBLIC)
                .returns(className.nestedClass(Model.BUILDER))
                .addStatement("Builder $N = new Builder()", builder);
        for (Model.PropertyModel property : properties) {
            toBuilder.addStatement("$N.$N = this.$N", builder, names.field(property), names.field(property));
        }
        type.addMethod(toBuilder.addStatement("return $N", builder).build());
        for (Model.PropertyModel property : properties) {
            type.addMethod(accessor(owner, property, names.field(property)));
        }
    }

    private MethodSpec accessor(String owner, Model.PropertyModel property, String field) {
        TypeName returned = model.parameterType(property.type());
        MethodSpec.Builder accessor = MethodSpec.methodBuilder(property.javaName())
                .addModifiers(Modifier.PUBLIC)
                .returns(returned)
                .addJavadoc(Docs.description(
                        property.definition().description(),
                        "The value of {@code " + owner + "."
                                + property.definition().name() + "}."));
        accessor.addJavadoc(
                "\n@return the value$L\n", property.required() ? "" : ", or {@code null} when it is absent");
        deprecate(accessor, property);
        return accessor.addStatement("return this.$N", field).build();
    }

    private MethodSpec attribute(Model.InputModel input, Names names) {
        String slot = model.variable("slot");
        MethodSpec.Builder method = MethodSpec.methodBuilder("attribute")
                .addAnnotation(Override.class)
                .addModifiers(Modifier.PUBLIC)
                .returns(Object.class)
                .addParameter(TypeName.INT, slot);
        if (input.attributeCount() == 0) {
            return method.addStatement("return null").build();
        }
        CodeBlock.Builder cases = CodeBlock.builder();
        for (Model.InputSlots slots : input.slots()) {
            if (slots.count() == 0) {
                continue;
            }
            List<String> labels = new ArrayList<>();
            for (int label = slots.first(); label < slots.first() + slots.count(); label++) {
                labels.add(Integer.toString(label));
            }
            Model.PropertyModel property = slots.property();
            String name = names.field(property);
            CodeBlock value;
            if (model.isInput(property.type())) {
                value = slots.first() == 0
                        ? CodeBlock.of("this.$N == null ? null : this.$N.attribute($N)", name, name, slot)
                        : CodeBlock.of(
                                "this.$N == null ? null : this.$N.attribute($N - $L)", name, name, slot, slots.first());
            } else if (names.enumNames().containsKey(property)) {
                value = CodeBlock.of("this.$N", names.enumNames().get(property));
            } else if (model.isEnum(property.type())) {
                value = CodeBlock.of("this.$N == null ? null : this.$N.schemaName()", name, name);
            } else {
                value = CodeBlock.of("this.$N", name);
            }
            cases.add("case $L -> $L;\n", String.join(", ", labels), value);
        }
        return method.addCode("return switch ($N) {\n$>", slot)
                .addCode(cases.build())
                .addCode("default -> null;\n$<};\n")
                .build();
    }

    private List<MethodSpec> objectMethods(
            ClassName className, String label, List<Model.PropertyModel> properties, Names names) {
        List<MethodSpec> methods = new ArrayList<>();
        String other = model.variable("o");
        String that = model.variable("that");
        CodeBlock.Builder equals = CodeBlock.builder().add("return $N instanceof $T $N", other, className, that);
        List<CodeBlock> hashed = new ArrayList<>();
        CodeBlock.Builder text = CodeBlock.builder().add("return ");
        for (int i = 0; i < properties.size(); i++) {
            String name = names.field(properties.get(i));
            equals.add("\n$>$>&& $T.equals(this.$N, $N.$N)$<$<", Objects.class, name, that, name);
            hashed.add(CodeBlock.of("this.$N", name));
            String prefix = (i == 0 ? label + "[" : ", ")
                    + properties.get(i).definition().name() + "=";
            text.add(i == 0 ? "$S + this.$N" : "$W+ $S + this.$N", prefix, name);
        }
        if (properties.isEmpty()) {
            text.add("$S", label + "[]");
        } else {
            text.add(" + $S", "]");
        }
        methods.add(MethodSpec.methodBuilder("equals")
                .addAnnotation(Override.class)
                .addModifiers(Modifier.PUBLIC)
                .returns(TypeName.BOOLEAN)
                .addParameter(Object.class, other)
                .addStatement(equals.build())
                .build());
        methods.add(MethodSpec.methodBuilder("hashCode")
                .addAnnotation(Override.class)
                .addModifiers(Modifier.PUBLIC)
                .returns(TypeName.INT)
                .addStatement(
                        hashed.isEmpty()
                                ? CodeBlock.of("return 1")
                                : CodeBlock.of("return $T.hash($L)", Objects.class, Emitters.commaSeparated(hashed)))
                .build());
        methods.add(MethodSpec.methodBuilder("toString")
                .addAnnotation(Override.class)
                .addModifiers(Modifier.PUBLIC)
                .returns(String.class)
                .addStatement(text.build())
                .build());
        return methods;
    }

    private TypeSpec builder(
            ClassName className, String owner, List<Model.PropertyModel> properties, Names names, boolean input) {
        ClassName builderClass = className.nestedClass(Model.BUILDER);
        TypeSpec.Builder builder = TypeSpec.classBuilder(builderClass)
                .addModifiers(Modifier.PUBLIC, Modifier.STATIC, Modifier.FINAL)
                .addJavadoc("Builds a {@link $T}; {@link #build()} rejects a missing required field.\n", className);
        for (Model.PropertyModel property : properties) {
            builder.addField(
                    FieldSpec.builder(model.storageType(property.type()), names.field(property), Modifier.PRIVATE)
                            .build());
        }
        builder.addMethod(
                MethodSpec.constructorBuilder().addModifiers(Modifier.PRIVATE).build());
        for (Model.PropertyModel property : properties) {
            builder.addMethod(setter(builderClass, owner, property, names.field(property)));
            if (input) {
                MethodSpec shortcut = shortcut(builderClass, owner, property);
                if (shortcut != null) {
                    builder.addMethod(shortcut);
                }
            }
        }
        MethodSpec.Builder build = MethodSpec.methodBuilder("build")
                .addJavadoc("The value.\n\n@throws IllegalStateException naming every required field that is not set\n")
                .addModifiers(Modifier.PUBLIC)
                .returns(className);
        List<CodeBlock> required = new ArrayList<>();
        List<CodeBlock> unset = new ArrayList<>();
        for (Model.PropertyModel property : properties) {
            if (property.required()) {
                required.add(CodeBlock.of("$S, this.$N", property.definition().name(), names.field(property)));
                unset.add(CodeBlock.of("this.$N == null", names.field(property)));
            }
        }
        if (!required.isEmpty()) {
            // Tested here first, so that checkRequired's arguments (an array) are built only when one is missing: a
            // context built per request then allocates nothing but itself.
            build.beginControlFlow("if ($L)", CodeBlock.join(unset, " || "))
                    .addStatement("$T.checkRequired($S, $L)", model.support, owner, Emitters.commaSeparated(required))
                    .endControlFlow();
        }
        builder.addMethod(build.addStatement("return new $T(this)", className).build());
        return builder.build();
    }

    /** The setter of a builder; its parameter is named like the field it sets. */
    private MethodSpec setter(ClassName builderClass, String owner, Model.PropertyModel property, String name) {
        String where = owner + "." + property.definition().name();
        MethodSpec.Builder setter = MethodSpec.methodBuilder(property.javaName())
                .addModifiers(Modifier.PUBLIC)
                .returns(builderClass)
                .addParameter(model.parameterType(property.type()), name)
                .addJavadoc(Docs.description(property.definition().description(), "Sets {@code " + where + "}."))
                .addJavadoc(
                        "\n@param $N $L\n@return this builder\n",
                        name,
                        property.required() ? "the value; required" : "the value, or {@code null} for none");
        deprecate(setter, property);
        if (property.type() instanceof TypeRef.ListOf list) {
            setter.addStatement(
                    "this.$N = $T.copyList($N,$W$S,$W$L, $L)",
                    name,
                    model.support,
                    name,
                    where,
                    property.required(),
                    list.element().nonNull());
        } else if (property.required() && !model.parameterType(property.type()).isPrimitive()) {
            setter.addStatement(
                    "this.$N = $T.requireNonNull($N, $S)", name, Objects.class, name, where + " must not be null");
        } else {
            setter.addStatement("this.$N = $N", name, name);
        }
        return setter.addStatement("return this").build();
    }

    /**
     * {@code organization(String id, Plan plan)} for a field of an input type with a few required fields, so that
     * contexts read in one line. Not generated when a field involved is deprecated.
     */
    private MethodSpec shortcut(ClassName builderClass, String owner, Model.PropertyModel property) {
        if (!(property.type() instanceof TypeRef.Named) || !model.isInput(property.type())) {
            return null;
        }
        if (property.definition().deprecated()) {
            return null;
        }
        Model.InputModel nested = model.inputModel(property.type().namedType());
        List<Model.PropertyModel> required = new ArrayList<>();
        for (Model.PropertyModel field : nested.properties()) {
            if (field.required()) {
                if (field.definition().deprecated()) {
                    return null;
                }
                required.add(field);
            }
        }
        if (required.isEmpty() || required.size() > SHORTCUT_MAX_FIELDS) {
            return null;
        }
        InputTypeDefinition nestedType = nested.type();
        MethodSpec.Builder shortcut = MethodSpec.methodBuilder(property.javaName())
                .addModifiers(Modifier.PUBLIC)
                .returns(builderClass)
                .addJavadoc(
                        "Sets {@code $L.$L} to the {@link $T} with these required fields$L.\n\n",
                        owner,
                        property.definition().name(),
                        nested.className(),
                        required.size() == nested.properties().size() ? "" : "; its optional fields stay absent");
        CodeBlock.Builder value = CodeBlock.builder().add("$T.builder()", nested.className());
        NameAllocator names = model.names();
        for (Model.PropertyModel field : required) {
            String parameter = names.newName(field.javaName(), field);
            shortcut.addParameter(model.parameterType(field.type()), parameter);
            shortcut.addJavadoc(
                    "@param $N $L\n",
                    parameter,
                    Docs.inline(
                            field.definition().description(),
                            "{@code " + nestedType.name() + "."
                                    + field.definition().name() + "}"));
            value.add(".$N($N)", field.javaName(), parameter);
        }
        shortcut.addJavadoc("@return this builder\n");
        return shortcut.addStatement("return this.$N($L.build())", property.javaName(), value.build())
                .build();
    }

    private static void deprecate(MethodSpec.Builder method, Model.PropertyModel property) {
        if (property.definition().deprecated()) {
            method.addJavadoc(
                    "\n@deprecated $L\n", Docs.deprecation(property.definition().deprecationReason()));
            method.addAnnotation(Deprecated.class);
        }
    }
}
