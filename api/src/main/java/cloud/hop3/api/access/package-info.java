/**
 * Who acts: users, their roles on apps, and the one authorization service that the git server,
 * the shell and the REST API ask.
 */
@Version("1.2.0")
package cloud.hop3.api.access;

import org.osgi.annotation.versioning.Version;
