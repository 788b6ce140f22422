package cloud.hop3.core.impl.keys;

import java.security.PublicKey;
import java.security.interfaces.DSAPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

import org.apache.sshd.common.config.keys.AuthorizedKeyEntry;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.apache.sshd.common.config.keys.PublicKeyEntryResolver;

/**
 * Parses and checks OpenSSH public keys as users paste them.
 *
 * <p>Keys that no longer protect anything (RSA under 2048 bits, DSA) are refused. Of the options
 * an {@code authorized_keys} line may carry, only those that forbid what the git server never
 * allows anyway ({@code restrict}, {@code no-pty}, ...) are accepted; any other ({@code from=},
 * {@code command=}, ...) is refused by name rather than dropped, as a key stored without the
 * restriction its owner wrote would reach further than they meant.
 */
final class OpenSshKeys {

    static final Pattern NAME = Pattern.compile("[A-Za-z0-9._@-]{1,64}");
    static final int MIN_RSA_BITS = 2048;
    private static final Set<String> ALWAYS_ENFORCED = Set.of("restrict", "no-port-forwarding", "no-agent-forwarding",
            "no-x11-forwarding", "no-pty", "no-user-rc");

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
            checkOptions(entry);
            checkStrength(key);
            String type = entry.getKeyType();
            String openSsh = PublicKeyEntry.toString(key);
            return new Parsed(type, openSsh, KeyUtils.getFingerPrint(key), key);
        } catch (RefusedKeyException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("Not a valid OpenSSH public key: " + e.getMessage(), e);
        } catch (Exception e) {
            throw new IllegalArgumentException("Not a valid OpenSSH public key (" + e.getMessage()
                    + "); give a line such as 'ssh-ed25519 AAAA... you@host'.", e);
        }
    }

    /** A key that parses but is not accepted, with the reason for the user. */
    private static final class RefusedKeyException extends Exception {
        private static final long serialVersionUID = 1L;

        RefusedKeyException(String message) {
            super(message);
        }
    }

    private static void checkOptions(AuthorizedKeyEntry entry) throws RefusedKeyException {
        List<String> unsupported = entry.getLoginOptions().entrySet().stream()
                .filter(o -> !ALWAYS_ENFORCED.contains(o.getKey().toLowerCase(Locale.ROOT)))
                .map(o -> "true".equals(o.getValue()) ? o.getKey() : o.getKey() + "=")
                .map(o -> o.replaceAll("[^\\x20-\\x7e]", "?"))
                .sorted().toList();
        if (!unsupported.isEmpty()) {
            throw new RefusedKeyException("Key options are not supported: " + String.join(", ", unsupported)
                    + ". A key added here may push and fetch from any address; give the key without options"
                    + " (restrict and no-* options are accepted: the git server never allows more).");
        }
    }

    private static void checkStrength(PublicKey key) throws RefusedKeyException {
        if (key instanceof DSAPublicKey) {
            throw new RefusedKeyException("DSA keys are not accepted: they are weak, and OpenSSH no longer supports them."
                    + " Make an Ed25519 key with ssh-keygen -t ed25519.");
        }
        if (key instanceof RSAPublicKey rsa && rsa.getModulus().bitLength() < MIN_RSA_BITS) {
            throw new RefusedKeyException("This RSA key has " + rsa.getModulus().bitLength() + " bits; at least "
                    + MIN_RSA_BITS + " are needed. Make an Ed25519 key with ssh-keygen -t ed25519.");
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
