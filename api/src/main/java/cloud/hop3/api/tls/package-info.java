/**
 * Certificate issuers provide TLS certificates for the host names that apps answer to.
 */
@Version("2.0.0")
package cloud.hop3.api.tls;

import org.osgi.annotation.versioning.Version;
