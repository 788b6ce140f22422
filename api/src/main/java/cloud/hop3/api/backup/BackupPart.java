package cloud.hop3.api.backup;

/**
 * Draft, not implemented: one file of a backup. No backup is taken yet; see the
 * {@linkplain cloud.hop3.api.backup package} description.
 *
 * @param name   file name inside the backup ({@code data.tar}, {@code postgres-main.dump})
 * @param size   size in bytes
 * @param sha256 lower-case hex SHA-256 of its content
 */
public record BackupPart(String name, long size, String sha256) {
}
