package dev.tollgate.internal.schema;

import dev.tollgate.SchemaException;
import dev.tollgate.SchemaProblem;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Checks parsed declarations against what Tollgate supports and derives the field paths and input layouts. Every
 * problem is collected before failing, so one run reports them all.
 */
final class SchemaAssembler {
    private final Map<String, TypeDefinition> types = new LinkedHashMap<>();
    private final List<SchemaProblem> problems = new ArrayList<>();
    private final String source;

    private SchemaAssembler(String source) {
        this.source = source;
    }

    static SchemaModel assemble(List<TypeDefinition> declarations, String source, SourceLocation documentStart) {
        return new SchemaAssembler(source).run(declarations, documentStart);
    }

    private SchemaModel run(List<TypeDefinition> declarations, SourceLocation documentStart) {
        for (TypeDefinition type : declarations) {
            declare(type);
        }
        for (TypeDefinition type : types.values()) {
            checkMembers(type);
        }
        ObjectTypeDefinition rootType = null;
        InputTypeDefinition contextType = null;
        if (problems.isEmpty()) {
            ObjectTypeDefinition query = types.get(SchemaModel.QUERY_TYPE) instanceof ObjectTypeDefinition q ? q : null;
            if (query != null) {
                FieldDefinition rootField = query.field(SchemaModel.ROOT_FIELD).orElse(null);
                for (FieldDefinition other : query.fields()) {
                    if (!other.name().equals(SchemaModel.ROOT_FIELD)) {
                        problem(
                                other.location(),
                                "type Query declares only root(context: <input type>!): <object type>!; field "
                                        + other.name() + " would mean nothing, move it into the root type");
                    }
                }
                if (rootField == null || rootField.arguments().size() != 1) {
                    problem(query.location(), "type Query must declare root(context: <input type>!): <object type>!");
                } else {
                    rootType = asObject(rootField.type(), rootField.location(), "the root field's type");
                    contextType = asInput(rootField.arguments().get(0).type(), rootField.location());
                }
            } else {
                rootType =
                        findDefault(SchemaModel.DEFAULT_ROOT_TYPE, ObjectTypeDefinition.class, "type", documentStart);
                contextType = findDefault(
                        SchemaModel.DEFAULT_CONTEXT_TYPE, InputTypeDefinition.class, "input", documentStart);
            }
        }
        List<SchemaField> fields = new ArrayList<>();
        Map<String, InputLayout> layouts = new LinkedHashMap<>();
        if (rootType != null && contextType != null) {
            enumerateFields(rootType, null, List.of(), fields, new ArrayDeque<>());
            layouts.put(contextType.name(), layout(contextType));
            for (SchemaField field : fields) {
                for (InputValueDefinition argument : field.definition().arguments()) {
                    if (types.get(argument.type().namedType()) instanceof InputTypeDefinition input
                            && !layouts.containsKey(input.name())) {
                        layouts.put(input.name(), layout(input));
                    }
                }
            }
            for (SchemaField field : fields) {
                checkMeter(field, layouts.get(contextType.name()));
            }
        }
        if (!problems.isEmpty()) {
            problems.sort(Comparator.comparingInt(SchemaProblem::line).thenComparingInt(SchemaProblem::column));
            throw new SchemaException(problems);
        }
        return new SchemaModel(types, rootType, contextType, fields, layouts, source);
    }

    private void declare(TypeDefinition type) {
        if (ScalarType.byName(type.name()).isPresent()) {
            problem(type.location(), "type name " + type.name() + " is a built-in scalar and cannot be redeclared");
        } else if (types.containsKey(type.name())) {
            problem(
                    type.location(),
                    "type " + type.name() + " is already declared at "
                            + types.get(type.name()).location());
        } else {
            types.put(type.name(), type);
        }
    }

    private void checkMembers(TypeDefinition type) {
        if (type instanceof ObjectTypeDefinition object) {
            Set<String> names = new HashSet<>();
            for (FieldDefinition field : object.fields()) {
                unique(names, field.name(), field.location(), "field", object.name());
                checkOutputType(field.type(), field.location(), object.name() + "." + field.name());
                checkInputValues(field.arguments(), object.name() + "." + field.name(), "argument");
                checkConstraints(field, object.name() + "." + field.name());
            }
        } else if (type instanceof InputTypeDefinition input) {
            checkInputValues(input.fields(), input.name(), "field");
        } else {
            EnumTypeDefinition enumType = (EnumTypeDefinition) type;
            Set<String> names = new HashSet<>();
            for (EnumValueDefinition value : enumType.values()) {
                unique(names, value.name(), value.location(), "value", enumType.name());
                if (value.name().equals("true")
                        || value.name().equals("false")
                        || value.name().equals("null")) {
                    problem(value.location(), "enum value " + enumType.name() + "." + value.name() + " is reserved");
                }
            }
        }
    }

