package com.example.hop3.hello;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import cloud.hop3.api.build.BuildCommands;
import cloud.hop3.api.build.BuildException;
import cloud.hop3.api.build.BuildLog;

/**
 * A test double of core's BuildCommands: it records each command and, instead of running it,
 * prints a line or fails the way core does.
 */
final class FakeBuildCommands implements BuildCommands {

    /** One command, as the builder asked for it. */
    record Run(Path directory, Map<String, String> env, Duration timeout, List<String> command) {
    }

    final List<Run> runs = new ArrayList<>();
    private String failure;

    /** Makes every later command fail with core's message for a program that is not on the PATH. */
    FakeBuildCommands notOnPath() {
        failure = "not on the PATH";
        return this;
    }

    @Override
    public void run(BuildLog log, Path directory, Map<String, String> env, Duration timeout, List<String> command)
            throws BuildException {
        runs.add(new Run(directory, env, timeout, command));
        if (failure != null) {
            throw new BuildException("Could not start `" + String.join(" ", command) + "`: " + command.get(0)
                    + " is " + failure + " (" + env.get("PATH") + ")");
        }
        log.info("Python 3.11.2");
    }
}
