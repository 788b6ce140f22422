/**
 * Facts about the installation (state directories, domain, bind addresses, ports, public
 * addresses, the holder of listening sockets) that plugins learn from core instead of reading
 * environment variables.
 */
@Version("1.3.0")
package cloud.hop3.api.platform;

import org.osgi.annotation.versioning.Version;