    private void checkInputValues(List<InputValueDefinition> values, String owner, String kind) {
        Set<String> names = new HashSet<>();
        for (InputValueDefinition value : values) {
            unique(names, value.name(), value.location(), kind, owner);
            String where = owner + (kind.equals("argument") ? "(" + value.name() + ")" : "." + value.name());
            TypeDefinition named = checkTypeRef(value.type(), value.location(), where);
            if (named instanceof ObjectTypeDefinition) {
                problem(
                        value.location(),
                        where + " has object type " + named.name()
                                + "; arguments and input fields take scalars, enums and input types");
            }
        }
    }

    /**
     * {@code @range} applies to Int and Float fields (whole numbers on Int), {@code @length} and {@code @pattern} to
     * String fields; on a list field, to each element.
     */
    private void checkConstraints(FieldDefinition field, String where) {
        ValueConstraints constraints = field.constraints();
        if (constraints.isEmpty()) {
            return;
        }
        ScalarType scalar = field.type().scalar();
        if (constraints.hasRange()) {
            if (scalar != ScalarType.INT && scalar != ScalarType.FLOAT) {
                problem(
                        constraints.location(),
                        "@range applies to Int and Float fields, but " + where + " is " + field.type());
            } else if (scalar == ScalarType.INT && !(whole(constraints.min()) && whole(constraints.max()))) {
                problem(constraints.location(), "@range on Int field " + where + " takes whole numbers");
            }
        }
        if (constraints.hasStringRules() && scalar != ScalarType.STRING) {
            problem(
                    constraints.location(),
                    "@length and @pattern apply to String fields, but " + where + " is " + field.type());
        }
    }

    /**
     * {@code @metered} applies to Int fields, and counts by a context attribute that names one thing: a String, an Int
     * or an enum, not a list.
     */
    private void checkMeter(SchemaField field, InputLayout context) {
        MeterDefinition meter = field.definition().meter();
        if (meter == null) {
            return;
        }
        if (!(field.type() instanceof TypeRef.Named) || field.type().scalar() != ScalarType.INT) {
            problem(
                    meter.location(),
                    "@metered applies to Int fields, but " + field.path() + " is " + field.type()
                            + "; a metered field's value is the limit usage is counted against");
        }
        for (PathArgument argument : field.arguments()) {
            if (!countable(argument.definition().type())
                    && argument.definition().type().scalar() != ScalarType.BOOLEAN) {
                problem(
                        meter.location(),
                        "@metered on " + field.path() + " counts per value of its arguments, but argument "
                                + argument.name() + " is "
                                + argument.definition().type()
                                + "; a metered field's arguments are String, Int, Boolean or enum values");
            }
        }
        InputAttribute attribute = meter.countedBy().startsWith(MeterDefinition.CONTEXT_PREFIX)
                ? context.attribute(meter.contextPath()).orElse(null)
                : null;
        if (attribute == null) {
            problem(
                    meter.location(),
                    "@metered on " + field.path() + " counts by " + meter.countedBy() + ", which "
                            + context.type().name() + " does not have; use one of "
                            + countingAttributes(context));
        } else if (!countable(attribute.type())) {
            problem(
                    meter.location(),
                    "@metered on " + field.path() + " counts by " + meter.countedBy() + " of type " + attribute.type()
                            + "; usage is counted by a String, Int or enum attribute");
        }
    }

    private String countingAttributes(InputLayout context) {
        List<String> names = new ArrayList<>();
        for (InputAttribute attribute : context.attributes()) {
            if (countable(attribute.type())) {
                names.add(MeterDefinition.CONTEXT_PREFIX + attribute.path());
            }
        }
        return names.isEmpty() ? "(none: the context has no String, Int or enum attribute)" : String.join(", ", names);
    }

    private boolean countable(TypeRef type) {
        if (!(type instanceof TypeRef.Named named)) {
            return false;
        }
        ScalarType scalar = type.scalar();
        return scalar == ScalarType.STRING
                || scalar == ScalarType.INT
                || (scalar == null && types.get(named.name()) instanceof EnumTypeDefinition);
    }

    private static boolean whole(java.math.BigDecimal bound) {
        if (bound == null) {
            return true;
        }
        try {
            bound.intValueExact();
            return true;
        } catch (ArithmeticException e) {
            return false;
        }
    }

    private void checkOutputType(TypeRef type, SourceLocation location, String where) {
        TypeDefinition named = checkTypeRef(type, location, where);
        if (named instanceof InputTypeDefinition) {
            problem(
                    location,
                    where + " has input type " + named.name() + "; fields take scalars, enums, object types and lists");
        } else if (named instanceof ObjectTypeDefinition && type instanceof TypeRef.ListOf) {
            problem(
                    location,
                    where + " is a list of object type " + named.name()
                            + "; lists of objects are not supported, use a list of scalars or enums");
        }
    }

