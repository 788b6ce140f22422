package cloud.hop3.api.process;

/** The state of one process. */
public enum ProcessState {
    /** Launched, not yet known to be healthy. */
    STARTING,
    /** Running. */
    RUNNING,
    /** Exited and waiting for its restart after a backoff. */
    RESTARTING,
    /** Crashed too often in a row; no longer restarted until the app is restarted. */
    CRASHED,
    /** Stopping after a stop request. */
    STOPPING
}
