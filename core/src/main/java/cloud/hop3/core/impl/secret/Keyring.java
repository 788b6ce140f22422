package cloud.hop3.core.impl.secret;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The installation's secret keys as stored in {@code keys/secrets.json} (owner-only): the key that
 * seals new values, and older ones kept readable until a rotation has re-sealed everything.
 *
 * @param schema  format version of this document
 * @param current the id of the key that seals new values
 * @param keys    every key that may have sealed a stored value, the current one included
 */
record Keyring(int schema, String current, List<Key> keys) {

    static final int SCHEMA = 1;

    /**
     * One AES-256 key.
     *
     * @param id      a short random name, stored with each value it seals
     * @param created when it was made
     * @param secret  the key's 32 bytes, base64
     */
    record Key(String id, Instant created, String secret) {
    }

    Keyring {
        keys = keys == null ? List.of() : List.copyOf(keys);
    }

    Optional<Key> key(String id) {
        return keys.stream().filter(k -> k.id().equals(id)).findFirst();
    }
}
