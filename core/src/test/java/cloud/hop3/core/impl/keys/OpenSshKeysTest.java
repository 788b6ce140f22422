package cloud.hop3.core.impl.keys;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.security.KeyPairGenerator;

import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class OpenSshKeysTest {

    @TempDir
    Path dir;

    private static String refused(String line) {
        return assertThrows(IllegalArgumentException.class, () -> OpenSshKeys.parse(line)).getMessage();
    }

    @ParameterizedTest
    @CsvSource({"ed25519, ssh-ed25519", "ecdsa, ecdsa-sha2-nistp256", "rsa, ssh-rsa"})
    void parsesTheKeysThatSshKeygenMakes(String type, String expectedType) throws Exception {
        SshKeygen.KeyFiles files = SshKeygen.generate(dir, "id_" + type, type, "alice@laptop");

        OpenSshKeys.Parsed parsed = OpenSshKeys.parse(files.publicLine());

        assertEquals(expectedType, parsed.type());
        assertEquals(files.withoutComment(), parsed.openSsh());
        assertEquals(files.fingerprint(), parsed.fingerprint());
        assertTrue(OpenSshKeys.same(files.presented(), parsed.key()));
    }

    @Test
    void optionsThatTheGitServerAlwaysEnforcesAreAcceptedAndNotKept() throws Exception {
        SshKeygen.KeyFiles files = SshKeygen.generate(dir, "id", "ed25519", "alice@laptop");

        OpenSshKeys.Parsed parsed = OpenSshKeys.parse("restrict,no-pty,no-port-forwarding " + files.publicLine());

        assertEquals(files.withoutComment(), parsed.openSsh());
        assertEquals(files.fingerprint(), parsed.fingerprint());
    }

    @Test
    void otherOptionsAreRefusedByNameRatherThanDropped() throws Exception {
        SshKeygen.KeyFiles files = SshKeygen.generate(dir, "id", "ed25519", "alice@laptop");

        assertEquals("Key options are not supported: command=, from=. A key added here may push and fetch from any"
                        + " address; give the key without options (restrict and no-* options are accepted: the git server"
                        + " never allows more).",
                refused("from=\"10.0.0.0/8\",restrict,command=\"echo hi\" " + files.publicLine()));
        assertTrue(refused("permitopen=\"localhost:80\" " + files.publicLine()).startsWith("Key options are not supported: permitopen=."));
        assertTrue(refused("cert-authority " + files.publicLine()).startsWith("Key options are not supported: cert-authority."));
    }

    @Test
    void rsaKeysUnder2048BitsAreRefused() throws Exception {
        SshKeygen.KeyFiles weak = SshKeygen.generate(dir, "weak", "rsa", "old@box", 1024);
        SshKeygen.KeyFiles strong = SshKeygen.generate(dir, "strong", "rsa", "new@box", 3072);

        assertEquals("This RSA key has 1024 bits; at least 2048 are needed. Make an Ed25519 key with ssh-keygen -t ed25519.",
                refused(weak.publicLine()));
        assertEquals("ssh-rsa", OpenSshKeys.parse(strong.publicLine()).type());
    }

    @Test
    void dsaKeysAreRefused() throws Exception {
        // this OpenSSH makes no DSA keys any more; users still have old ones
        KeyPairGenerator generator = KeyPairGenerator.getInstance("DSA");
        generator.initialize(1024);
        String line = PublicKeyEntry.toString(generator.generateKeyPair().getPublic()) + " old@box";
        assertTrue(line.startsWith("ssh-dss "), line);

        assertEquals("DSA keys are not accepted: they are weak, and OpenSSH no longer supports them."
                + " Make an Ed25519 key with ssh-keygen -t ed25519.", refused(line));
    }

    @Test
    void ecdsaKeysOfEveryCurveAreAccepted() throws Exception {
        for (int bits : new int[] {256, 384, 521}) {
            SshKeygen.KeyFiles key = SshKeygen.generate(dir, "ecdsa" + bits, "ecdsa", "x@y", bits);
            assertEquals("ecdsa-sha2-nistp" + bits, OpenSshKeys.parse(key.publicLine()).type());
        }
    }

    @Test
    void blanksAndWindowsLineEndingsAroundTheKeyAreIgnored() throws Exception {
        SshKeygen.KeyFiles files = SshKeygen.generate(dir, "id", "ed25519", "alice@laptop");

        assertEquals(files.withoutComment(), OpenSshKeys.parse("  " + files.publicLine().strip() + "\r\n\n").openSsh());
    }

    @Test
    void theSameKeyWithAnotherCommentIsTheSameKeyAndAnotherKeyIsNot() throws Exception {
        SshKeygen.KeyFiles alice = SshKeygen.generate(dir, "alice", "ed25519", "alice@laptop");
        SshKeygen.KeyFiles bob = SshKeygen.generate(dir, "bob", "ed25519", "bob@desktop");

        assertTrue(OpenSshKeys.same(OpenSshKeys.parse(alice.publicLine()).key(),
                OpenSshKeys.parse(alice.withoutComment() + " alice@another-name").key()));
        assertFalse(OpenSshKeys.same(OpenSshKeys.parse(alice.publicLine()).key(), OpenSshKeys.parse(bob.publicLine()).key()));
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {"  ", "\n"})
    void aMissingKeyIsAskedFor(String line) {
        assertEquals("A public key is required, for example the content of ~/.ssh/id_ed25519.pub.", refused(line));
    }

    @Test
    void twoKeysAreRefused() throws Exception {
        SshKeygen.KeyFiles alice = SshKeygen.generate(dir, "alice", "ed25519", "alice@laptop");
        SshKeygen.KeyFiles bob = SshKeygen.generate(dir, "bob", "rsa", "bob@desktop");

        assertEquals("Give one public key, on one line.", refused(alice.publicLine() + bob.publicLine()));
    }

    @Test
    void aPrivateKeyOnOneLineIsRefusedAsPrivate() throws Exception {
        // key:add joins the words of its arguments with spaces, so a pasted private key arrives on one line.
        SshKeygen.KeyFiles files = SshKeygen.generate(dir, "id", "ed25519", "alice@laptop");
        String joined = String.join(" ", files.privateText().strip().split("\\s+"));

        assertEquals("This is a private key. Give the public key (the .pub file) and keep the private key secret.",
                refused(joined));
    }

    @Test
    void aPemPrivateKeyOnOneLineIsRefusedAsPrivate() {
        assertEquals("This is a private key. Give the public key (the .pub file) and keep the private key secret.",
                refused("-----BEGIN RSA PRIVATE KEY----- MIIEowIBAAKCAQEA -----END RSA PRIVATE KEY-----"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"hello", "hello world", "ssh-ed25519", "ssh-ed25519 !!!notbase64", "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIB",
            "ssh-foo AAAAB3NzaC1yc2EAAAADAQABAAABAQ", "https://github.com/alice.keys"})
    void garbageIsRefused(String line) {
        assertTrue(refused(line).startsWith("Not a valid OpenSSH public key"), refused(line));
    }

    @Test
    void aKeyWhoseDataIsOfAnotherTypeIsRefused() throws Exception {
        SshKeygen.KeyFiles rsa = SshKeygen.generate(dir, "id", "rsa", "alice@laptop");
        String data = rsa.publicLine().split(" ")[1];

        String message = refused("ssh-ed25519 " + data);

        assertTrue(message.startsWith("Not a valid OpenSSH public key"), message);
        assertTrue(message.contains("ssh-rsa"), message);
    }

    @ParameterizedTest
    @ValueSource(strings = {"alice", "alice-laptop", "alice@laptop", "ci.deploy_2", "A"})
    void acceptsKeyNames(String name) {
        assertEquals(name, OpenSshKeys.checkName(name));
    }

    @Test
    void aKeyNameHasAtMost64Characters() {
        assertEquals("k".repeat(64), OpenSshKeys.checkName("k".repeat(64)));
        assertThrows(IllegalArgumentException.class, () -> OpenSshKeys.checkName("k".repeat(65)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "alice laptop", "alice/laptop", "alice:1", "ali'ce"})
    void refusesOtherKeyNamesWithTheRule(String name) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> OpenSshKeys.checkName(name));
        assertEquals("Invalid key name '" + name + "': use 1 to 64 letters, digits, '.', '_', '@' or '-'.", e.getMessage());
    }

    @Test
    void badKeyNamesAreShownSafely() {
        assertEquals("Invalid key name 'al?ce?': use 1 to 64 letters, digits, '.', '_', '@' or '-'.",
                assertThrows(IllegalArgumentException.class, () -> OpenSshKeys.checkName("alïce\u001b")).getMessage());
        assertEquals("Invalid key name '': use 1 to 64 letters, digits, '.', '_', '@' or '-'.",
                assertThrows(IllegalArgumentException.class, () -> OpenSshKeys.checkName(null)).getMessage());
    }

    @Test
    void aPrivateKeyFileIsRefusedAsPrivate() throws Exception {
        SshKeygen.KeyFiles files = SshKeygen.generate(dir, "id", "ed25519", "alice@laptop");
        assertEquals("This is a private key. Give the public key (the .pub file) and keep the private key secret.",
                refused(files.privateText()));
    }
}
