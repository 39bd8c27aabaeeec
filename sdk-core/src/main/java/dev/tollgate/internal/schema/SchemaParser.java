package dev.tollgate.internal.schema;

import dev.tollgate.SchemaException;
import dev.tollgate.internal.schema.SdlLexer.Kind;
import dev.tollgate.internal.schema.SdlLexer.Token;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Parses GraphQL SDL into a validated {@link SchemaModel}.
 *
 * <p>Supported: {@code type}, {@code input} and {@code enum} declarations, the scalars {@code Boolean Int Float String},
 * lists, non-null, field arguments, descriptions (quoted and block strings) and {@code @deprecated(reason: "...")} on
 * fields, arguments, input fields and enum values. Everything else in GraphQL (interfaces, unions, custom scalars,
 * {@code schema} and {@code extend} blocks, directive declarations, default values, other directives) is rejected with
 * its location, so a schema never means something different to Tollgate than it appears to.
 *
 * <p>This parser is hand-written rather than borrowed from a GraphQL library because it lives in {@code sdk-core},
 * whose runtime dependencies are kept to Jackson, SLF4J and a regex engine, and because the subset is small.
 */
public final class SchemaParser {
    private static final int MAX_SOURCE_CHARS = 4 * 1024 * 1024;

    private final SdlLexer lexer;
    private final String source;
    private Token token;

    private SchemaParser(String source, String file) {
        this.source = source;
        this.lexer = new SdlLexer(source, file);
        this.token = lexer.next();
    }

    /**
     * Parses SDL text. {@code file} names the source in error locations.
     *
     * @throws SchemaException listing every problem with {@code file:line:col}
     */
    public static SchemaModel parse(String sdl, String file) {
        Objects.requireNonNull(sdl, "sdl");
        Objects.requireNonNull(file, "file");
        if (sdl.length() > MAX_SOURCE_CHARS) {
            throw SdlLexer.error(
                    new SourceLocation(file, 1, 1),
                    "schema is " + sdl.length() + " characters long; the limit is " + MAX_SOURCE_CHARS);
        }
        SchemaParser parser = new SchemaParser(sdl, file);
        SourceLocation start = parser.token.location();
        return SchemaAssembler.assemble(parser.document(), sdl, start);
    }

    /** Parses a UTF-8 SDL file; error locations use the file name as given. */
    public static SchemaModel parse(Path file) {
        try {
            return parse(Files.readString(file, StandardCharsets.UTF_8), file.toString());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read schema " + file, e);
        }
    }

    private List<TypeDefinition> document() {
        List<TypeDefinition> types = new ArrayList<>();
        if (token.kind() == Kind.END) {
            throw SdlLexer.error(token.location(), "the schema is empty");
        }
        while (token.kind() != Kind.END) {
            types.add(definition());
        }
        return types;
    }

    private TypeDefinition definition() {
        String description = description();
        Token keyword = token;
        if (keyword.kind() != Kind.NAME) {
            throw unexpected("a type, input or enum declaration");
        }
        return switch (keyword.text()) {
            case "type" -> objectType(description);
            case "input" -> inputType(description);
            case "enum" -> enumType(description);
            case "scalar" -> throw unsupported("custom scalars are not supported; use Boolean, Int, Float or String");
            case "interface", "union" -> throw unsupported(keyword.text() + " declarations are not supported");
            case "schema" -> throw unsupported(
                    "schema blocks are not supported; declare type Root and input Context, or type Query { root(context: Context!): Root! }");
            case "extend" -> throw unsupported("extend is not supported; declare each type once");
            case "directive" -> throw unsupported("directive declarations are not supported");
            default -> throw unexpected("a type, input or enum declaration");
        };
    }

    private ObjectTypeDefinition objectType(String description) {
        advance();
        Token name = expectName("a type name");
        if (token.is("implements")) {
            throw unsupported("interfaces are not supported");
        }
        noDirectives("types");
        expect("{");
        List<FieldDefinition> fields = new ArrayList<>();
        do {
            fields.add(field());
        } while (!token.is("}"));
        advance();
        return new ObjectTypeDefinition(name.text(), description, fields, name.location());
    }

