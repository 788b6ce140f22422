package cloud.hop3.core.impl.process;

import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;

import cloud.hop3.api.process.ProcessLaunch;
import cloud.hop3.api.process.ResourceLimits;

/**
 * One supervised process as persisted in {@code apps/<app>/processes.json}: enough to recognise
 * it after a restart of the platform (pid and start instant) and to start it again exactly as
 * before (command, environment, directory).
 *
 * @param id               the driver's identifier
 * @param app              the app's name
 * @param release          release number
 * @param type             process type
 * @param index            1-based index among the processes of its type
 * @param port             port of a web process, 0 for others
 * @param pid              pid of the last launch, 0 before the first
 * @param started          start instant of the last launch, as the system reports it
 * @param command          the command run by {@code /bin/sh -c}
 * @param env              the complete environment
 * @param workingDirectory where it runs
 * @param restarts         how often it was restarted after a crash
 * @param crashed          whether it is in a crash loop and no longer restarted
 * @param limits           the app's own resource limits, as {@code key -> value}; the platform's
 *                         defaults are added at each launch
 */
record ProcessRecord(String id, String app, int release, String type, int index, int port, long pid, Instant started,
                     String command, Map<String, String> env, String workingDirectory, int restarts, boolean crashed,
                     Map<String, String> limits) {

    ProcessRecord {
        env = env == null ? Map.of() : new TreeMap<>(env);
        limits = limits == null ? Map.of() : new TreeMap<>(limits);
    }

    /** A record without limits of its own. */
    ProcessRecord(String id, String app, int release, String type, int index, int port, long pid, Instant started,
                  String command, Map<String, String> env, String workingDirectory, int restarts, boolean crashed) {
        this(id, app, release, type, index, port, pid, started, command, env, workingDirectory, restarts, crashed, Map.of());
    }

    /** The record of a process about to be launched for the first time. */
    static ProcessRecord of(String id, ProcessLaunch launch) {
        return new ProcessRecord(id, launch.app().value(), launch.release(), launch.type(), launch.index(), launch.port(),
                0, null, launch.command(), launch.env(), launch.workingDirectory().toString(), 0, false,
                launch.limits().describe());
    }

    ProcessRecord launched(ProcessIdentity identity) {
        return new ProcessRecord(id, app, release, type, index, port, identity.pid(), identity.started(), command, env,
                workingDirectory, restarts, false, limits);
    }

    ProcessRecord withRestarts(int count) {
        return new ProcessRecord(id, app, release, type, index, port, pid, started, command, env, workingDirectory, count, crashed, limits);
    }

    ProcessRecord withCrashed(boolean value) {
        return new ProcessRecord(id, app, release, type, index, port, pid, started, command, env, workingDirectory, restarts, value, limits);
    }

    /** The app's own limits; a value written by an older or newer platform that does not parse counts as not set. */
    ResourceLimits resourceLimits() {
        ResourceLimits out = ResourceLimits.NONE;
        for (Map.Entry<String, String> e : limits.entrySet()) {
            try {
                out = out.with(e.getKey(), e.getValue());
            } catch (IllegalArgumentException ignored) {
                // skipped
            }
        }
        return out;
    }

    /** The identity of the last launch, or null before the first. */
    ProcessIdentity identity() {
        return pid > 0 && started != null ? new ProcessIdentity(pid, started) : null;
    }

    Path directory() {
        return Path.of(workingDirectory);
    }

    /** {@code web.1}: how the process is named in logs. */
    String label() {
        return type + "." + index;
    }
}
