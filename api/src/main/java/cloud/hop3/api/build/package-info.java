/**
 * Builders turn a pushed source tree into a self-contained slug with a {@link cloud.hop3.api.build.RuntimeSpec}.
 */
@Version("1.0.0")
package cloud.hop3.api.build;

import org.osgi.annotation.versioning.Version;
