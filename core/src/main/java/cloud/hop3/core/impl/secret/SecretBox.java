package cloud.hop3.core.impl.secret;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Modified;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import cloud.hop3.core.impl.platform.CoreConfig;
import cloud.hop3.core.impl.platform.PlatformSettings;
import cloud.hop3.core.impl.state.DocumentStore;

/**
 * Seals secrets for storage with the installation's key, and opens them again: AES-256-GCM, a
 * fresh random 96-bit nonce per value, and the value's place (its "context", such as the app and
 * the variable's name) as associated data, so that a value altered on disk, or copied to another
 * app or variable, does not open. A sealed value reads {@code <key id>:<base64 of nonce and
 * ciphertext>}: the key id lets values sealed before a rotation be opened while it runs.
 * <p>
 * The keys are in {@value #KEYRING} under {@code HOP3_HOME}, owner-only in an owner-only
 * directory, made at first start. A missing key file is made anew only when there is none; a key
 * file that cannot be read stops the platform's state from loading rather than making values
 * unreadable by replacing it.
 * <p>
 * Core's one place for secrets at rest: the app catalog seals config vars with it, and add-on
 * credentials are meant to be sealed with it too. Thread-safe.
 */
@Component(service = SecretBox.class, configurationPid = CoreConfig.PID)
public class SecretBox {

    static final String KEYRING = "keys/secrets.json";
    /** Keys a rotation retired: they open only the copies of app documents that backups hold. */
    static final String RETIRED = "keys/retired.json";
    private static final Logger LOG = LoggerFactory.getLogger(SecretBox.class);
    private static final String CIPHER = "AES/GCM/NoPadding";
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final int KEY_BYTES = 32;
    private static final SecureRandom RANDOM = new SecureRandom();

    private DocumentStore store;
    private Clock clock = Clock.systemUTC();
    private volatile Keyring keyring;

    /** For DS. */
    public SecretBox() {
    }

    /** For tests and embedding: the keys of the installation whose state directory is {@code home}. */
    public SecretBox(Path home, Clock clock) throws IOException {
        this.clock = clock;
        open(home);
    }

    @Activate
    void activate(CoreConfig config) throws IOException {
        open(PlatformSettings.resolve(config).home());
    }

    /** The state directory is read once, at activation (see {@code AppCatalog}). */
    @Modified
    void modified(CoreConfig config) {
        // nothing here follows a configuration change
    }

    private synchronized void open(Path home) throws IOException {
        store = new DocumentStore(home);
        Path keys = home.resolve(KEYRING).getParent();
        Files.createDirectories(keys);
        if (Files.getFileStore(keys).supportsFileAttributeView(PosixFileAttributeView.class)) {
            Files.setPosixFilePermissions(keys, PosixFilePermissions.fromString("rwx------"));
        }
        store.removeLeftovers(Path.of(KEYRING).getParent());
        Keyring stored = store.read(Path.of(KEYRING), Keyring.class).orElse(null);
        if (stored == null) {
            Keyring.Key first = newKey();
            stored = new Keyring(Keyring.SCHEMA, first.id(), List.of(first));
            store.writePrivate(Path.of(KEYRING), stored);
            LOG.info("Made the key {} that encrypts secrets at rest, in {}", first.id(), home.resolve(KEYRING));
        }
        if (stored.key(stored.current()).isEmpty()) {
            throw new IOException(home.resolve(KEYRING) + " names " + stored.current()
                    + " as its current key but does not hold it; restore the file from a backup");
        }
        keyring = stored;
    }

    /** The id of the key that seals now. */
    public String currentKey() {
        return keyring.current();
    }

