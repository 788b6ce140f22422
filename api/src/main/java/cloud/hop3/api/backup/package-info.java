/**
 * <b>Draft, not implemented.</b> A first sketch of a contract for backup stores, which would keep
 * backup archives described by a manifest with the SHA-256 of every part. No plugin implements
 * these types and core does not call them ({@code plugin:list} would only list such a service):
 * there is no backup store plugin, no backup service and no {@code backup:*} command, and
 * hop3.toml's {@code [backup]} is accepted and not read. The backup work will redesign this
 * package (a new major version); do not build on it.
 */
@Version("1.0.0")
package cloud.hop3.api.backup;

import org.osgi.annotation.versioning.Version;
