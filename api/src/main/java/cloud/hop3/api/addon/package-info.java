/**
 * Database add-ons: provision an instance for an app, hand back its connection environment, dump and restore it.
 */
@Version("1.0.0")
package cloud.hop3.api.addon;

import org.osgi.annotation.versioning.Version;
