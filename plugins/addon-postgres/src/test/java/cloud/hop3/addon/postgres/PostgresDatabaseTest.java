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

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import cloud.hop3.api.addon.AddonCredentials;
import cloud.hop3.api.addon.AddonException;
import cloud.hop3.api.addon.AddonName;
import cloud.hop3.api.addon.DatabaseStatus;
import cloud.hop3.api.plugin.PluginKind;
import cloud.hop3.plugin.support.account.LocalServiceAccounts;
import cloud.hop3.plugin.testkit.ComponentConfig;
import cloud.hop3.plugin.testkit.DatabaseDumps;
import cloud.hop3.plugin.testkit.PassableHome;
import cloud.hop3.plugin.testkit.TestPlatform;

/** The plugin on its embedded server, one for the class, run from the machine's PostgreSQL as hop3_postgres. */
class PostgresDatabaseTest {

    static final LocalServiceAccounts ACCOUNTS = new LocalServiceAccounts();
    @RegisterExtension
    static final PassableHome HOME = new PassableHome("pg-embedded");
    static Path state;
    static PostgresDatabase db;

    @BeforeAll
    static void start() throws IOException {
        HOME.afterwards(() -> ACCOUNTS.remove("postgres"));
        Path home = Files.createDirectories(HOME.path().resolve("home"));
        state = new TestPlatform(home).stateDirectory(PluginKind.DATABASE, "postgres");
        // as the platform leaves them: owner-only
        Files.setPosixFilePermissions(state, PosixFilePermissions.fromString("rwx------"));
        Files.setPosixFilePermissions(state.getParent(), PosixFilePermissions.fromString("rwx------"));
        HOME.afterwards(() -> PostgresFixtures.killServer(state.resolve("data")));
        db = new PostgresDatabase(state, ACCOUNTS, ComponentConfig.of(PostgresDatabase.Config.class), () -> true);
        HOME.afterwards(db::deactivate);
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
        assertEquals(Map.of("public.t", 2L), db.count(name, rotated));

        // into another add-on (a backup restored as a copy): the copy's own role owns what comes in
        AddonName copyName = name("copied");
        AddonCredentials copy = db.create(copyName, Map.of());
        assertEquals(Map.of(), db.count(copyName, copy));
        db.restore(copyName, copy, new ByteArrayInputStream(dump.toByteArray()));
        assertEquals("one\ntwo", psql(copy, "SELECT v FROM t ORDER BY v").output());
        assertEquals("copied", psql(copy, "SELECT tableowner FROM pg_tables WHERE tablename = 't'").output());
        assertEquals(Map.of("public.t", 2L), db.count(copyName, copy));
        db.destroy(copyName, copy);
    }

    @Test
    void theRowsADumpHoldsAreCountedFromTheDumpAsCountCountsThem() throws Exception {
        AddonName name = name("counted");
        AddonCredentials c = db.create(name, Map.of());
        assertTrue(psql(c, "CREATE TABLE t (v text); INSERT INTO t SELECT 'row ' || g FROM generate_series(1, 200) g;"
                + " CREATE SCHEMA \"odd Schema\"; CREATE TABLE \"odd Schema\".\"We\"\"ird\" (v text, b bytea);"
                + " INSERT INTO \"odd Schema\".\"We\"\"ird\" VALUES (E'a),(b', '\\x00'), (E'it''s \"quoted\"', NULL),"
                + " (E'two\\nlines\\\\.', NULL), (E'\\\\.', NULL);"
                + " CREATE TABLE empty (v int);").ok());
        DatabaseDumps.assertDumpCounts(db, name, c, Map.of("public.t", 200L, "odd Schema.We\"ird", 4L, "public.empty", 0L));
        AddonException bad = assertThrows(AddonException.class,
                () -> db.countDump(new ByteArrayInputStream("not a dump".getBytes())));
        assertTrue(bad.getMessage().contains("pg_restore"), bad.getMessage());
        db.destroy(name, c);
    }

    /**
     * The mark that lets a backup keep its previous dump: equal while the add-on is only read and
     * dumped, and across WAL that changes no data (a checkpoint); different after one committed
     * row, and after a nextval that took no transaction id.
     */
    @Test
    void theChangeMarkHoldsWhileTheAddonIsReadAndMovesWithACommittedRowOrASequenceValue() throws Exception {
        AddonName name = name("marked");
        AddonCredentials c = db.create(name, Map.of());
        assertTrue(psql(c, "CREATE TABLE t (id serial PRIMARY KEY, v text);"
                + " INSERT INTO t (v) SELECT 'row ' || g FROM generate_series(1, 10) g;").ok());
        String before = settled(name, c);
        ByteArrayOutputStream dump = new ByteArrayOutputStream();
        db.dump(name, c, dump);
        assertEquals("10", psql(c, "SELECT count(*) FROM t").output());
        String password = Files.readString(state.resolve("superuser.password")).strip();
        PostgresConnection to = PostgresConnection.of(c);
        assertTrue(psql(to.host(), to.port(), "hop3_admin", password, "postgres", "CHECKPOINT").ok());
        assertEquals(before, db.changeMark(name, c).orElseThrow(), "reading, dumping and a checkpoint change nothing");

        assertTrue(psql(c, "INSERT INTO t (v) VALUES ('one more')").ok());
        String afterRow = db.changeMark(name, c).orElseThrow();
        assertNotEquals(before, afterRow, "one committed row moves the mark");

        // the first nextval after a checkpoint logs 32 values and takes a transaction id; the next ones neither
        assertTrue(psql(c, "SELECT nextval('t_id_seq')").ok());
        String quiet = settled(name, c);
        assertTrue(psql(c, "SELECT nextval('t_id_seq')").ok());
        String afterNextval = db.changeMark(name, c).orElseThrow();
        assertEquals(snapshot(quiet), snapshot(afterNextval), "this nextval took no transaction id: " + quiet);
        assertNotEquals(quiet, afterNextval, "yet the sequence's value, which a dump holds, moves the mark");

        AddonName other = name("marked-other");
        AddonCredentials o = db.create(other, Map.of());
        assertNotEquals(db.changeMark(other, o).orElseThrow().split(" ")[2], afterNextval.split(" ")[2],
                "each database has its own oid in its mark");
        db.destroy(other, o);
        db.destroy(name, c);
    }

    /** The add-on's mark once it has not moved for a second (autovacuum may analyze what other tests wrote). */
    private static String settled(AddonName name, AddonCredentials c) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        String last = db.changeMark(name, c).orElseThrow();
        while (true) {
            Thread.sleep(1000);
            String now = db.changeMark(name, c).orElseThrow();
            if (now.equals(last)) {
                return now;
            }
            assertTrue(System.nanoTime() < deadline, "the mark kept moving for 90 s: " + now);
            last = now;
        }
    }

    /** The server's snapshot in a mark. */
    private static String snapshot(String mark) {
        return mark.split(" ")[4];
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
            PostgresFixtures.killServer(other.resolve("data"));
        }
    }
}
