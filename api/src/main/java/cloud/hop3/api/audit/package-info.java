/**
 * The audit trail: one append-only, hash-chained record per change made to the platform (who,
 * through which door, what, on what, with which result, when, from where), and the
 * {@link cloud.hop3.api.audit.AuditService} that writes, lists and verifies it.
 * <p>
 * No secret value ever enters a record: details name things (config var names, process types,
 * host names), never values, and a detail cannot hold a {@code name=value} pair.
 */
@Version("1.0.0")
package cloud.hop3.api.audit;

import org.osgi.annotation.versioning.Version;
