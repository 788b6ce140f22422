package cloud.hop3.builder.java;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import cloud.hop3.plugin.testkit.TestFiles;

class BuildCommandLineTest {

    @TempDir
    Path slug;
    final Path repository = Path.of("/cache/maven/repository");

    @Test
    void mavenWithoutWrapperRunsTheConfiguredMvnQuietlyWithTheAppsRepository() {
        JavaProject project = new JavaProject(JavaProject.Tool.MAVEN, "pom.xml", false);

        BuildCommandLine line = BuildCommandLine.maven(project, slug, "mvn", repository, "");

        assertEquals(List.of("mvn", "-B", "-q", "-Dmaven.repo.local=/cache/maven/repository", "package", "-DskipTests"),
                line.command());
        assertEquals("mvn -B -q -Dmaven.repo.local=/cache/maven/repository package -DskipTests", line.shown());
        assertEquals("/opt/maven/bin/mvn", BuildCommandLine.maven(project, slug, "/opt/maven/bin/mvn", repository, "")
                .command().get(0));
    }

    @Test
    void mavenWrapperOfTheAppWinsOverMvn() throws IOException {
        TestFiles.executable(slug.resolve("mvnw"), "#!/bin/sh\n");
        JavaProject project = new JavaProject(JavaProject.Tool.MAVEN, "pom.xml", true);

        assertEquals(List.of("./mvnw", "-B", "-q", "-Dmaven.repo.local=/cache/maven/repository", "package",
                "-DskipTests"), BuildCommandLine.maven(project, slug, "mvn", repository, "").command());
    }

    @Test
    void wrapperCommittedWithoutItsModeRunsThroughTheShell() throws IOException {
        Files.writeString(slug.resolve("mvnw"), "#!/bin/sh\n");
        Files.setPosixFilePermissions(slug.resolve("mvnw"), PosixFilePermissions.fromString("rw-r--r--"));
        JavaProject project = new JavaProject(JavaProject.Tool.MAVEN, "pom.xml", true);

        assertEquals(List.of("/bin/sh", "mvnw"), BuildCommandLine.maven(project, slug, "mvn", repository, "")
                .command().subList(0, 2));
    }

    @Test
    void configuredSettingsFileIsGivenToMaven() {
        JavaProject project = new JavaProject(JavaProject.Tool.MAVEN, "pom.xml", false);

        assertEquals(List.of("mvn", "-B", "-q", "-Dmaven.repo.local=/cache/maven/repository", "-s",
                "/etc/hop3/settings.xml", "package", "-DskipTests"),
                BuildCommandLine.maven(project, slug, "mvn", repository, " /etc/hop3/settings.xml ").command());
    }

    @Test
    void gradleRunsTheAppsWrapperWithoutDaemonOrTests() throws IOException {
        TestFiles.executable(slug.resolve("gradlew"), "#!/bin/sh\n");

        assertEquals(List.of("./gradlew", "--no-daemon", "--console=plain", "-q", "build", "-x", "test"),
                BuildCommandLine.gradle(slug).command());

        Files.setPosixFilePermissions(slug.resolve("gradlew"), PosixFilePermissions.fromString("rw-r--r--"));
        assertEquals(List.of("/bin/sh", "gradlew", "--no-daemon", "--console=plain", "-q", "build", "-x", "test"),
                BuildCommandLine.gradle(slug).command());
    }
}
