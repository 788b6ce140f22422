package cloud.hop3.builder.java;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import cloud.hop3.api.build.Detection;
import cloud.hop3.plugin.testkit.BuilderTestCase;
import cloud.hop3.plugin.testkit.ComponentConfig;

class JavaProjectTest extends BuilderTestCase {

    final JavaBuilder builder = new JavaBuilder(ComponentConfig.of(JavaBuilder.Config.class), commands, Map.of());

    @Test
    void pomXmlMakesAMavenApp() throws IOException {
        Files.writeString(source.resolve("pom.xml"), "<project/>");

        assertEquals(Optional.of(new Detection(110, "found pom.xml")), builder.detect(source));
        assertEquals(new JavaProject(JavaProject.Tool.MAVEN, "pom.xml", false), JavaProject.of(source).orElseThrow());
        Files.writeString(source.resolve("mvnw"), "#!/bin/sh\n");
        assertClaims(builder, new Detection(110, "found pom.xml and mvnw"), priority -> new JavaBuilder(
                ComponentConfig.of(JavaBuilder.Config.class, "priority", priority), commands, Map.of()));
        assertTrue(commands.runs.isEmpty(), "detection runs nothing");
    }

    @Test
    void gradleBuildFilesMakeAGradleApp() throws IOException {
        Files.writeString(source.resolve("build.gradle.kts"), "plugins { java }");
        assertEquals(Optional.of(new Detection(110, "found build.gradle.kts")), builder.detect(source));

        Files.writeString(source.resolve("build.gradle"), "apply plugin: 'java'");
        Files.writeString(source.resolve("gradlew"), "#!/bin/sh\n");
        assertEquals(new JavaProject(JavaProject.Tool.GRADLE, "build.gradle", true), JavaProject.of(source).orElseThrow());
        assertEquals("found build.gradle and gradlew", builder.detect(source).orElseThrow().reason());
    }

    @Test
    void mavenWinsWhenBothAreThere() throws IOException {
        Files.writeString(source.resolve("build.gradle"), "");
        Files.writeString(source.resolve("gradlew"), "");
        Files.writeString(source.resolve("pom.xml"), "<project/>");

        assertEquals(JavaProject.Tool.MAVEN, JavaProject.of(source).orElseThrow().tool());
    }

    @Test
    void otherTreesAreNotClaimed() throws IOException {
        assertClaimsOnlyItsFiles(builder, Map.of("pom.xml", "<project/>"),
                Map.of("Main.java", "class Main {}", "sub/build.gradle", ""));
    }
}
