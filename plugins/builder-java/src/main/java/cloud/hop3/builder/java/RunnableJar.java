package cloud.hop3.builder.java;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.jar.Attributes;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import java.util.stream.Collectors;

import cloud.hop3.api.build.BuildException;

/**
 * The jar that {@code java -jar} runs, found among those that the build left in {@code target/}
 * (Maven) or {@code build/libs/} (Gradle).
 * <ul>
 * <li>Left out: {@code -sources}, {@code -javadoc}, {@code -tests} and {@code -test-sources} jars,
 * the {@code original-} jars that the Shade plugin keeps, and Spring Boot's Gradle {@code -plain} jar.</li>
 * <li>Runnable: a jar whose manifest names a {@code Main-Class}. A Spring Boot jar is one (its
 * {@code Start-Class} is the app's class).</li>
 * <li>One runnable jar is the one. Among several, a single fat jar wins: a Spring Boot jar, or one
 * named {@code *-jar-with-dependencies.jar} (Maven's assembly) or {@code *-all.jar} (Gradle's
 * shadow). Otherwise the choice is ambiguous, and the app says what runs in its Procfile.</li>
 * </ul>
 *
 * @param path       the jar, relative to the app ({@code target/shop-1.0.jar})
 * @param mainClass  the class that runs: {@code Start-Class} of a Spring Boot jar, else {@code Main-Class}
 * @param springBoot whether it is a Spring Boot jar
 */
record RunnableJar(String path, String mainClass, boolean springBoot) {

    static final List<String> LEFT_OUT_SUFFIXES = List.of("-sources.jar", "-javadoc.jar", "-tests.jar",
            "-test-sources.jar", "-plain.jar");
    static final List<String> FAT_SUFFIXES = List.of("-jar-with-dependencies.jar", "-all.jar");

    /**
     * @param slug      the app's directory, after the build
     * @param directory where the build tool puts jars, relative to the app
     * @param tool      the build tool's name, for messages
     * @throws BuildException with what to do, when there is no runnable jar or several
     */
    static RunnableJar find(Path slug, String directory, String tool) throws BuildException {
        Path dir = slug.resolve(directory);
        List<String> jars = jars(dir);
        if (jars.isEmpty()) {
            throw new BuildException(tool + " built no jar in " + directory + "/, so there is nothing for java -jar to"
                    + " run (a war, a pom packaging or a multi-module build leaves none there). Say what runs in the"
                    + " Procfile, such as web: java $JAVA_OPTS -jar <path of the jar>");
        }
        List<RunnableJar> runnable = new ArrayList<>();
        List<String> notRunnable = new ArrayList<>();
        for (String name : jars) {
            Optional<RunnableJar> jar = read(dir.resolve(name), directory + "/" + name);
            if (jar.isPresent()) {
                runnable.add(jar.get());
            } else {
                notRunnable.add(name);
            }
        }
        if (runnable.size() == 1) {
            return runnable.get(0);
        }
        if (runnable.isEmpty()) {
            throw new BuildException("No jar in " + directory + "/ says which class to run (no Main-Class in its"
                    + " manifest): " + String.join(", ", notRunnable) + ". Name the main class in the jar's manifest"
                    + (tool.equals("Maven") ? " (maven-jar-plugin: <archive><manifest><mainClass>)" : "")
                    + ", build a Spring Boot jar, or say what runs in the Procfile (web: ...).");
        }
        List<RunnableJar> fat = runnable.stream().filter(RunnableJar::fat).toList();
        if (fat.size() == 1) {
            return fat.get(0);
        }
        throw new BuildException("Several jars in " + directory + "/ can run: "
                + runnable.stream().map(RunnableJar::path).collect(Collectors.joining(", "))
                + ". Say which one in the Procfile: web: java $JAVA_OPTS -jar " + runnable.get(0).path());
    }

    /** Whether it is a fat jar: a Spring Boot jar, or one named as a jar with its dependencies. */
    boolean fat() {
        return springBoot || FAT_SUFFIXES.stream().anyMatch(path::endsWith);
    }

    /** The names of the candidate jars in {@code dir}, sorted; none when it does not exist. */
    static List<String> jars(Path dir) throws BuildException {
        List<String> names = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return names;
        }
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir, "*.jar")) {
            for (Path entry : entries) {
                String name = entry.getFileName().toString();
                if (Files.isRegularFile(entry) && !name.startsWith("original-")
                        && LEFT_OUT_SUFFIXES.stream().noneMatch(name::endsWith)) {
                    names.add(name);
                }
            }
        } catch (IOException e) {
            throw new BuildException("Could not list the jars in " + dir + ": " + e.getMessage(), e);
        }
        names.sort(null);
        return names;
    }

    /** The jar when its manifest names a main class; empty when it has none or is no jar. */
    static Optional<RunnableJar> read(Path file, String path) {
        try (JarFile jar = new JarFile(file.toFile())) {
            Manifest manifest = jar.getManifest();
            if (manifest == null) {
                return Optional.empty();
            }
            Attributes main = manifest.getMainAttributes();
            String mainClass = main.getValue("Main-Class");
            if (mainClass == null || mainClass.isBlank()) {
                return Optional.empty();
            }
            String startClass = main.getValue("Start-Class");
            boolean springBoot = (startClass != null && !startClass.isBlank())
                    || main.getValue("Spring-Boot-Version") != null;
            return Optional.of(new RunnableJar(path, springBoot && startClass != null ? startClass.strip()
                    : mainClass.strip(), springBoot));
        } catch (IOException | SecurityException e) {
            return Optional.empty();
        }
    }
}
