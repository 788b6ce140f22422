package cloud.hop3.builder.java;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The command that builds a Java app, run in the slug:
 * <ul>
 * <li>Maven: the app's {@code ./mvnw} when it has one, else the configured {@code mvn};
 * {@code -B -q -Dmaven.repo.local=<the app's cache> package -DskipTests}, plus {@code -s <file>}
 * when the builder is configured with a settings file. Quiet: a build that works prints nothing
 * but Maven's warnings, one that fails prints Maven's errors.</li>
 * <li>Gradle: the app's {@code ./gradlew} (this builder runs no Gradle of the server's)
 * {@code --no-daemon --console=plain -q build -x test}: no daemon, as one would outlive the build.</li>
 * </ul>
 * A wrapper that is not executable (committed without its mode) runs through {@code /bin/sh}.
 *
 * @param command the program and its arguments
 * @param shown   the command as the build log shows it
 */
record BuildCommandLine(List<String> command, String shown) {

    static BuildCommandLine maven(JavaProject project, Path slug, String mvn, Path repository, String settings) {
        List<String> command = new ArrayList<>(project.wrapper() ? wrapper(slug, JavaProject.MVNW) : List.of(mvn));
        command.addAll(List.of("-B", "-q", "-Dmaven.repo.local=" + repository));
        if (!settings.isBlank()) {
            command.addAll(List.of("-s", settings.strip()));
        }
        command.addAll(List.of("package", "-DskipTests"));
        return new BuildCommandLine(command, String.join(" ", command));
    }

    static BuildCommandLine gradle(Path slug) {
        List<String> command = new ArrayList<>(wrapper(slug, JavaProject.GRADLEW));
        command.addAll(List.of("--no-daemon", "--console=plain", "-q", "build", "-x", "test"));
        return new BuildCommandLine(command, String.join(" ", command));
    }

    private static List<String> wrapper(Path slug, String script) {
        return Files.isExecutable(slug.resolve(script)) ? List.of("./" + script) : List.of("/bin/sh", script);
    }
}
