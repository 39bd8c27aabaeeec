package dev.tollgate.codegen;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tollgate.SchemaException;
import dev.tollgate.SchemaProblem;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SchemaSourcesTest {

    @Test
    void parse_readsFilesAsOneDocument() {
        SchemaSources sources = SchemaSources.of(List.of(
                new SchemaSource("context.graphql", "input Context { plan: Plan! }\nenum Plan { FREE PRO }"),
                new SchemaSource("root.graphql", "type Root { maxTeamSize: Int! }\n")));

        assertThat(sources.model().field("maxTeamSize")).isPresent();
        assertThat(sources.name()).isEqualTo("context.graphql, root.graphql");
        assertThat(sources.text())
                .isEqualTo("input Context { plan: Plan! }\nenum Plan { FREE PRO }\ntype Root { maxTeamSize: Int! }\n");
    }

    @Test
    void parse_reportsEachProblemInItsOwnFile() {
        SchemaSources sources = SchemaSources.of(List.of(
                new SchemaSource("a.graphql", "input Context {\r\n  id: Strin!\r\n}\r\n"),
                new SchemaSource("b.graphql", "\n\ntype Root {\n  x: Foo\n}")));

        assertThatThrownBy(sources::parse)
                .isInstanceOf(SchemaException.class)
                .hasMessage("a.graphql:2:3: Context.id has unknown type Strin; declare it, or use one of Boolean, Int,"
                        + " Float, String\n"
                        + "b.graphql:4:3: Root.x has unknown type Foo; declare it, or use one of Boolean, Int, Float,"
                        + " String");
    }

    @Test
    void locate_mapsLinesBackAndLeavesOtherLocationsAlone() {
        SchemaSources sources = SchemaSources.of(
                List.of(new SchemaSource("a", "1\n2\n3"), new SchemaSource("b", "1\r2\n"), new SchemaSource("c", "")));

        assertThat(sources.locate(new SchemaProblem(sources.name(), 3, 7, "m")))
                .isEqualTo(new SchemaProblem("a", 3, 7, "m"));
        assertThat(sources.locate(new SchemaProblem(sources.name(), 5, 1, "m")))
                .isEqualTo(new SchemaProblem("b", 2, 1, "m"));
        assertThat(sources.locate(new SchemaProblem(sources.name(), 6, 1, "m")))
                .isEqualTo(new SchemaProblem("c", 1, 1, "m"));
        assertThat(sources.locate(new SchemaProblem("other", 5, 1, "m")))
                .isEqualTo(new SchemaProblem("other", 5, 1, "m"));
        assertThat(sources.locate(null)).isNull();
    }

    @Test
    void read_findsSchemaFilesInDirectoriesInPathOrder_namedRelativeToTheBase(@TempDir Path base) throws IOException {
        Files.createDirectories(base.resolve("schema/nested"));
        Files.writeString(base.resolve("schema/b.graphql"), "type Root { a: Int }");
        Files.writeString(base.resolve("schema/a.graphqls"), "input Context { a: Int }");
        Files.writeString(base.resolve("schema/nested/c.graphql"), "enum E { A }");
        Files.writeString(base.resolve("schema/notes.txt"), "not a schema");
        Files.writeString(base.resolve("extra.graphql"), "enum F { B }");

        List<SchemaSource> sources =
                SchemaSources.read(List.of(base.resolve("schema"), base.resolve("extra.graphql")), base);

        assertThat(sources)
                .extracting(SchemaSource::name)
                .containsExactly("schema/a.graphqls", "schema/b.graphql", "schema/nested/c.graphql", "extra.graphql");
        assertThat(sources.get(1).text()).isEqualTo("type Root { a: Int }");
    }

    @Test
    void read_missingPath_throws(@TempDir Path base) {
        assertThatThrownBy(() -> SchemaSources.read(List.of(base.resolve("missing")), base))
                .isInstanceOf(NoSuchFileException.class);
    }

    @Test
    void read_aFileThatIsNotUtf8_failsNamingTheFileAndWhere(@TempDir Path directory) throws IOException {
        Path file = directory.resolve("schema.graphql");
        Files.write(file, "input Context { id: String! }\n# caf\u00e9\n".getBytes(StandardCharsets.ISO_8859_1));

        assertThatThrownBy(() -> SchemaSources.read(List.of(file), directory))
                .isInstanceOf(IOException.class)
                .hasMessage("schema.graphql: not valid UTF-8 at byte offset 35 (line 2); save it as UTF-8")
                .hasCauseInstanceOf(CharacterCodingException.class);
    }

    @Test
    void read_decodesUtf8IncludingCharactersOutsideTheBasicPlane(@TempDir Path directory) throws IOException {
        String text = "\"Größe 😀\"\ninput Context { id: String! }\n";
        Path file = Files.writeString(directory.resolve("schema.graphql"), text, StandardCharsets.UTF_8);

        assertThat(SchemaSource.read(file, "s.graphql")).isEqualTo(new SchemaSource("s.graphql", text));
    }
}
