package cloud.hop3.builder.python;

import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import cloud.hop3.api.build.BuildException;

/**
 * The Python interpreter that creates an app's virtualenv, and what chose it. First match wins:
 * <ol>
 * <li>the config var {@value #HOP3_PYTHON}: a command ({@code python3.12}, {@code pypy3}) or a
 * version ({@code 3.12});</li>
 * <li>the config var {@value #PYTHON_VERSION}: a version ({@code 3.12} or {@code 3.12.1});</li>
 * <li>runtime.txt ({@code python-3.12.1});</li>
 * <li>the builder's configuration ({@code python3}).</li>
 * </ol>
 * A version picks {@code python3.<minor>}: the interpreter must be on the search path. An app
 * can only name interpreters by these shapes, never a path.
 *
 * @param command  the command to run, a name looked up on the search path or, from the builder's
 *                 configuration only, an absolute path
 * @param chosenBy what chose it, for messages ({@code the config var PYTHON_VERSION=3.12})
 */
record Interpreter(String command, String chosenBy) {

    static final String HOP3_PYTHON = "HOP3_PYTHON";
    static final String PYTHON_VERSION = "PYTHON_VERSION";

    private static final Pattern COMMAND = Pattern.compile("(python|pypy)3(\\.\\d{1,2})?");
    private static final Pattern VERSION = Pattern.compile("3(?:\\.(\\d{1,2}))?(?:\\.\\d{1,3})?");
    private static final int MAX_SHOWN = 40;

    static Interpreter choose(Map<String, String> configVars, Optional<String> runtimeVersion, String configured)
            throws BuildException {
        String hop3Python = configVars.getOrDefault(HOP3_PYTHON, "").strip();
        if (!hop3Python.isEmpty()) {
            String chosenBy = "the config var " + HOP3_PYTHON + "=" + shown(hop3Python);
            if (COMMAND.matcher(hop3Python).matches()) {
                return new Interpreter(hop3Python, chosenBy);
            }
            return fromVersion(hop3Python, chosenBy).orElseThrow(() -> new BuildException("The config var "
                    + HOP3_PYTHON + " is '" + shown(hop3Python) + "', which names no Python 3 interpreter; set it to a"
                    + " version such as 3.12 or a command such as python3.12 or pypy3."));
        }
        String version = configVars.getOrDefault(PYTHON_VERSION, "").strip();
        if (!version.isEmpty()) {
            String chosenBy = "the config var " + PYTHON_VERSION + "=" + shown(version);
            return fromVersion(version, chosenBy).orElseThrow(() -> new BuildException("The config var "
                    + PYTHON_VERSION + " is '" + shown(version) + "', which is not a Python 3 version; set it to a"
                    + " version such as 3.12."));
        }
        if (runtimeVersion.isPresent()) {
            String chosenBy = PythonProject.RUNTIME + " (python-" + shown(runtimeVersion.get()) + ")";
            return fromVersion(runtimeVersion.get(), chosenBy).orElseThrow(() -> new BuildException(
                    PythonProject.RUNTIME + " asks for python-" + shown(runtimeVersion.get()) + ", which is not a"
                            + " Python 3 version; write a version such as python-3.12 in it."));
        }
        return new Interpreter(configured, "the builder's configuration");
    }

    private static Optional<Interpreter> fromVersion(String version, String chosenBy) {
        Matcher matcher = VERSION.matcher(version);
        if (!matcher.matches()) {
            return Optional.empty();
        }
        String minor = matcher.group(1);
        return Optional.of(new Interpreter(minor == null ? "python3" : "python3." + minor, chosenBy));
    }

    /**
     * Finds the interpreter on the search path, as the build will run it.
     *
     * @throws BuildException naming what chose it, when it is not there
     */
    Path locate(String searchPath) throws BuildException {
        try {
            if (command.contains("/")) {
                Path path = Path.of(command);
                if (Files.isRegularFile(path) && Files.isExecutable(path)) {
                    return path;
                }
            } else {
                for (String dir : searchPath.split(":")) {
                    if (dir.isEmpty()) {
                        continue;
                    }
                    Path candidate = Path.of(dir).resolve(command);
                    if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                        return candidate;
                    }
                }
            }
        } catch (InvalidPathException e) {
            // reported below
        }
        String where = command.contains("/") ? "this server" : "this server's search path (" + searchPath + ")";
        String name = command.contains("/") ? "python3" : command;
        String packages = name.startsWith("python3") ? name + " " + name + "-venv" : name;
        throw new BuildException(command + ", chosen by " + chosenBy + ", is not installed on " + where + "; choose"
                + " an installed version, or install it on the server (on Debian and Ubuntu: apt-get install "
                + packages + ").");
    }

    private static String shown(String value) {
        String printable = value.replaceAll("\\p{Cntrl}", "?");
        return printable.length() <= MAX_SHOWN ? printable : printable.substring(0, MAX_SHOWN) + "...";
    }
}
