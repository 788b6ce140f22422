package cloud.hop3.builder.java;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

import cloud.hop3.api.build.BuildException;
import cloud.hop3.plugin.support.build.BuildEnvironment;

/**
 * The JDK that builds and runs an app, found on the machine; the builder installs none. In this
 * order: the builder's configured {@code javaHome}, the {@code JAVA_HOME} of the Hop3 process,
 * the {@code java} on the search path (its links followed to the JDK it belongs to). A JDK is a
 * directory with an executable {@code bin/java}; building also needs {@code bin/javac}.
 *
 * @param home     the JDK's directory, absolute and without links
 * @param chosenBy what chose it, for the build log
 */
record JavaHome(Path home, String chosenBy) {

    static final String DEBIAN_PACKAGE = "openjdk-17-jdk-headless";

    /**
     * @param configured the builder's {@code javaHome}; blank for none
     * @param platform   the platform's environment
     * @param searchPath where {@code java} is looked up, separated by colons
     */
    static JavaHome locate(String configured, Map<String, String> platform, String searchPath) throws BuildException {
        if (!configured.isBlank()) {
            return checked(configured.strip(), "the builder's configuration (javaHome)");
        }
        String fromPlatform = platform.getOrDefault("JAVA_HOME", "");
        if (!fromPlatform.isBlank()) {
            return checked(fromPlatform.strip(), "the JAVA_HOME of the Hop3 process");
        }
        Optional<Path> java = BuildEnvironment.locate("java", searchPath);
        if (java.isEmpty()) {
            throw new BuildException("No Java on this server: java is not on the PATH (" + searchPath + ") and the Hop3"
                    + " process has no JAVA_HOME. Install a JDK (Debian: apt-get install " + DEBIAN_PACKAGE + ") or set"
                    + " javaHome in etc/" + JavaBuilder.PID + ".cfg.");
        }
        try {
            Path real = java.get().toRealPath();
            Path bin = real.getParent();
            if (bin == null || bin.getParent() == null || !"bin".equals(bin.getFileName().toString())) {
                throw new BuildException("The java on the PATH (" + real + ") is not in the bin directory of a JDK;"
                        + " set javaHome in etc/" + JavaBuilder.PID + ".cfg.");
            }
            return checked(bin.getParent().toString(), "the java on the PATH (" + java.get() + ")");
        } catch (IOException e) {
            throw new BuildException("Could not follow " + java.get() + " to its JDK: " + e.getMessage(), e);
        }
    }

    private static JavaHome checked(String directory, String chosenBy) throws BuildException {
        Path home;
        try {
            home = Path.of(directory);
        } catch (InvalidPathException e) {
            throw new BuildException("The Java home '" + directory + "', from " + chosenBy + ", is not a path.", e);
        }
        if (!home.isAbsolute() || !Files.isExecutable(home.resolve("bin/java"))) {
            throw new BuildException("The Java home " + directory + ", from " + chosenBy + ", has no bin/java: give"
                    + " the absolute directory of a JDK (such as /usr/lib/jvm/java-17-openjdk-amd64).");
        }
        try {
            return new JavaHome(home.toRealPath(), chosenBy);
        } catch (IOException e) {
            throw new BuildException("The Java home " + directory + " cannot be read: " + e.getMessage(), e);
        }
    }

    /** Fails when this Java has no compiler: a runtime alone cannot build. */
    void requireCompiler() throws BuildException {
        if (!Files.isExecutable(home.resolve("bin/javac"))) {
            throw new BuildException("The Java in " + home + " (chosen by " + chosenBy + ") is a runtime without a"
                    + " compiler (no bin/javac): install a JDK (Debian: apt-get install " + DEBIAN_PACKAGE + ").");
        }
    }

    /** The {@code JAVA_VERSION} of the JDK's {@code release} file, when it has one. */
    Optional<String> version() {
        try {
            return Files.readAllLines(home.resolve("release")).stream()
                    .filter(line -> line.startsWith("JAVA_VERSION="))
                    .map(line -> line.substring("JAVA_VERSION=".length()).replace("\"", "").strip())
                    .filter(v -> !v.isEmpty()).findFirst();
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }
}
