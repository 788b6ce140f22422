package cloud.hop3.addon.postgres;

import static cloud.hop3.addon.postgres.PostgresFixtures.psql;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import cloud.hop3.plugin.testkit.PassableDirectory;
import cloud.hop3.api.addon.AddonCredentials;
import cloud.hop3.api.addon.AddonException;
import cloud.hop3.api.addon.AddonName;
import cloud.hop3.api.addon.DatabaseStatus;
import cloud.hop3.api.plugin.PluginKind;
import cloud.hop3.plugin.support.account.LocalServiceAccounts;
import cloud.hop3.plugin.testkit.ComponentConfig;
import cloud.hop3.plugin.testkit.TestPlatform;

/** The plugin on its embedded server, one for the class, run from the machine's PostgreSQL as hop3_postgres. */
class PostgresDatabaseTest {

    static final LocalServiceAccounts ACCOUNTS = new LocalServiceAccounts();
    static Path root;
    static Path state;
    static PostgresDatabase db;

    @BeforeAll
    static void start() throws IOException {
        root = PassableDirectory.create("pg-embedded");
        Path home = Files.createDirectories(root.resolve("home"));
        state = new TestPlatform(home).stateDirectory(PluginKind.DATABASE, "postgres");
        // as the platform leaves them: owner-only
        Files.setPosixFilePermissions(state, PosixFilePermissions.fromString("rwx------"));
        Files.setPosixFilePermissions(state.getParent(), PosixFilePermissions.fromString("rwx------"));
        db = new PostgresDatabase(state, ACCOUNTS, ComponentConfig.of(PostgresDatabase.Config.class), () -> true);
    }

    @AfterAll
    static void stop() throws IOException {
        try {
            if (db != null) {
                db.deactivate();
            }
        } finally {
            PostgresFixtures.cleanUp(state.resolve("data"), root);
            ACCOUNTS.remove("postgres");
        }
    }

    static AddonName name(String name) {
        return AddonName.of(name);
    }

