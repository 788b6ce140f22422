package cloud.hop3.core.impl.keys;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Optional;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import cloud.hop3.api.key.AuthorizedKey;

class AuthorizedKeysTest {

    private static final Instant NOW = Instant.parse("2025-03-12T10:15:30Z");
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

    @TempDir
    Path home;

    @TempDir
    Path ssh;

    private SshKeygen.KeyFiles alice;
    private SshKeygen.KeyFiles bob;

    @BeforeEach
    void generateKeys() throws Exception {
        alice = SshKeygen.generate(ssh, "alice", "ed25519", "alice@laptop");
        bob = SshKeygen.generate(ssh, "bob", "rsa", "bob@desktop");
    }

    private List<String> names(AuthorizedKeys keys) {
        return keys.list().stream().map(AuthorizedKey::name).toList();
    }

    @Test
    void addedKeysAreListedByNameWithTypeAndFingerprint() throws Exception {
        AuthorizedKeys keys = new AuthorizedKeys(home, CLOCK);
        SshKeygen.KeyFiles carol = SshKeygen.generate(ssh, "carol", "ecdsa", "carol@ci");

        AuthorizedKey added = keys.add("zoe-laptop", alice.publicLine());
        keys.add("bob", bob.publicLine());
        keys.add("carol-ci", carol.publicLine());

        assertEquals(new AuthorizedKey("zoe-laptop", "ssh-ed25519", alice.fingerprint(), alice.withoutComment(), NOW), added);
        assertEquals(List.of("bob", "carol-ci", "zoe-laptop"), names(keys));
        assertEquals(List.of("ssh-rsa", "ecdsa-sha2-nistp256", "ssh-ed25519"),
                keys.list().stream().map(AuthorizedKey::type).toList());
        assertEquals(List.of(bob.fingerprint(), carol.fingerprint(), alice.fingerprint()),
                keys.list().stream().map(AuthorizedKey::fingerprint).toList());
    }

    @Test
    void removedKeysAreGone() throws Exception {
        AuthorizedKeys keys = new AuthorizedKeys(home, CLOCK);
        keys.add("alice", alice.publicLine());
        keys.add("bob", bob.publicLine());

        keys.remove("alice");

        assertEquals(List.of("bob"), names(keys));
        assertEquals(Optional.empty(), keys.match(alice.presented()));
    }

    @Test
    void removingAMissingKeySaysHowToFindTheKeys() throws Exception {
        AuthorizedKeys keys = new AuthorizedKeys(home, CLOCK);

        NoSuchElementException e = assertThrows(NoSuchElementException.class, () -> keys.remove("bob"));

        assertEquals("There is no key named 'bob'; key:list shows the keys.", e.getMessage());
    }

    @Test
    void keysArePersistedForTheNextStart() throws Exception {
        AuthorizedKeys keys = new AuthorizedKeys(home, CLOCK);
        keys.add("alice", alice.publicLine());
        keys.add("bob", bob.publicLine());
        keys.remove("bob");
        List<AuthorizedKey> before = keys.list();

        AuthorizedKeys restarted = new AuthorizedKeys(home, Clock.systemUTC());

        assertEquals(before, restarted.list());
        assertEquals("alice", restarted.match(alice.presented()).orElseThrow().name());
        assertEquals(Optional.empty(), restarted.match(bob.presented()));
    }

    @Test
    void aNameIsUsedOnce() throws Exception {
        AuthorizedKeys keys = new AuthorizedKeys(home, CLOCK);
        keys.add("alice", alice.publicLine());

        IllegalStateException e = assertThrows(IllegalStateException.class, () -> keys.add("alice", bob.publicLine()));

        assertEquals("A key named 'alice' exists already; remove it first or pick another name.", e.getMessage());
        assertEquals(List.of(alice.fingerprint()), keys.list().stream().map(AuthorizedKey::fingerprint).toList());
    }

