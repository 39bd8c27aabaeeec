package dev.tollgate.codegen;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Diagnostics: what the generator reports instead of generating code that would not compile. */
class CodeGeneratorTest {

    private static GenerationResult generate(String sdl) {
        return generate(GenerationRequest.builder().schema(new SchemaSource("schema.graphql", sdl)));
    }

    private static GenerationResult generate(GenerationRequest.Builder request) {
        return CodeGenerator.generate(request.packageName("com.acme.flags")
                .outputDirectory(Path.of("out"))
                .testKitOutputDirectory(Path.of("test"))
                .build());
    }

    private static final String CONTEXT = "input Context { id: String! }\n";

    @Test
    void valueConstraints_areInTheAccessorsJavadoc() {
        GenerationResult result = generate(CONTEXT
                + "type Root {\n  seats: Int! @range(min: 0, max: 100000)\n"
                + "  slug: String! @length(max: 8) @pattern(regex: \"[a-z]*/x\")\n  plain: Int!\n}\n");

        assertThat(result.errors()).isEmpty();
        String root = result.files().stream()
                .filter(file -> file.relativePath().endsWith("com/acme/flags/Root.java"))
                .findFirst()
                .orElseThrow()
                .content();
        assertThat(root)
                .contains("Its values are from 0 to 100000: snapshots giving it any other are rejected.")
                .contains("Its values are at most 8 characters, matching [a-z]*&#47;x: snapshots giving it any other"
                        + " are rejected.");
        assertThat(root.split("snapshots giving it any other are rejected", -1))
                .as("the unconstrained field says nothing of it")
                .hasSize(3);
    }

    @Test
    void schemaErrors_areReportedWithTheirLocationAndNothingIsGenerated() {
        GenerationResult result = generate(CONTEXT + "type Root {\n  a: Int!\n  b: Integr\n  c: [[Int]]\n}\n");

        assertThat(result.successful()).isFalse();
        assertThat(result.files()).isEmpty();
        assertThat(result.schema()).isEmpty();
        assertThat(result.errors())
                .extracting(Diagnostic::toString)
                .containsExactly(
                        "schema.graphql:4:3: Root.b has unknown type Integr; declare it, or use one of Boolean, Int,"
                                + " Float, String",
                        "schema.graphql:5:3: Root.c has nested list type [[Int]]; lists of lists are not supported");
    }

    @Test
    void schemaErrorsAcrossFiles_areReportedInTheFileTheyAreIn() {
        GenerationResult result = generate(GenerationRequest.builder()
                .schema(new SchemaSource("context.graphql", CONTEXT + "\n\n"))
                .schema(new SchemaSource("root.graphql", "type Root {\n  a: Plan!\n}")));

        assertThat(result.errors())
                .extracting(Diagnostic::toString)
                .containsExactly("root.graphql:2:3: Root.a has unknown type Plan; declare it, or use one of Boolean,"
                        + " Int, Float, String");
    }

    @Test
    void aTypeNamedLikeTheEntryPoint_isAClashWithAHint() {
        GenerationResult result = generate(CONTEXT + "type Root { t: Tollgate! }\ntype Tollgate { a: Int! }\n");

        assertThat(result.errors())
                .extracting(Diagnostic::toString)
                .containsExactly("schema.graphql:3:6: type Tollgate would be generated as class Tollgate, which clashes"
                        + " with the entry point class Tollgate (class names must differ in more than case); map the"
                        + " type to another class name with typeNames, or rename the generated class in the"
                        + " configuration");
    }

    @Test
    void typesNamedLikeAPackageTheCodeUses_areErrorsAtTheType() {
        GenerationResult result = generate(CONTEXT + "type Root { a: dev!  b: [java!]!  c: com! }\n"
                + "enum dev { A }\nenum java { B }\nenum com { C }\n");

        assertThat(result.errors())
                .extracting(Diagnostic::toString)
                .containsExactly(
                        "schema.graphql:3:6: type dev would be generated as class dev, which hides the package dev that"
                                + " generated code refers to; map the type to another class name with typeNames",
                        "schema.graphql:4:6: type java would be generated as class java, which hides the package java"
                                + " that generated code refers to; map the type to another class name with typeNames",
                        "schema.graphql:5:6: type com would be generated as class com, which hides the package com"
                                + " that generated code refers to; map the type to another class name with typeNames");
    }

