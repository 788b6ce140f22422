package cloud.hop3.core.impl.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import cloud.hop3.api.build.BuildArtifact;
import cloud.hop3.api.build.BuildLog;
import cloud.hop3.api.build.BuildRequest;
import cloud.hop3.api.build.Builder;
import cloud.hop3.api.build.Detection;
import cloud.hop3.api.deploy.DeployException;

class BuilderChoiceTest {

    @TempDir
    Path source;

    /** A builder that detects by looking at the source, and records that it was asked. */
    private static final class TestBuilder implements Builder {
        private final String name;
        private final Function<Path, Optional<Detection>> detect;
        final List<Path> asked = new ArrayList<>();

        TestBuilder(String name, Function<Path, Optional<Detection>> detect) {
            this.name = name;
            this.detect = detect;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public Optional<Detection> detect(Path src) {
            asked.add(src);
            return detect.apply(src);
        }

        @Override
        public BuildArtifact build(BuildRequest request, BuildLog log) {
            throw new UnsupportedOperationException("not built in this test");
        }
    }

    private static TestBuilder detecting(String name, String file, int priority) {
        return new TestBuilder(name, src -> Files.exists(src.resolve(file))
                ? Optional.of(new Detection(priority, "found " + file)) : Optional.empty());
    }

    private static List<Map.Entry<Map<String, Object>, Builder>> registered(Builder... builders) {
        List<Map.Entry<Map<String, Object>, Builder>> list = new ArrayList<>();
        for (Builder b : builders) {
            list.add(Map.entry(Map.of(Builder.NAME_PROPERTY, b.name()), b));
        }
        return list;
    }

    private BuilderChoice.Chosen detect(List<Map.Entry<Map<String, Object>, Builder>> builders) throws DeployException {
        return BuilderChoice.choose(builders, source, Optional.empty(), "hop3.toml [build].builder");
    }

    @Test
    void theNamedBuilderIsUsedWithoutDetection() throws Exception {
        TestBuilder python = detecting("python", "requirements.txt", 100);
        TestBuilder fallback = detecting("static", "index.html", 10);
        Files.writeString(source.resolve("index.html"), "<h1>hi</h1>");

        BuilderChoice.Chosen chosen = BuilderChoice.choose(registered(python, fallback), source, Optional.of("python"),
                "hop3.toml [build].builder");

        assertSame(python, chosen.builder());
        assertEquals("asked for in hop3.toml [build].builder", chosen.reason());
        assertTrue(python.asked.isEmpty() && fallback.asked.isEmpty(), "a named builder needs no detection");
    }

    @Test
    void theReasonSaysWhereTheNameCameFrom() throws Exception {
        TestBuilder node = detecting("node", "package.json", 100);

        BuilderChoice.Chosen chosen = BuilderChoice.choose(registered(node), source, Optional.of("node"),
                "the HOP3_BUILDER config var");

        assertEquals("asked for in the HOP3_BUILDER config var", chosen.reason());
    }

    @Test
    void ofTwoBuildersWithTheNameTheHigherRankingIsUsedWhateverTheBindOrder() throws Exception {
        TestBuilder oldPython = detecting("python", "requirements.txt", 100);
        TestBuilder newPython = detecting("python", "requirements.txt", 100);
        Map.Entry<Map<String, Object>, Builder> old = Map.entry(Map.of(Builder.NAME_PROPERTY, "python", "service.id", 7L), oldPython);
        Map.Entry<Map<String, Object>, Builder> updated = Map.entry(Map.of(Builder.NAME_PROPERTY, "python",
                "service.ranking", 1, "service.id", 9L), newPython);

        for (List<Map.Entry<Map<String, Object>, Builder>> order : List.of(List.of(old, updated), List.of(updated, old))) {
            assertSame(newPython, BuilderChoice.choose(order, source, Optional.of("python"), "hop3.toml [build].builder")
                    .builder());
        }
    }

    @Test
    void aNamedBuilderThatIsNotInstalledListsTheInstalledOnes() {
        DeployException e = assertThrows(DeployException.class, () -> BuilderChoice.choose(
                registered(detecting("static", "index.html", 10), detecting("node", "package.json", 100)),
                source, Optional.of("ruby"), "hop3.toml [build].builder"));

        assertEquals("The builder 'ruby' named in hop3.toml [build].builder is not installed; installed builders:"
                + " node, static.", e.getMessage());
    }

    @Test
    void aNamedBuilderWithNoBuilderInstalledSaysNone() {
        DeployException e = assertThrows(DeployException.class, () -> BuilderChoice.choose(registered(), source,
                Optional.of("python"), "the HOP3_BUILDER config var"));

        assertEquals("The builder 'python' named in the HOP3_BUILDER config var is not installed; installed builders:"
                + " none.", e.getMessage());
    }

