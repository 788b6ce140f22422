package cloud.hop3.addon.mariadb;

import static cloud.hop3.addon.mariadb.MariaDbFixtures.ACCOUNTS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import cloud.hop3.api.addon.AddonCredentials;
import cloud.hop3.api.addon.AddonException;
import cloud.hop3.api.addon.AddonName;
import cloud.hop3.api.addon.ClientCommand;
import cloud.hop3.api.addon.DatabaseStatus;
import cloud.hop3.plugin.testkit.ClientRun;
import cloud.hop3.plugin.testkit.ComponentConfig;
import cloud.hop3.plugin.testkit.PassableHome;
import cloud.hop3.plugin.testkit.TestPlatform;

/** The plugin on its real embedded server, started once for the class, as the service account. */
class MariaDbDatabaseTest {

    @RegisterExtension
    static final PassableHome HOME = new PassableHome("hop3-mariadb");
    private static TestPlatform platform;
    private static MariaDbDatabase database;

    @BeforeAll
    static void start() throws Exception {
        platform = MariaDbFixtures.platform(HOME);
        database = newInstance();
        HOME.afterwards(() -> database.close(true));
    }

    private static MariaDbDatabase newInstance() throws Exception {
        return new MariaDbDatabase(platform, ACCOUNTS, ComponentConfig.of(MariaDbDatabase.Config.class), null);
    }

    private static EmbeddedMariaDb embedded() {
        return (EmbeddedMariaDb) database.server();
    }

    @Test
    void eachAddonsCredentialsOpenItsOwnDatabaseOnly() throws Exception {
        AddonCredentials a = database.create(AddonName.of("shop-a"), Map.of());
        AddonCredentials b = database.create(AddonName.of("shop-b"), Map.of());
        assertEquals("127.0.0.1", a.get("host"));
        assertNotEquals("3306", a.get("port"));
        assertEquals("shop_a", a.get("database"));
        assertNotEquals(a.get("password"), b.get("password"));

        TestClient.Result own = TestClient.sql(a, "shop_a", "CREATE TABLE t (i INT); INSERT INTO t VALUES (42); SELECT i FROM t;");
        assertTrue(own.ok(), own.output());
        assertEquals("42", own.output());

        TestClient.Result other = TestClient.sql(a, "shop_b", "SELECT 1;");
        assertFalse(other.ok(), other.output());
        assertTrue(other.output().contains("Access denied"), other.output());
        TestClient.Result crossQuery = TestClient.sql(b, "shop_b", "SELECT i FROM shop_a.t;");
        assertFalse(crossQuery.ok(), crossQuery.output());
        TestClient.Result newDatabase = TestClient.sql(a, null, "CREATE DATABASE elsewhere;");
        assertFalse(newDatabase.ok(), newDatabase.output());
        TestClient.Result databases = TestClient.sql(a, null, "SHOW DATABASES;");
        assertEquals("information_schema\nshop_a", databases.output());
    }

    @Test
    void rotatedCredentialsWorkAtOnceAndTheOldOnesUntilRetired() throws Exception {
        AddonName name = AddonName.of("rotating");
        AddonCredentials first = database.create(name, Map.of());
        assertTrue(TestClient.sql(first, "rotating", "CREATE TABLE t (i INT); INSERT INTO t VALUES (1);").ok());

        AddonCredentials second = database.rotate(name, first);
        assertEquals("rotating_r1", second.get("user"));
        assertEquals("rotating", second.get("database"));
        TestClient.Result both = TestClient.sql(second, "rotating", "INSERT INTO t VALUES (2); SELECT COUNT(*) FROM t;");
        assertEquals("2", both.output(), "the new user sees and writes the same tables");
        assertTrue(TestClient.sql(first, "rotating", "SELECT 1;").ok(), "the old credentials work until retired");

        database.retire(name, first, second);
        TestClient.Result old = TestClient.sql(first, "rotating", "SELECT 1;");
        assertFalse(old.ok(), old.output());
        assertTrue(old.output().contains("Access denied"), old.output());
        assertTrue(TestClient.sql(second, "rotating", "SELECT 1;").ok());

        AddonCredentials third = database.rotate(name, second);
        assertEquals("rotating_r2", third.get("user"));
        database.retire(name, second, third);
        assertFalse(TestClient.sql(second, "rotating", "SELECT 1;").ok());
        assertEquals("2", TestClient.sql(third, "rotating", "SELECT COUNT(*) FROM t;").output());
    }

