package cloud.hop3.api.access;

/**
 * What an actor asks to do, on one app or on the platform. Each door names the permission of what
 * it is about to do and asks {@link AccessService#check}.
 */
public enum Permission {
    /** See an app (info, processes, releases, logs, config, domains, backups) or the platform's lists. */
    READ(true, "read"),
    /** Push to an app with git, creating it on the first push, or run a command in it. */
    PUSH(true, "push to"),
    /** Set or unset an app's config vars and limits. */
    CONFIG(true, "change the config of"),
    /** Scale, restart, stop or start an app's processes. */
    SCALE(true, "scale, restart, stop or start"),
    /** Roll an app back to an earlier release. */
    ROLLBACK(true, "roll back"),
    /** Add or remove an app's domains, renew its certificate. */
    DOMAINS(true, "change the domains of"),
    /** Attach or detach an app's add-ons. */
    ADDONS(true, "change the add-ons of"),
    /** Take, restore, schedule or delete an app's backups. */
    BACKUPS(true, "change the backups of"),
    /** Create an app without pushing, or destroy one. */
    CREATE_DESTROY(true, "create or destroy"),
    /** Users, keys, tokens of others, plugins, add-ons not tied to one app, and the platform itself. */
    ADMINISTER(false, "administer the platform");

    private final boolean aboutApps;
    private final String verb;

    Permission(boolean aboutApps, String verb) {
        this.aboutApps = aboutApps;
        this.verb = verb;
    }

    /** Whether it is asked about one app (or, with no app, about every app's lists). */
    public boolean aboutApps() {
        return aboutApps;
    }

    /** What it allows, as a phrase ("change the config of"), for messages. */
    public String verb() {
        return verb;
    }
}