    @Test
    void anAppWhoseBuilderWasRemovedIsNotBuiltByAnotherOne() throws Exception {
        TestBuilder generic = detecting("generic", "Procfile", 1);
        Files.writeString(source.resolve("Procfile"), "web: python3 app.py");

        DeployException e = assertThrows(DeployException.class, () -> BuilderChoice.choose(registered(generic), source,
                Optional.empty(), "hop3.toml [build].builder", Optional.of("python")));

        assertTrue(e.getMessage().startsWith("This app was built with the 'python' builder, whose plugin is not"
                + " installed now; installed builders: generic."), e.getMessage());
        assertTrue(generic.asked.isEmpty(), "no other builder is tried");
    }

    @Test
    void namingABuilderOverridesTheRemovedOne() throws Exception {
        TestBuilder generic = detecting("generic", "Procfile", 1);

        BuilderChoice.Chosen chosen = BuilderChoice.choose(registered(generic), source, Optional.of("generic"),
                "the HOP3_BUILDER config var", Optional.of("python"));

        assertSame(generic, chosen.builder());
    }

    @Test
    void theInstalledPreviousBuilderDoesNotStopDetection() throws Exception {
        TestBuilder node = detecting("node", "package.json", 100);
        TestBuilder fallback = detecting("static", "index.html", 10);
        Files.writeString(source.resolve("package.json"), "{}");

        BuilderChoice.Chosen chosen = BuilderChoice.choose(registered(node, fallback), source, Optional.empty(),
                "hop3.toml [build].builder", Optional.of("static"));

        assertSame(node, chosen.builder(), "the app changed kind: detection decides, as on every deploy");
    }

    @Test
    void equalPrioritiesGoToTheNameThatSortsFirstWhateverTheOrder() throws Exception {
        TestBuilder ruby = detecting("ruby", "Gemfile", 100);
        TestBuilder node = detecting("node", "package.json", 100);
        Files.writeString(source.resolve("Gemfile"), "source 'https://rubygems.org'");
        Files.writeString(source.resolve("package.json"), "{}");

        assertSame(node, detect(registered(ruby, node)).builder());
        assertSame(node, detect(registered(node, ruby)).builder());
    }

    @Test
    void detectionPicksTheHighestPriorityWhateverTheOrder() throws Exception {
        Files.writeString(source.resolve("index.html"), "<h1>hi</h1>");
        Files.writeString(source.resolve("requirements.txt"), "flask\n");
        TestBuilder fallback = detecting("static", "index.html", 10);
        TestBuilder python = detecting("python", "requirements.txt", 100);
        TestBuilder node = detecting("node", "package.json", 100);

        for (List<Map.Entry<Map<String, Object>, Builder>> order : List.of(registered(fallback, python, node),
                registered(python, node, fallback), registered(node, fallback, python))) {
            BuilderChoice.Chosen chosen = detect(order);
            assertSame(python, chosen.builder());
            assertEquals("found requirements.txt", chosen.reason());
        }
    }

    @Test
    void aBuilderThatDetectsAloneIsChosenWithItsReason() throws Exception {
        Files.writeString(source.resolve("index.html"), "<h1>hi</h1>");
        TestBuilder fallback = detecting("static", "index.html", 10);

        BuilderChoice.Chosen chosen = detect(registered(detecting("python", "requirements.txt", 100), fallback));

        assertSame(fallback, chosen.builder());
        assertEquals("found index.html", chosen.reason());
    }

    @Test
    void aBuilderWhoseDetectionThrowsIsSkipped() throws Exception {
        Files.writeString(source.resolve("index.html"), "<h1>hi</h1>");
        TestBuilder broken = new TestBuilder("broken", src -> {
            throw new IllegalStateException("cannot read");
        });
        TestBuilder fallback = detecting("static", "index.html", 10);

        BuilderChoice.Chosen chosen = detect(registered(fallback, broken));

        assertSame(fallback, chosen.builder());
        assertEquals(1, broken.asked.size(), "the broken builder was asked");
    }

    @Test
    void whenNoBuilderRecognisesTheAppTheMessageSaysWhatToAdd() {
        TestBuilder broken = new TestBuilder("broken", src -> {
            throw new IllegalStateException("cannot read");
        });

        DeployException e = assertThrows(DeployException.class,
                () -> detect(registered(detecting("static", "index.html", 10), detecting("python", "requirements.txt", 100),
                        broken)));

        assertEquals("No builder recognises this app. Add a Procfile with a web process (web: <command>), or the files"
                + " of a supported kind of app; installed builders: broken, python, static.", e.getMessage());
    }

    @Test
    void withoutBuildersNothingIsRecognised() {
        DeployException e = assertThrows(DeployException.class, () -> detect(registered()));

        assertTrue(e.getMessage().endsWith("installed builders: none."), e.getMessage());
    }
}
