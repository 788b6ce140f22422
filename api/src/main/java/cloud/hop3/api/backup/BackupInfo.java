package cloud.hop3.api.backup;

import java.time.Instant;
import java.util.Optional;

/**
 * A backup as front ends show it.
 *
 * @param manifest what it holds
 * @param store    the name of the store that keeps it
 * @param check    the last restore check of it, if one ran
 */
public record BackupInfo(BackupManifest manifest, String store, Optional<RestoreCheck> check) {

    /**
     * The result of restoring a backup into a scratch place and comparing what came back with the
     * manifest.
     *
     * @param at     when it ran
     * @param passed whether everything matched
     * @param detail what was compared, or the first difference found
     */
    public record RestoreCheck(Instant at, boolean passed, String detail) {
    }
}
