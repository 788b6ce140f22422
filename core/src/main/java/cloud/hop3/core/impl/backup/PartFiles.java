package cloud.hop3.core.impl.backup;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.UUID;

import cloud.hop3.api.backup.BackupException;
import cloud.hop3.api.backup.BackupManifest;
import cloud.hop3.api.backup.BackupPart;
import cloud.hop3.plugin.support.files.Trees;

/**
 * The platform's side of a backup's files: scratch directories ({@code tmp/backups/<random>},
 * owner-only, under the state directory, removed after use and as leftovers at start), and the
 * size and SHA-256 of each part, computed when it is taken and checked again when it comes back
 * from a store.
 */
final class PartFiles {

    private final Path root;

    PartFiles(Path home) {
        this.root = home.resolve("tmp").resolve("backups");
    }

    /** Removes the scratch directories that a stop interrupted. */
    void removeLeftovers() throws IOException {
        if (!Files.isDirectory(root, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (DirectoryStream<Path> left = Files.newDirectoryStream(root)) {
            for (Path dir : left) {
                Trees.delete(dir);
            }
        }
    }

    /** A new empty directory only the platform's user reads. */
    Path scratch() throws BackupException {
        try {
            Files.createDirectories(root);
            Files.setPosixFilePermissions(root, PosixFilePermissions.fromString("rwx------"));
            return Files.createDirectory(root.resolve(UUID.randomUUID().toString()),
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        } catch (IOException e) {
            throw new BackupException("No scratch directory for the backup under " + root + ": " + e.getMessage(), e);
        }
    }

    /** Removes a scratch directory; what cannot be removed goes at the next start. */
    static void remove(Path scratch) {
        try {
            if (scratch != null && Files.exists(scratch)) {
                Trees.delete(scratch);
            }
        } catch (IOException e) {
            org.slf4j.LoggerFactory.getLogger(PartFiles.class).warn("Cannot remove {}: {}", scratch, e.getMessage());
        }
    }

    /** The part for the file {@code name} in {@code dir}, with its size and SHA-256. */
    static BackupPart part(Path dir, String name, Map<String, String> attributes) throws IOException {
        Path file = dir.resolve(name);
        return new BackupPart(name, Files.size(file), sha256(file), attributes);
    }

    /**
     * Checks each part of {@code manifest} in {@code dir} against its size and SHA-256.
     *
     * @throws BackupException naming the first part that is missing or differs
     */
    static void check(BackupManifest manifest, Path dir) throws BackupException {
        for (BackupPart p : manifest.parts()) {
            Path file = dir.resolve(p.name());
            try {
                if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
                    throw new BackupException("Backup " + manifest.id() + ": part " + p.name() + " is missing.");
                }
                long size = Files.size(file);
                if (size != p.size()) {
                    throw new BackupException("Backup " + manifest.id() + ": part " + p.name() + " has " + size
                            + " bytes, the manifest says " + p.size() + ".");
                }
                if (!sha256(file).equals(p.sha256())) {
                    throw new BackupException("Backup " + manifest.id() + ": part " + p.name()
                            + " does not match its SHA-256 in the manifest.");
                }
            } catch (IOException e) {
                throw new BackupException("Backup " + manifest.id() + ": part " + p.name() + " cannot be read: "
                        + e.getMessage(), e);
            }
        }
    }

    static String sha256(Path file) throws IOException {
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        byte[] buffer = new byte[1 << 16];
        try (InputStream in = Files.newInputStream(file)) {
            for (int n; (n = in.read(buffer)) > 0; ) {
                digest.update(buffer, 0, n);
            }
        }
        return HexFormat.of().formatHex(digest.digest());
    }
}
