/**
 * Topics and property keys of the lifecycle events that core publishes on OSGi Event Admin.
 */
@Version("1.5.0")
package cloud.hop3.api.event;

import org.osgi.annotation.versioning.Version;
