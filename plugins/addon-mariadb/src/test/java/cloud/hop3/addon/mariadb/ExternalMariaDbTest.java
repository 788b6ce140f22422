package cloud.hop3.addon.mariadb;

import static cloud.hop3.addon.mariadb.MariaDbFixtures.ACCOUNTS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import cloud.hop3.api.addon.AddonCredentials;
import cloud.hop3.api.addon.AddonException;
import cloud.hop3.api.addon.AddonName;
import cloud.hop3.api.addon.DatabaseStatus;
import cloud.hop3.plugin.testkit.ComponentConfig;
import cloud.hop3.plugin.testkit.PassableHome;
import cloud.hop3.plugin.testkit.TestPlatform;

/**
 * The plugin pointed at an external server by an admin URL: a second MariaDB server that the
 * test starts in a directory of its own, on a port of its own, with an administrator that logs
 * in with a password over TCP as on a real database host.
 */
class ExternalMariaDbTest {

    private static final String ADMIN_PASSWORD = "s3cr3t/p@ss:word";
    @RegisterExtension
    static final PassableHome HOME = new PassableHome("hop3-mariadb-external");
    private static TestPlatform platform;
    private static EmbeddedMariaDb external;
    private static MariaDbDatabase database;

    @BeforeAll
    static void start() throws Exception {
        platform = MariaDbFixtures.platform(HOME);
        external = new EmbeddedMariaDb(HOME.path().resolve("elsewhere"), ACCOUNTS.account(MariaDbFixtures.ACCOUNT), 16);
        HOME.afterwards(external::stop);
        external.ensureRunning();
        MariaDbTools.execute(external.admin(), "CREATE USER 'dba'@'127.0.0.1' IDENTIFIED BY '" + ADMIN_PASSWORD + "';\n"
                + "GRANT ALL PRIVILEGES ON *.* TO 'dba'@'127.0.0.1' WITH GRANT OPTION;\n");
        database = pointedAt("mysql://dba:s3cr3t%2Fp%40ss%3Aword@127.0.0.1:" + external.port() + "/");
    }

    private static MariaDbDatabase pointedAt(String adminUrl) throws Exception {
        return new MariaDbDatabase(platform, ACCOUNTS, ComponentConfig.of(MariaDbDatabase.Config.class,
                "adminUrl", adminUrl), null);
    }

    @Test
    void addonsAreMadeOnTheExternalServerAndOpenTheirOwnDatabaseOnly() throws Exception {
        AddonCredentials a = database.create(AddonName.of("ext-a"), Map.of());
        AddonCredentials b = database.create(AddonName.of("ext-b"), Map.of());
        assertEquals("127.0.0.1", a.get("host"));
        assertEquals(String.valueOf(external.port()), a.get("port"));
        assertTrue(TestClient.sql(a, "ext_a", "CREATE TABLE t (i INT);").ok());
        TestClient.Result other = TestClient.sql(a, "ext_b", "SELECT 1;");
        assertTrue(other.output().contains("Access denied"), other.output());
        assertEquals("%", MariaDbTools.value(external.admin(), "SELECT Host FROM mysql.user WHERE User = 'ext_a'"),
                "apps reach an external server over the network");
        assertFalse(Files.exists(platform.home().resolve("databases/mariadb/data")), "no embedded server");

        DatabaseStatus status = database.status(AddonName.of("ext-a"), a);
        assertTrue(status.reachable(), status.detail());
        assertEquals("external, 127.0.0.1:" + external.port(), status.server());
        assertEquals("MariaDB on 127.0.0.1:" + external.port(), database.describe());

        AddonCredentials rotated = database.rotate(AddonName.of("ext-a"), a);
        assertTrue(TestClient.sql(rotated, "ext_a", "SELECT COUNT(*) FROM t;").ok());
        database.retire(AddonName.of("ext-a"), a, rotated);
        assertFalse(TestClient.sql(a, "ext_a", "SELECT 1;").ok());

        database.destroy(AddonName.of("ext-b"), b);
        assertFalse(TestClient.sql(b, null, "SELECT 1;").ok());
        assertEquals("0", MariaDbTools.value(external.admin(),
                "SELECT COUNT(*) FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = 'ext_b'"));
    }

    @Test
    void aWrongAdminPasswordIsTheServersOwnWords() throws Exception {
        MariaDbDatabase wrong = pointedAt("mysql://dba:nope@127.0.0.1:" + external.port() + "/");
        AddonException e = assertThrows(AddonException.class, () -> wrong.create(AddonName.of("never"), Map.of()));
        assertTrue(e.getMessage().contains("Access denied"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ExternalMariaDb.parse("postgres://u:p@h/"));
        assertThrows(IllegalArgumentException.class, () -> ExternalMariaDb.parse("mysql://db.example.org/"));
        assertEquals(new ExternalMariaDb("db.example.org", 3306, "root", "a+b c"),
                ExternalMariaDb.parse("mysql://root:a+b%20c@db.example.org/"));
    }

    @Test
    void aServerThatWillNotStartSaysWhyInItsOwnWords() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Path directory = Files.createDirectories(HOME.path().resolve("blocked"));
            Files.writeString(directory.resolve("port"), taken.getLocalPort() + "\n");
            EmbeddedMariaDb blocked = new EmbeddedMariaDb(directory, ACCOUNTS.account(MariaDbFixtures.ACCOUNT), 16);
            try {
                AddonException e = assertThrows(AddonException.class, blocked::ensureRunning);
                assertTrue(e.getMessage().contains("did not start") && e.getMessage().contains("Bind on TCP/IP port"),
                        e.getMessage());
            } finally {
                blocked.stop();
            }
        }
    }
}
