package cloud.hop3.plugin.testkit;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import cloud.hop3.api.build.BuildCommands;
import cloud.hop3.api.build.BuildException;
import cloud.hop3.api.build.BuildLog;
import cloud.hop3.plugin.support.process.LocalBuildCommands;

/**
 * Runs commands for tests with the platform's own runner ({@link LocalBuildCommands} of the
 * support library: the program found in the PATH of the given environment, the process tree
 * stopped on timeout), and records what it ran.
 */
public final class TestBuildCommands implements BuildCommands {

    /** One run: the command and its environment. */
    public record Run(List<String> command, Map<String, String> env) {
    }

    public final List<Run> runs = new CopyOnWriteArrayList<>();
    /** A program (its last path element) whose run is interrupted before it starts, as a stopped build; null for none. */
    public volatile String interruptAt;

    private final BuildCommands runner = new LocalBuildCommands();

    @Override
    public void run(BuildLog log, Path directory, Map<String, String> env, Duration timeout, List<String> command)
            throws BuildException, InterruptedException {
        runs.add(new Run(List.copyOf(command), Map.copyOf(env)));
        if (interruptAt != null && Path.of(command.get(0)).getFileName().toString().equals(interruptAt)) {
            throw new InterruptedException("interrupted before `" + String.join(" ", command) + "`");
        }
        runner.run(log, directory, env, timeout, command);
    }
}
