package cloud.hop3.api.backup;

import java.util.Map;
import java.util.regex.Pattern;

/**
 * One file of a backup.
 *
 * @param name       file name inside the backup ({@code repo.bundle}, {@code data.tar},
 *                   {@code addon-shop-db.pgdump}): {@link #NAME}, no path, and not the
 *                   manifest's own {@link BackupManifest#FILE_NAME}
 * @param size       size in bytes
 * @param sha256     lower-case hex SHA-256 of its content
 * @param attributes facts about the part that a restore check compares with what it restores
 *                   (the add-on and its type, a row or key count); keys match {@link #KEY}, values
 *                   are one line of text
 */
public record BackupPart(String name, long size, String sha256, Map<String, String> attributes) {

    /** The pattern a part name must match. */
    public static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9._-]{0,99}");

    /** The pattern an attribute key must match. */
    public static final Pattern KEY = Pattern.compile("[a-z][a-z0-9.-]{0,49}");

    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");

    public BackupPart {
        if (name == null || !NAME.matcher(name).matches() || name.contains("..") || name.equals(BackupManifest.FILE_NAME)) {
            throw new IllegalArgumentException("Invalid backup part name: " + name);
        }
        if (size < 0) {
            throw new IllegalArgumentException("Negative size for backup part " + name);
        }
        if (sha256 == null || !SHA256.matcher(sha256).matches()) {
            throw new IllegalArgumentException("Invalid SHA-256 for backup part " + name + ": " + sha256);
        }
        attributes = Map.copyOf(attributes);
        for (Map.Entry<String, String> e : attributes.entrySet()) {
            if (!KEY.matcher(e.getKey()).matches() || e.getValue().indexOf('\n') >= 0 || e.getValue().indexOf('\r') >= 0) {
                throw new IllegalArgumentException("Invalid attribute of backup part " + name + ": " + e.getKey());
            }
        }
    }

    /** A part without attributes. */
    public BackupPart(String name, long size, String sha256) {
        this(name, size, sha256, Map.of());
    }
}
