package cloud.hop3.plugin.support.process;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import cloud.hop3.api.build.BuildCommands;
import cloud.hop3.api.build.BuildException;
import cloud.hop3.api.build.BuildLog;

/**
 * Runs build tools as child processes of the platform, as the {@link BuildCommands} contract
 * says: the given environment only, the program found in that environment's {@code PATH}, output
 * streamed line by line from a reader thread, the whole process tree stopped on timeout or
 * interrupt. Keeps no state between runs.
 * <p>
 * The one runner of build commands: core's {@code BuildCommands} service runs builds with it, and
 * plugin tests run their tools with it through the test kit. It is no DS component itself, so that
 * a bundle that embeds this package does not register a second service.
 * <p>
 * A runner may be given a launch wrapper: it turns the command line (program already found)
 * into the one that is started, so that core runs a build's tools as the app's user
 * ({@code setpriv ... -- program args}). Messages still name the command as the builder gave it.
 */
public class LocalBuildCommands implements BuildCommands {

    /** How long a stopped tree gets between SIGTERM and SIGKILL. */
    static final Duration DEFAULT_GRACE = Duration.ofSeconds(5);
    /** How long to wait for the end of output after the process exited (background children may hold it). */
    static final Duration OUTPUT_LINGER = Duration.ofSeconds(2);
    /** How many of the last lines of output a failure's message quotes. */
    static final int QUOTED_LINES = 10;

    private static final Logger LOG = LoggerFactory.getLogger(LocalBuildCommands.class);
    private static final File NO_INPUT = new File("/dev/null");

    private final Duration grace;
    private final UnaryOperator<List<String>> wrapper;

    public LocalBuildCommands() {
        this(DEFAULT_GRACE, UnaryOperator.identity());
    }

    /** A runner that starts {@code wrapper.apply(argv)} instead of {@code argv}. */
    public LocalBuildCommands(UnaryOperator<List<String>> wrapper) {
        this(DEFAULT_GRACE, wrapper);
    }

    LocalBuildCommands(Duration grace) {
        this(grace, UnaryOperator.identity());
    }

    LocalBuildCommands(Duration grace, UnaryOperator<List<String>> wrapper) {
        this.grace = grace;
        this.wrapper = wrapper;
    }

    @Override
    public void run(BuildLog log, Path directory, Map<String, String> env, Duration timeout, List<String> command)
            throws BuildException, InterruptedException {
        check(env, timeout, command);
        String shown = CommandText.shown(command);
        if (Thread.interrupted()) {
            throw new InterruptedException("Interrupted before starting `" + shown + "`");
        }
        List<String> argv = new ArrayList<>(command);
        argv.set(0, program(command.get(0), directory, env, shown).toString());
        ProcessBuilder builder = new ProcessBuilder(wrapper.apply(argv)).directory(directory.toFile())
                .redirectErrorStream(true).redirectInput(ProcessBuilder.Redirect.from(NO_INPUT));
        builder.environment().clear();
        builder.environment().putAll(env);
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new BuildException("Could not start `" + shown + "`: " + e.getMessage(), e);
        }
        LOG.debug("Started `{}` in {} as process {}", shown, directory, process.pid());
        OutputPump pump = new OutputPump(process.getInputStream(), log);
        Thread reader = new Thread(pump, "hop3-build-output-" + process.pid());
        reader.setDaemon(true);
        reader.start();
        await(process, pump, timeout, shown, log);
    }

    private void await(Process process, OutputPump pump, Duration timeout, String shown, BuildLog log)
            throws BuildException, InterruptedException {
        boolean finished;
        try {
            finished = process.waitFor(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            ProcessTree.stop(process.toHandle(), grace);
            pump.awaitEnd(OUTPUT_LINGER);
            LOG.debug("Stopped `{}` (process {}): the build was interrupted", shown, process.pid());
            throw e;
        }
        if (!finished) {
            ProcessTree.stop(process.toHandle(), grace);
            pump.awaitEnd(OUTPUT_LINGER);
            throw failure("`" + shown + "` did not finish within " + CommandText.duration(timeout)
                    + " and was stopped", pump);
        }
        if (!pump.awaitEnd(OUTPUT_LINGER)) {
            log.warn("`" + shown + "` left a process running in the background that still holds its output;"
                    + " that output is not shown.");
        }
        int status = process.exitValue();
        LOG.debug("`{}` (process {}) exited with status {}", shown, process.pid(), status);
        if (status != 0) {
            throw failure("`" + shown + "` failed with exit status " + status, pump);
        }
    }

    private static BuildException failure(String headline, OutputPump pump) {
        StringBuilder message = new StringBuilder(headline);
        List<String> tail = pump.tail();
        if (!tail.isEmpty()) {
            message.append("; its last output was:");
            tail.subList(Math.max(0, tail.size() - QUOTED_LINES), tail.size())
                    .forEach(line -> message.append("\n    ").append(line));
        }
        return new BuildException(message.toString(), tail);
    }

    /** Finds the program as the contract says: in the PATH of {@code env}, or relative to the directory. */
    static Path program(String name, Path directory, Map<String, String> env, String shown) throws BuildException {
        String cannot = "Could not start `" + shown + "`: ";
        if (!Files.isDirectory(directory)) {
            throw new BuildException(cannot + "its working directory " + directory + " does not exist.");
        }
        try {
            if (name.contains("/")) {
                Path program = directory.resolve(name);
                if (!Files.isRegularFile(program)) {
                    throw new BuildException(cannot + program + " does not exist.");
                }
                if (!Files.isExecutable(program)) {
                    throw new BuildException(cannot + program + " is not executable.");
                }
                return program;
            }
            String path = env.getOrDefault("PATH", "");
            if (path.isEmpty()) {
                throw new BuildException(cannot + "its environment has no PATH to find " + name + " in.");
            }
            for (String dir : path.split(":", -1)) {
                Path candidate = directory.resolve(dir).resolve(name);
                if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                    return candidate;
                }
            }
        } catch (InvalidPathException e) {
            throw new BuildException(cannot + e.getMessage(), e);
        }
        throw new BuildException(cannot + name + " is not on the PATH (" + env.get("PATH") + ").");
    }

    private static void check(Map<String, String> env, Duration timeout, List<String> command) {
        if (command.isEmpty()) {
            throw new IllegalArgumentException("A build command needs at least a program");
        }
        if (timeout.isZero() || timeout.isNegative()) {
            throw new IllegalArgumentException("A build command's timeout must be positive: " + timeout);
        }
        for (String name : env.keySet()) {
            if (name.isEmpty() || name.indexOf('=') >= 0 || name.indexOf('\0') >= 0) {
                throw new IllegalArgumentException("Not a valid environment variable name: '" + name + "'");
            }
        }
    }
}
