package cloud.hop3.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.ResourceLock;

import cloud.hop3.itests.Command.Result;

/**
 * Config vars at rest, end to end: after {@code app:config-set} the value is in no file under
 * {@code HOP3_HOME} except encrypted, while the app's process sees it; {@code app:config --shell}
 * gives it back to a shell's eval exactly, without running what it holds; and
 * {@code platform:rotate-key} re-encrypts it with a new key.
 */
@ResourceLock(Distribution.VAULT_APP)
class SecretsIT {

    private static Distribution platform;

    @BeforeAll
    static void start() throws Exception {
        platform = new Distribution();
        Distribution.ok(platform.hop3("start"));
    }

    @AfterAll
    static void stop() throws Exception {
        if (platform != null) {
            platform.close();
        }
    }

    @Test
    void aConfigVarIsStoredEncryptedYetReachesTheAppAndTheShellExactly() throws Exception {
        AppSource py = new AppSource(platform, "vault");
        py.writeAll(AppSource.pythonApp("vault"));
        Result push = py.commitAndPush("first");
        assertEquals(0, push.exit(), push.toString());
        Path marker = platform.work.resolve("ran");
        String mark = "pw-" + UUID.randomUUID();
        String secret = mark + "-$(touch " + marker + ")-`touch " + marker + "`-\"q\" ; touch " + marker;

        platform.hop3Ok("app", "config-set", "vault", "GREETING=" + secret);

        assertTrue(Http.get(platform.httpPort, "vault.localhost", "/").body().endsWith("greeting=" + secret),
                "the app's process sees the value");
        assertEquals(List.of(), filesHolding(platform.home, mark), "the value in plain under HOP3_HOME");
        assertOwnerOnly(platform.home.resolve("apps/vault/processes.json"));
        Path appJson = platform.home.resolve("apps/vault/app.json");
        assertTrue(Files.readString(appJson).contains("\"GREETING\" : \"k"), "stored encrypted, with its key id");
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(
                platform.home.resolve("keys/secrets.json"))));

        String shell = platform.hop3Ok("app", "config", "--shell", "vault");
        Path script = platform.work.resolve("config.sh");
        Files.writeString(script, shell);
        Result eval = Command.run(platform.work, Map.of(), Distribution.TIMEOUT, "/bin/sh", "-c",
                "eval \"$(cat '" + script + "')\" && printf '%s' \"$GREETING\"");
        assertEquals(0, eval.exit(), eval.toString());
        assertEquals(secret, eval.output());
        assertFalse(Files.exists(marker), "eval of app:config --shell ran a command held in a value");

        String before = Files.readString(appJson);
        String rotated = platform.hop3Ok("platform", "rotate-key");
        assertTrue(rotated.contains("now encrypts secrets at rest; 1 app re-encrypted"), rotated);
        assertTrue(rotated.contains("Retired the old keys"), rotated);
        assertNotEquals(before, Files.readString(appJson));
        assertEquals(List.of(), filesHolding(platform.home, mark), "the value in plain after the rotation");
        assertTrue(platform.hop3Ok("app", "config", "vault").contains(secret), "readable with the new key");
        assertTrue(Http.get(platform.httpPort, "vault.localhost", "/").body().endsWith("greeting=" + secret));

        // the process ledger, encrypted with the new key, is what the restarted platform supervises from
        String pid = Http.get(platform.httpPort, "vault.localhost", "/").body().replaceAll(".*pid (\\d+),.*", "$1");
        Distribution.ok(platform.hop3("stop"));
        Distribution.ok(platform.hop3("start"));
        String ps = platform.hop3Ok("app", "ps", "--no-format", "vault");
        assertTrue(ps.lines().anyMatch(l -> l.startsWith("web.1\trunning\t")), "supervised again: " + ps);
        String after = Http.get(platform.httpPort, "vault.localhost", "/").body();
        assertTrue(after.contains("pid " + pid + ",") && after.endsWith("greeting=" + secret), "the same process: " + after);
    }

    /** Files under {@code home} holding {@code text}: none, the process ledgers included. */
    private static List<Path> filesHolding(Path home, String text) throws IOException {
        try (Stream<Path> files = Files.walk(home)) {
            return files.filter(Files::isRegularFile).filter(f -> contains(f, text)).toList();
        }
    }

    private static boolean contains(Path file, String text) {
        try {
            return new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1).contains(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void assertOwnerOnly(Path file) {
        try {
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)), file.toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
