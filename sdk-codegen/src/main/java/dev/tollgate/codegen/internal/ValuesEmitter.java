package dev.tollgate.codegen.internal;

import com.palantir.javapoet.ArrayTypeName;
import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.NameAllocator;
import com.palantir.javapoet.ParameterizedTypeName;
import com.palantir.javapoet.TypeName;
import com.palantir.javapoet.TypeSpec;
import dev.tollgate.internal.schema.TypeRef;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;
import javax.lang.model.element.Modifier;

/**
 * Emits the test kit's {@code ...Values} class for one object type: a setter per field (for all arguments, and for
 * given scalar and enum arguments), a nested setter per object field, varargs setters for lists, and {@code when} for
 * values under a condition. Setters record into the kit's state by field path.
 *
 * <p>No field, parameter or local is named like a class generated code refers to: an enum {@code state} keeps the field
 * {@code state_}.
 */
final class ValuesEmitter {
    static final TypeName CONDITIONS = ParameterizedTypeName.get(ClassName.get(List.class), Emitters.CONDITION);

    private final Model model;
    private final ClassName stateClass;

    ValuesEmitter(Model model) {
        this.model = model;
        this.stateClass = Emitters.TEST_VALUES;
    }

    static TypeName consumer(TypeName type) {
        return ParameterizedTypeName.get(ClassName.get(Consumer.class), type);
    }

    /** The names of a values class's fields: usually {@code state}, {@code prefix} and {@code conditions}. */
    private record Fields(String state, String prefix, String conditions) {}

