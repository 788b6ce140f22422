/**
 * Metrics of the apps and of the platform: what a proxy reports for each request it forwards, what
 * a process driver reports of the processes it runs, and the series and Prometheus exposition that
 * front ends read. Nothing here names a metrics library: the platform's metrics bundle implements
 * these types on one, and plugins and front ends depend on these types alone.
 */
@Version("1.0.0")
package cloud.hop3.api.metrics;

import org.osgi.annotation.versioning.Version;
