/**
 * <b>Draft, not implemented.</b> A first sketch of a contract for database add-ons (provision an
 * instance for an app, hand back its connection environment, dump and restore it). No plugin
 * implements these types and core does not call them ({@code plugin:list} would only list such a
 * service): there is no database plugin, no add-on service and no {@code addon:*} command, and
 * hop3.toml's {@code [[addons]]} is accepted and not read. The database work will redesign this
 * package (a new major version); do not build on it.
 */
@Version("1.0.0")
package cloud.hop3.api.addon;

import org.osgi.annotation.versioning.Version;
