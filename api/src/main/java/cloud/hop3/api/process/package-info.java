/**
 * Process drivers run the processes of an app's release as a formation: the embedded {@code local} driver one
 * process at a time, or a {@link cloud.hop3.api.process.ReleaseDriver} a whole release at once, on a cluster.
 */
@Version("2.1.0")
package cloud.hop3.api.process;

import org.osgi.annotation.versioning.Version;
