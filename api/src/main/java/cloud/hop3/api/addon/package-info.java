/**
 * Database add-ons: the {@link cloud.hop3.api.addon.Database} contract that each database plugin
 * implements, and the {@link cloud.hop3.api.addon.AddonService} through which front ends (shell,
 * REST, dashboard) create, attach and destroy add-ons.
 */
@Version("2.3.0")
package cloud.hop3.api.addon;

import org.osgi.annotation.versioning.Version;
