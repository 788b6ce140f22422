package cloud.hop3.api.metrics;

import cloud.hop3.api.app.AppName;

/**
 * What one supervised process uses, with everything it started (its process tree), as a driver
 * reads it now.
 *
 * @param id       the driver's identifier of the process ({@link cloud.hop3.api.process.ProcessStatus#id()})
 * @param app      the app
 * @param type     the process type
 * @param cpuNanos CPU time (user and system) its tree has used since its current launch, in nanoseconds
 * @param rssBytes resident memory of its tree now, in bytes
 * @param restarts how often the driver restarted it after a crash
 * @param crashes  how often it exited or failed to start without being asked to, since the driver took it
 *                 in charge (a restart of the platform starts again from 0)
 */
public record ProcessUsage(String id, AppName app, String type, long cpuNanos, long rssBytes, int restarts,
                           long crashes) {
}
