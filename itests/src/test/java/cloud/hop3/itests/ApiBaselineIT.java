package cloud.hop3.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import cloud.hop3.itests.Command.Result;

/**
 * Semantic versioning of the api is enforced: the api module, built from a copy of its sources,
 * fails when a consumer type changes incompatibly without the package's major version bump.
 */
class ApiBaselineIT {

    private static final String BUILDER = "api/src/main/java/cloud/hop3/api/build/Builder.java";
    private static final String BUILD_PACKAGE = "api/src/main/java/cloud/hop3/api/build/package-info.java";

    private Path copy;

    @BeforeEach
    void copySources() throws IOException {
        Path root = Path.of(System.getProperty("hop3.source.root")).toAbsolutePath().normalize();
        copy = Files.createTempDirectory("hop3-baseline");
        for (String file : List.of("pom.xml", "bnd.bnd", ".mvn/maven.config")) {
            Files.createDirectories(copy.resolve(file).getParent());
            Files.copy(root.resolve(file), copy.resolve(file));
        }
        Path api = root.resolve("api");
        try (Stream<Path> files = Files.walk(api)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                Path relative = api.relativize(f);
                if (!relative.startsWith("target")) {
                    Path target = copy.resolve("api").resolve(relative.toString());
                    Files.createDirectories(target.getParent());
                    Files.copy(f, target);
                }
            }
        }
    }

    @AfterEach
    void removeCopy() throws Exception {
        Command.run(Path.of("/"), Map.of(), Duration.ofMinutes(1), "rm", "-rf", copy.toString());
    }

    @Test
    void theApiAsItIsMatchesItsBaseline() throws Exception {
        Result build = buildApi();
        assertEquals(0, build.exit(), build.toString());
        assertTrue(build.output().contains("Baseline check succeeded"), build.toString());
    }

    @Test
    void aMethodAddedToAConsumerTypeWithoutAMajorBumpFailsTheBuild() throws Exception {
        addMethodToBuilder();

        Result build = buildApi();

        assertNotEquals(0, build.exit(), build.toString());
        assertTrue(build.output().contains("Baseline problems detected"), build.toString());
        // the report marks the package, says the change is major and names the method
        assertTrue(build.output().lines().anyMatch(l -> l.contains("* cloud.hop3.api.build ") && l.contains("MAJOR")),
                build.toString());
        assertTrue(build.output().contains("describe()"), build.toString());
    }

    @Test
    void theSameChangeWithTheMajorVersionBumpedBuilds() throws Exception {
        addMethodToBuilder();
        Path packageInfo = copy.resolve(BUILD_PACKAGE);
        String text = Files.readString(packageInfo);
        String bumped = text.replaceFirst("@Version\\(\"(\\d+)\\.\\d+\\.\\d+\"\\)", "@Version(\"99.0.0\")");
        assertNotEquals(text, bumped);
        Files.writeString(packageInfo, bumped);

        Result build = buildApi();

        assertEquals(0, build.exit(), build.toString());
    }

    private void addMethodToBuilder() throws IOException {
        Path builder = copy.resolve(BUILDER);
        String text = Files.readString(builder);
        int end = text.lastIndexOf('}');
        Files.writeString(builder, text.substring(0, end) + "\n    String describe();\n}\n");
    }

    private Result buildApi() throws Exception {
        return Command.run(copy, Map.of(), Duration.ofMinutes(5), "mvn", "-o", "-B",
                "-Dmaven.repo.local=" + System.getProperty("hop3.local.repository"), "-DskipTests",
                "-f", copy.resolve("api/pom.xml").toString(), "verify");
    }
}
