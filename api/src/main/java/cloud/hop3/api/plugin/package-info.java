/**
 * What is installed: every plugin service with its bundle, version, state and whether it is the active choice.
 */
@Version("1.1.0")
package cloud.hop3.api.plugin;

import org.osgi.annotation.versioning.Version;
