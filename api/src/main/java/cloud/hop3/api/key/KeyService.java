package cloud.hop3.api.key;

import java.util.List;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The keys allowed to push with git: what {@code key:add}, {@code key:list} and
 * {@code key:remove} and the REST API call. Implemented by core; thread-safe; every change is
 * persisted before the method returns and applies to the next SSH login.
 */
@ProviderType
public interface KeyService {

    /** Every key, sorted by name. */
    List<AuthorizedKey> list();

    /**
     * Adds a key.
     *
     * @param name      letters, digits, {@code . _ @ -}, at most 64 characters
     * @param publicKey a line of an {@code authorized_keys} or {@code .pub} file
     * @throws IllegalArgumentException when the name or the key is not valid
     * @throws IllegalStateException    when the name or the key is already there
     */
    AuthorizedKey add(String name, String publicKey);

    /**
     * Removes a key.
     *
     * @throws java.util.NoSuchElementException when there is no key of that name
     */
    void remove(String name);
}
