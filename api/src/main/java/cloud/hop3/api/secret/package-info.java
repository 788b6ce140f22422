/**
 * The key with which the platform keeps secrets (config vars, add-on credentials) encrypted at
 * rest, and its rotation.
 */
@Version("1.0.0")
package cloud.hop3.api.secret;

import org.osgi.annotation.versioning.Version;