    TypeSpec emit(Model.NodeModel node) {
        ClassName values = model.valuesClass(node);
        Fields fields = new Fields(model.variable("state"), model.variable("prefix"), model.variable("conditions"));
        TypeSpec.Builder type = TypeSpec.classBuilder(values)
                .addModifiers(Modifier.PUBLIC, Modifier.STATIC, Modifier.FINAL)
                .addJavadoc(
                        "Values for the fields of {@link $T}. A value set again replaces the earlier one; a value"
                                + " for all arguments replaces the ones set for particular arguments.\n",
                        node.className())
                .addField(stateClass, fields.state(), Modifier.PRIVATE, Modifier.FINAL)
                .addField(String.class, fields.prefix(), Modifier.PRIVATE, Modifier.FINAL)
                .addField(CONDITIONS, fields.conditions(), Modifier.PRIVATE, Modifier.FINAL)
                .addMethod(MethodSpec.constructorBuilder()
                        .addModifiers(Modifier.PRIVATE)
                        .addParameter(stateClass, fields.state())
                        .addParameter(String.class, fields.prefix())
                        .addParameter(CONDITIONS, fields.conditions())
                        .addStatement("this.$N = $N", fields.state(), fields.state())
                        .addStatement("this.$N = $N", fields.prefix(), fields.prefix())
                        .addStatement("this.$N = $N", fields.conditions(), fields.conditions())
                        .build());
        for (Model.FieldModel field : node.fields()) {
            if (field.isObject()) {
                type.addMethod(objectSetter(node, fields, values, field, false));
                if (!field.arguments().isEmpty() && simpleArguments(field)) {
                    type.addMethod(objectSetter(node, fields, values, field, true));
                }
            } else {
                type.addMethod(valueSetter(node, fields, values, field, false));
                if (!field.arguments().isEmpty() && simpleArguments(field)) {
                    type.addMethod(valueSetter(node, fields, values, field, true));
                }
                if (field.type() instanceof TypeRef.ListOf && field.arguments().isEmpty()) {
                    type.addMethod(varargsSetter(node, values, field));
                }
            }
        }
        String condition = model.variable("condition");
        String consumer = model.variable("values");
        type.addMethod(MethodSpec.methodBuilder("when")
                .addJavadoc("Sets values that apply only when {@code condition} holds, for example {@code"
                        + " ConditionSpec.eq(\"context.organization.id\", \"org_42\")}; they take precedence over"
                        + " values set without it.\n\n")
                .addJavadoc("@param $N the condition, over {@code context.} and {@code args.} attributes\n", condition)
                .addJavadoc("@param $N sets the values\n@return these values\n", consumer)
                .addModifiers(Modifier.PUBLIC)
                .returns(values)
                .addParameter(Emitters.CONDITION, condition)
                .addParameter(consumer(values), consumer)
                .addStatement(
                        "$N.accept(new $T(this.$N,$Wthis.$N,$W$T.with(this.$N, $N)))",
                        consumer,
                        values,
                        fields.state(),
                        fields.prefix(),
                        stateClass,
                        fields.conditions(),
                        condition)
                .addStatement("return this")
                .build());
        if (node.root()) {
            String logic = model.variable("logic");
            type.addMethod(MethodSpec.methodBuilder("snapshot")
                    .addJavadoc("Adds logic the typed setters cannot express (overrides, splits, segments) straight to"
                            + " the snapshot; applied after the typed values.\n\n")
                    .addJavadoc("@param $N adds to the snapshot\n@return these values\n", logic)
                    .addModifiers(Modifier.PUBLIC)
                    .returns(values)
                    .addParameter(consumer(Emitters.SNAPSHOT_BUILDER), logic)
                    .addStatement("this.$N.addLogic($N)", fields.state(), logic)
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
            Model.NodeModel node, Fields fields, ClassName values, Model.FieldModel field, boolean withArguments) {
        NameAllocator names = model.names();
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
                ? CodeBlock.of("$N", addArgumentConditions(method, fields, field, names))
                : CodeBlock.of("this.$N", fields.conditions());
        String value = names.newName("value", "value");
        TypeName valueType = model.valueType(field.type());
        method.addParameter(valueType, value);
        method.addJavadoc("@param $N the value\n@return these values\n", value);
        deprecate(method, field);
        method.addStatement(
                "this.$N.set(this.$N + $S,$W$L,$W$L)",
                fields.state(),
                fields.prefix(),
                field.definition().name(),
                conditions,
                snapshotValue(field.type(), value, valueType));
        return method.addStatement("return this").build();
    }

    private MethodSpec varargsSetter(Model.NodeModel node, ClassName values, Model.FieldModel field) {
        TypeName element =
                model.valueType(((TypeRef.ListOf) field.type()).element()).box();
        String elements = model.variable("values");
        MethodSpec.Builder method = MethodSpec.methodBuilder(field.javaName())
                .addModifiers(Modifier.PUBLIC)
                .returns(values)
                .addJavadoc(
                        "Sets {@link $T#$L} to a list of {@code $N}.\n\n", node.className(), field.javaName(), elements)
                .addJavadoc("@param $N the elements\n@return these values\n", elements)
                .addParameter(ArrayTypeName.of(element), elements)
                .varargs();
        deprecate(method, field);
        return method.addStatement("return this.$N($T.of($N))", field.javaName(), List.class, elements)
                .build();
    }

    private MethodSpec objectSetter(
            Model.NodeModel node, Fields fields, ClassName values, Model.FieldModel field, boolean withArguments) {
        ClassName childValues = model.valuesClass(model.node(field.objectType().name()));
        NameAllocator names = model.names();
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
                ? CodeBlock.of("$N", addArgumentConditions(method, fields, field, names))
                : CodeBlock.of("this.$N", fields.conditions());
        String consumer = names.newName("values", "values");
        method.addParameter(consumer(childValues), consumer);
        method.addJavadoc("@param $N sets the values\n@return these values\n", consumer);
        deprecate(method, field);
        method.addStatement(
                "$N.accept(new $T(this.$N,$Wthis.$N + $S,$W$L))",
                consumer,
                childValues,
                fields.state(),
                fields.prefix(),
                field.definition().name() + ".",
                conditions);
        return method.addStatement("return this").build();
    }

    /**
     * Adds the field's own arguments as parameters and, to the method body, a local list of the conditions matching
     * them: a required argument must equal its value, an optional one too unless it is null (any value). Returns the
     * local's name.
     */
    private String addArgumentConditions(
            MethodSpec.Builder method, Fields fields, Model.FieldModel field, NameAllocator names) {
        List<String> parameters = new ArrayList<>();
        for (Model.PropertyModel argument : field.arguments()) {
            parameters.add(names.newName(argument.javaName(), argument));
        }
        String conditions = names.newName("conditions", "conditions");
        method.addStatement("$T $N = this.$N", CONDITIONS, conditions, fields.conditions());
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
                    "$N = $T.with($N, $T.eq($S, $L))",
                    conditions,
                    stateClass,
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
}
