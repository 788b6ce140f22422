package cloud.hop3.api.access;

/** The way a person or the platform itself came in to act. */
public enum Door {
    /** A {@code git push} over the git server. */
    GIT,
    /** A shell command, over SSH or {@code bin/hop3}. */
    SHELL,
    /** The REST API. */
    API,
    /** The web dashboard. */
    DASHBOARD,
    /** A schedule of the platform (a scheduled backup, a certificate renewal). */
    SCHEDULE,
    /** The platform on its own (a start, a crash recovery). */
    PLATFORM
}
