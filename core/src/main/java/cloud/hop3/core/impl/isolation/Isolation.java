package cloud.hop3.core.impl.isolation;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Optional;

import cloud.hop3.plugin.support.account.RunAs;

/**
 * Whether this machine lets the platform run each app as a user of its own, and if not, why:
 * the one check, so the log, {@code bin/hop3 start} and {@code app:info} say the same.
 */
final class Isolation {

    private Isolation() {
    }

    /** What keeps the platform from isolating apps, or empty when nothing does. */
    static Optional<String> obstacle(Path home) throws IOException {
        Optional<String> obstacle = RunAs.obstacle();
        if (obstacle.isPresent()) {
            return obstacle;
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
}