    @Test
    void aDumpRestoresTheDataItHeld() throws Exception {
        AddonName name = AddonName.of("dumped");
        AddonCredentials c = database.create(name, Map.of());
        assertTrue(TestClient.sql(c, "dumped", "CREATE TABLE notes (id INT PRIMARY KEY, body TEXT);"
                + "INSERT INTO notes VALUES (1, 'été'), (2, 'two');"
                + "CREATE TRIGGER upper_body BEFORE INSERT ON notes FOR EACH ROW SET NEW.body = UPPER(NEW.body);"
                + "CREATE PROCEDURE count_notes() SELECT COUNT(*) FROM notes;").ok());
        ByteArrayOutputStream dump = new ByteArrayOutputStream();
        database.dump(name, c, dump);
        assertTrue(dump.toString(StandardCharsets.UTF_8).contains("CREATE TABLE `notes`"));

        assertTrue(TestClient.sql(c, "dumped", "DELETE FROM notes WHERE id = 1; CREATE TABLE later (i INT);"
                + "DROP PROCEDURE count_notes;").ok());
        database.restore(name, c, new ByteArrayInputStream(dump.toByteArray()));

        assertEquals("1\tété\n2\ttwo", TestClient.sql(c, "dumped", "SELECT id, body FROM notes ORDER BY id;").output());
        assertEquals("notes", TestClient.sql(c, "dumped", "SHOW TABLES;").output(), "what came after the dump is gone");
        assertEquals("2", TestClient.sql(c, "dumped", "CALL count_notes();").output(), "routines are restored");
        TestClient.sql(c, "dumped", "INSERT INTO notes VALUES (3, 'three');");
        assertEquals("THREE", TestClient.sql(c, "dumped", "SELECT body FROM notes WHERE id = 3;").output(),
                "triggers are restored");
        assertEquals(Map.of("notes", 3L), database.count(name, c));

        // into another add-on (a backup restored as a copy)
        AddonName copyName = AddonName.of("copied");
        AddonCredentials copy = database.create(copyName, Map.of());
        assertEquals(Map.of(), database.count(copyName, copy));
        database.restore(copyName, copy, new ByteArrayInputStream(dump.toByteArray()));
        assertEquals("1\tété\n2\ttwo", TestClient.sql(copy, "copied", "SELECT id, body FROM notes ORDER BY id;").output());
        assertEquals(Map.of("notes", 2L), database.count(copyName, copy));
        database.destroy(copyName, copy);
    }

    @Test
    void theRowsADumpHoldsAreCountedFromTheDumpAsCountCountsThem() throws Exception {
        AddonName name = AddonName.of("counted");
        AddonCredentials c = database.create(name, Map.of());
        assertTrue(TestClient.sql(c, "counted", "CREATE TABLE t (id INT PRIMARY KEY, v TEXT);"
                + "INSERT INTO t SELECT seq, CONCAT('row ', seq) FROM seq_1_to_5000;"
                + "CREATE TABLE `we``ird café` (v TEXT, b BLOB);"
                + "INSERT INTO `we``ird café` VALUES ('a),(b', x'00'), ('it''s \\'quoted\\' (', NULL),"
                + " ('two\\nlines;', NULL), ('back\\\\', ')'), ('', '');"
                + "CREATE TABLE empty (i INT);"
                + "CREATE VIEW shown AS SELECT v FROM t;").ok());
        ByteArrayOutputStream dump = new ByteArrayOutputStream();
        database.dump(name, c, dump);
        Map<String, Long> expected = Map.of("t", 5000L, "we`ird café", 5L, "empty", 0L);
        assertEquals(expected, database.count(name, c));
        assertEquals(expected, database.countDump(new ByteArrayInputStream(dump.toByteArray())));
        database.destroy(name, c);
    }

    @Test
    void destroyDropsTheDataAndTheUserAndForgivesAMissingAddon() throws Exception {
        AddonName name = AddonName.of("doomed");
        AddonCredentials c = database.create(name, Map.of());
        assertTrue(TestClient.sql(c, "doomed", "CREATE TABLE t (i INT);").ok());
        database.destroy(name, c);
        assertFalse(TestClient.sql(c, null, "SELECT 1;").ok());
        database.destroy(name, c);

        AddonCredentials again = database.create(name, Map.of());
        assertEquals("", TestClient.sql(again, "doomed", "SHOW TABLES;").output(), "nothing of the old data");
    }

    @Test
    void badInputIsRefusedWithWhatToDo() throws Exception {
        AddonException unknown = assertThrows(AddonException.class,
                () -> database.create(AddonName.of("opts"), Map.of("plan", "large")));
        assertTrue(unknown.getMessage().contains("'plan'") && unknown.getMessage().contains("version"), unknown.getMessage());
        AddonException version = assertThrows(AddonException.class,
                () -> database.create(AddonName.of("opts"), Map.of("version", "5.7")));
        assertTrue(version.getMessage().contains("10.11"), version.getMessage());
        AddonCredentials made = database.create(AddonName.of("opts"), Map.of("version", "10.11"));
        AddonException twice = assertThrows(AddonException.class, () -> database.create(AddonName.of("opts"), Map.of()));
        assertTrue(twice.getMessage().contains("exists already"), twice.getMessage());
        assertTrue(TestClient.sql(made, "opts", "SELECT 1;").ok(), "a refused create leaves the add-on as it was");
    }

