package dev.tollgate.internal.schema;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tollgate.SchemaException;
import dev.tollgate.SchemaProblem;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SchemaParserTest {
    static final String SEED =
            """
            input Context { organization: Organization!  user: User! }
            input Organization { id: String!  plan: Plan! }
            input User { id: String! }
            enum Plan { FREE PRO ENTERPRISE }

            type Root { entitlements: Entitlements! }
            type Entitlements {
              "Whether custom team roles can be created."
              teamRolesEnabled: Boolean!
              maxTeamSize: Int!
              maxApiRequestsPerDay(endpoint: String!): Int!
              versionHistoryEnabled: Boolean!
            }
            """;

    @Test
    void parse_seedSchema_numbersFieldPathsDepthFirst() {
        SchemaModel schema = SchemaParser.parse(SEED, "schema.graphql");

        assertThat(schema.rootType().name()).isEqualTo("Root");
        assertThat(schema.contextType().name()).isEqualTo("Context");
        assertThat(schema.fields())
                .extracting(SchemaField::path)
                .containsExactly(
                        "entitlements",
                        "entitlements.teamRolesEnabled",
                        "entitlements.maxTeamSize",
                        "entitlements.maxApiRequestsPerDay",
                        "entitlements.versionHistoryEnabled");
        assertThat(schema.fieldIndex("entitlements.maxTeamSize")).isEqualTo(2);
        assertThat(schema.fieldIndex("entitlements.nope")).isEqualTo(-1);
        SchemaField quota = schema.field("entitlements.maxApiRequestsPerDay").orElseThrow();
        assertThat(quota.arguments()).extracting(PathArgument::name).containsExactly("endpoint");
        assertThat(quota.type()).hasToString("Int!");
        assertThat(schema.field("entitlements.teamRolesEnabled")
                        .orElseThrow()
                        .definition()
                        .description())
                .isEqualTo("Whether custom team roles can be created.");
        assertThat(schema.field("entitlements").orElseThrow().children()).hasSize(4);
    }

    @Test
    void parse_contextLayout_flattensNestedInputsIntoSlots() {
        SchemaModel schema = SchemaParser.parse(SEED, "schema.graphql");

        assertThat(schema.contextLayout().attributes())
                .extracting(InputAttribute::slot, InputAttribute::path)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(0, "organization.id"),
                        org.assertj.core.groups.Tuple.tuple(1, "organization.plan"),
                        org.assertj.core.groups.Tuple.tuple(2, "user.id"));
    }

    @Test
    void parse_typeReferences_carryTheirScalarResolvedOnce() {
        SchemaModel schema = SchemaParser.parse(
                """
                input Context { id: String!  tags: [String!]  plan: Plan }
                enum Plan { FREE PRO }
                type Root { on: Boolean!  seats: Int  ratio: Float!  limits: [Int!]!  plan: Plan!  nested: Nested! }
                type Nested { label: String! }
                """,
                "schema.graphql");

        assertThat(schema.fields())
                .extracting(SchemaField::path, field -> field.type().scalar())
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("on", ScalarType.BOOLEAN),
                        org.assertj.core.groups.Tuple.tuple("seats", ScalarType.INT),
                        org.assertj.core.groups.Tuple.tuple("ratio", ScalarType.FLOAT),
                        org.assertj.core.groups.Tuple.tuple("limits", ScalarType.INT),
                        org.assertj.core.groups.Tuple.tuple("plan", null),
                        org.assertj.core.groups.Tuple.tuple("nested", null),
                        org.assertj.core.groups.Tuple.tuple("nested.label", ScalarType.STRING));
        assertThat(schema.contextLayout().attributes())
                .extracting(InputAttribute::path, attribute -> attribute.type().scalar())
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("id", ScalarType.STRING),
                        org.assertj.core.groups.Tuple.tuple("tags", ScalarType.STRING),
                        org.assertj.core.groups.Tuple.tuple("plan", null));
        assertThat(schema.field("limits").orElseThrow().type())
                .as("a list of Int, whose scalar is its elements'")
                .isInstanceOf(TypeRef.ListOf.class);
        assertThat(schema.field("seats").orElseThrow().type())
                .isInstanceOf(TypeRef.Named.class)
                .extracting(TypeRef::scalar)
                .isEqualTo(ScalarType.INT);
    }

    @Test
    void typeRef_namedWithAScalarThatIsNotItsName_isRejected() {
        assertThatThrownBy(() -> new TypeRef.Named("Int", true, ScalarType.STRING))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("type Int is not the scalar STRING");
        assertThatThrownBy(() -> new TypeRef.Named("Plan", true, ScalarType.STRING))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("type Plan is not the scalar STRING");
    }

    @Test
    void parse_queryRootField_namesRootAndContext() {
        SchemaModel schema = SchemaParser.parse(
                """
                type Query { root(ctx: Caller!): Flags! }
                input Caller { tenant: String! }
                type Flags { beta: Boolean! }
                """,
                "q.graphql");

        assertThat(schema.rootType().name()).isEqualTo("Flags");
        assertThat(schema.contextType().name()).isEqualTo("Caller");
        assertThat(schema.fields()).extracting(SchemaField::path).containsExactly("beta");
    }

    @Test
    void parse_descriptionsDeprecationsAndBlockStrings() {
        SchemaModel schema = SchemaParser.parse(
                """
                \"\"\"
                  The caller.
                    Indented line.
                \"\"\"
                input Context { id: String! }
                type Root {
                  old: Int @deprecated(reason: "use new")
                  plain: Int @deprecated
                  list: [String!]!
                }
                enum Tier { A B @deprecated }
                """,
                "d.graphql");

        assertThat(schema.contextType().description()).isEqualTo("The caller.\n  Indented line.");
        assertThat(schema.field("old").orElseThrow().definition().deprecationReason())
                .isEqualTo("use new");
        assertThat(schema.field("plain").orElseThrow().definition().deprecationReason())
                .isEqualTo("No longer supported");
        assertThat(schema.field("list").orElseThrow().type()).hasToString("[String!]!");
        assertThat(schema.enumType("Tier").values().get(1).deprecated()).isTrue();
    }

    @Test
    void hash_isStableAcrossWhitespaceCommentsDescriptionsAndOrder() {
        String reordered =
                """
                # the same schema, written differently
                type Entitlements {
                  versionHistoryEnabled: Boolean!,
                  maxApiRequestsPerDay(endpoint: String!): Int!
                  maxTeamSize: Int!
                  "described now" teamRolesEnabled: Boolean!
                }
                enum Plan { ENTERPRISE FREE PRO }
                type Root { entitlements: Entitlements! }
                input User { id: String! }
                input Organization { plan: Plan!, id: String! }
                input Context { user: User!  organization: Organization! }
                """;

        assertThat(SchemaParser.parse(reordered, "b.graphql").hash())
                .isEqualTo(SchemaParser.parse(SEED, "a.graphql").hash())
                .matches("sha256:[0-9a-f]{64}");
    }

    @Test
    void hash_changesWhenATypeChanges() {
        String changed = SEED.replace("maxTeamSize: Int!", "maxTeamSize: Float!");

        assertThat(SchemaParser.parse(changed, "b.graphql").hash())
                .isNotEqualTo(SchemaParser.parse(SEED, "a.graphql").hash());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            textBlock =
                    """
            unknown type       | input Context { id: String! } type Root { a: Strin! }                      | s.graphql:1:43: Root.a has unknown type Strin; declare it, or use one of Boolean, Int, Float, String
            missing colon      | input Context { id: String! } type Root { a Int }                          | s.graphql:1:45: expected ':' but found 'Int'
            custom scalar      | scalar Date                                                                | s.graphql:1:1: custom scalars are not supported; use Boolean, Int, Float or String
            interface          | interface Node { id: String }                                              | s.graphql:1:1: interface declarations are not supported
            default value      | input Context { id: String = "x" } type Root { a: Int }                    | s.graphql:1:28: default values are not supported; make the value nullable and handle its absence
            other directive    | input Context { id: String! } type Root { a: Int @auth }                   | s.graphql:1:51: directive @auth is not supported on fields; the field directives are @deprecated, @range, @length, @pattern and @metered
            directive on enum  | input Context { id: String! } type Root { a: Int } enum E { A @range }     | s.graphql:1:64: directive @range is not supported; the only directive is @deprecated
            range on Boolean   | input Context { id: String! } type Root { a: Boolean @range(min: 0) }      | s.graphql:1:54: @range applies to Int and Float fields, but Root.a is Boolean
            range fraction Int | input Context { id: String! } type Root { a: Int @range(max: 2.5) }        | s.graphql:1:50: @range on Int field Root.a takes whole numbers
            range inverted     | input Context { id: String! } type Root { a: Int @range(min: 5, max: 1) }  | s.graphql:1:70: @range max 1 is below min 5
            range bad argument | input Context { id: String! } type Root { a: Int @range(least: 1) }        | s.graphql:1:57: @range takes the arguments min and max
            range no number    | input Context { id: String! } type Root { a: Int @range(min: "1") }       | s.graphql:1:62: expected a number but found string "1"
            range twice        | input Context { id: String! } type Root { a: Int @range(min: 0) @range(max: 9) } | s.graphql:1:66: @range is given twice
            length on Int      | input Context { id: String! } type Root { a: Int @length(max: 9) }         | s.graphql:1:50: @length and @pattern apply to String fields, but Root.a is Int
            length negative    | input Context { id: String! } type Root { a: String @length(min: -1) }     | s.graphql:1:66: @length bounds are counts of characters, at least 0
            pattern invalid    | input Context { id: String! } type Root { a: String @pattern(regex: "(a") } | s.graphql:1:69: @pattern regex is not a valid RE2 expression: error parsing regexp: missing closing ): `(a`
            duplicate field    | input Context { id: String! } type Root { a: Int b: Int a: Int }           | s.graphql:1:57: field a is declared twice in Root
            input as field     | input Context { id: String! } type Root { a: Context }                     | s.graphql:1:43: Root.a has input type Context; fields take scalars, enums, object types and lists
            list of objects    | input Context { id: String! } type Root { a: [T] } type T { b: Int }       | s.graphql:1:43: Root.a is a list of object type T; lists of objects are not supported, use a list of scalars or enums
            nested list        | input Context { id: String! } type Root { a: [[Int]] }                     | s.graphql:1:43: Root.a has nested list type [[Int]]; lists of lists are not supported
            recursive type     | input Context { id: String! } type Root { t: T } type T { again: T }       | s.graphql:1:59: type T contains itself through t.again; entitlement types cannot be recursive
            object as argument | input Context { id: String! } type Root { a(x: Root): Int }               | s.graphql:1:45: Root.a(x) has object type Root; arguments and input fields take scalars, enums and input types
            no root            | input Context { id: String! } type Flags { a: Int }                        | s.graphql:1:1: the schema needs 'type Root' (or 'type Query { root(context: <input>!): <type>! }') to know its root and context
            reserved enum      | input Context { id: String! } type Root { a: Int } enum E { true }         | s.graphql:1:61: enum value E.true is reserved
            unterminated       | input Context { id: "oops                                                  | s.graphql:1:21: unterminated string
            empty              | '   '                                                                       | s.graphql:1:4: the schema is empty
            signed escape      | input Context { id: String! } type Root { "\\u+041" a: Int }               | s.graphql:1:44: invalid unicode escape in string: \\u takes four hexadecimal digits
            twice deprecated   | input Context { id: String! } type Root { a: Int @deprecated @deprecated } | s.graphql:1:63: @deprecated is given twice
            reserved name      | input Context { id: String! } type Root { __a: Int }                       | s.graphql:1:43: names starting with __ are reserved for GraphQL introspection: __a
            query extra field  | input C { id: String! } type R { a: Int } type Query { root(context: C!): R! x: Int } | s.graphql:1:78: type Query declares only root(context: <input type>!): <object type>!; field x would mean nothing, move it into the root type
            metered Boolean   | input Context { id: String! } type Root { a: Boolean @metered(period: DAY, by: "context.id") } | s.graphql:1:54: @metered applies to Int fields, but a is Boolean; a metered field's value is the limit usage is counted against
            metered nested    | input Context { id: String! } type Root { e: E } type E { x: Boolean @metered(period: DAY, by: "context.id") } | s.graphql:1:70: @metered applies to Int fields, but e.x is Boolean; a metered field's value is the limit usage is counted against
            metered String    | input Context { id: String! } type Root { a: String @metered(period: DAY, by: "context.id") } | s.graphql:1:53: @metered applies to Int fields, but a is String; a metered field's value is the limit usage is counted against
            metered list      | input Context { id: String! } type Root { a: [Int!] @metered(period: DAY, by: "context.id") } | s.graphql:1:53: @metered applies to Int fields, but a is [Int!]; a metered field's value is the limit usage is counted against
            metered period    | input Context { id: String! } type Root { a: Int @metered(period: WEEK, by: "context.id") } | s.graphql:1:67: unknown period WEEK; @metered counts per HOUR, DAY or MONTH (UTC)
            metered lowercase | input Context { id: String! } type Root { a: Int @metered(period: day, by: "context.id") } | s.graphql:1:67: unknown period day; @metered counts per HOUR, DAY or MONTH (UTC)
            metered no by     | input Context { id: String! } type Root { a: Int @metered(period: DAY) } | s.graphql:1:58: @metered needs both period (HOUR, DAY or MONTH) and by (the context attribute usage is counted by, such as "context.organization.id")
            metered no period | input Context { id: String! } type Root { a: Int @metered(by: "context.id") } | s.graphql:1:58: @metered needs both period (HOUR, DAY or MONTH) and by (the context attribute usage is counted by, such as "context.organization.id")
            metered bad arg   | input Context { id: String! } type Root { a: Int @metered(period: DAY, per: "context.id") } | s.graphql:1:72: @metered takes the arguments period, by and window
            metered window    | input Context { id: String! } type Root { a: Int @metered(period: DAY, by: "context.id", window: SLIDING) } | s.graphql:1:98: unknown window SLIDING; @metered counts per CALENDAR period (the default) or over a ROLLING window
            metered window x2 | input Context { id: String! } type Root { a: Int @metered(period: DAY, by: "context.id", window: ROLLING, window: ROLLING) } | s.graphql:1:107: window is given twice
            metered twice     | input Context { id: String! } type Root { a: Int @metered(period: DAY, by: "context.id") @metered(period: HOUR, by: "context.id") } | s.graphql:1:91: @metered is given twice
            metered period x2 | input Context { id: String! } type Root { a: Int @metered(period: DAY, period: HOUR, by: "context.id") } | s.graphql:1:72: period is given twice
            metered by x2     | input Context { id: String! } type Root { a: Int @metered(by: "context.id", period: DAY, by: "context.id") } | s.graphql:1:90: by is given twice
            metered by unknown| input Context { id: String  on: Boolean  tags: [Int]  f: Float  p: P  o: O } input O { n: Int } enum P { A } type Root { a: Int @metered(period: DAY, by: "context.team") } | s.graphql:1:129: @metered on a counts by context.team, which Context does not have; use one of context.id, context.p, context.o.n
            metered by no ctx | input Context { id: String  on: Boolean  tags: [Int]  f: Float  p: P  o: O } input O { n: Int } enum P { A } type Root { a: Int @metered(period: DAY, by: "id") } | s.graphql:1:129: @metered on a counts by id, which Context does not have; use one of context.id, context.p, context.o.n
            metered by object | input Context { id: String  on: Boolean  tags: [Int]  f: Float  p: P  o: O } input O { n: Int } enum P { A } type Root { a: Int @metered(period: DAY, by: "context.o") } | s.graphql:1:129: @metered on a counts by context.o, which Context does not have; use one of context.id, context.p, context.o.n
            metered by Boolean| input Context { id: String  on: Boolean  tags: [Int]  f: Float  p: P  o: O } input O { n: Int } enum P { A } type Root { a: Int @metered(period: DAY, by: "context.on") } | s.graphql:1:129: @metered on a counts by context.on of type Boolean; usage is counted by a String, Int or enum attribute
            metered by list   | input Context { id: String  on: Boolean  tags: [Int]  f: Float  p: P  o: O } input O { n: Int } enum P { A } type Root { a: Int @metered(period: DAY, by: "context.tags") } | s.graphql:1:129: @metered on a counts by context.tags of type [Int]; usage is counted by a String, Int or enum attribute
            metered by Float  | input Context { id: String  on: Boolean  tags: [Int]  f: Float  p: P  o: O } input O { n: Int } enum P { A } type Root { a: Int @metered(period: DAY, by: "context.f") } | s.graphql:1:129: @metered on a counts by context.f of type Float; usage is counted by a String, Int or enum attribute
            metered nothing   | input Context { on: Boolean } type Root { a: Int @metered(period: DAY, by: "context.id") } | s.graphql:1:50: @metered on a counts by context.id, which Context does not have; use one of (none: the context has no String, Int or enum attribute)
            metered input arg | input Context { id: String! } input F { x: String } type Root { a(filter: F): Int @metered(period: DAY, by: "context.id") } | s.graphql:1:83: @metered on a counts per value of its arguments, but argument filter is F; a metered field's arguments are String, Int, Boolean or enum values
            metered list arg  | input Context { id: String! } type Root { a(xs: [String!]): Int @metered(period: DAY, by: "context.id") } | s.graphql:1:65: @metered on a counts per value of its arguments, but argument xs is [String!]; a metered field's arguments are String, Int, Boolean or enum values
            metered Float arg | input Context { id: String! } type Root { a(x: Float): Int @metered(period: DAY, by: "context.id") } | s.graphql:1:60: @metered on a counts per value of its arguments, but argument x is Float; a metered field's arguments are String, Int, Boolean or enum values
            metered by bare   | input Context { id: String! } type Root { a: Int @metered(period: DAY, by: context.id) } | s.graphql:1:76: expected a string naming a context attribute, such as "context.organization.id" but found 'context'
            metered no parens | input Context { id: String! } type Root { a: Int @metered } | s.graphql:1:59: expected '(' but found '}'
            """)
    void parse_invalidSchema_reportsLocationAndCause(String name, String sdl, String expected) {
        assertThatThrownBy(() -> SchemaParser.parse(sdl, "s.graphql"))
                .isInstanceOf(SchemaException.class)
                .hasMessage(expected);
    }

    @Test
    void parse_manyProblems_reportsEveryOneInSourceOrder() {
        SchemaException error =
                (SchemaException) org.assertj.core.api.Assertions.catchThrowable(() -> SchemaParser.parse(
                        """
                input Context { id: String! }
                type Root {
                  a: Nope
                  b: AlsoNope
                }
                type Root { c: Int }
                """,
                        "multi.graphql"));

        assertThat(error.problems())
                .extracting(SchemaProblem::location)
                .containsExactly("multi.graphql:3:3", "multi.graphql:4:3", "multi.graphql:6:6");
        assertThat(error.problems().get(2).message()).isEqualTo("type Root is already declared at multi.graphql:2:6");
    }

    @Test
    void parse_crlfAndCommentsAndBom_keepLineNumbersRight() {
        String sdl = "\uFEFF# comment\r\ninput Context { id: String! }\r\ntype Root {\r\n  a: Missing\r\n}\r\n";

        assertThatThrownBy(() -> SchemaParser.parse(sdl, "crlf.graphql"))
                .hasMessageStartingWith("crlf.graphql:4:3: Root.a has unknown type Missing");
    }

    static final String METERED =
            """
            input Context { organization: Organization!  user: User!  seats: Int }
            input Organization { id: String  plan: Plan! }
            input User { id: String! }
            enum Plan { FREE PRO ENTERPRISE }
            enum Format { CSV PDF }

            type Root { entitlements: Entitlements! }
            type Entitlements {
              maxTeamSize: Int!
              maxApiRequestsPerDay(endpoint: String!): Int! @metered(period: DAY, by: "context.organization.id")
              exportsPerHour(format: Format, archived: Boolean, size: Int): Int @metered(by: "context.organization.plan", period: HOUR)
              seatsPerMonth: Int! @deprecated @metered(period: MONTH, by: "context.seats") @range(min: 0)
            }
            """;

    @Test
    void parse_metered_recordsPeriodCountingAttributeAndLocation_andLeavesOtherFieldsUnmetered() {
        SchemaModel schema = SchemaParser.parse(METERED, "metered.graphql");

        MeterDefinition requests = schema.field("entitlements.maxApiRequestsPerDay")
                .orElseThrow()
                .definition()
                .meter();
        MeterDefinition exports = schema.field("entitlements.exportsPerHour")
                .orElseThrow()
                .definition()
                .meter();
        FieldDefinition seats =
                schema.field("entitlements.seatsPerMonth").orElseThrow().definition();

        assertThat(requests.period()).isEqualTo(MeterPeriod.DAY);
        assertThat(requests.countedBy()).isEqualTo("context.organization.id");
        assertThat(requests.contextPath()).isEqualTo("organization.id");
        assertThat(requests.location()).hasToString("metered.graphql:10:49");
        assertThat(exports.period()).isEqualTo(MeterPeriod.HOUR);
        assertThat(exports.countedBy()).isEqualTo("context.organization.plan");
        assertThat(seats.meter().period()).isEqualTo(MeterPeriod.MONTH);
        assertThat(seats.meter().contextPath()).isEqualTo("seats");
        assertThat(seats.deprecated()).as("other directives still apply").isTrue();
        assertThat(seats.constraints()).isNotEqualTo(ValueConstraints.NONE);
        assertThat(schema.field("entitlements.maxTeamSize")
                        .orElseThrow()
                        .definition()
                        .metered())
                .isFalse();
        assertThat(schema.field("entitlements.maxApiRequestsPerDay")
                        .orElseThrow()
                        .definition()
                        .metered())
                .isTrue();
    }

    @Test
    void hash_changesWhenMeteredIsAdded_orItsPeriodOrCountingAttributeChanges() {
        String requests =
                "maxApiRequestsPerDay(endpoint: String!): Int! @metered(period: DAY, by: \"context.organization.id\")";
        String unmetered = METERED.replace(requests, "maxApiRequestsPerDay(endpoint: String!): Int!");
        String hourly = METERED.replace(requests, requests.replace("DAY", "HOUR"));
        String byPlan = METERED.replace(requests, requests.replace("organization.id", "organization.plan"));

        String hash = SchemaParser.parse(METERED, "a.graphql").hash();

        assertThat(List.of(unmetered, hourly, byPlan))
                .allSatisfy(changed -> assertThat(changed).isNotEqualTo(METERED));
        assertThat(SchemaParser.parse(unmetered, "b.graphql").hash()).isNotEqualTo(hash);
        assertThat(SchemaParser.parse(hourly, "b.graphql").hash()).isNotEqualTo(hash);
        assertThat(SchemaParser.parse(byPlan, "b.graphql").hash()).isNotEqualTo(hash);
    }

    @Test
    void hash_ofMetered_isStableAcrossTheOrderOfItsArgumentsAndWhitespace() {
        String reordered = METERED.replace(
                        "@metered(period: DAY, by: \"context.organization.id\")",
                        "@metered( by: \"context.organization.id\"\n  period: DAY )")
                .replace(
                        "@metered(by: \"context.organization.plan\", period: HOUR)",
                        "@metered(period: HOUR, by: \"context.organization.plan\")");

        assertThat(reordered).isNotEqualTo(METERED);
        assertThat(SchemaParser.parse(reordered, "b.graphql").hash())
                .isEqualTo(SchemaParser.parse(METERED, "a.graphql").hash());
    }

    @Test
    void parse_argumentRepeatedAlongPath_isRejected() {
        assertThatThrownBy(() -> SchemaParser.parse(
                        """
                input Context { id: String! }
                type Root { region(name: String!): Region! }
                type Region { quota(name: String!): Int! }
                """,
                        "args.graphql"))
                .hasMessage(
                        "args.graphql:3:21: argument name of region.quota repeats the argument of the same name on region");
        assertThat(List.of()).isEmpty();
    }
}
