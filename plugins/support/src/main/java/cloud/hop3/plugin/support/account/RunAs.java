package cloud.hop3.plugin.support.account;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The one place that runs a command as another user: util-linux {@code setpriv} in front of it
 * sets the real, effective and saved ids, drops every supplementary group (the platform's groups
 * are not the command's), empties the inheritable and ambient capability sets, and sets
 * {@code no_new_privs} (no setuid program gives the command more rights than its user has).
 * setpriv then execs the command, so the pid a launcher sees is the command's.
 */
public final class RunAs {

    private static final List<Path> SETPRIV_LOCATIONS = List.of(Path.of("/usr/bin/setpriv"), Path.of("/bin/setpriv"));

    private RunAs() {
    }

    /** The command line that runs {@code argv} as {@code uid}:{@code gid}. */
    public static List<String> wrap(int uid, int gid, List<String> argv) {
        List<String> wrapped = new ArrayList<>(argv.size() + 9);
        wrapped.add(setpriv().map(Path::toString).orElseThrow(() -> new IllegalStateException(
                "util-linux setpriv is needed to run commands as user id " + uid)));
        wrapped.add("--reuid=" + uid);
        wrapped.add("--regid=" + gid);
        wrapped.add("--clear-groups");
        wrapped.add("--inh-caps=-all");
        wrapped.add("--ambient-caps=-all");
        wrapped.add("--no-new-privs");
        wrapped.add("--");
        wrapped.addAll(argv);
        return wrapped;
    }

    /** util-linux {@code setpriv}, where the system has it. */
    public static Optional<Path> setpriv() {
        return SETPRIV_LOCATIONS.stream().filter(Files::isExecutable).findFirst();
    }

    /**
     * What keeps this process from running commands as other users, or empty when nothing does:
     * setpriv or the shadow-utils commands missing, or this process not running as root.
     */
    public static Optional<String> obstacle() {
        if (setpriv().isEmpty()) {
            return Optional.of("util-linux setpriv is not installed");
        }
        Optional<String> missing = SystemUsers.missingCommand();
        if (missing.isPresent()) {
            return Optional.of(missing.get() + " (shadow-utils) is not installed");
        }
        long uid = effectiveUid();
        if (uid != 0) {
            return Optional.of("the platform runs as " + System.getProperty("user.name") + " (uid " + uid
                    + "), not as root, so it cannot switch users");
        }
        return Optional.empty();
    }

    /** The effective uid of this process, from {@code /proc/self/status}; -1 when unknown. */
    public static long effectiveUid() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("Uid:")) {
                    return Long.parseLong(line.substring(4).trim().split("\\s+")[1]);
                }
            }
        } catch (java.io.IOException | RuntimeException e) {
            // not Linux, or no /proc: nothing says we are root
        }
        return -1;
    }
}
