package cloud.hop3.core.impl.isolation;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.List;
import java.util.Optional;

/**
 * Whether this machine lets the platform run each app as a user of its own, and if not, why:
 * the one check, so the log, {@code bin/hop3 start} and {@code app:info} say the same.
 */
final class Isolation {

    private Isolation() {
    }

    /** What keeps the platform from isolating apps, or empty when nothing does. */
    static Optional<String> obstacle(Path home) throws IOException {
        if (AppUser.setpriv().isEmpty()) {
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
        Path absolute = home.toAbsolutePath().normalize();
        Optional<Path> karafData = HomeModes.karafDirectory("karaf.data");
        for (Path dir = absolute.getParent(); dir != null; dir = dir.getParent()) {
            if (karafData.isPresent() && karafData.get().equals(dir)) {
                continue; // opened for traversal by HomeModes
            }
            if (Files.isDirectory(dir) && !Files.getPosixFilePermissions(dir).contains(PosixFilePermission.OTHERS_EXECUTE)) {
                return Optional.of(dir + " (above HOP3_HOME) is closed to other users; apps could not reach their files"
                        + " (chmod o+x " + dir + ")");
            }
        }
        return Optional.empty();
    }

    /** The effective uid of this process, from {@code /proc/self/status}; -1 when unknown. */
    static long effectiveUid() {
        try {
            List<String> lines = Files.readAllLines(Path.of("/proc/self/status"));
            for (String line : lines) {
                if (line.startsWith("Uid:")) {
                    return Long.parseLong(line.substring(4).trim().split("\\s+")[1]);
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux, or no /proc: nothing says we are root
        }
        return -1;
    }
}
