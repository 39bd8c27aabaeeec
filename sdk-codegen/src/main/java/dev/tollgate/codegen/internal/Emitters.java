package dev.tollgate.codegen.internal;

import com.palantir.javapoet.AnnotationSpec;
import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.JavaFile;
import com.palantir.javapoet.TypeSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/** What every emitter shares: the file header, the {@code @Generated} annotation and the common runtime types. */
final class Emitters {
    static final ClassName GENERATED = ClassName.get("javax.annotation.processing", "Generated");
    static final ClassName SNAPSHOT_READER = ClassName.get("dev.tollgate.runtime", "SnapshotReader");
    static final ClassName UNTYPED_ROOT = ClassName.get("dev.tollgate", "UntypedRoot");
    static final ClassName CLIENT = ClassName.get("dev.tollgate", "TollgateClient");
    static final ClassName EVALUATION_DETAIL = ClassName.get("dev.tollgate", "EvaluationDetail");
    static final ClassName INT_LIMIT = ClassName.get("dev.tollgate.runtime", "IntLimit");
    static final ClassName METERED_LIMIT = ClassName.get("dev.tollgate.runtime", "MeteredLimit");
    static final ClassName LOG_OPTIONS = ClassName.get("dev.tollgate", "LogOptions");
    static final ClassName INPUT_VALUE = ClassName.get("dev.tollgate.runtime", "InputValue");
    static final ClassName TYPED_CLIENT = ClassName.get("dev.tollgate.runtime", "TypedClient");
    static final ClassName TYPED_CLIENT_BUILDER = ClassName.get("dev.tollgate.runtime", "TypedClientBuilder");
    static final ClassName SCHEMA = ClassName.get("dev.tollgate", "Schema");
    static final ClassName SNAPSHOT_BUILDER = ClassName.get("dev.tollgate.testing", "SnapshotBuilder");
    static final ClassName TEST_VALUES = ClassName.get("dev.tollgate.testing", "TestValues");
    static final ClassName TYPED_TEST_KIT = ClassName.get("dev.tollgate.testing", "TypedTestKit");
    static final ClassName TYPED_TEST_KIT_BUILDER = ClassName.get("dev.tollgate.testing", "TypedTestKitBuilder");
    static final ClassName TYPED_TEST_KIT_EXTENSION = ClassName.get("dev.tollgate.testing", "TypedTestKitExtension");
    static final ClassName CONDITION = ClassName.get("dev.tollgate.testing", "ConditionSpec");

    /**
     * Simple names of the types generated code imports. A generated class with one of these names makes the imported
     * type appear qualified, so that no reader mistakes one for the other.
     */
    static final Set<String> IMPORTED_NAMES = Set.of(
            "FieldReader",
            "UntypedRoot",
            "TollgateClient",
            "EvaluationDetail",
            "IntLimit",
            "MeteredLimit",
            "InvalidSnapshotException",
            "InputValue",
            "TypedClient",
            "TypedClientBuilder",
            "Schema",
            "SnapshotBuilder",
            "ConditionSpec",
            "TypedTestKit",
            "TypedTestKitBuilder",
            "TypedTestKitExtension",
            "Generated",
            "List",
            "Map",
            "Objects",
            "Arrays",
            "Collections",
            "ArrayList",
            "LinkedHashMap",
            "Optional",
            "Function",
            "Consumer",
            "Path",
            "InputStream",
            "IOException",
            "UncheckedIOException",
            "StandardCharsets",
            "GeneratedSupport",
            "TestValues",
            "LogOptions");

    /** The {@code java.lang} types generated code names. */
    static final Set<String> JAVA_LANG_NAMES = Set.of(
            "String",
            "Object",
            "Class",
            "Integer",
            "Double",
            "Boolean",
            "Override",
            "Deprecated",
            "SuppressWarnings",
            "IllegalStateException");

    /** The first parts of the packages of the types generated code imports, which it writes out when qualifying one. */
    static final Set<String> PACKAGE_ROOTS = Set.of("java", "javax", "dev", "org");

    private Emitters() {}

    static AnnotationSpec generated(Model model) {
        return AnnotationSpec.builder(GENERATED)
                .addMember("value", "$S", JavaGenerator.GENERATOR_NAME)
                .addMember("comments", "$S", "schema " + model.schema.hash())
                .build();
    }

    /** The parts joined by commas after which JavaPoet may wrap the line: argument lists, array elements. */
    static CodeBlock commaSeparated(List<CodeBlock> parts) {
        return CodeBlock.join(parts, ",$W");
    }

