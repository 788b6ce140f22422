package cloud.hop3.api.platform;

import java.io.IOException;

import org.osgi.annotation.versioning.ProviderType;

/**
 * System accounts for the servers that plugins run (database servers), provided by core through
 * the same mechanism that gives each app its own user: where the platform isolates apps, each
 * name gets a system user and group {@code hop3_<name>} without a login; elsewhere servers run as
 * the platform's user and {@link ServiceAccount#describe()} says why.
 */
@ProviderType
public interface ServiceAccounts {

    /**
     * The account for {@code name}, created when it is missing.
     *
     * @param name lower-case letters and digits, at most 20 ("postgres", "redis")
     * @throws IllegalArgumentException for another name
     * @throws IOException              when the machine refuses to create it
     */
    ServiceAccount account(String name) throws IOException;
}
