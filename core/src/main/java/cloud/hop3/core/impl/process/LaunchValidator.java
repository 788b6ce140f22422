package cloud.hop3.core.impl.process;

import java.util.Map;
import java.util.regex.Pattern;

import cloud.hop3.api.app.ProcessType;
import cloud.hop3.api.process.ProcessException;
import cloud.hop3.api.process.ProcessLaunch;

/**
 * Checks a launch before anything is started, and names the process it describes. The type
 * becomes part of a file name ({@code logs/<type>.<index>.log}), so this check also keeps log
 * files inside the app's directory.
 */
final class LaunchValidator {

    /** Process types: letters, digits, '_' and '-', starting with a letter or digit. */
    private static final Pattern ENV_NAME = Pattern.compile("[^=\\x00]+");

    private LaunchValidator() {
    }

    /** The driver's identifier of a process: {@code <app>.r<release>.<type>.<index>}, such as {@code shop.r3.web.1}. */
    static String id(ProcessLaunch launch) {
        return launch.app().value() + ".r" + launch.release() + "." + launch.type() + "." + launch.index();
    }

    static void check(ProcessLaunch launch) throws ProcessException {
        if (launch.app() == null) {
            throw new ProcessException("A process needs an app.");
        }
        String what = "Process '" + launch.type() + "." + launch.index() + "' of app '" + launch.app() + "'";
        String typeProblem = ProcessType.problem(launch.type());
        if (typeProblem != null) {
            throw new ProcessException("App '" + launch.app() + "': " + typeProblem + ".");
        }
        if (launch.index() < 1) {
            throw new ProcessException(what + ": the index must be 1 or more.");
        }
        if (launch.release() < 0) {
            throw new ProcessException(what + ": the release number must not be negative.");
        }
        if (launch.command() == null || launch.command().isBlank()) {
            throw new ProcessException(what + " has no command; give one in the Procfile.");
        }
        if (launch.command().indexOf('\0') >= 0) {
            throw new ProcessException(what + ": the command contains a NUL character.");
        }
        if (launch.workingDirectory() == null || !launch.workingDirectory().isAbsolute()) {
            throw new ProcessException(what + ": the working directory must be an absolute path, not '" + launch.workingDirectory() + "'.");
        }
        if (launch.port() < 0 || launch.port() > 65535) {
            throw new ProcessException(what + ": port " + launch.port() + " is not between 0 and 65535.");
        }
        for (Map.Entry<String, String> e : launch.env().entrySet()) {
            if (!ENV_NAME.matcher(e.getKey()).matches() || e.getValue().indexOf('\0') >= 0) {
                throw new ProcessException(what + ": invalid environment variable '" + e.getKey().replace("\0", "\\0")
                        + "' (names must not be empty or contain '=', values must not contain NUL).");
            }
        }
    }
}
