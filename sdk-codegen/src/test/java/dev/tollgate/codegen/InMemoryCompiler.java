package dev.tollgate.codegen;

import java.io.File;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.net.MalformedURLException;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;

/**
 * Compiles Java sources with javac in this JVM, as strictly as the project builds its own code ({@code -Xlint:all
 * -Werror}), against the runtime, tollgate-testing and JUnit on the test class path, and loads the result.
 */
final class InMemoryCompiler {
    /** Classes whose jars or directories make up the class path of the compiled code. */
    private static final List<String> CLASS_PATH_ANCHORS = List.of(
            "dev.tollgate.UntypedRoot",
            "dev.tollgate.testing.TypedTestKit",
            "com.fasterxml.jackson.databind.ObjectMapper",
            "com.fasterxml.jackson.core.JsonFactory",
            "com.fasterxml.jackson.annotation.JsonProperty",
            "org.slf4j.Logger",
            "com.google.re2j.Pattern",
            "org.junit.jupiter.api.Test",
            "org.junit.platform.commons.util.ReflectionUtils",
            "org.opentest4j.AssertionFailedError",
            "org.apiguardian.api.API");

    private InMemoryCompiler() {}

    /** Compiles every {@code .java} file under the roots into {@code output}; fails listing every diagnostic. */
    static ClassLoader compile(List<Path> sourceRoots, Path output) {
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        try (StandardJavaFileManager files = javac.getStandardFileManager(diagnostics, Locale.ROOT, null)) {
            List<File> sources = new ArrayList<>();
            for (Path root : sourceRoots) {
                try (var walk = Files.walk(root)) {
                    walk.filter(p -> p.toString().endsWith(".java")).forEach(p -> sources.add(p.toFile()));
                }
            }
            Files.createDirectories(output);
            List<String> options = List.of(
                    "--release",
                    "17",
                    "-Xlint:all",
                    "-Werror",
                    "-proc:none",
                    "-encoding",
                    "UTF-8",
                    "-classpath",
                    classPath(),
                    "-d",
                    output.toString());
            StringWriter out = new StringWriter();
            boolean ok = javac.getTask(
                            out, files, diagnostics, options, null, files.getJavaFileObjectsFromFiles(sources))
                    .call();
            if (!ok || !diagnostics.getDiagnostics().isEmpty()) {
                throw new AssertionError("javac reported:\n" + out
                        + diagnostics.getDiagnostics().stream()
                                .map(InMemoryCompiler::format)
                                .collect(Collectors.joining("\n")));
            }
            return new URLClassLoader(new URL[] {output.toUri().toURL()}, InMemoryCompiler.class.getClassLoader());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String format(Diagnostic<? extends JavaFileObject> diagnostic) {
        String file =
                diagnostic.getSource() == null ? "" : diagnostic.getSource().getName();
        return diagnostic.getKind() + " " + file + ":" + diagnostic.getLineNumber() + ": "
                + diagnostic.getMessage(Locale.ROOT);
    }

    static String classPath() {
        Set<String> entries = new LinkedHashSet<>();
        for (String anchor : CLASS_PATH_ANCHORS) {
            try {
                Class<?> type = Class.forName(anchor, false, InMemoryCompiler.class.getClassLoader());
                entries.add(Path.of(type.getProtectionDomain()
                                .getCodeSource()
                                .getLocation()
                                .toURI())
                        .toString());
            } catch (ClassNotFoundException | URISyntaxException e) {
                throw new IllegalStateException("cannot locate " + anchor + " on the test class path", e);
            }
        }
        return String.join(File.pathSeparator, entries);
    }

    static URL url(Path path) {
        try {
            return path.toUri().toURL();
        } catch (MalformedURLException e) {
            throw new IllegalArgumentException(e);
        }
    }
}
