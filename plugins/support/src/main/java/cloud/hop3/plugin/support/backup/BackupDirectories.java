package cloud.hop3.plugin.support.backup;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * The directories of a store that keeps backups as files (its own, or a staging area before a
 * tool takes them): owner-only, because a backup holds an app's data and secrets, (removed whole
 * with {@link cloud.hop3.plugin.support.files.Trees}). Stateless; any thread.
 */
public final class BackupDirectories {

    /** Owner-only directories. */
    public static final Set<PosixFilePermission> DIRECTORY = PosixFilePermissions.fromString("rwx------");
    /** Owner-only files. */
    public static final Set<PosixFilePermission> FILE = PosixFilePermissions.fromString("rw-------");

    private BackupDirectories() {
    }

    /** Creates {@code directory} and its missing parents, and makes it owner-only. */
    public static Path createPrivate(Path directory) throws IOException {
        Files.createDirectories(directory);
        Files.setPosixFilePermissions(directory, DIRECTORY);
        return directory;
    }
}