    @Test
    void environmentHasTheUrlAndTheMysqlVariablesUnderTheDefaultPrefix() {
        AddonCredentials c = new AddonCredentials(Map.of("host", "127.0.0.1", "port", "41000", "user", "shop",
                "password", "p-w_d", "database", "shop"));
        assertEquals(Map.of("DATABASE_URL", "mysql://shop:p-w_d@127.0.0.1:41000/shop", "MYSQL_HOST", "127.0.0.1",
                "MYSQL_PORT", "41000", "MYSQL_USER", "shop", "MYSQL_PASSWORD", "p-w_d", "MYSQL_DATABASE", "shop"),
                database.environment(c, "DATABASE"));
        assertEquals(Map.of("LEGACY_URL", "mysql://shop:p-w_d@127.0.0.1:41000/shop"), database.environment(c, "LEGACY"));
        AddonCredentials odd = new AddonCredentials(Map.of("host", "h", "port", "1", "user", "a b", "password", "x@y:z/",
                "database", "d"));
        assertEquals("mysql://a%20b:x%40y%3Az%2F@h:1/d", database.environment(odd, "X").get("X_URL"));
    }

    @Test
    void statusShowsTheVersionThePlaceAndTheSize() throws Exception {
        AddonName name = AddonName.of("sized");
        AddonCredentials c = database.create(name, Map.of());
        TestClient.sql(c, "sized", "CREATE TABLE t (i INT); INSERT INTO t VALUES (1);");
        DatabaseStatus status = database.status(name, c);
        assertTrue(status.reachable(), status.detail());
        assertTrue(status.serverVersion().startsWith("10.11"), status.serverVersion());
        assertEquals("embedded, 127.0.0.1:" + c.get("port"), status.server());
        assertTrue(status.detail().contains("1 tables") && status.detail().contains("KiB"), status.detail());
        assertTrue(database.describe().startsWith("embedded MariaDB 10.11."), database.describe());

        AddonCredentials wrong = new AddonCredentials(Map.of("host", "127.0.0.1", "port", c.get("port"), "user", "sized",
                "password", "not-the-password-at-all", "database", "sized"));
        DatabaseStatus refused = database.status(name, wrong);
        assertFalse(refused.reachable());
        assertTrue(refused.detail().contains("Access denied"), refused.detail());
    }

    @Test
    void theClientCommandConnectsWithThePasswordInItsEnvironment() throws Exception {
        AddonCredentials c = database.create(AddonName.of("cli"), Map.of());
        ClientCommand client = database.client(c);
        assertFalse(String.join(" ", client.argv()).contains(c.get("password")));
        ClientRun run = ClientRun.of(client, "--execute=SELECT DATABASE()");
        assertEquals(0, run.exit(), run.output());
        assertTrue(run.output().contains("cli"), run.output());
    }

    @Test
    void theServerRunsAsItsOwnUserWithDataOnlyItReads() throws Exception {
        ProcessHandle server = embedded().ensureRunning();
        String uid = Files.readAllLines(Path.of("/proc", Long.toString(server.pid()), "status")).stream()
                .filter(l -> l.startsWith("Uid:")).findFirst().orElseThrow();
        int account = ACCOUNTS.account(MariaDbFixtures.ACCOUNT).uid();
        assertTrue(uid.matches("Uid:\\s+" + account + "\\s.*"), uid);
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(embedded().data())));
        assertEquals(account, Files.getAttribute(embedded().data(), "unix:uid"));
        String commandLine = String.join(" ", server.info().arguments().orElseThrow());
        assertTrue(commandLine.contains("--bind-address=127.0.0.1") && commandLine.contains("--no-defaults"), commandLine);
    }

    @Test
    void aNewInstanceTakesOverTheRunningServerAndADeadOneIsStartedAgain() throws Exception {
        AddonCredentials c = database.create(AddonName.of("kept"), Map.of());
        TestClient.sql(c, "kept", "CREATE TABLE t (i INT); INSERT INTO t VALUES (7);");
        long pid = embedded().ensureRunning().pid();

        database.close(false);
        assertTrue(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), "a bundle update leaves it running");
        database = newInstance();
        assertEquals(pid, embedded().ensureRunning().pid(), "the new instance adopts the same server");
        assertEquals("7", TestClient.sql(c, "kept", "SELECT i FROM t;").output());

        ProcessHandle.of(pid).orElseThrow().destroyForcibly();
        long deadline = System.nanoTime() + 60_000_000_000L;
        long restarted = -1;
        while (System.nanoTime() < deadline) {
            restarted = embedded().running().map(ProcessHandle::pid).orElse(-1L);
            if (restarted > 0 && restarted != pid && TestClient.sql(c, "kept", "SELECT i FROM t;").ok()) {
                break;
            }
            Thread.sleep(100);
        }
        assertNotEquals(pid, restarted);
        assertEquals("7", TestClient.sql(c, "kept", "SELECT i FROM t;").output(), "same port, same data");
    }
}
