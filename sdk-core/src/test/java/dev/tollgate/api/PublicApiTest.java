package dev.tollgate.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * {@code docs/api.md} lists the whole public API: every public type of the packages {@code module-info.java} exports
 * to everyone, and no type that is gone. No two public types of the runtime, exported or internal, share a simple name,
 * so an IDE's auto-import never offers the wrong one.
 */
class PublicApiTest {
    private static final Path CLASSES = Path.of("target/classes");
    private static final Pattern EXPORT = Pattern.compile("^\\s*exports\\s+([\\w.]+)\\s*;", Pattern.MULTILINE);
    private static final Pattern LISTED = Pattern.compile("^\\| `([\\w.]+)` \\|", Pattern.MULTILINE);

    @Test
    void apiPage_listsExactlyThePublicTypesOfTheExportedPackages() {
        List<String> exported = exportedPackages();
        List<String> publicTypes = publicTypes().stream()
                .filter(type -> exported.contains(type.getPackageName()))
                .map(PublicApiTest::listedName)
                .sorted()
                .toList();
        List<String> listed = listedTypes();

        assertThat(exported).contains("dev.tollgate", "dev.tollgate.runtime", "dev.tollgate.spi");
        assertThat(listed).as("types docs/api.md lists").containsExactlyInAnyOrderElementsOf(publicTypes);
    }

    /**
     * Top-level types are imported by their simple name, so no two share one, and no nested type (which is written
     * {@code Outer.Nested}, as {@code TollgateClient.Builder}) takes the name of a top-level one.
     */
    @Test
    void noTwoPublicTypes_shareASimpleName() {
        List<Class<?>> types = publicTypes();
        Map<String, List<String>> topLevel = types.stream()
                .filter(type -> type.getDeclaringClass() == null)
                .collect(Collectors.groupingBy(
                        Class::getSimpleName, TreeMap::new, Collectors.mapping(Class::getName, Collectors.toList())));
        List<String> nestedClashes = types.stream()
                .filter(type -> type.getDeclaringClass() != null && topLevel.containsKey(type.getSimpleName()))
                .map(type -> type.getName() + " is named like " + topLevel.get(type.getSimpleName()))
                .toList();
        topLevel.values().removeIf(names -> names.size() < 2);

        assertThat(topLevel).isEmpty();
        assertThat(nestedClashes).isEmpty();
    }

    /** A type as the page names it, relative to {@code dev.tollgate}: {@code runtime.TypedClient}, {@code Reason.Kind}. */
    private static String listedName(Class<?> type) {
        return type.getName().substring("dev.tollgate.".length()).replace('$', '.');
    }

    private static List<String> exportedPackages() {
        Matcher matcher = EXPORT.matcher(read(Path.of("src/main/java/module-info.java")));
        List<String> packages = new ArrayList<>();
        while (matcher.find()) {
            packages.add(matcher.group(1));
        }
        return packages;
    }

    private static List<String> listedTypes() {
        Matcher matcher = LISTED.matcher(read(Path.of("../docs/api.md")));
        List<String> types = new ArrayList<>();
        while (matcher.find()) {
            types.add(matcher.group(1));
        }
        return types;
    }

    /** Every public class file of the runtime whose enclosing classes are public too. */
    private static List<Class<?>> publicTypes() {
        try (Stream<Path> files = Files.walk(CLASSES)) {
            return files.filter(p -> p.toString().endsWith(".class"))
                    .map(p -> CLASSES.relativize(p).toString())
                    .filter(name -> !name.startsWith("META-INF") && !name.contains("-info"))
                    .map(name ->
                            name.substring(0, name.length() - ".class".length()).replace('/', '.'))
                    .map(PublicApiTest::load)
                    .filter(PublicApiTest::visible)
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static boolean visible(Class<?> type) {
        for (Class<?> c = type; c != null; c = c.getDeclaringClass()) {
            if (!Modifier.isPublic(c.getModifiers()) || c.isAnonymousClass() || c.isLocalClass()) {
                return false;
            }
        }
        return true;
    }

    private static Class<?> load(String name) {
        try {
            return Class.forName(name, false, PublicApiTest.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