    @Test
    void anInputTypeNamedBuilder_isAnErrorAtTheType() {
        GenerationResult result =
                generate(CONTEXT + "type Root { a(b: Builder): Int! }\ninput Builder { size: Int }\n");

        assertThat(result.errors())
                .extracting(Diagnostic::toString)
                .containsExactly("schema.graphql:3:7: input type Builder would be generated as class Builder, which"
                        + " cannot hold its nested class Builder; map the type to another class name with typeNames");
    }

    @Test
    void anArgumentsClassNamedLikeItsNodeClass_isAnErrorAtTheField() {
        GenerationResult result = generate(CONTEXT
                + "type Root { limits: RateLimitArguments! }\n"
                + "type RateLimitArguments {\n  rateLimit(a: Int, b: Int, c: Int): Int!\n}\n");

        assertThat(result.errors())
                .extracting(Diagnostic::toString)
                .containsExactly("schema.graphql:4:3: field RateLimitArguments.rateLimit would get the arguments class"
                        + " RateLimitArguments, nested in the class RateLimitArguments of the same name; rename the"
                        + " field, or map RateLimitArguments to another class name with typeNames");
    }

    @Test
    void aValuesClassNamedLikeTheTestKit_isAnErrorAtTheType() {
        GenerationResult result = generate(GenerationRequest.builder()
                .schema(new SchemaSource("schema.graphql", CONTEXT + "type Root { a: Int! }\n"))
                .testKitClassName("RootValues"));

        assertThat(result.errors())
                .extracting(Diagnostic::toString)
                .containsExactly("schema.graphql:2:6: type Root would get the test kit values class RootValues,"
                        + " nested in the test kit class of the same name; map the type to another class name with"
                        + " typeNames, or rename the test kit class in the configuration");
    }

    @Test
    void namesMakingClassFileNamesTooLong_areErrorsAtTheName() {
        String type = "L".repeat(240);
        String field = "f".repeat(200);
        GenerationResult longType =
                generate(CONTEXT + "type Root { l: " + type + "! }\ntype " + type + " { a: Int! }\n");
        GenerationResult longField =
                generate(CONTEXT + "type Root {\n  " + field + "(a: Int, b: Int, c: Int): Int!\n}\n");

        // TollgateTestKit$LLL...LValues.class and Root$Ffff...fArguments$Builder.class
        assertThat(longType.errors())
                .extracting(Diagnostic::toString)
                .containsExactly("schema.graphql:3:6: type " + type + " would be generated with a class file name of"
                        + " 268 bytes (its test kit values class), longer than the 200 file systems reliably allow;"
                        + " map the type to a shorter class name with typeNames");
        assertThat(longField.errors())
                .extracting(Diagnostic::toString)
                .containsExactly("schema.graphql:3:3: field Root." + field + " would be generated with a class file"
                        + " name of 228 bytes (the builder of its arguments class), longer than the 200 file systems"
                        + " reliably allow; rename the field, or map Root to a shorter class name with typeNames");
    }

    @Test
    void typesDifferingOnlyInCase_clash() {
        GenerationResult result =
                generate(CONTEXT + "type Root { a: Plan  b: PLAN }\nenum Plan { A }\nenum PLAN { B }\n");

        assertThat(result.errors()).singleElement().asString().startsWith("schema.graphql:4:6: type PLAN would be");
    }

    @Test
    void typeNames_renameAndResolveClashes() {
        GenerationResult result = generate(GenerationRequest.builder()
                .schema(new SchemaSource(
                        "schema.graphql", CONTEXT + "type Root { t: Tollgate! }\ntype Tollgate { a: Int! }\n"))
                .typeName("Tollgate", "Limits")
                .typeName("Root", "Flags"));

        assertThat(result.diagnostics()).isEmpty();
        assertThat(result.files())
                .extracting(GeneratedFile::relativePath)
                .contains("com/acme/flags/Limits.java", "com/acme/flags/Flags.java")
                .doesNotContain("com/acme/flags/Root.java");
    }

    @Test
    void typeNamesForUnknownTypes_areErrors() {
        GenerationResult result = generate(GenerationRequest.builder()
                .schema(new SchemaSource("schema.graphql", CONTEXT + "type Root { a: Int! }\n"))
                .typeName("Rot", "Flags"));

        assertThat(result.errors())
                .extracting(Diagnostic::toString)
                .containsExactly("typeNames maps Rot, but the schema declares no type Rot");
    }

