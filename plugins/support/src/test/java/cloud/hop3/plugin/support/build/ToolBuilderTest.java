package cloud.hop3.plugin.support.build;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import cloud.hop3.api.app.AppName;
import cloud.hop3.api.build.BuildArtifact;
import cloud.hop3.api.build.BuildCommands;
import cloud.hop3.api.build.BuildException;
import cloud.hop3.api.build.BuildLog;
import cloud.hop3.api.build.BuildRequest;
import cloud.hop3.api.build.Detection;
import cloud.hop3.api.build.RuntimeSpec;

class ToolBuilderTest {

    @TempDir
    Path tmp;
    final List<Duration> timeouts = new ArrayList<>();
    final List<String> lines = new ArrayList<>();
    final BuildLog log = new BuildLog() {
        @Override
        public void step(String text) {
            lines.add("step: " + text);
        }

        @Override
        public void info(String text) {
            lines.add(text);
        }

        @Override
        public void warn(String text) {
        }
    };

    @Test
    void aToolIsFoundOnTheSearchPath() throws Exception {
        Path tool = Files.writeString(tmp.resolve("mytool"), "#!/bin/sh\n");
        Files.setPosixFilePermissions(tool, PosixFilePermissions.fromString("rwxr-xr-x"));

        assertEquals(tool, builder(fails(null)).require("My tool", "tool", "mytool", "/nonexistent:" + tmp, "mytool-deb"));
    }

    @Test
    void aBuildStartsWithItsStepAndAbsoluteDirectoriesAndEndsWithTheDefaultWebProcess() throws Exception {
        Path relative = Path.of("").toAbsolutePath().relativize(tmp);
        BuildRequest request = new BuildRequest(AppName.of("demo"), tmp.resolve("src"), relative.resolve("x/../slug"),
                relative.resolve("cache"), Map.of(), Duration.ofMinutes(1));

        BuildArtifact artifact = builder(fails(null)).build(request, log);

        assertEquals(List.of("step: Building with demo", "slug " + tmp.resolve("slug") + ", cache " + tmp.resolve("cache"),
                "Default web process: bin/demo (a Procfile line for web wins)"), lines);
        assertEquals(request.slugDirectory(), artifact.slug());
        assertEquals(new RuntimeSpec(Map.of("web", "bin/demo"), Map.of("A", "1"), List.of("bin"), List.of(),
                Optional.empty()), artifact.runtime());
    }

    @Test
    void anAppIsDetectedForItsReasonWithThePriorityOfTheConfiguration() throws Exception {
        assertEquals(Optional.empty(), builder(fails(null)).detect(tmp));

        Files.writeString(tmp.resolve("demo.txt"), "");

        assertEquals(Optional.of(new Detection("config".length(), "found demo.txt")), builder(fails(null)).detect(tmp));
    }

    @Test
    void aMissingToolSaysHowToInstallItAndWhereToConfigureIt() {
        BuildException e = assertThrows(BuildException.class,
                () -> builder(fails(null)).require("My tool", "tool", "mytool", tmp.toString(), "mytool-deb"));

        assertEquals("My tool is not installed on this server: there is no mytool on the search path (" + tmp
                + "). Install it (Debian: apt-get install mytool-deb), or set the tool command of the demo builder"
                + " (configuration cloud.hop3.builder.demo).", e.getMessage());
    }

    @Test
    void aStepTakesItsOwnLimitWithinTheDeadlineAndItsFailureIsExplained() {
        BuildException failure = new BuildException("exit 1", List.of("E: no such package"));
        ToolBuilder<String> builder = builder(fails(failure));

        BuildException e = assertThrows(BuildException.class, () -> builder.run(log, tmp, Map.of(),
                Deadline.after(Duration.ofMinutes(10)), Duration.ofMinutes(2), List.of("apt"),
                f -> ToolFailure.explained(f, "apt failed", List.of(f.output().get(0).substring(3)))));

        assertEquals(List.of(Duration.ofMinutes(2)), timeouts);
        assertEquals("apt failed: no such package", e.getMessage());
        assertSame(failure, e.getCause());
    }

    @Test
    void aFailureWithoutReasonsStaysAsItIs() {
        BuildException failure = new BuildException("exit 1", List.of());

        assertSame(failure, ToolFailure.explained(failure, "apt failed", List.of()));
        assertEquals("apt failed: a; b", ToolFailure.explained(failure, "apt failed", List.of("a", "b")).getMessage());
    }

    @Test
    void aToolThatCouldNotStartIsNotInstalled() {
        BuildException notStarted = new BuildException("Could not start `apt`: No such file");
        BuildException failed = new BuildException("`apt` exited with 1");

        assertEquals("Apt is not installed on this server (Debian: apt-get install apt). Could not start `apt`: No such"
                + " file", ToolFailure.notInstalled(notStarted, "Apt", "apt").getMessage());
        assertSame(failed, ToolFailure.notInstalled(failed, "Apt", "apt"));
    }

    private BuildCommands fails(BuildException failure) {
        return (log, directory, env, timeout, command) -> {
            timeouts.add(timeout);
            if (failure != null) {
                throw failure;
            }
        };
    }

    private static ToolBuilder<String> builder(BuildCommands commands) {
        ToolBuilder.Detector<String> detector = ToolBuilder.Detector.of(
                source -> Files.isRegularFile(source.resolve("demo.txt")) ? Optional.of("found demo.txt") : Optional.empty(),
                String::length);
        return new ToolBuilder<>("demo", "cloud.hop3.builder.demo", "config", commands, Map.of(), detector) {
            @Override
            protected Built build(BuildRequest request, Path slug, Path cache, Deadline deadline, BuildLog log) {
                log.info("slug " + slug + ", cache " + cache);
                return new Built(defaultWeb("bin/demo", "", log), Map.of("A", "1"), List.of("bin"), "demo app");
            }
        };
    }
}