    private FieldDefinition field() {
        String description = description();
        Token name = expectName("a field name");
        List<InputValueDefinition> arguments = new ArrayList<>();
        if (token.is("(")) {
            advance();
            do {
                arguments.add(inputValue());
            } while (!token.is(")"));
            advance();
        }
        expect(":");
        TypeRef type = type();
        String deprecation = null;
        ConstraintsBuilder constraints = new ConstraintsBuilder();
        MeterDefinition meter = null;
        while (token.is("@")) {
            Token at = token;
            advance();
            Token directive = expectName("a directive name");
            switch (directive.text()) {
                case "deprecated" -> {
                    if (deprecation != null) {
                        throw SdlLexer.error(directive.location(), "@deprecated is given twice");
                    }
                    deprecation = deprecationReason();
                }
                case "range" -> constraints.range(at, directive, numberArguments(directive));
                case "length" -> constraints.length(at, directive, numberArguments(directive));
                case "pattern" -> constraints.pattern(at, directive, stringArgument("regex"));
                case "metered" -> {
                    if (meter != null) {
                        throw SdlLexer.error(directive.location(), "@metered is given twice");
                    }
                    meter = meter(at);
                }
                default -> throw SdlLexer.error(
                        directive.location(),
                        "directive @" + directive.text()
                                + " is not supported on fields; the field directives are @deprecated, @range, @length,"
                                + " @pattern and @metered");
            }
        }
        return new FieldDefinition(
                name.text(), description, type, arguments, deprecation, constraints.build(), meter, name.location());
    }

    /** The {@code (period: DAY, by: "context.organization.id")} of a {@code @metered} whose name was just read. */
    private MeterDefinition meter(Token at) {
        Token open = token;
        expect("(");
        MeterPeriod period = null;
        String countedBy = null;
        Boolean rolling = null;
        do {
            Token argument = expectName("period, by or window");
            expect(":");
            switch (argument.text()) {
                case "period" -> {
                    if (period != null) {
                        throw SdlLexer.error(argument.location(), "period is given twice");
                    }
                    period = meterPeriod();
                }
                case "by" -> {
                    if (countedBy != null) {
                        throw SdlLexer.error(argument.location(), "by is given twice");
                    }
                    if (token.kind() != Kind.STRING) {
                        throw unexpected("a string naming a context attribute, such as \"context.organization.id\"");
                    }
                    countedBy = token.text();
                    advance();
                }
                case "window" -> {
                    if (rolling != null) {
                        throw SdlLexer.error(argument.location(), "window is given twice");
                    }
                    rolling = rollingWindow();
                }
                default -> throw SdlLexer.error(
                        argument.location(), "@metered takes the arguments period, by and window");
            }
        } while (!token.is(")"));
        advance();
        if (period == null || countedBy == null) {
            throw SdlLexer.error(
                    open.location(),
                    "@metered needs both period (HOUR, DAY or MONTH) and by (the context attribute usage is counted"
                            + " by, such as \"context.organization.id\")");
        }
        return new MeterDefinition(period, countedBy, Boolean.TRUE.equals(rolling), at.location());
    }

    /** {@code CALENDAR} (the default: usage starts again from 0 when the period ends) or {@code ROLLING}. */
    private boolean rollingWindow() {
        Token value = expectName("a window: CALENDAR or ROLLING");
        return switch (value.text()) {
            case "CALENDAR" -> false;
            case "ROLLING" -> true;
            default -> throw SdlLexer.error(
                    value.location(),
                    "unknown window " + value.text()
                            + "; @metered counts per CALENDAR period (the default) or over a ROLLING window");
        };
    }

    private MeterPeriod meterPeriod() {
        Token value = expectName("a period: HOUR, DAY or MONTH");
        for (MeterPeriod period : MeterPeriod.values()) {
            if (period.name().equals(value.text())) {
                return period;
            }
        }
        throw SdlLexer.error(
                value.location(), "unknown period " + value.text() + "; @metered counts per HOUR, DAY or MONTH (UTC)");
    }

    private InputTypeDefinition inputType(String description) {
        advance();
        Token name = expectName("an input type name");
        noDirectives("input types");
        expect("{");
        List<InputValueDefinition> fields = new ArrayList<>();
        do {
            fields.add(inputValue());
        } while (!token.is("}"));
        advance();
        return new InputTypeDefinition(name.text(), description, fields, name.location());
    }

    private InputValueDefinition inputValue() {
        String description = description();
        Token name = expectName("a name");
        expect(":");
        TypeRef type = type();
        if (token.is("=")) {
            throw unsupported("default values are not supported; make the value nullable and handle its absence");
        }
        String deprecation = deprecation();
        return new InputValueDefinition(name.text(), description, type, deprecation, name.location());
    }

