package cloud.hop3.api.backup;

/**
 * One file of a backup.
 *
 * @param name   file name inside the backup ({@code data.tar}, {@code postgres-main.dump})
 * @param size   size in bytes
 * @param sha256 lower-case hex SHA-256 of its content
 */
public record BackupPart(String name, long size, String sha256) {
}
