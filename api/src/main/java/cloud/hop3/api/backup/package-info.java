/**
 * Backups: the {@link cloud.hop3.api.backup.BackupStore} contract that each store plugin (a local
 * directory, restic) implements, and the {@link cloud.hop3.api.backup.BackupService} through which
 * front ends (shell, REST, dashboard) take, list, verify, restore and schedule backups.
 * <p>
 * A backup is a set of parts (files) described by a {@link cloud.hop3.api.backup.BackupManifest}
 * that gives each part's size and SHA-256: a store never hands back a part that does not match
 * it, so a damaged backup is refused, never restored.
 */
@Version("2.0.0")
package cloud.hop3.api.backup;

import org.osgi.annotation.versioning.Version;
