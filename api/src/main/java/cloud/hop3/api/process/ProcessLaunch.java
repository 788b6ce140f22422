package cloud.hop3.api.process;

import java.nio.file.Path;
import java.util.Map;

import cloud.hop3.api.app.AppName;

/**
 * Everything needed to start one process of a release.
 *
 * @param app              the app
 * @param release          release number the process belongs to
 * @param type             process type ({@code web}, {@code worker}, ...)
 * @param index            1-based index among the processes of that type
 * @param command          the command line, run by {@code /bin/sh -c}
 * @param workingDirectory the release's slug directory
 * @param env              the complete environment, {@code PORT} included for web processes
 * @param port             the port a web process listens on, 0 for others
 * @param limits           what the process may use; {@link ResourceLimits#NONE} for no limit
 */
public record ProcessLaunch(AppName app, int release, String type, int index, String command,
                            Path workingDirectory, Map<String, String> env, int port, ResourceLimits limits) {

    public ProcessLaunch {
        env = Map.copyOf(env);
        limits = limits == null ? ResourceLimits.NONE : limits;
    }

    /** A launch without limits. */
    public ProcessLaunch(AppName app, int release, String type, int index, String command,
                         Path workingDirectory, Map<String, String> env, int port) {
        this(app, release, type, index, command, workingDirectory, env, port, ResourceLimits.NONE);
    }
}
