package dev.tollgate.codegen;

import java.util.Objects;

/**
 * One generated Java source file.
 *
 * @param kind which source root it belongs to
 * @param relativePath its path under that root, with {@code /} separators, such as {@code com/acme/flags/Plan.java}
 * @param content the complete source text
 */
public record GeneratedFile(Kind kind, String relativePath, String content) {

    /** The source root a file belongs to. */
    public enum Kind {
        /** Application code: {@link GenerationRequest#outputDirectory()}. */
        MAIN,
        /** The test kit: {@link GenerationRequest#testKitOutputDirectory()}. */
        TEST_KIT
    }

    public GeneratedFile {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(relativePath, "relativePath");
        Objects.requireNonNull(content, "content");
    }
}