    @Test
    void aKeyIsAddedOnceWhateverItsCommentOrOptions() throws Exception {
        AuthorizedKeys keys = new AuthorizedKeys(home, CLOCK);
        keys.add("alice", alice.publicLine());

        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> keys.add("alice-again", "no-pty " + alice.withoutComment() + " another comment"));

        assertEquals("This key is already authorised, as 'alice'.", e.getMessage());
        assertEquals(List.of("alice"), names(keys));
    }

    @Test
    void badNamesAreRefusedAndNothingIsStored() throws Exception {
        AuthorizedKeys keys = new AuthorizedKeys(home, CLOCK);

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> keys.add("alice laptop", alice.publicLine()));

        assertEquals("Invalid key name 'alice laptop': use 1 to 64 letters, digits, '.', '_', '@' or '-'.", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> keys.add("k".repeat(65), alice.publicLine()));
        assertThrows(IllegalArgumentException.class, () -> keys.add("", alice.publicLine()));
        assertEquals(List.of(), keys.list());
        assertEquals(List.of(), new AuthorizedKeys(home, CLOCK).list());
    }

    @Test
    void aPastedPrivateKeyIsRefusedAsPrivate() throws Exception {
        AuthorizedKeys keys = new AuthorizedKeys(home, CLOCK);
        String asTheShellPassesIt = String.join(" ", alice.privateText().strip().split("\\s+"));

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> keys.add("alice", asTheShellPassesIt));

        assertEquals("This is a private key. Give the public key (the .pub file) and keep the private key secret.",
                e.getMessage());
        assertEquals(List.of(), keys.list());
    }

    @Test
    void garbageIsRefused() throws Exception {
        AuthorizedKeys keys = new AuthorizedKeys(home, CLOCK);

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> keys.add("alice", "my key"));

        assertTrue(e.getMessage().startsWith("Not a valid OpenSSH public key"), e.getMessage());
        assertEquals(List.of(), keys.list());
    }

    @Test
    void matchFindsTheKeyThatLogsInAndNotAStrangers() throws Exception {
        AuthorizedKeys keys = new AuthorizedKeys(home, CLOCK);
        keys.add("alice", alice.publicLine());
        keys.add("bob", bob.publicLine());
        SshKeygen.KeyFiles stranger = SshKeygen.generate(ssh, "mallory", "ed25519", "alice@laptop");

        assertEquals("alice", keys.match(alice.presented()).orElseThrow().name());
        assertEquals("bob", keys.match(bob.presented()).orElseThrow().name());
        assertEquals(Optional.empty(), keys.match(stranger.presented()));
    }

    @Test
    void theAdminKeyIsImportedOnFirstStart() throws Exception {
        Files.createDirectories(home.resolve("keys"));
        Files.copy(alice.publicKey(), home.resolve("keys/admin.pub"));

        AuthorizedKeys keys = new AuthorizedKeys(home, CLOCK);

        assertEquals(List.of(new AuthorizedKey("admin", "ssh-ed25519", alice.fingerprint(), alice.withoutComment(), NOW)),
                keys.list());
        assertEquals("admin", keys.match(alice.presented()).orElseThrow().name());
    }

    @Test
    void theAdminKeyIsNotImportedAgainOnLaterStarts() throws Exception {
        Files.createDirectories(home.resolve("keys"));
        Files.copy(alice.publicKey(), home.resolve("keys/admin.pub"));
        new AuthorizedKeys(home, CLOCK).add("bob", bob.publicLine());
        Files.copy(bob.publicKey(), home.resolve("keys/admin.pub"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);

        AuthorizedKeys restarted = new AuthorizedKeys(home, Clock.systemUTC());

        assertEquals(List.of("admin", "bob"), names(restarted));
        assertEquals("admin", restarted.match(alice.presented()).orElseThrow().name(), "admin keeps its first key");
        assertEquals("bob", restarted.match(bob.presented()).orElseThrow().name());
    }

    @Test
    void anUnusableAdminKeyDoesNotStopTheStart() throws Exception {
        Files.createDirectories(home.resolve("keys"));
        Files.writeString(home.resolve("keys/admin.pub"), "not a key\n");

        AuthorizedKeys keys = new AuthorizedKeys(home, CLOCK);

        assertEquals(List.of(), keys.list());
        keys.add("alice", alice.publicLine());
        assertEquals(List.of("alice"), names(keys));
    }

    @Test
    void aDamagedEntryInTheStoredFileIsIgnored() throws Exception {
        AuthorizedKeys keys = new AuthorizedKeys(home, CLOCK);
        keys.add("alice", alice.publicLine());
        Path file = home.resolve("keys/authorized.json");
        ObjectMapper json = new ObjectMapper();
        ObjectNode doc = (ObjectNode) json.readTree(file.toFile());
        ((ArrayNode) doc.get("keys")).insertObject(0).put("name", "broken").put("type", "ssh-rsa")
                .put("fingerprint", "SHA256:x").put("publicKey", "ssh-rsa AAAA").put("added", "2025-01-01T00:00:00Z");
        json.writeValue(file.toFile(), doc);
        assertEquals(2, json.readTree(file.toFile()).get("keys").size());

        AuthorizedKeys restarted = new AuthorizedKeys(home, CLOCK);

        assertEquals(List.of("alice"), names(restarted));
        assertEquals("alice", restarted.match(alice.presented()).orElseThrow().name());
    }

    @Test
    void aWeakKeyStoredBeforeWeakKeysWereRefusedNoLongerLogsIn() throws Exception {
        SshKeygen.KeyFiles weak = SshKeygen.generate(ssh, "weak", "rsa", "old@box", 1024);
        AuthorizedKeys keys = new AuthorizedKeys(home, CLOCK);
        keys.add("alice", alice.publicLine());
        Path file = home.resolve("keys/authorized.json");
        ObjectMapper json = new ObjectMapper();
        ObjectNode doc = (ObjectNode) json.readTree(file.toFile());
        ((ArrayNode) doc.get("keys")).insertObject(0).put("name", "old").put("type", "ssh-rsa")
                .put("fingerprint", weak.fingerprint()).put("publicKey", weak.withoutComment()).put("added", "2025-01-01T00:00:00Z");
        json.writeValue(file.toFile(), doc);

        AuthorizedKeys restarted = new AuthorizedKeys(home, CLOCK);

        assertEquals(List.of("alice"), names(restarted));
        assertEquals(Optional.empty(), restarted.match(weak.presented()));
    }

    @Test
    void weakKeysAndKeysWithOptionsAreRefusedAndNothingIsStored() throws Exception {
        SshKeygen.KeyFiles weak = SshKeygen.generate(ssh, "weak", "rsa", "old@box", 1024);
        AuthorizedKeys keys = new AuthorizedKeys(home, CLOCK);

        assertThrows(IllegalArgumentException.class, () -> keys.add("old", weak.publicLine()));
        assertThrows(IllegalArgumentException.class, () -> keys.add("ci", "from=\"10.1.2.3\" " + alice.publicLine()));

        assertEquals(List.of(), names(keys));
        assertEquals(List.of(), names(new AuthorizedKeys(home, CLOCK)));
    }

    @Test
    void aRemovedAdminKeyStaysRemovedAfterARestart() throws Exception {
        Files.createDirectories(home.resolve("keys"));
        Files.copy(alice.publicKey(), home.resolve("keys/admin.pub"));
        AuthorizedKeys keys = new AuthorizedKeys(home, CLOCK);
        keys.add("bob", bob.publicLine());
        keys.remove("admin");
        AuthorizedKeys restarted = new AuthorizedKeys(home, CLOCK);
        assertEquals(List.of("bob"), names(restarted));
        assertEquals(Optional.empty(), restarted.match(alice.presented()), "the removed admin key may not log in");
    }
}
