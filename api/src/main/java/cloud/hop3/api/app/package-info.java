/**
 * Apps as users see them: the validated {@link cloud.hop3.api.app.AppName}, releases, formations, and {@link cloud.hop3.api.app.AppService}, the one place the shell (and every front end to come) goes to for apps.
 */
@Version("2.2.0")
package cloud.hop3.api.app;

import org.osgi.annotation.versioning.Version;
