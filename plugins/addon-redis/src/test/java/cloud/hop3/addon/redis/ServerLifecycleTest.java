package cloud.hop3.addon.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import cloud.hop3.api.addon.AddonCredentials;
import cloud.hop3.api.addon.AddonException;
import cloud.hop3.api.addon.AddonName;
import cloud.hop3.api.plugin.PluginKind;
import cloud.hop3.plugin.testkit.ComponentConfig;
import cloud.hop3.plugin.testkit.PassableHome;
import cloud.hop3.plugin.testkit.TestPlatform;

/**
 * The servers across instances of the plugin: a bundle update leaves them running and the next
 * instance adopts them; the platform's stop stops them; the next start starts them again.
 */
class ServerLifecycleTest {

    @RegisterExtension
    final PassableHome passable = new PassableHome("hop3-redis-life");
    private Path home;
    private TestPlatform platform;
    private RedisDatabase last;

    @BeforeEach
    void home() {
        passable.afterwards(() -> Fixtures.LOCAL.remove(Fixtures.ACCOUNT));
        passable.afterwards(() -> {
            if (last != null) {
                last.stopServers();
            }
        });
        home = passable.path();
        platform = new TestPlatform(home);
    }

    private RedisDatabase instance(boolean platformStopping) throws IOException {
        last = new RedisDatabase(platform, Fixtures.ACCOUNTS, ComponentConfig.of(RedisDatabase.Config.class),
                () -> platformStopping);
        return last;
    }

    private long pid(String name) throws IOException {
        Path file = platform.stateDirectory(PluginKind.DATABASE, "redis").resolve(name).resolve("redis.pid");
        return Long.parseLong(Files.readString(file).strip());
    }

    private static boolean answers(AddonCredentials credentials) {
        try (RespConnection connection = Fixtures.connect(credentials)) {
            return "v".equals(connection.text("GET", "k"));
        } catch (IOException e) {
            return false;
        }
    }

    @Test
    void aNewInstanceAdoptsTheRunningServersAndThePlatformsStopStopsThem() throws Exception {
        RedisDatabase first = instance(false);
        AddonCredentials one = first.create(AddonName.of("one"), Map.of());
        AddonCredentials two = first.create(AddonName.of("two"), Map.of());
        for (AddonCredentials credentials : new AddonCredentials[] {one, two}) {
            try (RespConnection connection = Fixtures.connect(credentials)) {
                connection.call("SET", "k", "v");
            }
        }
        long pidOne = pid("one");
        long pidTwo = pid("two");

        first.deactivate(); // a bundle update: the servers keep serving
        assertTrue(answers(one) && answers(two));
        RedisDatabase second = instance(true);
        assertEquals(pidOne, pid("one"));
        assertEquals(pidTwo, pid("two"));
        // the adopted server is supervised by the new instance
        ProcessHandle.of(pidOne).orElseThrow().destroyForcibly();
        assertTrue(Fixtures.eventually(Duration.ofSeconds(15), () -> answers(one)), "restarted by the new instance");
        long restarted = pid("one");

        second.deactivate(); // the platform stops: so do the servers
        assertFalse(answers(one) || answers(two));
        assertFalse(ProcessHandle.of(restarted).map(ProcessHandle::isAlive).orElse(false));

        instance(false); // the platform starts again: the add-ons serve on their ports, with their data
        assertTrue(answers(one) && answers(two));
    }

    @Test
    void aServerThatWillNotStartSaysWhyInItsOwnWords() throws Exception {
        RedisDatabase redis = instance(false);
        AddonName name = AddonName.of("one");
        AddonCredentials one = redis.create(name, Map.of());
        RedisServer server = ((EmbeddedRedis) redis.backend()).server(name);
        server.stop();
        // something else took the add-on's port meanwhile
        try (ServerSocket squatter = new ServerSocket(Fixtures.port(one), 50, InetAddress.getByName("127.0.0.1"))) {
            AddonException e = assertThrows(AddonException.class, () -> server.start(List.of()));
            assertTrue(e.getMessage().contains("stopped at once") && e.getMessage().contains("Address already in use"),
                    e.getMessage());
        }
        server.start(List.of());
        assertTrue(Fixtures.eventually(Duration.ofSeconds(5), () -> redis.status(name, one).reachable()));
    }

    @Test
    void theDirectoriesCoreClosedAreOpenedForPassingAndAClosedHomeIsNamed() throws Exception {
        // core closes the home's entries but apps/ at every start (0700)
        Path databases = Files.createDirectories(home.resolve("databases"));
        Files.setPosixFilePermissions(databases, PosixFilePermissions.fromString("rwx------"));
        RedisDatabase redis = instance(false);
        AddonCredentials one = redis.create(AddonName.of("one"), Map.of());
        assertTrue(answers(one) || redis.status(AddonName.of("one"), one).reachable());
        assertEquals("rwx-----x", PosixFilePermissions.toString(Files.getPosixFilePermissions(databases)));
        assertEquals("rwx--x--x", PosixFilePermissions.toString(Files.getPosixFilePermissions(databases.resolve("redis"))));
        redis.stopServers();

        // a home that others cannot pass through: the error says which directory
        Files.setPosixFilePermissions(home, PosixFilePermissions.fromString("rwx------"));
        RedisDatabase closed = instance(false);
        AddonException e = assertThrows(AddonException.class, () -> closed.create(AddonName.of("two"), Map.of()));
        assertTrue(e.getMessage().contains(home + " lets no other user pass"), e.getMessage());
    }

    @Test
    void aMissingRedisNamesThePackageToInstall() throws Exception {
        last = new RedisDatabase(platform, Fixtures.ACCOUNTS, ComponentConfig.of(RedisDatabase.Config.class,
                "redisServer", "/nonexistent/redis-server"), () -> false);
        AddonException e = assertThrows(AddonException.class, () -> last.create(AddonName.of("one"), Map.of()));
        assertTrue(e.getMessage().contains("apt-get install redis-server"), e.getMessage());
        assertTrue(last.describe().contains("not installed"), last.describe());
        assertFalse(Files.exists(platform.stateDirectory(PluginKind.DATABASE, "redis").resolve("one")));
    }
}