    /**
     * A source file with the generator's header. Imported types and {@code java.lang} types that share a simple name
     * with a generated class are written qualified: for {@code java.lang} that is needed to compile, for the others it
     * is for the reader.
     */
    static JavaFile file(Model model, TypeSpec type, Set<String> generatedSimpleNames) {
        List<String> clashes = new ArrayList<>();
        for (String name : generatedSimpleNames) {
            if (isJavaLang(name) || IMPORTED_NAMES.contains(name)) {
                clashes.add(name);
            }
        }
        TypeSpec qualified = clashes.isEmpty()
                ? type
                : type.toBuilder().alwaysQualify(clashes.toArray(new String[0])).build();
        return JavaFile.builder(model.packageName, qualified)
                .addFileComment("$L", header(model.sources.name()))
                .skipJavaLangImports(true)
                .indent("    ")
                .build();
    }

    /** The file comment naming the schema, on two lines when one would pass the column limit. */
    static String header(String schemaName) {
        String generated = "Generated by Tollgate codegen from " + schemaName + ".";
        String doNotEdit = "Do not edit: changes are lost when it runs again.";
        boolean fits = "// ".length() + generated.length() + 1 + doNotEdit.length() <= COLUMN_LIMIT;
        return generated + (fits ? " " : "\n") + doNotEdit;
    }

    /**
     * The column limit of generated code, as palantir-java-format keeps the project's own: long Javadoc lines (outside
     * {@code <pre>} blocks), type declarations and string literals are wrapped to it. JavaPoet wraps statements at
     * their {@code $W} and {@code $Z} points by its own limit of 100 columns, which it does not let callers change.
     */
    static final int COLUMN_LIMIT = 120;

    /** A type declaration, which JavaPoet writes on one line however long its supertypes are. */
    private static final Pattern DECLARATION =
            Pattern.compile("\\s*((public|protected|private|abstract|static|final|sealed|non-sealed) )*"
                    + "(class|interface|enum|record) .*\\{");

    /**
     * The file's source with long Javadoc lines wrapped at spaces and long type declarations before their
     * {@code extends} and {@code implements}; statements are left as JavaPoet wrapped them.
     */
    static String source(JavaFile file) {
        StringBuilder out = new StringBuilder();
        boolean javadoc = false;
        boolean pre = false;
        for (String line : file.toString().split("\n", -1)) {
            String trimmed = line.strip();
            if (trimmed.startsWith("/**")) {
                javadoc = true;
            }
            if (javadoc && trimmed.startsWith("* ") && !pre && line.length() > COLUMN_LIMIT) {
                wrap(out, line);
            } else if (!javadoc
                    && line.length() > COLUMN_LIMIT
                    && DECLARATION.matcher(line).matches()) {
                wrapDeclaration(out, line);
            } else {
                out.append(line).append('\n');
            }
            if (javadoc && trimmed.contains("<pre>")) {
                pre = true;
            }
            if (trimmed.contains("</pre>")) {
                pre = false;
            }
            if (trimmed.endsWith("*/")) {
                javadoc = false;
            }
        }
        out.setLength(out.length() - 1);
        return out.toString();
    }

    private static void wrap(StringBuilder out, String line) {
        int star = line.indexOf('*');
        String prefix = line.substring(0, star + 2);
        String text = line.substring(star + 2);
        StringBuilder current = new StringBuilder(prefix);
        for (String word : text.split(" ")) {
            if (current.length() > prefix.length() && current.length() + 1 + word.length() > COLUMN_LIMIT) {
                out.append(current).append('\n');
                current = new StringBuilder(prefix);
            }
            if (current.length() > prefix.length()) {
                current.append(' ');
            }
            current.append(word);
        }
        out.append(current).append('\n');
    }

    /**
     * Writes the declaration with each {@code extends} and {@code implements} clause on a continuation line, as
     * palantir-java-format does; only clauses outside type arguments count, not the bounds of type variables.
     */
    private static void wrapDeclaration(StringBuilder out, String line) {
        String indent = line.substring(0, line.length() - line.stripLeading().length());
        int depth = 0;
        int start = 0;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c == '<') {
                depth++;
            } else if (c == '>') {
                depth--;
            } else if (depth == 0 && (line.startsWith(" extends ", i) || line.startsWith(" implements ", i))) {
                out.append(start == 0 ? "" : indent + "        ")
                        .append(line, start, i)
                        .append('\n');
                start = i + 1;
            }
        }
        out.append(start == 0 ? "" : indent + "        ")
                .append(line, start, line.length())
                .append('\n');
    }

    private static boolean isJavaLang(String simpleName) {
        try {
            Class.forName("java.lang." + simpleName, false, ClassLoader.getPlatformClassLoader());
            return true;
        } catch (ClassNotFoundException e) {
            return false;
        }
    }
}
