package cloud.hop3.builder.java;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import cloud.hop3.plugin.support.build.AppFiles;

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
        if (AppFiles.has(dir, POM)) {
            return Optional.of(new JavaProject(Tool.MAVEN, POM, AppFiles.has(dir, MVNW)));
        }
        for (String name : GRADLE_FILES) {
            if (AppFiles.has(dir, name)) {
                return Optional.of(new JavaProject(Tool.GRADLE, name, AppFiles.has(dir, GRADLEW)));
            }
        }
        return Optional.empty();
    }

    /** What detection found, for the pusher: "found pom.xml and mvnw". */
    String reason() {
        return "found " + buildFile + (wrapper ? " and " + tool.wrapperScript : "");
    }

}
