package cloud.hop3.api.backup;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

import org.osgi.annotation.versioning.ConsumerType;

import cloud.hop3.api.app.AppName;

/**
 * <b>Draft, not implemented.</b> A first sketch of a store for backup archives, to be registered
 * with the service property {@value #NAME_PROPERTY}. No plugin implements it and core never calls
 * it: there is no backup service, no {@code backup:*} command and no scheduled backup. The
 * {@code backup.store} setting of {@code cloud.hop3.core} is only shown by {@code plugin:list}.
 * The backup work will redesign it; see the {@linkplain cloud.hop3.api.backup package}
 * description.
 * <p>
 * What the sketch intends: {@link #put} of a backup id that exists with the same manifest would
 * do nothing, and {@link #delete(String)} of a missing id nothing; a store would keep the
 * manifest with the parts, and {@link #get} would check every part against its SHA-256 and fail
 * rather than return a damaged backup.
 */
@ConsumerType
public interface BackupStore {

    /** Service property that would hold the store's name. */
    String NAME_PROPERTY = "hop3.backupstore";

    /** Short, stable name ("local", "restic"). */
    String name();

    /**
     * Would store the parts found in {@code directory}, as described by {@code manifest}.
     */
    void put(BackupManifest manifest, Path directory) throws IOException;

    /** Would list the manifests of an app's backups, newest first. */
    List<BackupManifest> list(AppName app) throws IOException;

    /**
     * Would copy a backup's parts into {@code directory} after checking them.
     *
     * @return its manifest
     */
    BackupManifest get(String backupId, Path directory) throws IOException;

    /** Would remove a backup. */
    void delete(String backupId) throws IOException;
}
