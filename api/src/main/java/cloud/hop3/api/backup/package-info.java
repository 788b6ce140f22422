/**
 * Backup stores keep backup archives, each described by a manifest with the SHA-256 of every part.
 */
@Version("1.0.0")
package cloud.hop3.api.backup;

import org.osgi.annotation.versioning.Version;
