package cloud.hop3.builder.java;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import cloud.hop3.api.build.Detection;
import cloud.hop3.plugin.testkit.ComponentConfig;
import cloud.hop3.plugin.testkit.TestBuildCommands;

class JavaProjectTest {

    @TempDir
    Path dir;
    final TestBuildCommands commands = new TestBuildCommands();
    final JavaBuilder builder = new JavaBuilder(ComponentConfig.of(JavaBuilder.Config.class), commands, Map.of());

    @Test
    void pomXmlMakesAMavenApp() throws IOException {
        Files.writeString(dir.resolve("pom.xml"), "<project/>");

        assertEquals(Optional.of(new Detection(110, "found pom.xml")), builder.detect(dir));
        assertEquals(new JavaProject(JavaProject.Tool.MAVEN, "pom.xml", false), JavaProject.of(dir).orElseThrow());
        Files.writeString(dir.resolve("mvnw"), "#!/bin/sh\n");
        assertEquals(Optional.of(new Detection(110, "found pom.xml and mvnw")), builder.detect(dir));
        assertEquals(70, new JavaBuilder(ComponentConfig.of(JavaBuilder.Config.class, "priority", 70), commands, Map.of())
                .detect(dir).orElseThrow().priority());
        assertTrue(commands.runs.isEmpty(), "detection runs nothing");
    }

    @Test
    void gradleBuildFilesMakeAGradleApp() throws IOException {
        Files.writeString(dir.resolve("build.gradle.kts"), "plugins { java }");
        assertEquals(Optional.of(new Detection(110, "found build.gradle.kts")), builder.detect(dir));

        Files.writeString(dir.resolve("build.gradle"), "apply plugin: 'java'");
        Files.writeString(dir.resolve("gradlew"), "#!/bin/sh\n");
        assertEquals(new JavaProject(JavaProject.Tool.GRADLE, "build.gradle", true), JavaProject.of(dir).orElseThrow());
        assertEquals("found build.gradle and gradlew", builder.detect(dir).orElseThrow().reason());
    }

    @Test
    void mavenWinsWhenBothAreThere() throws IOException {
        Files.writeString(dir.resolve("build.gradle"), "");
        Files.writeString(dir.resolve("gradlew"), "");
        Files.writeString(dir.resolve("pom.xml"), "<project/>");

        assertEquals(JavaProject.Tool.MAVEN, JavaProject.of(dir).orElseThrow().tool());
    }

    @Test
    void otherTreesAreNotClaimed() throws IOException {
        assertEquals(Optional.empty(), builder.detect(dir));
        assertEquals(Optional.empty(), builder.detect(dir.resolve("nowhere")));

        Files.writeString(dir.resolve("Main.java"), "class Main {}");
        Files.createDirectory(dir.resolve("pom.xml"));
        Files.createDirectories(dir.resolve("sub"));
        Files.writeString(dir.resolve("sub/build.gradle"), "");
        assertEquals(Optional.empty(), builder.detect(dir));

        Path other = Files.createDirectory(dir.resolve("other"));
        Files.createSymbolicLink(other.resolve("pom.xml"), Files.writeString(dir.resolve("elsewhere.xml"), "<project/>"));
        assertEquals(Optional.empty(), builder.detect(other), "a link out of the tree does not count");
    }
}
