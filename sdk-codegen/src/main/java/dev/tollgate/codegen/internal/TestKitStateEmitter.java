package dev.tollgate.codegen.internal;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.FieldSpec;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.ParameterizedTypeName;
import com.palantir.javapoet.TypeName;
import com.palantir.javapoet.TypeSpec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import javax.lang.model.element.Modifier;

/**
 * Emits the test kit's private state: the values set so far by field path (a default and rules for conditions, most
 * recent first), the raw logic added through {@code SnapshotBuilder}, and the conversion of both into a snapshot.
 */
final class TestKitStateEmitter {
    private final Model model;
    private final ClassName stateClass;
    private final ClassName fieldValuesClass;

    TestKitStateEmitter(Model model) {
        this.model = model;
        this.stateClass = model.testKit.nestedClass("State");
        this.fieldValuesClass = model.testKit.nestedClass("FieldValues");
    }

    TypeSpec state() {
        TypeName fields =
                ParameterizedTypeName.get(ClassName.get(Map.class), ClassName.get(String.class), fieldValuesClass);
        TypeName logic =
                ParameterizedTypeName.get(ClassName.get(List.class), ValuesEmitter.consumer(Emitters.SNAPSHOT_BUILDER));
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
                        .addParameter(ValuesEmitter.CONDITIONS, "conditions")
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
                        .returns(ValuesEmitter.CONDITIONS)
                        .addParameter(ValuesEmitter.CONDITIONS, "conditions")
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

    TypeSpec fieldValues() {
        TypeName rule =
                ParameterizedTypeName.get(ClassName.get(Map.Entry.class), ValuesEmitter.CONDITIONS, ClassName.OBJECT);
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
                        .addParameter(ValuesEmitter.CONDITIONS, "conditions")
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
                        .addStatement("$T conditions = this.rules.get(i).getKey()", ValuesEmitter.CONDITIONS)
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
