/**
 * The SSH keys allowed to push apps with git.
 */
@Version("1.0.0")
package cloud.hop3.api.key;

import org.osgi.annotation.versioning.Version;
