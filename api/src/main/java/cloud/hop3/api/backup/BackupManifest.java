package cloud.hop3.api.backup;

import java.time.Instant;
import java.util.List;

import cloud.hop3.api.app.AppName;

/**
 * Draft, not implemented: what a backup would hold. No backup is taken yet; see the
 * {@linkplain cloud.hop3.api.backup package} description.
 *
 * @param id      unique id of the backup
 * @param app     the app backed up
 * @param created when it was taken
 * @param parts   its files, each with size and SHA-256
 */
public record BackupManifest(String id, AppName app, Instant created, List<BackupPart> parts) {

    public BackupManifest {
        parts = List.copyOf(parts);
    }
}
