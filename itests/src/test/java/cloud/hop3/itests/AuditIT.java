package cloud.hop3.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import cloud.hop3.itests.Command.Result;

/**
 * The audit trail as an operator meets it, in the real distribution with the real git and OpenSSH
 * clients: a push, a config set, a scaling and a destroy are listed by {@code audit:list} in that
 * order with their results; the config value is in no file of {@code HOP3_HOME/audit}; a refused
 * shell login is recorded under the name tried; a plugin's feature installed then removed is
 * recorded; a record cut by a stop is set aside and reported at the next start; and one edited
 * line of the trail makes
 * {@code audit:verify} fail, naming the line and the record.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AuditIT {

    private static final String APP = "ledger";
    private static Distribution platform;
    private static String secret;

    @BeforeAll
    static void start() throws Exception {
        platform = new Distribution();
        Files.setPosixFilePermissions(platform.work, PosixFilePermissions.fromString("rwx--x--x"));
        platform.removesAccounts(List.of("hop3-" + APP));
        Distribution.ok(platform.hop3("start"));
    }

    @AfterAll
    static void stop() throws Exception {
        if (platform != null) {
            platform.close();
        }
    }

    @Test
    @Order(1)
    void everyChangeIsListedInOrderWithItsResultAndNoValue() throws Exception {
        AppSource app = new AppSource(platform, APP);
        app.writeAll(AppSource.pythonApp("hello"));
        Result push = app.commitAndPush("first");
        assertEquals(0, push.exit(), push.toString());
        secret = "pw-" + UUID.randomUUID();
        platform.hop3Ok("app", "config-set", APP, "GREETING=" + secret);
        platform.hop3Ok("app", "scale", APP, "web=2");
        Result noSuchType = platform.hop3("app", "scale", APP, "worker=1");
        assertNotEquals(0, noSuchType.exit(), noSuchType.toString());
        platform.hop3Ok("app", "destroy", "--force", APP);

        // certificates are issued by the platform on its own thread, in their own time: not part of the order
        List<String[]> rows = changes(platform.hop3Ok("audit", "list", "--no-format", "--app", APP));
        assertEquals(List.of("app.create", "app.deploy", "config.set", "app.scale", "app.scale", "app.destroy"),
                rows.stream().map(r -> r[5]).toList(), "the actions, in order");
        assertEquals(List.of("ok", "ok", "ok", "ok"), List.of(rows.get(0)[7], rows.get(1)[7], rows.get(2)[7], rows.get(3)[7]));
        assertTrue(rows.get(4)[7].startsWith("failed: App '" + APP + "' has no process type 'worker'"), rows.get(4)[7]);
        assertEquals("ok", rows.get(5)[7]);
        assertEquals("GREETING", rows.get(2)[8], "the key's name, not its value");
        assertEquals("web:2", rows.get(3)[8]);
        for (String[] r : rows) {
            assertEquals(APP, r[6]);
            assertTrue(List.of("git", "shell", "platform").contains(r[3]), "a door: " + String.join(" ", r));
        }
        for (int i = 1; i < rows.size(); i++) {
            assertTrue(Long.parseLong(rows.get(i)[0]) > Long.parseLong(rows.get(i - 1)[0]), "numbered in order");
        }
        assertEquals(List.of(), filesHolding(platform.home.resolve("audit"), secret), "the value in the audit trail");
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(trail())));
        String since = platform.hop3Ok("audit", "list", "--no-format", "--since", "1h", "--app", APP);
        assertEquals(rows.size(), changes(since).size());
        assertTrue(platform.hop3Ok("audit", "verify").contains("The audit trail verifies"));
    }

    @Test
    @Order(3)
    void aRefusedShellLoginIsRecordedUnderTheNameTried() throws Exception {
        Path stranger = platform.work.resolve("stranger");
        Distribution.ok(Command.run(platform.work, Map.of(), Distribution.TIMEOUT, "ssh-keygen", "-q", "-t", "ed25519", "-N",
                "", "-f", stranger.toString()));
        Result refused = Command.run(platform.work, Map.of(), Duration.ofSeconds(60), "ssh", "-p",
                String.valueOf(platform.shellPort), "-i", stranger.toString(), "-o", "IdentitiesOnly=yes", "-o",
                "BatchMode=yes", "-o", "StrictHostKeyChecking=no", "-o", "UserKnownHostsFile=/dev/null", "-o",
                "LogLevel=ERROR", "mallory@127.0.0.1", "app:list");
        assertEquals(255, refused.exit(), refused.toString());
        Hop3TestSupport.await("the refused login in the trail", Duration.ofSeconds(30), () -> {
            try {
                return !rows(platform.hop3Ok("audit", "list", "--no-format", "--user", "mallory")).isEmpty();
            } catch (IOException | InterruptedException e) {
                return false;
            }
        });
        String[] login = rows(platform.hop3Ok("audit", "list", "--no-format", "--user", "mallory")).get(0);
        assertEquals(List.of("mallory", "shell", "shell.login", "mallory", "failed: login refused"),
                List.of(login[2], login[3], login[5], login[6], login[7]));
    }

    @Test
    @Order(4)
    void aPluginInstalledAndRemovedIsRecorded() throws Exception {
        // the restic store does nothing until its configuration names a repository
        platform.hop3Ok("feature", "install", "hop3-backup-restic");
        platform.hop3Ok("feature", "uninstall", "hop3-backup-restic");
        Hop3TestSupport.await("the plugin's install and removal in the trail", Duration.ofSeconds(30), () -> {
            try {
                List<String> actions = rows(platform.hop3Ok("audit", "list", "--no-format")).stream()
                        .filter(r -> r[6].equals("hop3-backup-restic") && r[7].equals("ok")).map(r -> r[5]).toList();
                return actions.equals(List.of("plugin.install", "plugin.remove"));
            } catch (IOException | InterruptedException e) {
                return false;
            }
        });
    }

    @Test
    @Order(5)
    void aRecordCutByAStopIsSetAsideAndReportedAtTheNextStart() throws Exception {
        Distribution.ok(platform.hop3("stop"));
        String cut = "{\"seq\":999,\"time\":\"2026-12-05T10:00:00Z\",\"user\":\"ad";
        Files.writeString(trail(), cut, java.nio.file.StandardOpenOption.APPEND);
        Distribution.ok(platform.hop3("start"));

        List<String[]> recovered = rows(platform.hop3Ok("audit", "list", "--no-format")).stream()
                .filter(r -> r[5].equals("audit.recover")).toList();
        assertEquals(1, recovered.size(), "one record says so");
        assertTrue(recovered.get(0)[7].startsWith("failed: the last line of the trail was cut"), recovered.get(0)[7]);
        String aside = recovered.get(0)[7].replaceAll(".*its bytes are in (\\S+)$", "$1");
        assertEquals(cut, Files.readString(platform.home.resolve("audit").resolve(aside)), "the cut bytes, kept");
        assertTrue(platform.hop3Ok("audit", "verify").contains("The audit trail verifies"));
    }

    @Test
    @Order(6)
    void anEditedLineMakesVerifyFailNamingIt() throws Exception {
        List<String> lines = new ArrayList<>(Files.readAllLines(trail()));
        int index = -1;
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).contains("\"action\":\"app.scale\"") && lines.get(i).contains("\"result\":\"ok\"")) {
                index = i;
            }
        }
        assertTrue(index >= 0, "the scaling is in the trail: " + lines);
        String record = lines.get(index).replaceAll("^\\{\"seq\":(\\d+),.*", "$1");
        lines.set(index, lines.get(index).replace("\"web:2\"", "\"web:1\""));
        Files.write(trail(), lines);

        Result verify = platform.hop3("audit", "verify");
        assertNotEquals(0, verify.exit(), verify.toString());
        assertTrue(verify.output().contains("line " + (index + 1) + " (record " + record + ") was changed"), verify.toString());
    }

    /**
     * Who made each change, and through which door: the pushes name the pusher (the user its key
     * belongs to) through git, the shell commands the operator, whose login bin/hop3 uses. Runs before a line of the trail is
     * edited (which leaves that record out of the list).
     */
    @Test
    @Order(2)
    void eachChangeNamesItsDoorAndUser() throws Exception {
        List<String[]> rows = changes(platform.hop3Ok("audit", "list", "--no-format", "--app", APP));
        assertEquals(List.of("git", "git", "shell", "shell", "shell", "shell"), rows.stream().map(r -> r[3]).toList());
        assertEquals("operator", rows.get(2)[2], "bin/hop3 logs in as operator");
        assertEquals(List.of("admin", "admin"), List.of(rows.get(0)[2], rows.get(1)[2]),
                "the pusher (the user the installation's admin key belongs to), not the platform");
    }

    private static Path trail() {
        return platform.home.resolve("audit/trail.jsonl");
    }

    /** The rows of audit:list --no-format: sequence, time, user, door, address, action, target, result, details. */
    private static List<String[]> rows(String out) {
        return out.lines().filter(l -> !l.isBlank()).map(l -> l.split("\t", -1)).toList();
    }

    /** The rows of changes made by people (certificates issued on the platform's own thread left out). */
    private static List<String[]> changes(String out) {
        return rows(out).stream().filter(r -> !r[5].startsWith("cert.")).toList();
    }

    private static List<Path> filesHolding(Path dir, String text) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).filter(f -> {
                try {
                    return new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1).contains(text);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }).toList();
        }
    }
}
