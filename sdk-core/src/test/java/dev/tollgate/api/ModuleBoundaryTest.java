package dev.tollgate.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The boundary {@code module-info.java} declares, for builds on the class path, where the JVM does not enforce it:
 * outside sdk-core, only the modules an {@code exports ... to} names may use an internal package, and only the
 * packages exported to them. Every Maven module of the repository is checked, main and test sources; a module's name is
 * its {@code Automatic-Module-Name} (modules without one, such as the examples, may use no internal package).
 */
class ModuleBoundaryTest {
    private static final Path REPOSITORY = Path.of("..").toAbsolutePath().normalize();
    private static final Pattern QUALIFIED_EXPORT =
            Pattern.compile("exports\\s+(dev\\.tollgate\\.internal[\\w.]*)\\s+to\\s+([\\w.,\\s]+);");
    private static final Pattern INTERNAL_USE = Pattern.compile("\\bdev\\.tollgate\\.internal(?:\\.[a-z]\\w*)*");
    private static final Pattern MODULE_NAME =
            Pattern.compile("<Automatic-Module-Name>([\\w.]+)</Automatic-Module-Name>");

    @Test
    void outsideSdkCore_onlyTheModulesNamedInQualifiedExports_useInternalPackages() throws IOException {
        Map<String, Set<String>> exportedTo = qualifiedExports();
        List<String> offences = new ArrayList<>();
        for (Path module : modules()) {
            String name = moduleName(module);
            for (Path source : javaSources(module)) {
                for (String used : internalPackages(source)) {
                    if (!exportedTo.getOrDefault(used, Set.of()).contains(name)) {
                        offences.add(REPOSITORY.relativize(source) + " uses " + used + " (module "
                                + (name == null ? "without a name" : name) + ")");
                    }
                }
            }
        }
        assertThat(offences).isEmpty();
    }

    @Test
    void theRules_catchAnImportOfANonExportedPackage() {
        assertThat(internalPackagesIn("import dev.tollgate.internal.eval.SnapshotCompiler;\n"
                        + "class X { Object y = dev.tollgate.internal.ApiAccess.class; }"))
                .containsExactlyInAnyOrder("dev.tollgate.internal.eval", "dev.tollgate.internal");
        assertThat(qualifiedExports()).containsKey("dev.tollgate.internal.schema");
        assertThat(qualifiedExports()).doesNotContainKey("dev.tollgate.internal.eval");
    }

    private static Map<String, Set<String>> qualifiedExports() {
        String moduleInfo = read(Path.of("src/main/java/module-info.java"));
        Map<String, Set<String>> exports = new HashMap<>();
        Matcher matcher = QUALIFIED_EXPORT.matcher(moduleInfo);
        while (matcher.find()) {
            Set<String> targets = new HashSet<>();
            for (String target : matcher.group(2).split(",")) {
                targets.add(target.strip());
            }
            exports.put(matcher.group(1), targets);
        }
        return exports;
    }

    private static List<Path> modules() throws IOException {
        try (Stream<Path> poms = Files.walk(REPOSITORY, 3)) {
            return poms.filter(p -> p.getFileName().toString().equals("pom.xml"))
                    .map(Path::getParent)
                    .filter(dir -> !dir.equals(REPOSITORY.resolve("sdk-core")))
                    .filter(dir -> Files.isDirectory(dir.resolve("src")))
                    .filter(dir -> !dir.startsWith(REPOSITORY.resolve("sdk-codegen/src")))
                    .toList();
        }
    }

    private static String moduleName(Path module) {
        Matcher matcher = MODULE_NAME.matcher(read(module.resolve("pom.xml")));
        return matcher.find() ? matcher.group(1) : null;
    }

    private static List<Path> javaSources(Path module) throws IOException {
        try (Stream<Path> files = Files.walk(module.resolve("src"))) {
            return files.filter(p -> p.toString().endsWith(".java"))
                    .filter(p -> !p.toString().contains("/src/test/resources/"))
                    .filter(p -> !p.toString().contains("/src/it/"))
                    .toList();
        }
    }

    private static Set<String> internalPackages(Path source) {
        return internalPackagesIn(read(source));
    }

    /** The internal packages a source names, in imports or fully qualified; a trailing class name is dropped. */
    static Set<String> internalPackagesIn(String text) {
        Set<String> packages = new HashSet<>();
        Matcher matcher = INTERNAL_USE.matcher(text);
        while (matcher.find()) {
            packages.add(matcher.group());
        }
        return packages;
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
