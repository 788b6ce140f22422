package cloud.hop3.plugin.testkit;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import cloud.hop3.plugin.support.files.Trees;

/**
 * A test's platform home that a server's own system user can pass through: a fresh directory
 * under /tmp, mode 0711 like the other components of its path. JUnit's temporary directories are
 * root's alone, so a database server run as its account could not reach its data there.
 */
public final class PassableDirectory {

    private PassableDirectory() {
    }

    /** A new directory under /tmp whose name starts with {@code prefix}. */
    public static Path create(String prefix) throws IOException {
        Path root = Files.createTempDirectory(Path.of("/tmp"), prefix);
        Files.setPosixFilePermissions(root, PosixFilePermissions.fromString("rwx--x--x"));
        return root;
    }

    /** Removes {@code root} and everything under it, whoever owns it; nothing when it is null or gone. */
    public static void delete(Path root) throws IOException {
        if (root != null) {
            Trees.delete(root);
        }
    }
}
