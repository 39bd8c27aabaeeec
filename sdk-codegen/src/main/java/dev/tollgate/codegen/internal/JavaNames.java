package dev.tollgate.codegen.internal;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Set;

/** Java identifier rules and the conversions the generator applies to schema names. */
public final class JavaNames {
    private static final Set<String> KEYWORDS = Set.of(
            "abstract",
            "assert",
            "boolean",
            "break",
            "byte",
            "case",
            "catch",
            "char",
            "class",
            "const",
            "continue",
            "default",
            "do",
            "double",
            "else",
            "enum",
            "extends",
            "final",
            "finally",
            "float",
            "for",
            "goto",
            "if",
            "implements",
            "import",
            "instanceof",
            "int",
            "interface",
            "long",
            "native",
            "new",
            "package",
            "private",
            "protected",
            "public",
            "return",
            "short",
            "static",
            "strictfp",
            "super",
            "switch",
            "synchronized",
            "this",
            "throw",
            "throws",
            "transient",
            "try",
            "void",
            "volatile",
            "while",
            "true",
            "false",
            "null",
            "_");
    private static final Set<String> RESTRICTED_TYPE_NAMES =
            Set.of("var", "yield", "record", "sealed", "permits", "non-sealed");

    /**
     * The longest class file name, in bytes, the generator produces: most file systems allow 255, some (encrypted
     * home directories, for one) fewer, so leave room.
     */
    public static final int MAX_FILE_NAME_BYTES = 200;

    private JavaNames() {}

    /** The length of a file name in bytes, as file systems count it. */
    public static int fileNameBytes(String fileName) {
        return fileName.getBytes(StandardCharsets.UTF_8).length;
    }

    /** Whether {@code name} is a keyword or literal that cannot be a Java identifier. */
    public static boolean isKeyword(String name) {
        return KEYWORDS.contains(name);
    }

    public static boolean isIdentifier(String name) {
        if (name == null || name.isEmpty() || isKeyword(name) || !Character.isJavaIdentifierStart(name.charAt(0))) {
            return false;
        }
        for (int i = 1; i < name.length(); i++) {
            if (!Character.isJavaIdentifierPart(name.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    /** Whether {@code name} can name a class. */
    public static boolean isTypeName(String name) {
        return isIdentifier(name) && !RESTRICTED_TYPE_NAMES.contains(name);
    }

    /** Whether {@code name} is a dotted Java package name such as {@code com.acme.flags}. */
    public static boolean isPackageName(String name) {
        if (name == null || name.isEmpty()) {
            return false;
        }
        for (String part : name.split("\\.", -1)) {
            if (!isIdentifier(part)) {
                return false;
            }
        }
        return true;
    }

    /** A schema name as a Java member name: unchanged unless it is a keyword, which gets a trailing underscore. */
    public static String member(String schemaName) {
        return isKeyword(schemaName) ? schemaName + "_" : schemaName;
    }

    /** A schema type name as a Java class name. */
    public static String type(String schemaName) {
        return isTypeName(schemaName) ? schemaName : schemaName + "_";
    }

    /** {@code maxTeamSize} to {@code MAX_TEAM_SIZE}. */
    public static String constant(String camel) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < camel.length(); i++) {
            char c = camel.charAt(i);
            boolean boundary = i > 0
                    && Character.isUpperCase(c)
                    && (Character.isLowerCase(camel.charAt(i - 1))
                            || Character.isDigit(camel.charAt(i - 1))
                            || (i + 1 < camel.length() && Character.isLowerCase(camel.charAt(i + 1))));
            if (boundary && out.charAt(out.length() - 1) != '_') {
                out.append('_');
            }
            out.append(Character.toUpperCase(c));
        }
        return out.toString().toUpperCase(Locale.ROOT);
    }

    /** {@code maxTeamSize} to {@code MaxTeamSize}. */
    public static String capitalize(String name) {
        String trimmed = name.startsWith("_") ? name.replaceFirst("^_+", "") : name;
        if (trimmed.isEmpty()) {
            return "Field";
        }
        return Character.toUpperCase(trimmed.charAt(0)) + trimmed.substring(1);
    }
}
