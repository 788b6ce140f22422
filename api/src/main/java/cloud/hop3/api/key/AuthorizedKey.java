package cloud.hop3.api.key;

import java.time.Instant;

/**
 * An SSH public key allowed to push.
 *
 * @param name        the name it was added under ("alice-laptop"), shown in logs and events
 * @param type        the key type ("ssh-ed25519", "ecdsa-sha2-nistp256", "ssh-rsa")
 * @param fingerprint its SHA-256 fingerprint, as {@code ssh-keygen -lf} prints it
 * @param publicKey   the key in OpenSSH format, without comment ("ssh-ed25519 AAAA...")
 * @param added       when it was added
 */
public record AuthorizedKey(String name, String type, String fingerprint, String publicKey, Instant added) {
}
