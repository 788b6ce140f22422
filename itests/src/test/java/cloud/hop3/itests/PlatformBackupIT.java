package cloud.hop3.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.ResourceLock;

import cloud.hop3.itests.Command.Result;

/**
 * A lost server comes back on a new one: a platform with two apps (one with rows in its
 * PostgreSQL add-on, written to without pause while the backup runs, and a file in its
 * {@code DATA_DIR}; one with a config var) and a second push key is backed up with
 * {@code platform:backup} into a store directory outside it, while the app serves under load;
 * then every process of it is killed. A fresh installation on other ports, pointed at the same
 * store, restores it with one command: both apps serve what they served, the rows form a
 * consistent snapshot (every transaction of the writer in or out, whole), the config var is
 * read with the old installation's key, and the second key pushes to it with the old git host
 * key, checked strictly.
 */
@ResourceLock(Distribution.SHOP_APPS)
class PlatformBackupIT {

    private static final List<String> ACCOUNTS = List.of("hop3_postgres", "hop3-shop", "hop3-notes");
    private static final Pattern CREATED = Pattern.compile("Backup (platform-\\S+) of the platform stored in local");
    /** Each transaction of the writer inserts a pair of rows whose values cancel out. */
    private static final Pattern CONSISTENT = Pattern.compile("rows=(\\d*[02468]) sum=0 blob=[0-9a-f]{64}");

    private static Path shared;
    private static Distribution lost;
    private static Distribution fresh;

    @BeforeAll
    static void prepare() throws Exception {
        shared = Files.createTempDirectory("hop3-platform-backup");
        Files.setPosixFilePermissions(shared, PosixFilePermissions.fromString("rwx------"));
    }

    @AfterAll
    static void cleanUp() throws Exception {
        try {
            if (fresh != null) {
                fresh.close();
            }
        } finally {
            try {
                if (lost != null) {
                    lost.close();
                }
            } finally {
                Command.run(Path.of("/"), Map.of(), Distribution.TIMEOUT, "rm", "-rf", shared.toString());
            }
        }
    }

    private static Distribution platform(Path store) throws Exception {
        Distribution d = new Distribution();
        Files.setPosixFilePermissions(d.work, PosixFilePermissions.fromString("rwx--x--x"));
        d.removesAccounts(ACCOUNTS);
        d.bootFeatures("hop3-addon-postgres");
        Files.writeString(d.directory().resolve("etc/cloud.hop3.backup.local.cfg"), "directory = " + store + "\n");
        Distribution.ok(d.hop3("start"));
        Hop3TestSupport.await("the postgres add-on type", Duration.ofMinutes(2), () -> {
            try {
                return d.hop3Ok("addon", "types").contains("postgres");
            } catch (IOException | InterruptedException e) {
                return false;
            }
        });
        return d;
    }

