package cloud.hop3.addon.postgres;

import static cloud.hop3.addon.postgres.PostgresFixtures.psql;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import cloud.hop3.api.addon.AddonCredentials;
import cloud.hop3.api.addon.AddonException;
import cloud.hop3.api.addon.AddonName;
import cloud.hop3.api.platform.ServiceAccount;
import cloud.hop3.plugin.support.account.LocalServiceAccounts;
import cloud.hop3.plugin.support.server.ServerProcesses;
import cloud.hop3.plugin.testkit.ComponentConfig;
import cloud.hop3.plugin.testkit.PassableHome;

/**
 * The plugin pointed at an external server: a cluster that the test creates and starts itself
 * with initdb and pg_ctl (as the service account, on a free port), reached by its admin URL.
 */
class ExternalServerTest {

    static final LocalServiceAccounts ACCOUNTS = new LocalServiceAccounts();
    static final String ADMIN_PASSWORD = "ad min'\\pw:@/";
    @RegisterExtension
    static final PassableHome HOME = new PassableHome("pg-external");
    static Path root;
    static Path data;
    static int port;
    static PostgresDatabase db;

    @BeforeAll
    static void startServer() throws Exception {
        HOME.afterwards(() -> ACCOUNTS.remove("postgres"));
        root = HOME.path();
        data = root.resolve("data");
        HOME.afterwards(() -> PostgresFixtures.killServer(data));
        ServiceAccount account = ACCOUNTS.account("postgres");
        Files.createDirectories(data);
        Files.setAttribute(data, "unix:uid", account.uid());
        Files.setAttribute(data, "unix:gid", account.gid());
        Path pwfile = root.resolve("pwfile");
        Files.writeString(pwfile, ADMIN_PASSWORD + "\n");
        Files.setAttribute(pwfile, "unix:uid", account.uid());
        Path bin = PostgresFixtures.PSQL.getParent();
        run(account, bin.resolve("initdb").toString(), "-D", data.toString(), "--auth=scram-sha-256", "--username=admin",
                "--pwfile=" + pwfile, "--no-locale", "--encoding=UTF8");
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        run(account, bin.resolve("pg_ctl").toString(), "start", "-w", "-D", data.toString(), "-l", data.resolve("log").toString(),
                "-o", "-c listen_addresses=127.0.0.1 -c port=" + port + " -c unix_socket_directories=");
        String url = "postgres://admin:" + java.net.URLEncoder.encode(ADMIN_PASSWORD, "UTF-8").replace("+", "%20") + "@127.0.0.1:" + port + "/postgres";
        db = new PostgresDatabase(root.resolve("state"), ACCOUNTS,
                ComponentConfig.of(PostgresDatabase.Config.class, "adminUrl", url), () -> true);
        HOME.afterwards(db::deactivate);
    }

    private static void run(ServiceAccount account, String... argv) throws Exception {
        List<String> command = account.wrap(new ArrayList<>(List.of(argv)));
        ServerProcesses.Result r = ServerProcesses.run(new ProcessBuilder(command).directory(root.toFile()), Duration.ofMinutes(2));
        if (r.exit() != 0) {
            throw new IllegalStateException(String.join(" ", argv) + " failed: " + r.output());
        }
    }

    @Test
    void anAdminThatIsNotASuperuserWillDo() throws Exception {
        assertTrue(PostgresFixtures.psql("127.0.0.1", port, "admin", ADMIN_PASSWORD, "postgres",
                "CREATE ROLE creator LOGIN CREATEROLE CREATEDB PASSWORD 'creator-pw'").ok());
        PostgresDatabase limited = new PostgresDatabase(root.resolve("state-limited"), ACCOUNTS, ComponentConfig.of(
                PostgresDatabase.Config.class, "adminUrl", "postgres://creator:creator-pw@127.0.0.1:" + port + "/postgres"),
                () -> true);
        AddonName name = AddonName.of("by-creator");
        AddonCredentials c = limited.create(name, Map.of());
        assertTrue(psql(c, "CREATE TABLE t (v int); INSERT INTO t VALUES (5);").ok());
        AddonCredentials rotated = limited.rotate(name, c);
        assertEquals("5", psql(rotated, "SELECT v FROM t").output());
        limited.retire(name, c, rotated);
        assertFalse(psql(c, "SELECT 1").ok());
        limited.destroy(name, rotated);
        assertFalse(psql(rotated, "SELECT 1").ok());
    }

    @Test
    void aWrongAdminUrlIsReportedOnUse() {
        PostgresDatabase wrong = new PostgresDatabase(root.resolve("state-wrong"), ACCOUNTS, ComponentConfig.of(
                PostgresDatabase.Config.class, "adminUrl", "mysql://admin:secret@127.0.0.1/x"), () -> true);
        AddonException e = assertThrows(AddonException.class, () -> wrong.create(AddonName.of("x"), Map.of()));
        assertTrue(e.getMessage().contains("adminUrl") && !e.getMessage().contains("secret"), e.getMessage());
        assertTrue(wrong.describe().contains("not usable"), wrong.describe());
    }

    @Test
    void addonsAreCreatedRotatedAndDroppedOnTheExternalServer() throws Exception {
        assertEquals("external PostgreSQL at 127.0.0.1:" + port, db.describe());
        AddonName name = AddonName.of("remote-db");
        AddonCredentials c = db.create(name, Map.of());
        assertEquals(Integer.toString(port), c.get("port"));
        assertTrue(psql(c, "CREATE TABLE t (v int); INSERT INTO t VALUES (1);").ok());
        AddonCredentials other = db.create(AddonName.of("other"), Map.of());
        assertTrue(psql(other, "remote_db", "SELECT 1").output().contains("User does not have CONNECT privilege"),
                "REVOKE CONNECT keeps the other add-on out");
        assertTrue(db.status(name, c).reachable());
        assertEquals("external, 127.0.0.1:" + port, db.status(name, c).server());

        AddonCredentials rotated = db.rotate(name, c);
        assertEquals("1", psql(rotated, "SELECT v FROM t").output());
        db.retire(name, c, rotated);
        assertFalse(psql(c, "SELECT 1").ok());

        db.destroy(name, rotated);
        db.destroy(AddonName.of("other"), other);
        assertFalse(psql(rotated, "SELECT 1").ok());
        assertEquals("0", PostgresFixtures.psql("127.0.0.1", port, "admin", ADMIN_PASSWORD, "postgres",
                "SELECT count(*) FROM pg_roles WHERE rolname LIKE 'remote_db%' OR rolname = 'other'").output());
        assertFalse(Files.exists(root.resolve("state").resolve("data")), "no embedded server for an external one");
    }
}
