package cloud.hop3.builder.java;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * What a Java app is built with, from the files at the top of its tree: Maven when it has
 * {@value #POM}, else Gradle when it has {@code build.gradle} or {@code build.gradle.kts}. Files
 * only, no process: this is what detection reads. A file counts only when it is a regular file
 * that stays inside the tree (a link out of it does not).
 *
 * @param tool      Maven or Gradle
 * @param buildFile the build file found ({@code pom.xml}, {@code build.gradle}, ...)
 * @param wrapper   whether the app carries the tool's wrapper script ({@value #MVNW} or {@value #GRADLEW})
 */
record JavaProject(Tool tool, String buildFile, boolean wrapper) {

    static final String POM = "pom.xml";
    static final List<String> GRADLE_FILES = List.of("build.gradle", "build.gradle.kts");
    static final String MVNW = "mvnw";
    static final String GRADLEW = "gradlew";

    /** The build tools this builder runs. */
    enum Tool {
        MAVEN("Maven", MVNW, "target"),
        GRADLE("Gradle", GRADLEW, "build/libs");

        final String title;
        final String wrapperScript;
        /** Where the tool puts the jars it builds, relative to the app. */
        final String jarDirectory;

        Tool(String title, String wrapperScript, String jarDirectory) {
            this.title = title;
            this.wrapperScript = wrapperScript;
            this.jarDirectory = jarDirectory;
        }
    }

    /** The project at the top of {@code dir}, if it is a Maven or Gradle one. */
    static Optional<JavaProject> of(Path dir) {
        if (file(dir, POM)) {
            return Optional.of(new JavaProject(Tool.MAVEN, POM, file(dir, MVNW)));
        }
        for (String name : GRADLE_FILES) {
            if (file(dir, name)) {
                return Optional.of(new JavaProject(Tool.GRADLE, name, file(dir, GRADLEW)));
            }
        }
        return Optional.empty();
    }

    /** What detection found, for the pusher: "found pom.xml and mvnw". */
    String reason() {
        return "found " + buildFile + (wrapper ? " and " + tool.wrapperScript : "");
    }

    /** Whether {@code name} is a regular file at the top of {@code dir}, not a link out of it. */
    static boolean file(Path dir, String name) {
        try {
            Path file = dir.resolve(name);
            return Files.isRegularFile(file) && file.toRealPath().startsWith(dir.toRealPath());
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }
}