    /** {@code plain} sealed with the current key, for the place {@code context}. */
    public String seal(String plain, String context) {
        Keyring ring = keyring;
        byte[] nonce = new byte[NONCE_BYTES];
        RANDOM.nextBytes(nonce);
        try {
            Cipher cipher = Cipher.getInstance(CIPHER);
            cipher.init(Cipher.ENCRYPT_MODE, secretKey(ring.key(ring.current()).orElseThrow()),
                    new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(context.getBytes(StandardCharsets.UTF_8));
            byte[] sealed = cipher.doFinal(plain.getBytes(StandardCharsets.UTF_8));
            byte[] all = ByteBuffer.allocate(nonce.length + sealed.length).put(nonce).put(sealed).array();
            return ring.current() + ":" + Base64.getEncoder().encodeToString(all);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Cannot encrypt with " + CIPHER + ": " + e.getMessage(), e);
        }
    }

    /**
     * The plain value of {@code sealed}, which must have been sealed for the same {@code context}.
     *
     * @throws SealingException when it was altered, belongs elsewhere, or its key is not known
     */
    public String open(String sealed, String context) {
        int colon = sealed.indexOf(':');
        String id = colon < 0 ? "" : sealed.substring(0, colon);
        Keyring.Key key = keyring.key(id).orElseThrow(() -> new SealingException("The value of " + context
                + " was encrypted with key '" + id + "', which " + KEYRING + " does not hold; restore that file from the"
                + " backup that holds the key", null));
        return open(sealed, context, key);
    }

    private static String open(String sealed, String context, Keyring.Key key) {
        int colon = sealed.indexOf(':');
        try {
            byte[] all = Base64.getDecoder().decode(sealed.substring(colon + 1));
            if (all.length < NONCE_BYTES) {
                throw new GeneralSecurityException("too short");
            }
            Cipher cipher = Cipher.getInstance(CIPHER);
            cipher.init(Cipher.DECRYPT_MODE, secretKey(key), new GCMParameterSpec(TAG_BITS, all, 0, NONCE_BYTES));
            cipher.updateAAD(context.getBytes(StandardCharsets.UTF_8));
            return new String(cipher.doFinal(all, NONCE_BYTES, all.length - NONCE_BYTES), StandardCharsets.UTF_8);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new SealingException("The value of " + context + " does not decrypt: it was altered, or copied from"
                    + " elsewhere", e);
        }
    }

    /**
     * The first step of a rotation: a new key seals from now on; the old ones still open what they
     * sealed until {@link #retireOldKeys()}.
     *
     * @return the new key's id
     */
    public synchronized String addKey() throws IOException {
        Keyring.Key next = newKey();
        List<Keyring.Key> keys = new ArrayList<>(keyring.keys());
        keys.add(next);
        Keyring ring = new Keyring(Keyring.SCHEMA, next.id(), keys);
        store.writePrivate(Path.of(KEYRING), ring);
        keyring = ring;
        LOG.info("Secrets at rest are now encrypted with the new key {}", next.id());
        return next.id();
    }

    /**
     * The last step of a rotation, once every stored value is sealed with the current key: the
     * others no longer open anything of the platform's state. They are kept apart, in
     * {@value #RETIRED}, for {@link #openArchived} alone, so that backups taken before the
     * rotation still restore.
     *
     * @return the ids retired
     */
    public synchronized List<String> retireOldKeys() throws IOException {
        Keyring ring = keyring;
        List<Keyring.Key> old = ring.keys().stream().filter(k -> !k.id().equals(ring.current())).toList();
        if (!old.isEmpty()) {
            addRetired(old);
            Keyring kept = new Keyring(Keyring.SCHEMA, ring.current(), List.of(ring.key(ring.current()).orElseThrow()));
            store.writePrivate(Path.of(KEYRING), kept);
            keyring = kept;
            LOG.info("Retired the old secret keys {}: they open only backups taken before", old.stream().map(Keyring.Key::id).toList());
        }
        return old.stream().map(Keyring.Key::id).toList();
    }

    /** The retired keys, oldest first. */
    private Keyring retired() throws IOException {
        return store.read(Path.of(RETIRED), Keyring.class).orElse(new Keyring(Keyring.SCHEMA, "", List.of()));
    }

    private void addRetired(List<Keyring.Key> keys) throws IOException {
        Keyring retired = retired();
        List<Keyring.Key> all = new ArrayList<>(retired.keys());
        for (Keyring.Key key : keys) {
            if (retired.key(key.id()).isEmpty()) {
                all.add(key);
            }
        }
        store.writePrivate(Path.of(RETIRED), new Keyring(Keyring.SCHEMA, "", all));
    }

    /**
     * The plain value of {@code sealed} from a backup: as {@link #open}, and also with a key that a
     * rotation retired since the backup was taken.
     *
     * @throws SealingException when it was altered, belongs elsewhere, or no key, held or retired, is its
     */
    public String openArchived(String sealed, String context) {
        int colon = sealed.indexOf(':');
        String id = colon < 0 ? "" : sealed.substring(0, colon);
        if (keyring.key(id).isPresent()) {
            return open(sealed, context);
        }
        Keyring.Key key;
        try {
            key = retired().key(id).orElse(null);
        } catch (IOException e) {
            throw new SealingException("The retired keys in " + RETIRED + " cannot be read: " + e.getMessage(), e);
        }
        if (key == null) {
            return open(sealed, context); // says which key is missing
        }
        return open(sealed, context, key);
    }

    /**
     * Adds the keys of another installation's key file (from a backup of it) to this one's, so
     * that what they sealed opens here; the current key stays the one that seals. A rotation
     * re-seals everything with the current key and forgets them, as it does old keys.
     *
     * @return the ids of the keys added (those already held are skipped)
     * @throws IOException when the file cannot be read or is not a key file
     */
    public synchronized List<String> adopt(Path otherKeyring) throws IOException {
        Keyring other = new DocumentStore(otherKeyring.getParent()).read(otherKeyring.getFileName(), Keyring.class)
                .orElseThrow(() -> new IOException(otherKeyring + " holds no keys"));
        List<Keyring.Key> keys = new ArrayList<>(keyring.keys());
        List<String> added = new ArrayList<>();
        for (Keyring.Key key : other.keys()) {
            if (key.id() == null || key.secret() == null || decodedLength(key.secret()) != KEY_BYTES) {
                throw new IOException(otherKeyring + " holds a key that is not an AES-256 key");
            }
            Optional<Keyring.Key> held = keyring.key(key.id());
            if (held.isPresent() && !held.get().secret().equals(key.secret())) {
                throw new IOException("The key " + key.id() + " of " + otherKeyring + " differs from this installation's"
                        + " key of the same id");
            }
            if (held.isEmpty()) {
                keys.add(key);
                added.add(key.id());
            }
        }
        Path otherRetired = otherKeyring.resolveSibling(Path.of(RETIRED).getFileName());
        if (Files.isRegularFile(otherRetired)) {
            Keyring retiredThere = new DocumentStore(otherRetired.getParent()).read(otherRetired.getFileName(), Keyring.class)
                    .orElse(new Keyring(Keyring.SCHEMA, "", List.of()));
            addRetired(retiredThere.keys());
        }
        if (!added.isEmpty()) {
            Keyring ring = new Keyring(Keyring.SCHEMA, keyring.current(), keys);
            store.writePrivate(Path.of(KEYRING), ring);
            keyring = ring;
            LOG.info("Added the keys {} of another installation: what they encrypted opens here", added);
        }
        return added;
    }

    private static int decodedLength(String base64) {
        try {
            return Base64.getDecoder().decode(base64).length;
        } catch (IllegalArgumentException e) {
            return -1;
        }
    }

    private Keyring.Key newKey() {
        byte[] secret = new byte[KEY_BYTES];
        RANDOM.nextBytes(secret);
        byte[] id = new byte[4];
        RANDOM.nextBytes(id);
        return new Keyring.Key("k" + HexFormat.of().formatHex(id), clock.instant(),
                Base64.getEncoder().encodeToString(secret));
    }

    private static SecretKey secretKey(Keyring.Key key) {
        return new SecretKeySpec(Base64.getDecoder().decode(key.secret()), "AES");
    }
}
