package cloud.hop3.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.RandomAccessFile;
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
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.parallel.ResourceLock;

import cloud.hop3.itests.Command.Result;

/**
 * Backups as a user meets them, in the real distribution with its embedded local store: a Python
 * app pushed with git, with rows in its PostgreSQL add-on and a file in its {@code DATA_DIR}, is
 * backed up; restored as a copy while it serves, the copy answers with the same rows and bytes
 * from an add-on of its own; destroyed with its add-on, it comes back from the backup with the
 * same data; its restore check passes with the table's row count; a stored dump replaced by a
 * valid one with fewer rows (its checksum fixed, so verify passes) fails the check, naming the
 * table and both counts; a truncated part is refused by verify and by restore, which name it; and
 * a dump that fails fails the backup loudly and shows in {@code backup:list} and {@code app:info}.
 * An app with Redis and MariaDB add-ons, destroyed with them, comes back from its backup with the
 * same keys and rows.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@ResourceLock(Distribution.SHOP_APPS)
class BackupsIT {

    private static final List<String> ACCOUNTS = List.of("hop3_postgres", "hop3_redis", "hop3_mariadb", "hop3-shop",
            "hop3-copy", "hop3-copy2", "hop3-cart");
    private static final Pattern CREATED = Pattern.compile("Backup (\\S+) of shop stored in local");
    private static final Pattern BODY = Pattern.compile("rows=200 sum=\\d+ blob=[0-9a-f]{64}");

    private static Distribution platform;
    private static String backup;
    private static String served;

    @BeforeAll
    static void start() throws Exception {
        platform = new Distribution();
        // apps and the database server run as their own users, which pass through the test's directory
        Files.setPosixFilePermissions(platform.work, PosixFilePermissions.fromString("rwx--x--x"));
        platform.removesAccounts(ACCOUNTS);
        platform.bootFeatures("hop3-addon-postgres", "hop3-addon-redis", "hop3-addon-mariadb");
        Distribution.ok(platform.hop3("start"));
        platform.awaitAddonTypes("postgres", "redis", "mariadb");
    }

    @AfterAll
    static void stop() throws Exception {
        if (platform != null) {
            platform.close();
        }
    }

    @Test
    @Order(1)
    void aBackupHoldsTheRepositoryTheDataAndADumpOfTheAddon() throws Exception {
        AppSource app = new AppSource(platform, "shop");
        app.writeAll(Map.of(
                "Procfile", "web: /usr/bin/python3 app.py\nrelease: /usr/bin/python3 migrate.py\n",
                "hop3.toml", "[[addons]]\ntype = \"postgres\"\n",
                "migrate.py", MIGRATE,
                "app.py", APP));
        Result push = app.commitAndPush("first");
        assertEquals(0, push.exit(), push.toString());
        sql(variable("shop", "DATABASE_URL"), "INSERT INTO items (value) SELECT i * 7 FROM generate_series(1, 200) AS i");
        byte[] blob = new byte[300_000];
        new Random(12).nextBytes(blob);
        Path file = platform.home.resolve("apps/shop/data/blob.bin");
        Files.write(file, blob);
        Command.run(Path.of("/"), Map.of(), Distribution.TIMEOUT, "chown", "hop3-shop:hop3-shop", file.toString());
        served = body("shop");
        assertTrue(BODY.matcher(served).matches(), served);

        String out = platform.hop3Ok("backup", "create", "shop");
        Matcher m = CREATED.matcher(out);
        assertTrue(m.find(), out);
        backup = m.group(1);
        assertTrue(out.contains("-----> Dumping add-on shop-postgres (postgres)"), out);

        String info = platform.hop3Ok("backup", "info", backup);
        for (String part : List.of("repo.bundle", "app.json", "data.tar", "addon-shop-postgres.dump")) {
            assertTrue(info.contains("Part:     " + part + "  "), part + " in " + info);
        }
        assertTrue(info.contains("type = postgres") && info.contains("prefix = DATABASE"), info);
        assertTrue(info.contains("Plugin:   cloud.hop3.addon-postgres"), info);
        String verified = platform.hop3Ok("backup", "verify", backup);
        assertTrue(verified.contains("verified"), verified);
        assertTrue(platform.hop3Ok("backup", "list", "--no-format", "shop").contains("not checked"));

        // the restore check: each part restored into a scratch place and compared with what was recorded
        assertTrue(info.contains("counts = public.items=200"), info);
        assertTrue(info.contains("files = 1") && info.contains("bytes = 300000"), info);
        String checked = platform.hop3Ok("backup", "check", backup);
        assertTrue(checked.contains("passed its restore check") && checked.contains("addon-shop-postgres.dump: public.items=200")
                && checked.contains("data.tar: 1 files, 300000 bytes"), checked);
        assertTrue(platform.hop3Ok("backup", "info", backup).contains("Checked:  passed"));
        assertFalse(platform.hop3Ok("addon", "list", "--no-format").contains("chk-"), "the scratch add-on is gone");
        String list = platform.hop3Ok("backup", "list", "shop");
        assertTrue(list.contains("last good backup") && list.contains(backup) && list.contains("passed"), list);
        assertTrue(platform.hop3Ok("app", "info", "shop").contains("Backups:   last good backup"));
    }

    @Test
    @Order(2)
    void aRestoreAsACopyWhileTheOriginalServesHasTheSameRowsAndBytes() throws Exception {
        try (Load load = new Load(3, platform.httpPort, "shop.localhost", "/")) {
            String out = platform.hop3Ok("backup", "restore", "--to", "copy", backup);
            assertTrue(out.contains("restored into copy"), out);
            load.close();
            assertEquals(List.of(), load.failures(), "failed requests to the original (" + load.succeeded() + " answered)");
            assertTrue(load.succeeded() > 10, "requests were sent: " + load.succeeded());
        }
        assertEquals(served, body("copy"), "the copy's rows and DATA_DIR bytes");
        assertEquals(served, body("shop"), "the original untouched");
        String addons = platform.hop3Ok("addon", "list", "--no-format");
        assertTrue(addons.lines().anyMatch(l -> l.startsWith("copy-postgres\tpostgres\tcopy")), addons);
        assertNotEquals(variable("shop", "DATABASE_URL"), variable("copy", "DATABASE_URL"));
        // the copy writes to its own database only
        sql(variable("copy", "DATABASE_URL"), "DELETE FROM items");
        assertEquals(served, body("shop"));
        Result refused = platform.hop3("backup", "restore", "--to", "copy", backup);
        assertNotEquals(0, refused.exit());
        assertTrue(refused.output().contains("App 'copy' exists already"), refused.output());
    }

    @Test
    @Order(3)
    void aDestroyedAppAndItsAddonComeBackFromTheBackup() throws Exception {
        platform.hop3Ok("app", "destroy", "--force", "shop");
        Hop3TestSupport.await("shop-postgres detached", Duration.ofSeconds(30), () -> {
            try {
                return platform.hop3Ok("addon", "list", "--no-format").lines()
                        .anyMatch(l -> l.startsWith("shop-postgres\tpostgres\t\t") || l.matches("shop-postgres\tpostgres\t-?\t.*"));
            } catch (IOException | InterruptedException e) {
                return false;
            }
        });
        platform.hop3Ok("addon", "destroy", "--confirm", "shop-postgres", "shop-postgres");
        assertNotEquals(200, Http.get(platform.httpPort, "shop.localhost", "/").status());

        String out = platform.hop3Ok("backup", "restore", backup);
        assertTrue(out.contains("restored into shop"), out);
        assertEquals(served, body("shop"), "the same rows and DATA_DIR bytes");
    }

    @Test
    @Order(4)
    void aStoredDumpWithFewerRowsFailsTheRestoreCheckNamingTheTableAndTheCounts() throws Exception {
        String url = variable("shop", "DATABASE_URL");
        sql(url, "DELETE FROM items WHERE id > 150");
        Matcher m = CREATED.matcher(platform.hop3Ok("backup", "create", "shop"));
        assertTrue(m.find());
        String fewer = m.group(1);
        sql(url, "INSERT INTO items (id, value) SELECT i, i * 7 FROM generate_series(151, 200) AS i");
        assertEquals(served, body("shop"));

        // the first backup's dump replaced by the second's, a valid dump, with its size and SHA-256 in the manifest
        Path store = platform.home.resolve("backup-stores/local");
        String part = "addon-shop-postgres.dump";
        Files.copy(store.resolve(fewer).resolve(part), store.resolve(backup).resolve(part),
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        Path manifest = store.resolve(backup).resolve("manifest.txt");
        String replaced = Files.readString(manifest).replaceFirst("(?m)^part " + Pattern.quote(part) + " .*$",
                "part " + part + " " + Files.size(store.resolve(backup).resolve(part)) + " "
                        + sha256(store.resolve(backup).resolve(part)));
        Files.writeString(manifest, replaced);
        assertTrue(platform.hop3Ok("backup", "verify", backup).contains("verified"), "every SHA-256 matches");

        Result check = platform.hop3("backup", "check", backup);
        assertNotEquals(0, check.exit(), check.toString());
        assertTrue(check.output().contains("FAILED its restore check: addon-shop-postgres.dump (postgres): public.items is 150"
                + " after the restore, 200 when backed up"), check.output());
        String list = platform.hop3Ok("backup", "list", "--no-format", "shop");
        assertTrue(list.lines().anyMatch(l -> l.startsWith(backup + "\t") && l.contains("FAILED")), list);
        assertTrue(list.contains("last restore check FAILED"), list);
        assertTrue(platform.hop3Ok("app", "info", "shop").contains("last restore check FAILED"));
        assertTrue(platform.hop3Ok("backup", "check", fewer).contains("public.items=150"), "the other backup is sound");
        String log = Files.readString(platform.directory().resolve("data/log/karaf.log"));
        assertTrue(log.contains("ERROR") && log.contains("Backup " + backup + " of app shop FAILED its restore check"), "an ERROR line");
        assertFalse(platform.hop3Ok("addon", "list", "--no-format").contains("chk-"), "the scratch add-ons are gone");
    }

    private static String sha256(Path file) throws Exception {
        return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
    }

    @Test
    @Order(5)
    void aTruncatedPartIsRefusedByVerifyAndByRestoreNamingIt() throws Exception {
        Path part = platform.home.resolve("backup-stores/local").resolve(backup).resolve("data.tar");
        try (RandomAccessFile f = new RandomAccessFile(part.toFile(), "rw")) {
            f.setLength(f.length() / 2);
        }
        Result verify = platform.hop3("backup", "verify", backup);
        assertNotEquals(0, verify.exit(), verify.toString());
        assertTrue(verify.output().contains("data.tar"), verify.output());
        Result restore = platform.hop3("backup", "restore", "--to", "copy2", backup);
        assertNotEquals(0, restore.exit(), restore.toString());
        assertTrue(restore.output().contains("data.tar"), restore.output());
        assertFalse(platform.hop3Ok("app", "list").contains("copy2"), "nothing made by a restore that does not verify");
        assertEquals(served, body("shop"));
    }

    @Test
    @Order(6)
    void aDumpThatFailsFailsTheBackupLoudly() throws Exception {
        int before = platform.hop3Ok("backup", "list", "--no-format", "shop").lines().filter(l -> l.startsWith("shop-")).toList().size();
        // the add-on's role changes its own password: the platform's pg_dump can no longer log in
        sql(variable("shop", "DATABASE_URL"), "ALTER ROLE CURRENT_USER PASSWORD 'changed-behind-the-platform'");
        Result failed = platform.hop3("backup", "create", "shop");
        assertNotEquals(0, failed.exit(), failed.toString());
        assertTrue(failed.output().contains("The dump of add-on shop-postgres (postgres) failed"), failed.output());
        String list = platform.hop3Ok("backup", "list", "--no-format", "shop");
        assertTrue(list.contains("1 failure since: The dump of add-on shop-postgres"), list);
        assertEquals(before, list.lines().filter(l -> l.startsWith("shop-")).toList().size(), "nothing stored: " + list);
        assertTrue(platform.hop3Ok("app", "info", "shop").contains("1 failure since"));
        String log = Files.readString(platform.directory().resolve("data/log/karaf.log"));
        assertTrue(log.contains("ERROR") && log.contains("Backup of app shop failed, nothing was stored"), "an ERROR line");
    }

    @Test
    @Order(7)
    void anAppWithRedisAndMariaDbAddonsComesBackFromItsBackupWithTheSameKeysAndRows() throws Exception {
        AppSource app = new AppSource(platform, "cart");
        app.writeAll(Map.of(
                "Procfile", "web: /usr/bin/python3 app.py\n",
                "hop3.toml", "[[addons]]\ntype = \"redis\"\n\n[[addons]]\ntype = \"mariadb\"\nas = \"ORDERS\"\n",
                "app.py", CART));
        Result push = app.commitAndPush("first");
        assertEquals(0, push.exit(), push.toString());
        python("import redis, sys\nr = redis.Redis.from_url(sys.argv[1])\n"
                + "for i in range(150):\n    r.set('item:%d' % i, i * 3)\n", variable("cart", "REDIS_URL"));
        python("import pymysql, sys, urllib.parse\nu = urllib.parse.urlparse(sys.argv[1])\n"
                + "c = pymysql.connect(host=u.hostname, port=u.port, user=urllib.parse.unquote(u.username),"
                + " password=urllib.parse.unquote(u.password), database=u.path[1:], autocommit=True)\n"
                + "with c.cursor() as cur:\n"
                + "    cur.execute('CREATE TABLE orders (id INT PRIMARY KEY, total INT NOT NULL)')\n"
                + "    cur.executemany('INSERT INTO orders VALUES (%s, %s)', [(i, i * 11) for i in range(1, 121)])\n",
                variable("cart", "ORDERS_URL"));
        String before = body("cart");
        assertEquals("keys=150 sum=33525 rows=120 total=79860", before);

        String out = platform.hop3Ok("backup", "create", "cart");
        assertTrue(out.contains("-----> Dumping add-on cart-redis (redis)") && out.contains("-----> Dumping add-on cart-mariadb (mariadb)"), out);
        Matcher m = Pattern.compile("Backup (\\S+) of cart stored in local").matcher(out);
        assertTrue(m.find(), out);
        String id = m.group(1);
        String checked = platform.hop3Ok("backup", "check", id);
        assertTrue(checked.contains("passed its restore check"), checked);

        platform.hop3Ok("app", "destroy", "--force", "cart");
        for (String addon : List.of("cart-redis", "cart-mariadb")) {
            Hop3TestSupport.await(addon + " detached", Duration.ofSeconds(30), () -> {
                try {
                    return platform.hop3("addon", "destroy", "--confirm", addon, addon).exit() == 0;
                } catch (IOException | InterruptedException e) {
                    return false;
                }
            });
        }
        assertFalse(platform.hop3Ok("addon", "list", "--no-format").contains("cart-"), "the add-ons are gone");

        String restored = platform.hop3Ok("backup", "restore", id);
        assertTrue(restored.contains("restored into cart"), restored);
        assertEquals(before, body("cart"), "the same keys and rows, from new add-ons");
    }

    /** Runs a Python program of Debian's python3 with one argument. */
    private static void python(String program, String argument) throws IOException, InterruptedException {
        Result r = Command.run(platform.work, Map.of(), Distribution.TIMEOUT, "/usr/bin/python3", "-c", program, argument);
        assertEquals(0, r.exit(), r.toString());
    }

    static final String CART = AppSource.pythonTextServer("""
            import os, urllib.parse
            import pymysql, redis

            def answer():
                r = redis.Redis.from_url(os.environ["REDIS_URL"])
                keys = r.keys("item:*")
                total = sum(int(v) for v in r.mget(keys)) if keys else 0
                u = urllib.parse.urlparse(os.environ["ORDERS_URL"])
                c = pymysql.connect(host=u.hostname, port=u.port, user=urllib.parse.unquote(u.username),
                                    password=urllib.parse.unquote(u.password), database=u.path[1:])
                try:
                    with c.cursor() as cur:
                        cur.execute("SELECT count(*), coalesce(sum(total), 0) FROM orders")
                        rows, amount = cur.fetchone()
                finally:
                    c.close()
                return "keys=%d sum=%d rows=%d total=%d" % (len(keys), total, rows, amount)

            """);

    private static String body(String app) throws IOException {
        Http.Response r = Http.get(platform.httpPort, app + ".localhost", "/");
        return r.status() == 200 ? r.body() : r.status() + " " + r.body();
    }

    private static String variable(String app, String name) throws IOException, InterruptedException {
        return platform.configVar(app, name);
    }

    /** Runs one statement on the database at {@code url}, as the app's role, with psycopg2. */
    private static void sql(String url, String statement) throws IOException, InterruptedException {
        Result r = Command.run(platform.work, Map.of(), Distribution.TIMEOUT, "/usr/bin/python3", "-c",
                "import psycopg2, sys\nconn = psycopg2.connect(sys.argv[1])\nwith conn, conn.cursor() as cur:\n"
                        + "    cur.execute(sys.argv[2])\nconn.close()\n", url, statement);
        assertEquals(0, r.exit(), r.toString());
    }

    static final String MIGRATE = """
            import os, psycopg2
            conn = psycopg2.connect(os.environ["DATABASE_URL"])
            with conn, conn.cursor() as cur:
                cur.execute("CREATE TABLE IF NOT EXISTS items (id serial PRIMARY KEY, value integer NOT NULL)")
            conn.close()
            """;

    static final String APP = AppSource.pythonTextServer("""
            import hashlib, os
            import psycopg2

            def rows():
                conn = psycopg2.connect(os.environ["DATABASE_URL"])
                try:
                    with conn, conn.cursor() as cur:
                        cur.execute("SELECT count(*), coalesce(sum(value), 0) FROM items")
                        return cur.fetchone()
                finally:
                    conn.close()

            def blob():
                path = os.path.join(os.environ["DATA_DIR"], "blob.bin")
                if not os.path.exists(path):
                    return "-"
                with open(path, "rb") as f:
                    return hashlib.sha256(f.read()).hexdigest()

            def answer():
                count, total = rows()
                return "rows=%d sum=%d blob=%s" % (count, total, blob())

            """);
}
