package dev.tollgate.codegen;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
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

    /**
     * Reads a UTF-8 schema file, naming it {@code name}.
     *
     * @throws IOException if the file cannot be read, or is not valid UTF-8: then the message names the file and
     *     where, as in {@code schema.graphql: not valid UTF-8 at byte offset 42 (line 3); save it as UTF-8}, and the
     *     cause is a {@link CharacterCodingException}
     */
    public static SchemaSource read(Path file, String name) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        CharBuffer out = CharBuffer.allocate(bytes.length); // UTF-8 never decodes to more chars than bytes
        CharsetDecoder decoder = StandardCharsets.UTF_8
                .newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        CoderResult result = decoder.decode(in, out, true);
        if (!result.isError()) {
            result = decoder.flush(out);
        }
        if (result.isError()) {
            int offset = in.position();
            int line = 1;
            for (int i = 0; i < offset; i++) {
                if (bytes[i] == '\n') {
                    line++;
                }
            }
            IOException failure = new IOException(
                    name + ": not valid UTF-8 at byte offset " + offset + " (line " + line + "); save it as UTF-8");
            try {
                result.throwException();
            } catch (CharacterCodingException e) {
                failure.initCause(e);
            }
            throw failure;
        }
        return new SchemaSource(name, out.flip().toString());
    }

    /** Reads a UTF-8 schema file, naming it by its path as given. */
    public static SchemaSource read(Path file) throws IOException {
        return read(file, file.toString().replace('\\', '/'));
    }
}
