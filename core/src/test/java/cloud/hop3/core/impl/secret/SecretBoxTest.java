package cloud.hop3.core.impl.secret;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.util.Base64;
import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Values sealed with the installation's key: private, tamper-evident, and readable across a rotation. */
class SecretBoxTest {

    private static final String PLACE = "app shop config var DB_PASSWORD";
    private static final String SECRET = "s3cr3t 'with' $(quotes) and ünïcode\n";

    @TempDir
    Path home;

    private SecretBox box;

    @BeforeEach
    void open() throws IOException {
        box = new SecretBox(home, Clock.systemUTC());
    }

    @Test
    void aSealedValueOpensToTheSameValueAndDoesNotShowIt() {
        String sealed = box.seal(SECRET, PLACE);

        assertEquals(SECRET, box.open(sealed, PLACE));
        assertFalse(sealed.contains("s3cr3t"), sealed);
        assertTrue(sealed.startsWith(box.currentKey() + ":"), "the key id travels with the value: " + sealed);
        assertNotEquals(sealed, box.seal(SECRET, PLACE), "a fresh nonce per value: equal values do not look equal");
        assertEquals("", box.open(box.seal("", PLACE), PLACE));
    }

    @Test
    void theKeyFileIsMadeOnceOwnerOnlyAndKeptAcrossRestarts() throws IOException {
        Path file = home.resolve(SecretBox.KEYRING);
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file.getParent())));
        String sealed = box.seal(SECRET, PLACE);

        SecretBox restarted = new SecretBox(home, Clock.systemUTC());

        assertEquals(box.currentKey(), restarted.currentKey());
        assertEquals(SECRET, restarted.open(sealed, PLACE));
    }

    @Test
    void anAlteredValueIsRefused() {
        String sealed = box.seal(SECRET, PLACE);
        int colon = sealed.indexOf(':');
        byte[] bytes = Base64.getDecoder().decode(sealed.substring(colon + 1));
        bytes[bytes.length - 20] ^= 1;
        String altered = sealed.substring(0, colon + 1) + Base64.getEncoder().encodeToString(bytes);

        SealingException e = assertThrows(SealingException.class, () -> box.open(altered, PLACE));
        assertTrue(e.getMessage().contains("altered"), e.getMessage());
        assertThrows(SealingException.class, () -> box.open(sealed.substring(0, sealed.length() - 8), PLACE));
        assertThrows(SealingException.class, () -> box.open("not sealed at all", PLACE));
    }

    @Test
    void aValueCopiedToAnotherPlaceIsRefused() {
        String sealed = box.seal(SECRET, PLACE);

        assertThrows(SealingException.class, () -> box.open(sealed, "app evil config var DB_PASSWORD"));
        assertThrows(SealingException.class, () -> box.open(sealed, "app shop config var OTHER"));
    }

    @Test
    void anotherInstallationsKeyDoesNotOpenIt(@TempDir Path otherHome) throws IOException {
        String sealed = box.seal(SECRET, PLACE);
        SecretBox other = new SecretBox(otherHome, Clock.systemUTC());

        SealingException e = assertThrows(SealingException.class, () -> other.open(sealed, PLACE));
        assertTrue(e.getMessage().contains(box.currentKey()), "names the missing key: " + e.getMessage());
    }

    @Test
    void duringARotationOldValuesStillOpenAndNewOnesUseTheNewKey() throws IOException {
        String old = box.seal(SECRET, PLACE);
        String oldKey = box.currentKey();

        String newKey = box.addKey();

        assertNotEquals(oldKey, newKey);
        assertEquals(newKey, box.currentKey());
        assertEquals(SECRET, box.open(old, PLACE), "sealed before the rotation, still readable");
        String fresh = box.seal(SECRET, PLACE);
        assertTrue(fresh.startsWith(newKey + ":"), fresh);
        assertEquals(SECRET, new SecretBox(home, Clock.systemUTC()).open(old, PLACE),
                "a restart in the middle of a rotation keeps both keys");

        assertEquals(List.of(oldKey), box.retireOldKeys());

        assertEquals(SECRET, box.open(fresh, PLACE));
        assertThrows(SealingException.class, () -> box.open(old, PLACE));
        assertFalse(Files.readString(home.resolve(SecretBox.KEYRING)).contains(oldKey), "the old key is gone from the keyring");
        assertEquals(SECRET, box.openArchived(old, PLACE), "a backup taken before the rotation still opens");
        assertEquals(SECRET, new SecretBox(home, Clock.systemUTC()).openArchived(old, PLACE), "also after a restart");
        assertEquals("rw-------", java.nio.file.attribute.PosixFilePermissions.toString(
                Files.getPosixFilePermissions(home.resolve(SecretBox.RETIRED))));
        assertThrows(SealingException.class, () -> box.openArchived(old.replaceFirst(":.", ":A"), PLACE));
        assertEquals(List.of(), box.retireOldKeys());
    }
}
