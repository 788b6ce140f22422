package cloud.hop3.plugin.testkit;

import java.nio.file.Path;
import java.util.Optional;

import org.junit.jupiter.api.Assumptions;

import cloud.hop3.plugin.support.build.BuildEnvironment;

/**
 * The programs of the machine that runs the tests (python3, npm, go, ruby, php, ...), found as a
 * builder finds them: on the test JVM's {@code PATH}. A test that needs one is skipped, with the
 * reason, where it is not installed.
 */
public final class Programs {

    private Programs() {
    }

    /** The program {@code name} on the test JVM's {@code PATH}, if installed. */
    public static Optional<Path> find(String name) {
        return BuildEnvironment.locate(name, System.getenv().getOrDefault("PATH", ""));
    }

    /** The program {@code name}; the calling test is skipped when it is not installed. */
    public static Path require(String name) {
        Optional<Path> program = find(name);
        Assumptions.assumeTrue(program.isPresent(), name + " is not installed on this machine");
        return program.orElseThrow();
    }
}