    /** Checks that the reference names a known type and is at most one list deep; returns the named type or null. */
    private TypeDefinition checkTypeRef(TypeRef type, SourceLocation location, String where) {
        if (type instanceof TypeRef.ListOf list && list.element() instanceof TypeRef.ListOf) {
            problem(location, where + " has nested list type " + type + "; lists of lists are not supported");
        }
        if (type.scalar() != null) {
            return null;
        }
        String name = type.namedType();
        TypeDefinition named = types.get(name);
        if (named == null) {
            problem(
                    location,
                    where + " has unknown type " + name + "; declare it, or use one of Boolean, Int, Float, String");
        }
        return named;
    }

    private void unique(Set<String> names, String name, SourceLocation location, String kind, String owner) {
        if (!names.add(name)) {
            problem(location, kind + " " + name + " is declared twice in " + owner);
        }
    }

    private <T extends TypeDefinition> T findDefault(String name, Class<T> kind, String keyword, SourceLocation at) {
        TypeDefinition type = types.get(name);
        if (kind.isInstance(type)) {
            return kind.cast(type);
        }
        problem(
                at,
                "the schema needs '" + keyword + " " + name
                        + "' (or 'type Query { root(context: <input>!): <type>! }') to know its root and context");
        return null;
    }

    private ObjectTypeDefinition asObject(TypeRef type, SourceLocation location, String what) {
        if (type instanceof TypeRef.Named named && types.get(named.name()) instanceof ObjectTypeDefinition object) {
            return object;
        }
        problem(location, what + " must be an object type, not " + type);
        return null;
    }

    private InputTypeDefinition asInput(TypeRef type, SourceLocation location) {
        if (type instanceof TypeRef.Named named && types.get(named.name()) instanceof InputTypeDefinition input) {
            return input;
        }
        problem(location, "the root field's argument must be an input type, not " + type);
        return null;
    }

    private void enumerateFields(
            ObjectTypeDefinition type,
            SchemaField parent,
            List<PathArgument> inherited,
            List<SchemaField> out,
            Deque<String> visiting) {
        visiting.push(type.name());
        List<SchemaField> children = new ArrayList<>();
        for (FieldDefinition definition : type.fields()) {
            String path = parent == null ? definition.name() : parent.path() + "." + definition.name();
            List<PathArgument> arguments = new ArrayList<>(inherited);
            for (InputValueDefinition argument : definition.arguments()) {
                for (PathArgument outer : inherited) {
                    if (outer.name().equals(argument.name())) {
                        problem(
                                argument.location(),
                                "argument " + argument.name() + " of " + path
                                        + " repeats the argument of the same name on " + outer.declaringPath());
                    }
                }
                arguments.add(new PathArgument(arguments.size(), argument, path));
            }
            ObjectTypeDefinition objectType = definition.type() instanceof TypeRef.Named named
                            && types.get(named.name()) instanceof ObjectTypeDefinition object
                    ? object
                    : null;
            SchemaField field = new SchemaField(out.size(), path, definition, parent, arguments, objectType);
            out.add(field);
            children.add(field);
            if (objectType != null) {
                if (visiting.contains(objectType.name())) {
                    problem(
                            definition.location(),
                            "type " + objectType.name() + " contains itself through " + path
                                    + "; entitlement types cannot be recursive");
                } else {
                    enumerateFields(objectType, field, arguments, out, visiting);
                }
            }
        }
        if (parent != null) {
            parent.children(children);
        }
        visiting.pop();
    }

    private InputLayout layout(InputTypeDefinition type) {
        List<InputAttribute> attributes = new ArrayList<>();
        collectAttributes(type, "", List.of(), attributes, new ArrayDeque<>());
        return new InputLayout(type, attributes);
    }

    private void collectAttributes(
            InputTypeDefinition type,
            String prefix,
            List<String> segments,
            List<InputAttribute> out,
            Deque<String> visiting) {
        visiting.push(type.name());
        for (InputValueDefinition field : type.fields()) {
            String path = prefix + field.name();
            List<String> fieldSegments = new ArrayList<>(segments);
            fieldSegments.add(field.name());
            TypeDefinition named = types.get(field.type().namedType());
            if (named instanceof InputTypeDefinition nested) {
                if (field.type() instanceof TypeRef.ListOf) {
                    continue;
                }
                if (visiting.contains(nested.name())) {
                    problem(
                            field.location(),
                            "input type " + nested.name() + " contains itself through " + type.name() + "."
                                    + field.name() + "; context and argument types cannot be recursive");
                    continue;
                }
                collectAttributes(nested, path + ".", fieldSegments, out, visiting);
            } else {
                out.add(new InputAttribute(out.size(), path, fieldSegments, field.type()));
            }
        }
        visiting.pop();
    }

    private void problem(SourceLocation location, String message) {
        problems.add(location.problem(message));
    }
}
