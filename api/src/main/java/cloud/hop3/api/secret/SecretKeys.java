package cloud.hop3.api.secret;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The installation's key for secrets at rest. Config vars (and whatever else core keeps secret)
 * are stored encrypted with it; the key itself is a file under {@code HOP3_HOME} that only the
 * platform's user may read, made at first start. Rotating makes a new key, re-encrypts every
 * stored secret with it, and only then retires the old keys (kept only to open older backups), so
 * that nothing becomes unreadable
 * on the way, also when the platform stops in the middle.
 * <p>
 * Implemented by core, for front ends (the shell's {@code platform:rotate-key}).
 * <b>Callers.</b> Any thread; {@link #rotate} waits for changes of each app in turn.
 */
@ProviderType
public interface SecretKeys {

    /** The id of the key that encrypts what is written now. */
    String currentKey();

    /**
     * Makes a new key the current one, re-encrypts every stored secret with it, then forgets the
     * keys that nothing uses any more.
     *
     * @return what was done; {@link KeyRotation#problems()} lists what could not be re-encrypted,
     *         in which case the old keys are kept
     */
    KeyRotation rotate();
}
