package cloud.hop3.api.backup;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

import org.osgi.annotation.versioning.ConsumerType;

import cloud.hop3.api.app.AppName;

/**
 * Keeps backup archives. Registered with the service property {@value #NAME_PROPERTY}; several
 * stores may be configured, one is the default.
 * <p>
 * <b>Callers.</b> Core's backup service, on worker threads.
 * <p>
 * <b>Idempotence.</b> {@link #put} of a backup id that exists with the same manifest does
 * nothing; {@link #delete(String)} of a missing id does nothing.
 * <p>
 * <b>Integrity.</b> A store keeps the manifest with the parts; {@link #get} checks every part
 * against its SHA-256 and fails rather than return a damaged backup.
 * <p>
 * <b>Going away.</b> Backups already stored stay where they are; backups due meanwhile fail
 * loudly with the missing store's name.
 */
@ConsumerType
public interface BackupStore {

    /** Service property holding the store's name. */
    String NAME_PROPERTY = "hop3.backupstore";

    /** Short, stable name ("local", "restic"). */
    String name();

    /**
     * Stores the parts found in {@code directory}, as described by {@code manifest}.
     */
    void put(BackupManifest manifest, Path directory) throws IOException;

    /** The manifests of an app's backups, newest first. */
    List<BackupManifest> list(AppName app) throws IOException;

    /**
     * Copies a backup's parts into {@code directory} after checking them.
     *
     * @return its manifest
     */
    BackupManifest get(String backupId, Path directory) throws IOException;

    /** Removes a backup. */
    void delete(String backupId) throws IOException;
}
