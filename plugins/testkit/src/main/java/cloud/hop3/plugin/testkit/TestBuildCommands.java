package cloud.hop3.plugin.testkit;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import cloud.hop3.api.build.BuildCommands;
import cloud.hop3.api.build.BuildException;
import cloud.hop3.api.build.BuildLog;

/**
 * Runs commands for tests much as core's implementation does (plugins do not depend on core),
 * without its care for process trees and long lines, and records what it ran.
 */
public final class TestBuildCommands implements BuildCommands {

    /** One run: the command and its environment. */
    public record Run(List<String> command, Map<String, String> env) {
    }

    public final List<Run> runs = new ArrayList<>();
    /** A program (its last path element) whose run is interrupted before it starts, as a stopped build; null for none. */
    public String interruptAt;

    @Override
    public void run(BuildLog log, Path directory, Map<String, String> env, Duration timeout, List<String> command)
            throws BuildException, InterruptedException {
        runs.add(new Run(List.copyOf(command), Map.copyOf(env)));
        String shown = "`" + String.join(" ", command) + "`";
        if (interruptAt != null && Path.of(command.get(0)).getFileName().toString().equals(interruptAt)) {
            throw new InterruptedException("interrupted before " + shown);
        }
        ProcessBuilder builder = new ProcessBuilder(command).directory(directory.toFile()).redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        builder.environment().clear();
        builder.environment().putAll(env);
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new BuildException("Could not start " + shown + ": " + e.getMessage(), e);
        }
        List<String> output = new ArrayList<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader lines = process.inputReader()) {
                lines.lines().forEach(line -> {
                    output.add(line);
                    log.info(line);
                });
            } catch (IOException | UncheckedIOException e) {
                // the process is gone
            }
        });
        reader.start();
        boolean finished = false;
        try {
            finished = process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (!finished) {
                throw new BuildException(shown + " did not finish within " + timeout + " and was stopped");
            }
            // read all the output before anything closes the process's streams
            reader.join();
        } finally {
            if (!finished) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
                reader.join();
            }
        }
        if (process.exitValue() != 0) {
            List<String> tail = output.subList(Math.max(0, output.size() - 40), output.size());
            throw new BuildException(shown + " failed with exit status " + process.exitValue(), tail);
        }
    }
}