    @Test
    void fieldsWhoseMethodsWouldClash_areErrorsAtTheSecondField() {
        GenerationResult result = generate(CONTEXT + "type Root {\n  limit: Int!\n  limitDetail: Int!\n}\n");

        assertThat(result.errors())
                .extracting(Diagnostic::toString)
                .containsExactly("schema.graphql:4:3: field Root.limitDetail would generate the method"
                        + " limitDetail(int), which field Root.limit also generates; rename one of the fields");
    }

    @Test
    void limitAccessorThatWouldClashWithADetailAccessor_isAnErrorAtTheSecondField() {
        GenerationResult result =
                generate(CONTEXT + "type Root {\n  limit: Int!\n  limitDetail(size: Int!): Int!\n}\n");

        assertThat(result.errors())
                .extracting(Diagnostic::toString)
                .containsExactly("schema.graphql:4:3: field Root.limitDetail would generate the method"
                        + " limitDetail(int), which field Root.limit also generates; rename one of the fields");
    }

    @Test
    void keywordAndEscapedName_clash() {
        GenerationResult result = generate(CONTEXT + "type Root {\n  class: Int!\n  class_: Int!\n}\n");

        assertThat(result.errors()).singleElement().asString().startsWith("schema.graphql:4:3: field Root.class_");
    }

    @Test
    void unreachableObjectTypes_getNoClass() {
        GenerationResult result = generate(CONTEXT + "type Root { a: Int! }\ntype Orphan { b: Int! }\n");

        assertThat(result.files()).extracting(GeneratedFile::relativePath).noneMatch(p -> p.contains("Orphan"));
    }

    @Test
    void files_areMainThenTestKit_eachSortedByPath() {
        GenerationResult result = generate(CONTEXT + "type Root { a: Int!  b: Plan }\nenum Plan { A }\n");

        assertThat(result.files())
                .extracting(f -> f.kind() + " " + f.relativePath())
                .containsExactly(
                        "MAIN com/acme/flags/Context.java",
                        "MAIN com/acme/flags/Plan.java",
                        "MAIN com/acme/flags/Root.java",
                        "MAIN com/acme/flags/Tollgate.java",
                        "TEST_KIT com/acme/flags/TollgateExtension.java",
                        "TEST_KIT com/acme/flags/TollgateTestKit.java");
    }

    @Test
    void everyFile_isMarkedAsGenerated() {
        GenerationResult result = generate(CONTEXT + "type Root { a: Int! }\n");

        for (GeneratedFile file : result.files()) {
            assertThat(file.content())
                    .startsWith("// Generated by Tollgate codegen from schema.graphql. Do not edit")
                    .contains("@Generated(\n        value = \"dev.tollgate.codegen\",")
                    .contains("comments = \"schema "
                            + result.schema().orElseThrow().hash() + "\"")
                    .doesNotContain("\t");
        }
    }

    @Test
    void withoutTestKitOrExtension_onlyTheMainSourcesAreGenerated() {
        GenerationResult withoutKit = CodeGenerator.generate(GenerationRequest.builder()
                .schema(new SchemaSource("schema.graphql", CONTEXT + "type Root { a: Int! }\n"))
                .packageName("p")
                .outputDirectory(Path.of("out"))
                .build());
        GenerationResult withoutExtension = generate(GenerationRequest.builder()
                .schema(new SchemaSource("schema.graphql", CONTEXT + "type Root { a: Int! }\n"))
                .junitExtension(false));

        assertThat(withoutKit.files()).allMatch(f -> f.kind() == GeneratedFile.Kind.MAIN);
        assertThat(withoutExtension.files())
                .extracting(GeneratedFile::relativePath)
                .contains("com/acme/flags/TollgateTestKit.java")
                .doesNotContain("com/acme/flags/TollgateExtension.java");
    }

    @Test
    void descriptionsThatLookLikeCode_cannotBreakTheJavadoc() {
        GenerationResult result =
                generate(CONTEXT + "type Root {\n  \"Ends */ here, starts \\\\u0041 <b> & @param x\"\n  a: Int!\n}\n");

        String root = result.files().stream()
                .filter(f -> f.relativePath().endsWith("/Root.java"))
                .findFirst()
                .orElseThrow()
                .content();
        assertThat(root).contains("Ends *&#47; here, starts &#92;u0041 &lt;b&gt; &amp; &#64;param x");
        assertThat(List.of(root.split("\n"))).noneMatch(line -> line.contains("*/") && line.contains("Ends"));
    }
}
