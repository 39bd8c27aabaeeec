package dev.tollgate.codegen;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Lets a build skip generation when nothing changed: a fingerprint of the inputs (the generator itself, the request,
 * the schema text and any extra inputs) and of the files the last run wrote. Generation is up to date when the inputs
 * are the same and every output is still there, unchanged.
 */
public final class GenerationFingerprint {
    private static final String INPUTS = "inputs ";
    private static final String OUTPUT = "output ";

    private final String inputs;

    private GenerationFingerprint(String inputs) {
        this.inputs = inputs;
    }

    /**
     * The fingerprint of a request's inputs.
     *
     * @param extraInputs other inputs that change what the build produces, such as an embedded snapshot's content
     */
    public static GenerationFingerprint of(GenerationRequest request, List<String> extraInputs) {
        StringBuilder text = new StringBuilder();
        text.append("generator ").append(generatorIdentity()).append('\n');
        text.append("request ").append(request).append('\n');
        for (SchemaSource schema : request.schemas()) {
            text.append("schema ")
                    .append(schema.name())
                    .append(' ')
                    .append(sha256(schema.text()))
                    .append('\n');
        }
        for (String extra : extraInputs) {
            text.append("extra ").append(sha256(extra)).append('\n');
        }
        return new GenerationFingerprint(sha256(text.toString()));
    }

    /** Whether {@code file} records these inputs and outputs that are all still as written. */
    public boolean isUpToDate(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            return false;
        }
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        if (lines.isEmpty() || !lines.get(0).equals(INPUTS + inputs)) {
            return false;
        }
        for (String line : lines.subList(1, lines.size())) {
            if (!line.startsWith(OUTPUT)) {
                return false;
            }
            int space = line.indexOf(' ', OUTPUT.length());
            Path output = Path.of(line.substring(space + 1));
            if (!Files.isRegularFile(output)
                    || !sha256(Files.readAllBytes(output)).equals(line.substring(OUTPUT.length(), space))) {
                return false;
            }
        }
        return true;
    }

    /**
     * The outputs a fingerprint file records, whatever its inputs: what the last run that saved it wrote, for {@link
     * GenerationResult#write(java.util.Collection)} to delete what this run no longer generates. Empty when there is
     * no such file or it is not one this class wrote.
     */
    public static Optional<List<Path>> recordedOutputs(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        if (lines.isEmpty() || !lines.get(0).startsWith(INPUTS)) {
            return Optional.empty();
        }
        List<Path> outputs = new ArrayList<>();
        for (String line : lines.subList(1, lines.size())) {
            int space = line.indexOf(' ', OUTPUT.length());
            if (!line.startsWith(OUTPUT) || space < 0) {
                return Optional.empty();
            }
            outputs.add(Path.of(line.substring(space + 1)));
        }
        return Optional.of(outputs);
    }

    /** Records these inputs and the current content of {@code outputs}. */
    public void save(Path file, List<Path> outputs) throws IOException {
        List<String> lines = new ArrayList<>();
        lines.add(INPUTS + inputs);
        for (Path output : outputs) {
            Path absolute = output.toAbsolutePath().normalize();
            lines.add(OUTPUT + sha256(Files.readAllBytes(absolute)) + " " + absolute);
        }
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.write(file, lines, StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return inputs;
    }

    /**
     * The generator's version and build: the size and time of its jar, or the newest class file when it runs from a
     * class directory, so that a rebuilt generator regenerates even under the same version.
     */
    private static String generatorIdentity() {
        String version = GenerationFingerprint.class.getPackage().getImplementationVersion();
        try {
            Path location = Path.of(GenerationFingerprint.class
                    .getProtectionDomain()
                    .getCodeSource()
                    .getLocation()
                    .toURI());
            if (Files.isRegularFile(location)) {
                return version + " " + Files.size(location) + " "
                        + Files.getLastModifiedTime(location).toMillis();
            }
            try (Stream<Path> classes = Files.walk(location)) {
                long newest = classes.filter(p -> p.toString().endsWith(".class"))
                        .mapToLong(p -> p.toFile().lastModified())
                        .max()
                        .orElse(0);
                return version + " " + newest;
            }
        } catch (IOException | URISyntaxException | RuntimeException e) {
            return version + " unknown";
        }
    }

    private static String sha256(String text) {
        return sha256(text.getBytes(StandardCharsets.UTF_8));
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }
}