    @Test
    void createGivesADatabaseOnlyItsRoleUses() throws Exception {
        AddonCredentials c = db.create(name("shop-db"), Map.of());
        assertEquals("shop_db", c.get("user"));
        assertEquals("shop_db", c.get("database"));
        assertEquals("127.0.0.1", c.get("host"));
        assertTrue(psql(c, "CREATE TABLE orders (id int); INSERT INTO orders VALUES (7);").ok());
        assertEquals("7", psql(c, "SELECT id FROM orders").output());
        assertEquals("shop_db", psql(c, "SELECT tableowner FROM pg_tables WHERE tablename = 'orders'").output());
        // the server runs as its own account, its data its alone
        ProcessHandle server = ProcessHandle.of(db.serverPid()).orElseThrow();
        assertEquals("hop3_postgres", server.info().user().orElse(""));
        Path data = state.resolve("data");
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(data)));
        assertEquals("hop3_postgres", Files.getOwner(data).getName());
        assertEquals("rwx--x--x", PosixFilePermissions.toString(Files.getPosixFilePermissions(state)));
        assertEquals("rwx--x--x", PosixFilePermissions.toString(Files.getPosixFilePermissions(state.getParent())));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(state.resolve("superuser.password"))));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(state.resolve("postgres.log"))));
    }

    @Test
    void oneAddonsCredentialsAreRefusedOnAnothersDatabase() throws Exception {
        AddonCredentials a = db.create(name("alpha"), Map.of());
        AddonCredentials b = db.create(name("beta"), Map.of());
        assertTrue(psql(b, "CREATE TABLE secret (v text); INSERT INTO secret VALUES ('b');").ok());
        PostgresFixtures.Result refused = psql(a, "beta", "SELECT 1");
        assertFalse(refused.ok(), refused.output());
        assertTrue(refused.output().contains("no pg_hba.conf entry for host \"127.0.0.1\", user \"alpha\", database \"beta\""),
                refused.output());
        assertFalse(psql(a, "postgres", "SELECT 1").ok());
        // a's password does not open b's role either
        PostgresConnection ca = PostgresConnection.of(a);
        assertFalse(PostgresFixtures.psql(ca.host(), ca.port(), "beta", ca.password(), "beta", "SELECT 1").ok());
        assertTrue(psql(a, "SELECT 1").ok());
    }

    @Test
    void badInputIsRefusedAndChangesNothing() throws Exception {
        AddonException unknown = assertThrows(AddonException.class, () -> db.create(name("opts"), Map.of("size", "2")));
        assertTrue(unknown.getMessage().contains("size") && unknown.getMessage().contains("known: version"), unknown.getMessage());
        AddonException version = assertThrows(AddonException.class, () -> db.create(name("opts"), Map.of("version", "99")));
        assertTrue(version.getMessage().contains("PostgreSQL 99 is not available") && version.getMessage().contains("15"),
                version.getMessage());
        String major = PostgresBinaries.major(db.describe().replace("embedded PostgreSQL ", ""));
        AddonCredentials c = db.create(name("opts"), Map.of("version", major));
        AddonException exists = assertThrows(AddonException.class, () -> db.create(name("opts"), Map.of()));
        assertTrue(exists.getMessage().contains("exists already"), exists.getMessage());
        assertTrue(psql(c, "SELECT 1").ok(), "the existing add-on still works");
        db.destroy(name("never-made"), c);
        db.destroy(name("opts"), c);
        db.destroy(name("opts"), c);
        assertFalse(psql(c, "SELECT 1").ok());
        DatabaseStatus gone = db.status(name("opts"), c);
        assertFalse(gone.reachable());
    }

    @Test
    void rotatedCredentialsWorkAtOnceAndTheOldOnesUntilRetired() throws Exception {
        AddonName name = name("rota");
        AddonCredentials first = db.create(name, Map.of());
        AddonCredentials second = db.rotate(name, first);
        assertNotEquals(first.get("password"), second.get("password"));
        assertEquals("rota_r1", second.get("user"));
        assertTrue(psql(second, "CREATE TABLE made_by_new (v int); INSERT INTO made_by_new VALUES (1);").ok());
        assertEquals("1", psql(first, "SELECT v FROM made_by_new").output(), "the old role reads what the new one made");
        assertEquals("rota", psql(first, "SELECT tableowner FROM pg_tables WHERE tablename = 'made_by_new'").output());

        db.retire(name, first, second);
        PostgresFixtures.Result old = psql(first, "SELECT 1");
        assertFalse(old.ok(), old.output());
        assertTrue(psql(second, "INSERT INTO made_by_new VALUES (2)").ok());

        AddonCredentials third = db.rotate(name, second);
        assertEquals("rota_r2", third.get("user"));
        assertEquals("2", psql(third, "SELECT count(*) FROM made_by_new").output());
        db.retire(name, second, third);
        assertFalse(psql(second, "SELECT 1").ok());
        assertTrue(psql(third, "DROP TABLE made_by_new").ok(), "the newest role owns what the first made");

        db.destroy(name, third);
        assertFalse(psql(third, "SELECT 1").ok());
        assertTrue(db.create(name, Map.of()) != null, "every role of the add-on went with it");
    }

    @Test
    void dumpAndRestoreMakeARoundTrip() throws Exception {
        AddonName name = name("dumped");
        AddonCredentials first = db.create(name, Map.of());
        assertTrue(psql(first, "CREATE TABLE t (v text); INSERT INTO t VALUES ('one'), ('two');").ok());
        ByteArrayOutputStream dump = new ByteArrayOutputStream();
        db.dump(name, first, dump);
        assertEquals("PGDMP", new String(dump.toByteArray(), 0, 5, java.nio.charset.StandardCharsets.US_ASCII));
        assertTrue(psql(first, "DELETE FROM t WHERE v = 'one'; INSERT INTO t VALUES ('three');").ok());
        AddonCredentials rotated = db.rotate(name, first);
        db.restore(name, rotated, new ByteArrayInputStream(dump.toByteArray()));
        assertEquals("one\ntwo", psql(rotated, "SELECT v FROM t ORDER BY v").output());
        assertEquals("dumped", psql(rotated, "SELECT tableowner FROM pg_tables WHERE tablename = 't'").output());
        AddonException bad = assertThrows(AddonException.class,
                () -> db.restore(name, rotated, new ByteArrayInputStream("not a dump".getBytes())));
        assertTrue(bad.getMessage().contains("pg_restore"), bad.getMessage());
        assertEquals("one\ntwo", psql(rotated, "SELECT v FROM t ORDER BY v").output());
    }

    @Test
    void environmentStatusAndClient() throws Exception {
        AddonCredentials c = db.create(name("env-db"), Map.of());
        Map<String, String> env = db.environment(c, db.defaultPrefix());
        assertEquals("DATABASE", db.defaultPrefix());
        assertEquals("postgres://env_db:" + c.get("password") + "@127.0.0.1:" + c.get("port") + "/env_db", env.get("DATABASE_URL"));
        assertEquals(c.get("port"), env.get("PGPORT"));
        assertEquals("env_db", env.get("PGUSER"));
        assertEquals("env_db", env.get("PGDATABASE"));
        assertEquals(c.get("password"), env.get("PGPASSWORD"));
        assertEquals(Map.of("ANALYTICS_URL", env.get("DATABASE_URL")), db.environment(c, "ANALYTICS"));

        DatabaseStatus status = db.status(name("env-db"), c);
        assertTrue(status.reachable(), status.detail());
        assertTrue(status.serverVersion().startsWith("15"), status.serverVersion());
        assertEquals("embedded, 127.0.0.1:" + c.get("port"), status.server());
        assertTrue(db.describe().startsWith("embedded PostgreSQL 15"), db.describe());

        var client = db.client(c);
        assertFalse(String.join(" ", client.argv()).contains(c.get("password")));
        ProcessBuilder builder = new ProcessBuilder(client.argv()).redirectErrorStream(true);
        builder.environment().putAll(client.env());
        Process psql = builder.start();
        psql.getOutputStream().write("SELECT current_user || '!';\n\\q\n".getBytes());
        psql.getOutputStream().close();
        String out = new String(psql.getInputStream().readAllBytes());
        assertEquals(0, psql.waitFor());
        assertTrue(out.contains("env_db!"), out);
    }

    @Test
    void aSecondInstanceAdoptsTheRunningServerAndLeavesItRunning() throws Exception {
        AddonCredentials c = db.create(name("adopted"), Map.of());
        long pid = db.serverPid();
        PostgresDatabase next = new PostgresDatabase(state, ACCOUNTS, ComponentConfig.of(PostgresDatabase.Config.class), () -> false);
        assertEquals(pid, next.serverPid(), "taken over, not restarted");
        AddonCredentials d = next.create(name("adopted-too"), Map.of());
        next.deactivate();
        assertEquals(pid, db.serverPid());
        assertTrue(psql(c, "SELECT 1").ok());
        assertTrue(psql(d, "SELECT 1").ok());
    }

    @Test
    void aServerThatDiesIsStartedAgainOnItsPort() throws Exception {
        AddonCredentials c = db.create(name("survivor"), Map.of());
        assertTrue(psql(c, "CREATE TABLE kept (v int); INSERT INTO kept VALUES (42);").ok());
        ProcessHandle server = ProcessHandle.of(db.serverPid()).orElseThrow();
        server.destroyForcibly();
        server.onExit().join();
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        PostgresFixtures.Result r = psql(c, "SELECT v FROM kept");
        while (!r.ok() && System.nanoTime() < deadline) {
            Thread.sleep(200);
            r = psql(c, "SELECT v FROM kept");
        }
        assertEquals("42", r.output());
        assertNotEquals(server.pid(), db.serverPid());
    }

    @Test
    void aServerThatCannotStartSaysWhyInItsOwnWords() throws Exception {
        Path other = state.resolveSibling("postgres-busy");
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            Files.createDirectories(other);
            Files.writeString(other.resolve("port"), taken.getLocalPort() + "\n");
            PostgresDatabase busy = new PostgresDatabase(other, ACCOUNTS,
                    ComponentConfig.of(PostgresDatabase.Config.class, "startTimeoutSeconds", 20), () -> true);
            AddonException e = assertThrows(AddonException.class, () -> busy.create(name("nope"), Map.of()));
            assertTrue(e.getMessage().contains("could not start") && e.getMessage().contains("could not bind"), e.getMessage());
            busy.deactivate();
        } finally {
            PostgresFixtures.cleanUp(other.resolve("data"), other);
        }
    }
}