    private EnumTypeDefinition enumType(String description) {
        advance();
        Token name = expectName("an enum name");
        noDirectives("enums");
        expect("{");
        List<EnumValueDefinition> values = new ArrayList<>();
        do {
            String valueDescription = description();
            Token value = expectName("an enum value");
            values.add(new EnumValueDefinition(value.text(), valueDescription, deprecation(), value.location()));
        } while (!token.is("}"));
        advance();
        return new EnumTypeDefinition(name.text(), description, values, name.location());
    }

    private TypeRef type() {
        TypeRef type;
        if (token.is("[")) {
            advance();
            TypeRef element = type();
            expect("]");
            type = new TypeRef.ListOf(element, false);
            if (token.is("!")) {
                advance();
                type = new TypeRef.ListOf(element, true);
            }
            return type;
        }
        Token name = expectName("a type");
        if (token.is("!")) {
            advance();
            return new TypeRef.Named(name.text(), true);
        }
        return new TypeRef.Named(name.text(), false);
    }

    /** Parses an optional {@code @deprecated} or {@code @deprecated(reason: "...")}; returns the reason or null. */
    private String deprecation() {
        String reason = null;
        while (token.is("@")) {
            advance();
            Token name = expectName("a directive name");
            if (!name.text().equals("deprecated")) {
                throw SdlLexer.error(
                        name.location(),
                        "directive @" + name.text() + " is not supported; the only directive is @deprecated");
            }
            if (reason != null) {
                throw SdlLexer.error(name.location(), "@deprecated is given twice");
            }
            reason = deprecationReason();
        }
        return reason;
    }

    /** The reason of a {@code @deprecated} whose name was just read: its {@code (reason: "...")}, or the default. */
    private String deprecationReason() {
        if (!token.is("(")) {
            return "No longer supported";
        }
        advance();
        Token argument = expectName("reason");
        if (!argument.text().equals("reason")) {
            throw SdlLexer.error(argument.location(), "@deprecated takes only the argument reason");
        }
        expect(":");
        if (token.kind() != Kind.STRING) {
            throw unexpected("a string");
        }
        String reason = token.text();
        advance();
        expect(")");
        return reason;
    }

    /** The {@code (min: n, max: n)} arguments of the directive just read, each at most once, at least one. */
    private Map<String, Token> numberArguments(Token directive) {
        Map<String, Token> arguments = new LinkedHashMap<>();
        expect("(");
        do {
            Token argument = expectName("min or max");
            if (!argument.text().equals("min") && !argument.text().equals("max")) {
                throw SdlLexer.error(argument.location(), "@" + directive.text() + " takes the arguments min and max");
            }
            if (arguments.containsKey(argument.text())) {
                throw SdlLexer.error(argument.location(), argument.text() + " is given twice");
            }
            expect(":");
            if (token.kind() != Kind.NUMBER) {
                throw unexpected("a number");
            }
            arguments.put(argument.text(), token);
            advance();
        } while (!token.is(")"));
        advance();
        return arguments;
    }

    /** The one string argument {@code name} of the directive just read, as its token. */
    private Token stringArgument(String name) {
        expect("(");
        Token argument = expectName(name);
        if (!argument.text().equals(name)) {
            throw SdlLexer.error(
                    argument.location(), "expected the argument " + name + " but found " + argument.text());
        }
        expect(":");
        if (token.kind() != Kind.STRING) {
            throw unexpected("a string");
        }
        Token value = token;
        advance();
        expect(")");
        return value;
    }

    private void noDirectives(String where) {
        if (token.is("@")) {
            throw unsupported("directives on " + where + " are not supported");
        }
    }

    private String description() {
        if (token.kind() == Kind.STRING) {
            String text = token.text();
            advance();
            return text;
        }
        return null;
    }

    private Token expectName(String what) {
        if (token.kind() != Kind.NAME) {
            throw unexpected(what);
        }
        if (token.text().startsWith("__")) {
            throw SdlLexer.error(
                    token.location(), "names starting with __ are reserved for GraphQL introspection: " + token.text());
        }
        Token name = token;
        advance();
        return name;
    }

    private void expect(String punctuator) {
        if (!token.is(punctuator) || token.kind() != Kind.PUNCTUATOR) {
            throw unexpected("'" + punctuator + "'");
        }
        advance();
    }

    private void advance() {
        token = lexer.next();
    }

    private SchemaException unexpected(String expected) {
        return SdlLexer.error(token.location(), "expected " + expected + " but found " + token.describe());
    }

    private SchemaException unsupported(String message) {
        return SdlLexer.error(token.location(), message);
    }

    @Override
    public String toString() {
        return "SchemaParser[" + source.length() + " chars]";
    }
}
