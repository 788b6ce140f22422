package cloud.hop3.core.impl.isolation;

import java.util.List;

import cloud.hop3.plugin.support.account.RunAs;

/**
 * Who an app's commands run as: its own Unix user and group, or, where the platform cannot
 * switch users, the platform's own user ({@link #PLATFORM}).
 * <p>
 * The one place that turns that into a command line: {@link #wrap} puts util-linux
 * {@code setpriv} in front of a command, which sets the real, effective and saved ids, drops
 * every supplementary group (the platform's groups are not the app's), empties the inheritable
 * and ambient capability sets (a platform that runs with capabilities passes none on), and sets
 * {@code no_new_privs} (no setuid program gives the app more rights than its user has). setpriv
 * then execs the command, so the pid the launcher sees is the command's. Every launcher of app
 * commands (processes, release commands, cron, {@code app:run}, builds) wraps through here.
 *
 * @param name the user's (and its group's) name; empty for {@link #PLATFORM}
 * @param uid  its user id; -1 for {@link #PLATFORM}
 * @param gid  its group id; -1 for {@link #PLATFORM}
 */
public record AppUser(String name, int uid, int gid) {

    /** Commands run as the platform's user: no isolation. */
    public static final AppUser PLATFORM = new AppUser("", -1, -1);

    /** Whether commands run as a user of their own. */
    public boolean isolated() {
        return uid >= 0;
    }

    /** The command line that runs {@code argv} as this user; {@code argv} itself for {@link #PLATFORM}. */
    public List<String> wrap(List<String> argv) {
        if (!isolated()) {
            return argv;
        }
        return RunAs.wrap(uid, gid, argv);
    }


    /** How {@code app:info} says it: {@code own user hop3-shop}, or that there is no isolation. */
    public String describe() {
        return isolated() ? "own user " + name : "none, runs as the platform's user";
    }

    @Override
    public String toString() {
        return isolated() ? name + " (uid " + uid + ")" : "the platform's user";
    }
}
