package cloud.hop3.core.impl.keys;

import java.security.PublicKey;
import java.util.regex.Pattern;

import org.apache.sshd.common.config.keys.AuthorizedKeyEntry;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.apache.sshd.common.config.keys.PublicKeyEntryResolver;

/** Parses and checks OpenSSH public keys as users paste them. */
final class OpenSshKeys {

    static final Pattern NAME = Pattern.compile("[A-Za-z0-9._@-]{1,64}");

    private OpenSshKeys() {
    }

    /**
     * A checked key.
     *
     * @param type        the key type
     * @param openSsh     "type base64", without options or comment
     * @param fingerprint SHA-256 fingerprint
     * @param key         the parsed key
     */
    record Parsed(String type, String openSsh, String fingerprint, PublicKey key) {
    }

    /**
     * Parses one line of an authorized_keys or .pub file.
     *
     * @throws IllegalArgumentException with a message a user can act on
     */
    static Parsed parse(String line) {
        if (line == null || line.isBlank()) {
            throw new IllegalArgumentException("A public key is required, for example the content of ~/.ssh/id_ed25519.pub.");
        }
        String trimmed = line.strip();
        if (trimmed.contains("PRIVATE KEY")) {
            throw new IllegalArgumentException("This is a private key. Give the public key (the .pub file) and keep the private key secret.");
        }
        if (trimmed.contains("\n") || trimmed.contains("\r")) {
            throw new IllegalArgumentException("Give one public key, on one line.");
        }
        try {
            AuthorizedKeyEntry entry = AuthorizedKeyEntry.parseAuthorizedKeyEntry(trimmed);
            if (entry == null) {
                throw new IllegalArgumentException("Not an OpenSSH public key.");
            }
            PublicKey key = entry.resolvePublicKey(null, PublicKeyEntryResolver.FAILING);
            if (key == null) {
                throw new IllegalArgumentException("Unsupported key type '" + entry.getKeyType() + "'.");
            }
            String type = entry.getKeyType();
            String openSsh = PublicKeyEntry.toString(key);
            return new Parsed(type, openSsh, KeyUtils.getFingerPrint(key), key);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("Not a valid OpenSSH public key: " + e.getMessage(), e);
        } catch (Exception e) {
            throw new IllegalArgumentException("Not a valid OpenSSH public key (" + e.getMessage()
                    + "); give a line such as 'ssh-ed25519 AAAA... you@host'.", e);
        }
    }

    /** Checks a key name. */
    static String checkName(String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("Invalid key name '" + (name == null ? "" : name.replaceAll("[^\\x20-\\x7e]", "?"))
                    + "': use 1 to 64 letters, digits, '.', '_', '@' or '-'.");
        }
        return name;
    }

    /** Whether two keys are the same key. */
    static boolean same(PublicKey a, PublicKey b) {
        return KeyUtils.compareKeys(a, b);
    }
}