    @Test
    void aPlatformBackupRestoredOnAFreshInstallationServesEveryAppAndTakesTheSameGitRemote() throws Exception {
        Path store = shared.resolve("store");
        lost = platform(store);
        AppSource shop = new AppSource(lost, "shop");
        shop.writeAll(Map.of("Procfile", "web: /usr/bin/python3 app.py\nrelease: /usr/bin/python3 migrate.py\n",
                "hop3.toml", "[[addons]]\ntype = \"postgres\"\n", "migrate.py", BackupsIT.MIGRATE, "app.py", BackupsIT.APP));
        assertEquals(0, shop.commitAndPush("first").exit());
        byte[] blob = new byte[200_000];
        new Random(3).nextBytes(blob);
        Path file = lost.home.resolve("apps/shop/data/blob.bin");
        Files.write(file, blob);
        Command.run(Path.of("/"), Map.of(), Distribution.TIMEOUT, "chown", "hop3-shop:hop3-shop", file.toString());

        // a second person's key, and an app with a secret config var
        Path alice = shared.resolve("alice");
        Distribution.ok(Command.run(shared, Map.of(), Distribution.TIMEOUT, "ssh-keygen", "-q", "-t", "ed25519", "-N", "",
                "-f", alice.toString()));
        lost.hop3Ok("key", "add", "alice", Files.readString(shared.resolve("alice.pub")).strip());
        Path knownHosts = shared.resolve("known_hosts");
        Result scan = Command.run(shared, Map.of(), Distribution.TIMEOUT, "ssh-keyscan", "-p", String.valueOf(lost.gitPort),
                "127.0.0.1");
        Files.writeString(knownHosts, scan.output().lines().filter(l -> l.startsWith("[127.0.0.1]")).reduce("", (a, b) -> a + b + "\n"));
        assertTrue(Files.readString(knownHosts).contains("ecdsa"), scan.toString());
        String aliceSsh = "ssh -i " + alice + " -o IdentitiesOnly=yes -o BatchMode=yes -o StrictHostKeyChecking=yes"
                + " -o UserKnownHostsFile=" + knownHosts + " -o LogLevel=ERROR";
        Path notesWork = Files.createDirectories(shared.resolve("notes-src"));
        Distribution.ok(Command.run(notesWork, Map.of(), Distribution.TIMEOUT, "git", "init", "-q", "-b", "main"));
        Files.writeString(notesWork.resolve("Procfile"), "web: /usr/bin/python3 app.py\n");
        Files.writeString(notesWork.resolve("app.py"), NOTES);
        gitCommit(notesWork, "notes");
        Result pushed = gitPush(notesWork, aliceSsh, lost.gitPort);
        assertEquals(0, pushed.exit(), pushed.toString());
        lost.hop3Ok("app", "config-set", "notes", "GREETING=hello-from-the-old-server");
        String notes = await(lost, "notes", "hello-from-the-old-server");

        // the backup, while the app serves and a writer adds pairs of rows in transactions
        String url = lost.configVar("shop", "DATABASE_URL");
        Process writer = new ProcessBuilder("/usr/bin/python3", "-c", WRITER, url).redirectErrorStream(true)
                .redirectOutput(shared.resolve("writer.out").toFile()).start();
        String backup;
        try (Load load = new Load(2, lost.httpPort, "shop.localhost", "/")) {
            Hop3TestSupport.await("the writer's first rows", Duration.ofSeconds(30),
                    () -> body(lost, "shop").matches("rows=[1-9]\\d* .*"));
            String out = lost.hop3Ok("platform", "backup");
            Matcher m = CREATED.matcher(out);
            assertTrue(m.find(), out);
            backup = m.group(1);
            load.close();
            assertEquals(List.of(), load.failures(), "failed requests while the platform was backed up ("
                    + load.succeeded() + " answered)");
        } finally {
            writer.destroy();
            writer.waitFor();
        }
        assertTrue(Files.readString(shared.resolve("writer.out")).isEmpty(), Files.readString(shared.resolve("writer.out")));
        String list = lost.hop3Ok("backup", "list", "--no-format");
        assertTrue(list.lines().anyMatch(l -> l.startsWith(backup + "\t(platform)\t")), list);

        // the server is lost: every process of it ends at once
        Path oldHostKey = lost.home.resolve("keys/git_host_key");
        assertTrue(Files.exists(oldHostKey));
        lost.killProcesses();

        fresh = platform(store);
        assertNotEquals(lost.gitPort, fresh.gitPort);
        assertTrue(fresh.hop3Ok("backup", "list", "--no-format").contains(backup), "the fresh installation sees the store");
        String restored = fresh.hop3Ok("platform", "restore", backup);
        assertTrue(restored.contains("Apps restored: notes shop"), restored);
        assertTrue(restored.lines().anyMatch(l -> l.startsWith("- Push keys authorised:") && l.contains(" alice")), restored);

        String served = body(fresh, "shop");
        assertTrue(CONSISTENT.matcher(served).matches(), "a consistent snapshot of the rows, and the data: " + served);
        assertTrue(served.endsWith("blob=" + sha256(blob)), served);
        assertEquals(notes, body(fresh, "notes"), "the config var, read with the old installation's key");

        // the same remote: alice's key and the old host key, checked strictly, on the new port
        Files.writeString(knownHosts, Files.readString(knownHosts).replace("]:" + lost.gitPort + " ", "]:" + fresh.gitPort + " "));
        Files.writeString(notesWork.resolve("app.py"), NOTES.replace("os.environ.get(\"GREETING\", \"-\")",
                "os.environ.get(\"GREETING\", \"-\") + \" (moved)\""));
        gitCommit(notesWork, "after the move");
        Result again = gitPush(notesWork, aliceSsh, fresh.gitPort);
        assertEquals(0, again.exit(), again.toString());
        await(fresh, "notes", "hello-from-the-old-server (moved)");

        Result twice = fresh.hop3("platform", "restore", backup);
        assertNotEquals(0, twice.exit());
        assertTrue(twice.output().contains("has apps of backup " + backup + " already"), twice.output());
    }

    private static void gitCommit(Path dir, String message) throws IOException, InterruptedException {
        Distribution.ok(Command.run(dir, Map.of(), Distribution.TIMEOUT, "git", "add", "-A"));
        Distribution.ok(Command.run(dir, Map.of(), Distribution.TIMEOUT, "git", "-c", "user.email=t@hop3.cloud",
                "-c", "user.name=t", "commit", "-q", "-m", message));
    }

    private static Result gitPush(Path dir, String ssh, int port) throws IOException, InterruptedException {
        return Command.run(dir, Map.of("GIT_SSH_COMMAND", ssh), Distribution.TIMEOUT, "git", "push",
                "ssh://git@127.0.0.1:" + port + "/notes", "main:main");
    }

    private static String await(Distribution d, String app, String text) throws Exception {
        Hop3TestSupport.await(app + " answering '" + text + "'", Duration.ofSeconds(60), () -> body(d, app).contains(text));
        return body(d, app);
    }

    private static String body(Distribution d, String app) {
        try {
            Http.Response r = Http.get(d.httpPort, app + ".localhost", "/");
            return r.status() == 200 ? r.body() : r.status() + " " + r.body();
        } catch (IOException e) {
            return e.toString();
        }
    }

    private static String sha256(byte[] bytes) throws Exception {
        return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(bytes));
    }

    /** Inserts pairs of rows (k, -k), one pair per transaction, as fast as it can until killed. */
    private static final String WRITER = """
            import sys, psycopg2
            conn = psycopg2.connect(sys.argv[1])
            k = 0
            while True:
                k += 1
                with conn, conn.cursor() as cur:
                    cur.execute("INSERT INTO items (value) VALUES (%s)", (k,))
                    cur.execute("INSERT INTO items (value) VALUES (%s)", (-k,))
            """;

    private static final String NOTES = """
            import http.server, os

            class Handler(http.server.BaseHTTPRequestHandler):
                def do_GET(self):
                    data = ("notes: " + os.environ.get("GREETING", "-")).encode()
                    self.send_response(200)
                    self.send_header("Content-Length", str(len(data)))
                    self.end_headers()
                    self.wfile.write(data)

                def log_message(self, *args):
                    pass

            http.server.ThreadingHTTPServer(("127.0.0.1", int(os.environ["PORT"])), Handler).serve_forever()
            """;
}
