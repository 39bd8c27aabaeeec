package dev.tollgate.codegen.internal;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.ParameterizedTypeName;
import com.palantir.javapoet.TypeName;
import dev.tollgate.internal.schema.FieldDefinition;
import dev.tollgate.internal.schema.ObjectTypeDefinition;
import dev.tollgate.internal.schema.SchemaField;
import dev.tollgate.internal.schema.SchemaModel;
import dev.tollgate.internal.schema.TypeDefinition;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Builds the {@link Model.NodeModel} of every object type that gets a node class: each field's method name, offset,
 * arguments and arguments class, with every method signature clash reported at the field that causes it.
 */
final class NodeModels {
    private final Model model;
    private final SchemaModel schema;

    private NodeModels(Model model) {
        this.model = model;
        this.schema = model.schema;
    }

    static void build(Model model) {
        new NodeModels(model).buildNodes();
    }

    private void buildNodes() {
        Map<String, Map<String, Integer>> offsets = offsets();
        for (TypeDefinition type : schema.types().values()) {
            if (type instanceof ObjectTypeDefinition object && model.hasClass(object.name())) {
                boolean root = object.name().equals(schema.rootType().name());
                model.addNode(node(object, root, offsets.get(object.name())));
            }
        }
    }

    /**
     * For each object type, the offset of each of its fields from the index of the object field holding it (from -1
     * for the root). Fields are numbered depth-first, so the offsets are the same wherever a type is used.
     */
    private Map<String, Map<String, Integer>> offsets() {
        Map<String, Map<String, Integer>> offsets = new HashMap<>();
        Map<String, Integer> root = new LinkedHashMap<>();
        for (SchemaField field : schema.topLevelFields()) {
            root.put(field.name(), field.index() + 1);
        }
        offsets.put(schema.rootType().name(), root);
        for (SchemaField field : schema.fields()) {
            if (!field.isObject()) {
                continue;
            }
            Map<String, Integer> children = new LinkedHashMap<>();
            for (SchemaField child : field.children()) {
                children.put(child.name(), child.index() - field.index());
            }
            Map<String, Integer> previous =
                    offsets.putIfAbsent(field.objectType().name(), children);
            if (previous != null && !previous.equals(children)) {
                throw new IllegalStateException(
                        "field offsets of " + field.objectType().name() + " differ at " + field.path() + ": " + previous
                                + " and " + children);
            }
        }
        return offsets;
    }

    private Model.NodeModel node(ObjectTypeDefinition type, boolean root, Map<String, Integer> offsets) {
        Set<String> reserved = new HashSet<>(Model.OBJECT_METHODS);
        reserved.addAll(Model.VALUES_MEMBERS);
        if (root) {
            reserved.addAll(Model.ROOT_NODE_MEMBERS);
            reserved.addAll(Model.ROOT_VALUES_MEMBERS);
        }
        List<Model.FieldModel> fields = new ArrayList<>();
        Map<String, FieldDefinition> signatures = new HashMap<>();
        // A constant named like a class would hide it where code names the class, as in SLA.forSchemaName(...).
        Set<String> constants = new HashSet<>(model.classNames);
        Map<String, FieldDefinition> argumentClasses = new HashMap<>();
        ClassName className = model.typeClass(type.name());
        for (FieldDefinition definition : type.fields()) {
            String javaName = Model.escape(definition.name(), reserved);
            String constant = JavaNames.constant(javaName);
            while (model.classNames.contains(constant)) {
                constant = constant + "_";
            }
            constant = Model.unique(constant, constants);
            List<Model.PropertyModel> arguments = model.properties(
                    type.name() + "." + definition.name(), definition.arguments(), Model.INPUT_MEMBERS);
            ObjectTypeDefinition objectType =
                    schema.type(definition.type().namedType()).orElse(null) instanceof ObjectTypeDefinition o
                            ? o
                            : null;
            ClassName argumentsClass = null;
            if (objectType == null && arguments.size() >= Model.ARGUMENTS_CLASS_THRESHOLD) {
                argumentsClass =
                        className.nestedClass(JavaNames.capitalize(definition.name()) + Model.ARGUMENTS_SUFFIX);
                checkArgumentsClass(type, definition, argumentsClass, argumentClasses);
            }
            Model.FieldModel field = new Model.FieldModel(
                    definition,
                    javaName,
                    constant,
                    offsets.get(definition.name()),
                    arguments,
                    argumentsClass,
                    objectType);
            fields.add(field);
            for (String signature : signatures(field)) {
                FieldDefinition previous = signatures.putIfAbsent(signature, definition);
                if (previous != null) {
                    model.error(
                            definition.location(),
                            "field " + type.name() + "." + definition.name() + " would generate the method "
                                    + signature + ", which field " + type.name() + "." + previous.name()
                                    + " also generates; rename one of the fields");
                    break; // one error per field: renaming it resolves its other clashes too
                }
            }
        }
        return new Model.NodeModel(type, className, root, fields);
    }

