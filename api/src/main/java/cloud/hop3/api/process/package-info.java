/**
 * Process drivers run the processes of an app's release as a formation: the embedded {@code local} driver, or a cluster.
 */
@Version("2.0.0")
package cloud.hop3.api.process;

import org.osgi.annotation.versioning.Version;
