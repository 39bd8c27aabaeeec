package dev.tollgate.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/**
 * {@code tollgate-bom} manages every artifact the build publishes for users, at the build's version: every module of
 * the reactor that is not an aggregator, an example, a benchmark or this test suite.
 */
class BomTest {
    private static final Path ROOT = Path.of("..");
    private static final Set<String> NOT_FOR_USERS = Set.of("tollgate-conformance", "tollgate-benchmarks");

    @Test
    void bom_listsEveryPublishedModule_atTheBuildsVersion() throws Exception {
        Document root = parse(ROOT.resolve("pom.xml"));
        Document bom = parse(ROOT.resolve("bom/pom.xml"));
        Set<String> published = new TreeSet<>();
        collect(ROOT, published);

        Set<String> managed = new TreeSet<>();
        List<String> versions = new ArrayList<>();
        NodeList dependencies = bom.getElementsByTagName("dependency");
        for (int i = 0; i < dependencies.getLength(); i++) {
            Element dependency = (Element) dependencies.item(i);
            assertThat(child(dependency, "groupId")).isEqualTo("dev.tollgate");
            managed.add(child(dependency, "artifactId"));
            versions.add(child(dependency, "version"));
        }

        assertThat(published).contains("tollgate-sdk-core", "tollgate-micrometer");
        assertThat(managed).isEqualTo(published);
        assertThat(versions).containsOnly("${project.version}");
        assertThat(child(bom.getDocumentElement(), "version")).isEqualTo(child(root.getDocumentElement(), "version"));
    }

    /** Adds the artifact ids of the jar and plugin modules under {@code directory}'s pom, recursively. */
    private static void collect(Path directory, Set<String> published) throws Exception {
        Element project = parse(directory.resolve("pom.xml")).getDocumentElement();
        String artifactId = child(project, "artifactId");
        String packaging = child(project, "packaging");
        if (packaging == null || packaging.equals("jar") || packaging.equals("maven-plugin")) {
            if (!NOT_FOR_USERS.contains(artifactId)
                    && !directory.normalize().toString().contains("examples")) {
                published.add(artifactId);
            }
            return;
        }
        Element modules = childElement(project, "modules");
        if (modules == null) {
            return;
        }
        NodeList list = modules.getElementsByTagName("module");
        for (int i = 0; i < list.getLength(); i++) {
            Path module = directory.resolve(list.item(i).getTextContent().trim());
            if (Files.isRegularFile(module.resolve("pom.xml"))) {
                collect(module, published);
            }
        }
    }

    private static Document parse(Path pom) throws Exception {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        return factory.newDocumentBuilder().parse(pom.toFile());
    }

    /** The text of {@code parent}'s direct child element {@code name}, or null. */
    private static String child(Element parent, String name) {
        Element element = childElement(parent, name);
        return element == null ? null : element.getTextContent().trim();
    }

    private static Element childElement(Element parent, String name) {
        for (Node node = parent.getFirstChild(); node != null; node = node.getNextSibling()) {
            if (node instanceof Element element && element.getTagName().equals(name)) {
                return element;
            }
        }
        return null;
    }
}
