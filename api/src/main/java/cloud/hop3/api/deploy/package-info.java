/**
 * The deploy pipeline as the git receiver and the front ends see it.
 */
@Version("1.4.0")
package cloud.hop3.api.deploy;

import org.osgi.annotation.versioning.Version;
