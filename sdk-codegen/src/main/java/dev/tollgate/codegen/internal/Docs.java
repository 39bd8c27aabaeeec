package dev.tollgate.codegen.internal;

import com.palantir.javapoet.CodeBlock;
import dev.tollgate.internal.schema.TypeRef;

/** Javadoc from schema descriptions: escaped so that no description can break the comment or the compilation. */
final class Docs {

    private Docs() {}

    /**
     * Escapes text for a Javadoc comment: HTML specials, the comment terminator, tags and backslashes (which could
     * start a Unicode escape that javac reads even inside comments).
     */
    static String escape(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '@' -> out.append("&#64;");
                case '\\' -> out.append("&#92;");
                case '/' -> out.append(i > 0 && text.charAt(i - 1) == '*' ? "&#47;" : "/");
                case '\r' -> {
                    if (i + 1 >= text.length() || text.charAt(i + 1) != '\n') {
                        out.append('\n');
                    }
                }
                default -> out.append(c);
            }
        }
        return out.toString().strip();
    }

    /** The description as the first paragraph, or {@code otherwise} when there is none. */
    static CodeBlock description(String description, String otherwise) {
        if (description == null || description.isBlank()) {
            return CodeBlock.of("$L\n", otherwise);
        }
        return CodeBlock.of("$L\n", escape(description));
    }

    /** A deprecation reason for {@code @deprecated}. */
    static String deprecation(String reason) {
        return reason == null || reason.isBlank() ? "No longer supported." : escape(reason);
    }

    /** A type as written in the schema, for Javadoc. */
    static String code(TypeRef type) {
        return "{@code " + escape(type.toString()) + "}";
    }

    /** A one-line description for a {@code @param} tag, or {@code otherwise}. */
    static String inline(String description, String otherwise) {
        if (description == null || description.isBlank()) {
            return otherwise;
        }
        return escape(description).replaceAll("\\s*\\n\\s*", " ");
    }
}