    /**
     * Reports an arguments class that would be named like the class it is nested in or like another field's, or whose
     * builder's class file name would be too long.
     */
    private void checkArgumentsClass(
            ObjectTypeDefinition type,
            FieldDefinition definition,
            ClassName argumentsClass,
            Map<String, FieldDefinition> argumentClasses) {
        String owner = type.name() + "." + definition.name();
        String enclosing = argumentsClass.enclosingClassName().simpleName();
        FieldDefinition previous = argumentClasses.putIfAbsent(argumentsClass.simpleName(), definition);
        String file = enclosing + "$" + argumentsClass.simpleName() + "$" + Model.BUILDER + ".class";
        int bytes = JavaNames.fileNameBytes(file);
        if (argumentsClass.simpleName().equals(enclosing)) {
            model.error(
                    definition.location(),
                    "field " + owner + " would get the arguments class " + argumentsClass.simpleName() + ", nested in"
                            + " the class " + enclosing + " of the same name; rename the field, or map " + type.name()
                            + " to another class name with typeNames");
        } else if (previous != null) {
            model.error(
                    definition.location(),
                    "fields " + previous.name() + " and " + definition.name() + " of " + type.name()
                            + " would both get the arguments class " + argumentsClass.simpleName()
                            + "; rename one of them");
        } else if (bytes > JavaNames.MAX_FILE_NAME_BYTES) {
            model.error(
                    definition.location(),
                    "field " + owner + " would be generated with a class file name of " + bytes + " bytes (the"
                            + " builder of its arguments class), longer than the " + JavaNames.MAX_FILE_NAME_BYTES
                            + " file systems reliably allow; rename the field, or map " + type.name()
                            + " to a shorter class name with typeNames");
        }
    }

    /** The erased signatures of the node methods a field generates. */
    private List<String> signatures(Model.FieldModel field) {
        List<String> parameters = new ArrayList<>();
        for (Model.PropertyModel argument : field.arguments()) {
            parameters.add(erasure(model.parameterType(argument.type())));
        }
        List<String> signatures = new ArrayList<>();
        if (field.isObject()) {
            signatures.add(field.javaName() + "(" + String.join(", ", parameters) + ")");
            return signatures;
        }
        if (field.isIntLimit()) {
            signatures.add(field.javaName() + "(" + String.join(", ", parameters) + ")");
            if (field.argumentsClass() != null) {
                signatures.add(field.javaName() + "(" + field.argumentsClass().simpleName() + ")");
            }
        }
        parameters.add(erasure(model.valueType(field.type())));
        signatures.add(field.javaName() + "(" + String.join(", ", parameters) + ")");
        signatures.add(field.detailName() + "(" + String.join(", ", parameters) + ")");
        if (field.argumentsClass() != null) {
            String fallback = erasure(model.valueType(field.type()));
            signatures.add(field.javaName() + "(" + field.argumentsClass().simpleName() + ", " + fallback + ")");
            signatures.add(field.detailName() + "(" + field.argumentsClass().simpleName() + ", " + fallback + ")");
        }
        return signatures;
    }

    private static String erasure(TypeName type) {
        TypeName raw = type instanceof ParameterizedTypeName parameterized ? parameterized.rawType() : type;
        return raw instanceof ClassName className ? className.simpleName() : raw.toString();
    }
}
