package cloud.hop3.api.process;

import java.time.Instant;

import cloud.hop3.api.app.AppName;

/**
 * One process as the driver sees it.
 *
 * @param id       the driver's identifier of the process, stable across restarts of it
 * @param app      the app
 * @param release  release number
 * @param type     process type
 * @param index    1-based index among the processes of that type
 * @param port     port of a web process, 0 for others
 * @param state    what it is doing
 * @param restarts how often the driver restarted it after a crash
 * @param since    when it entered its state
 * @param lastExit how its last run ended when the driver knows ("killed: over its memory limit of
 *                 64M", "exited with status 1"), null when it never ended
 */
public record ProcessStatus(String id, AppName app, int release, String type, int index, int port,
                            ProcessState state, int restarts, Instant since, String lastExit) {

    /** A status without a last exit. */
    public ProcessStatus(String id, AppName app, int release, String type, int index, int port,
                         ProcessState state, int restarts, Instant since) {
        this(id, app, release, type, index, port, state, restarts, since, null);
    }
}
