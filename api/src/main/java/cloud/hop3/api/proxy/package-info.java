/**
 * Reverse proxies serve the platform's {@link cloud.hop3.api.proxy.RouteTable}: the built-in one, nginx, Caddy, HAProxy.
 */
@Version("2.0.0")
package cloud.hop3.api.proxy;

import org.osgi.annotation.versioning.Version;
