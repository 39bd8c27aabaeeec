package dev.tollgate.codegen;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;

/**
 * One schema file: the name it is reported and embedded under, and its SDL text.
 *
 * @param name the name used in error locations ({@code name:line:col}) and embedded in generated code; use a path
 *     relative to the project so that generated code does not depend on where the project is checked out
 * @param text the SDL
 */
public record SchemaSource(String name, String text) {

    public SchemaSource {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(text, "text");
    }

    /** Reads a UTF-8 schema file, naming it {@code name}. */
    public static SchemaSource read(Path file, String name) throws IOException {
        return new SchemaSource(name, Files.readString(file, StandardCharsets.UTF_8));
    }

    /** Reads a UTF-8 schema file, naming it by its path as given. */
    public static SchemaSource read(Path file) throws IOException {
        return read(file, file.toString().replace('\\', '/'));
    }
}
