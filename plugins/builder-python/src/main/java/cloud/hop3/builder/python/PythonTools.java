package cloud.hop3.builder.python;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

import cloud.hop3.api.build.BuildCommands;
import cloud.hop3.api.build.BuildException;
import cloud.hop3.api.build.BuildLog;
import cloud.hop3.plugin.support.build.BuildEnvironment;
import cloud.hop3.plugin.support.build.Deadline;
import cloud.hop3.plugin.support.build.ForwardingBuildLog;
import cloud.hop3.plugin.support.build.ToolFailure;

/**
 * The Python tools that one build runs, through {@link BuildCommands}, in the build's tool
 * environment and within its deadline: the interpreter (to learn what it is), {@code venv} and
 * pip. Failures become messages that say what to do.
 */
final class PythonTools {

    /** How pip starts the lines that say why it failed. */
    private static final String PIP_ERROR = "ERROR: ";
    private static final String IDENTITY = "import sys; print(repr((sys.executable, sys.version)))";
    private static final String EXECUTABLE = "import sys; print(sys.executable)";
    /**
     * Interpreters found on a search path, by the executable they run: a version manager's shim
     * (pyenv's takes a third of a second) is gone through once per platform run, not at every build.
     */
    private static final Map<Path, Path> RESOLVED = new ConcurrentHashMap<>();

    private final BuildCommands commands;
    private final PythonBuilder.Config config;
    private final Interpreter interpreter;
    private final Path located;
    private final Path slug;
    private final Map<String, String> env;
    private final Deadline deadline;
    private final BuildLog log;

    PythonTools(BuildCommands commands, PythonBuilder.Config config, Interpreter interpreter, Path located, Path slug,
                Map<String, String> env, Deadline deadline, BuildLog log) {
        this.commands = commands;
        this.config = config;
        this.interpreter = interpreter;
        this.located = located;
        this.slug = slug;
        this.env = env;
        this.deadline = deadline;
        this.log = log;
    }

    /** The interpreter's executable and version ({@code sys.executable}, {@code sys.version}), as one line. */
    String identity() throws BuildException, InterruptedException {
        try {
            return String.join("\n", output(List.of(executable(), "-I", "-S", "-c", IDENTITY)));
        } catch (BuildException e) {
            throw new BuildException(interpreter.command() + ", chosen by " + interpreter.chosenBy() + ", does not"
                    + " run: " + e.getMessage(), e);
        }
    }

    /** What {@code command} prints, kept out of the build's log. */
    private List<String> output(List<String> command) throws BuildException, InterruptedException {
        List<String> output = new ArrayList<>();
        BuildLog capture = new ForwardingBuildLog(log) {
            @Override
            public synchronized void info(String text) {
                output.add(text);
            }
        };
        commands.run(capture, slug, env, venvTimeout(), command);
        synchronized (capture) {
            return List.copyOf(output);
        }
    }

    /**
     * The executable that the interpreter found on the search path runs ({@code sys.executable}),
     * asked of it once and then remembered while it exists; the command as found when it cannot tell.
     */
    String executable() throws BuildException, InterruptedException {
        Path known = RESOLVED.get(located);
        if (known != null && Files.isExecutable(known)) {
            return known.toString();
        }
        List<String> output;
        try {
            output = output(List.of(located.toString(), "-I", "-S", "-c", EXECUTABLE));
        } catch (BuildException e) {
            return located.toString(); // the identity check that follows says why it does not run
        }
        String line = output.isEmpty() ? "" : output.get(output.size() - 1).strip();
        if (line.startsWith("/") && Files.isExecutable(Path.of(line))) {
            RESOLVED.put(located, Path.of(line));
            return line;
        }
        return located.toString();
    }

    /** Runs {@code python -m venv}, with pip or without it, and reports the virtualenv's Python version. */
    void createVenv(Path venv, boolean withPip) throws BuildException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(executable(), "-m", "venv"));
        if (!withPip) {
            command.add("--without-pip");
        }
        command.add(venv.toString());
        try {
            commands.run(log, slug, env, venvTimeout(), command);
        } catch (BuildException e) {
            if (e.output().stream().anyMatch(PythonTools::venvMissing)) {
                String name = interpreter.command().contains("/") ? "python3" : interpreter.command();
                throw new BuildException(interpreter.command() + " cannot create virtualenvs on this server: its venv"
                        + " module or ensurepip is missing. On Debian and Ubuntu, install the package " + name
                        + "-venv.", e);
            }
            throw e;
        }
        try {
            PythonProject.file(venv, "pyvenv.cfg").flatMap(PythonTools::version)
                    .ifPresent(version -> log.info("Python " + version + " is in the virtualenv"));
        } catch (IOException e) {
            // the version is only reported
        }
    }

    /** Installs requirements.txt into {@code venv} with its pip, from the index of the tool environment. */
    void installRequirements(Path venv) throws BuildException, InterruptedException {
        Map<String, String> pipEnv = new TreeMap<>(env);
        pipEnv.put("VIRTUAL_ENV", venv.toString());
        pipEnv.put("PATH", venv.resolve("bin") + ":" + env.get("PATH"));
        String index = env.containsKey("PIP_INDEX_URL") ? BuildEnvironment.redacted(env.get("PIP_INDEX_URL")) : "PyPI";
        log.info("Installing requirements.txt from " + index);
        try {
            commands.run(log, slug, pipEnv, deadline.within(Duration.ofMinutes(config.installTimeoutMinutes())),
                    List.of(venv.resolve("bin/pip").toString(), "install", "--disable-pip-version-check",
                    "-r", PythonProject.REQUIREMENTS));
        } catch (BuildException e) {
            throw ToolFailure.explained(e, "pip could not install requirements.txt from " + index,
                    e.output().stream().filter(line -> line.startsWith(PIP_ERROR))
                            .map(line -> line.substring(PIP_ERROR.length()).strip()).toList());
        }
    }

    private Duration venvTimeout() throws BuildException {
        return deadline.within(Duration.ofSeconds(config.venvTimeoutSeconds()));
    }

    /** Whether a line of {@code python -m venv} says that the venv module or ensurepip is missing. */
    private static boolean venvMissing(String line) {
        return line.contains("ensurepip is not available") || line.contains("No module named venv")
                || line.contains("No module named ensurepip");
    }

    /** The {@code version} line of a pyvenv.cfg. */
    private static Optional<String> version(Path pyvenvCfg) {
        try {
            return Files.readAllLines(pyvenvCfg).stream().map(String::strip)
                    .filter(line -> line.matches("version(_info)?\\s*=.*"))
                    .map(line -> line.substring(line.indexOf('=') + 1).strip()).findFirst();
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}
