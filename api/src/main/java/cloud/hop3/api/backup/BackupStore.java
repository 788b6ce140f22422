package cloud.hop3.api.backup;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Where backups are kept: a plugin registered with the service property {@value #NAME_PROPERTY}.
 * Core chooses the store in use as for every kind (the {@code backup.store} setting of
 * {@code cloud.hop3.core}, then service ranking, then name) and never reaches a store's files
 * itself.
 * <p>
 * What every store guarantees, and what the contract test in the plugin testkit checks:
 * <ul>
 * <li>{@link #put} is atomic: until it returns, {@link #list} does not show the backup, and a
 * failed or interrupted put leaves nothing that is listed.</li>
 * <li>{@link #get} checks every part against the manifest's size and SHA-256 and throws, naming
 * the part, rather than return a damaged backup.</li>
 * <li>The manifest is kept with the parts, in {@link BackupManifest}'s text format, so that the
 * store's own tools are enough to read a backup without the platform.</li>
 * </ul>
 */
@ConsumerType
public interface BackupStore {

    /** Service property that holds the store's name. */
    String NAME_PROPERTY = "hop3.backupstore";

    /** Short, stable name ("local", "restic"). */
    String name();

    /** Where backups go, for the operator ("/var/lib/hop3/backups", "sftp:backup@host:/hop3"); no secret. */
    String location();

    /**
     * Stores the parts found in {@code directory} (one file per {@link BackupPart#name()}), as
     * described by {@code manifest}, after checking each against it. Refused when a backup with
     * that id exists.
     */
    void put(BackupManifest manifest, Path directory) throws BackupException, InterruptedException;

    /** The manifests of every complete backup, newest first. */
    List<BackupManifest> list() throws BackupException, InterruptedException;

    /** The manifest of one backup, or empty when the store has none of that id. */
    Optional<BackupManifest> manifest(BackupId id) throws BackupException, InterruptedException;

    /**
     * Copies a backup's parts into {@code directory} (which exists and is empty), checking each
     * against the manifest.
     *
     * @return its manifest
     * @throws BackupException when there is no such backup, or a part is missing, of another size
     *                         or of another SHA-256 (the message names the part)
     */
    BackupManifest get(BackupId id, Path directory) throws BackupException, InterruptedException;

    /** Removes a backup; nothing when there is none of that id. */
    void delete(BackupId id) throws BackupException, InterruptedException;
}
