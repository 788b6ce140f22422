package cloud.hop3.addon.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import cloud.hop3.api.addon.AddonCredentials;
import cloud.hop3.api.addon.AddonException;
import cloud.hop3.api.addon.AddonName;
import cloud.hop3.api.addon.ClientCommand;
import cloud.hop3.api.addon.DatabaseStatus;
import cloud.hop3.api.plugin.PluginKind;
import cloud.hop3.plugin.testkit.ClientRun;
import cloud.hop3.plugin.testkit.ComponentConfig;
import cloud.hop3.plugin.testkit.PassableHome;
import cloud.hop3.plugin.testkit.TestPlatform;

/** The embedded default against real redis-server processes: one plugin instance, a few add-ons, shared by the class. */
class EmbeddedRedisTest {

    @RegisterExtension
    static final PassableHome HOME = new PassableHome("hop3-redis");
    private static TestPlatform platform;
    private static RedisDatabase redis;
    private static AddonCredentials alpha;
    private static AddonCredentials beta;

    @BeforeAll
    static void start() throws Exception {
        HOME.afterwards(() -> Fixtures.LOCAL.remove(Fixtures.ACCOUNT));
        platform = new TestPlatform(HOME.path());
        redis = new RedisDatabase(platform, Fixtures.ACCOUNTS, ComponentConfig.of(RedisDatabase.Config.class), () -> false);
        HOME.afterwards(redis::stopServers);
        alpha = redis.create(AddonName.of("alpha"), Map.of());
        beta = redis.create(AddonName.of("beta"), Map.of("maxmemory", "64"));
    }

    private static Path directory(String name) {
        return platform.stateDirectory(PluginKind.DATABASE, "redis").resolve(name);
    }

    private static long serverPid(String name) throws IOException {
        return Long.parseLong(Files.readString(directory(name).resolve("redis.pid")).strip());
    }

    @Test
    void anAddonIsItsOwnServerRunAsTheServiceAccountInAPrivateDirectory() throws Exception {
        try (RespConnection connection = Fixtures.connect(alpha)) {
            assertEquals("OK", connection.text("SET", "greeting", "hello"));
            assertEquals("hello", connection.text("GET", "greeting"));
        }
        long uid = (Integer) Files.getAttribute(directory("alpha"), "unix:uid");
        assertEquals(Fixtures.LOCAL.account(Fixtures.ACCOUNT).uid(), uid);
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(directory("alpha"))));
        String status = Files.readString(Path.of("/proc", Long.toString(serverPid("alpha")), "status"));
        assertTrue(status.lines().anyMatch(l -> l.matches("Uid:\\s+" + uid + "\\s.*")), status);
        assertNotEquals(serverPid("alpha"), serverPid("beta"));
        assertNotEquals(alpha.get("port"), beta.get("port"));
        String config = Files.readString(directory("alpha").resolve("redis.conf"));
        assertTrue(config.contains("bind 127.0.0.1\n") && config.contains("protected-mode yes\n")
                && config.contains("port " + alpha.get("port") + "\n") && !config.contains("daemonize yes"), config);
        String acl = Files.readString(directory("alpha").resolve("users.acl"));
        assertFalse(acl.contains(alpha.get("password")), "the ACL file holds hashes, not passwords");
        try (RespConnection connection = Fixtures.connect(beta)) {
            List<?> maxmemory = (List<?>) connection.call("CONFIG", "GET", "maxmemory");
            assertEquals("67108864", RespConnection.asText(maxmemory.get(1)));
        }
    }

    @Test
    void oneAddonsCredentialsOpenNoOther() throws Exception {
        IOException refused = assertThrows(IOException.class, () -> Fixtures.connect(alpha, Fixtures.port(beta)).close());
        assertTrue(refused.getMessage().startsWith("WRONGPASS"), refused.getMessage());
        try (RespConnection anonymous = RespConnection.open("127.0.0.1", Fixtures.port(alpha), Duration.ofSeconds(5))) {
            IOException noAuth = assertThrows(IOException.class, () -> anonymous.call("GET", "greeting"));
            assertTrue(noAuth.getMessage().startsWith("NOAUTH"), noAuth.getMessage());
        }
        try (RespConnection connection = Fixtures.connect(alpha)) {
            IOException dir = assertThrows(IOException.class, () -> connection.call("CONFIG", "SET", "dir", "/tmp"));
            assertTrue(dir.getMessage().contains("protected config"), dir.getMessage());
        }
    }

    @Test
    void rotateAddsAPasswordAndRetireRemovesTheOldOneAlsoAfterARestart() throws Exception {
        AddonName name = AddonName.of("rotating");
        AddonCredentials old = redis.create(name, Map.of());
        AddonCredentials rotated = Fixtures.rotateAndRetire(redis, name, old);
        assertEquals(old.get("port"), rotated.get("port"));
        assertThrows(AddonException.class, () -> redis.retire(name, rotated, rotated));

        // the server dies: it is started again, with the saved ACL
        long pid = serverPid("rotating");
        ProcessHandle.of(pid).orElseThrow().destroyForcibly();
        assertTrue(Fixtures.eventually(Duration.ofSeconds(15), () -> {
            try (RespConnection connection = Fixtures.connect(rotated)) {
                return "PONG".equals(connection.text("PING"));
            } catch (IOException e) {
                return false;
            }
        }), "the killed server was started again");
        assertNotEquals(pid, serverPid("rotating"));
        assertThrows(IOException.class, () -> Fixtures.connect(old).close());
        redis.destroy(name, rotated);
    }

    @Test
    void anAddonNamedDefaultIsTheDefaultUserWithAPassword() throws Exception {
        AddonName name = AddonName.of("default");
        AddonCredentials credentials = redis.create(name, Map.of());
        try (RespConnection connection = Fixtures.connect(credentials)) {
            assertEquals("PONG", connection.text("PING"));
        }
        try (RespConnection anonymous = RespConnection.open("127.0.0.1", Fixtures.port(credentials), Duration.ofSeconds(5))) {
            IOException noAuth = assertThrows(IOException.class, () -> anonymous.call("GET", "k"));
            assertTrue(noAuth.getMessage().startsWith("NOAUTH"), noAuth.getMessage());
        }
        redis.destroy(name, credentials);
    }

    @Test
    void environmentIsARedisUrl() {
        Map<String, String> env = redis.environment(alpha, redis.defaultPrefix());
        assertEquals("REDIS", redis.defaultPrefix());
        assertEquals(Map.of("REDIS_URL", "redis://alpha:" + alpha.get("password") + "@127.0.0.1:" + alpha.get("port")), env);
        assertEquals(List.of("CACHE_URL"), List.copyOf(redis.environment(alpha, "CACHE").keySet()));
        AddonCredentials odd = RedisDatabase.credentials("127.0.0.1", 1234, "a b", "p@ss:w/rd", "");
        assertEquals("redis://a%20b:p%40ss%3Aw%2Frd@127.0.0.1:1234", redis.environment(odd, "REDIS").get("REDIS_URL"));
    }

    @Test
    void statusShowsTheVersionTheAddressAndTheMemory() throws Exception {
        DatabaseStatus status = redis.status(AddonName.of("alpha"), alpha);
        assertTrue(status.reachable(), status.toString());
        assertTrue(status.serverVersion().matches("\\d+\\.\\d+\\.\\d+"), status.toString());
        assertTrue(redis.describe().contains(status.serverVersion()), redis.describe());
        assertEquals("embedded, 127.0.0.1:" + alpha.get("port"), status.server());
        assertTrue(status.detail().startsWith("used memory "), status.detail());
        AddonCredentials wrong = RedisDatabase.credentials("127.0.0.1", Fixtures.port(alpha), "alpha", "wrong", "");
        DatabaseStatus refused = redis.status(AddonName.of("alpha"), wrong);
        assertFalse(refused.reachable());
        assertTrue(refused.detail().contains("WRONGPASS"), refused.detail());
    }

    @Test
    void theClientIsRedisCliWithThePasswordInItsEnvironment() throws Exception {
        ClientCommand client = redis.client(alpha);
        assertFalse(String.join(" ", client.argv()).contains(alpha.get("password")));
        ClientRun run = ClientRun.of(client, "PING");
        assertEquals(0, run.exit(), run.output());
        assertEquals("PONG", run.output().strip());
    }

    @Test
    void aDumpRestoresTheKeysItHeldAndTheyOutliveARestart() throws Exception {
        AddonName name = AddonName.of("dumped");
        AddonCredentials credentials = redis.create(name, Map.of());
        try (RespConnection connection = Fixtures.connect(credentials)) {
            connection.call("SET", "kept", "1");
            connection.call("RPUSH", "list", "a", "b");
        }
        ByteArrayOutputStream dump = new ByteArrayOutputStream();
        redis.dump(name, credentials, dump);
        assertTrue(new String(dump.toByteArray(), 0, 5, StandardCharsets.US_ASCII).equals("REDIS"));
        try (RespConnection connection = Fixtures.connect(credentials)) {
            connection.call("DEL", "kept");
            connection.call("SET", "later", "2");
        }
        redis.restore(name, credentials, new ByteArrayInputStream(dump.toByteArray()));
        assertEquals(Map.of("keys", 2L), redis.count(name, credentials));
        RedisServer server = ((EmbeddedRedis) redis.backend()).server(name);
        for (int round = 0; round < 2; round++) {
            try (RespConnection connection = Fixtures.connect(credentials)) {
                assertEquals("1", connection.text("GET", "kept"));
                assertEquals(2L, connection.call("LLEN", "list"));
                assertNull(connection.call("GET", "later"));
            }
            server.stop();
            server.start(List.of());
        }
        AddonException garbage = assertThrows(AddonException.class, () ->
                redis.restore(name, credentials, new ByteArrayInputStream("not a dump".getBytes(StandardCharsets.UTF_8))));
        assertTrue(garbage.getMessage().contains("unchanged"), garbage.getMessage());
        // a dump cut short: the server refuses it, and the data from before the restore serves again
        try (RespConnection connection = Fixtures.connect(credentials)) {
            connection.call("SET", "after", "3");
        }
        byte[] cut = java.util.Arrays.copyOf(dump.toByteArray(), dump.size() / 2);
        AddonException refused = assertThrows(AddonException.class, () ->
                redis.restore(name, credentials, new ByteArrayInputStream(cut)));
        assertTrue(refused.getMessage().contains("as before"), refused.getMessage());
        try (RespConnection connection = Fixtures.connect(credentials)) {
            assertEquals("1", connection.text("GET", "kept"));
            assertEquals("3", connection.text("GET", "after"));
        }
        // into another add-on (a backup restored as a copy): its own server, its own credentials
        AddonName copyName = AddonName.of("copied");
        AddonCredentials copy = redis.create(copyName, Map.of());
        assertEquals(Map.of("keys", 0L), redis.count(copyName, copy));
        redis.restore(copyName, copy, new ByteArrayInputStream(dump.toByteArray()));
        try (RespConnection connection = Fixtures.connect(copy)) {
            assertEquals("1", connection.text("GET", "kept"));
        }
        assertEquals(Map.of("keys", 2L), redis.count(copyName, copy));
        redis.destroy(copyName, copy);
        redis.destroy(name, credentials);
    }

    @Test
    void theKeysADumpHoldsAreCountedFromTheDumpAsCountCountsThem() throws Exception {
        AddonName name = AddonName.of("counted");
        AddonCredentials credentials = redis.create(name, Map.of());
        try (RespConnection connection = Fixtures.connect(credentials)) {
            for (int i = 0; i < 300; i++) {
                connection.call("SET", "k" + i, "value " + i + " ),(' \"quoted\"\nline ".repeat(i % 7 + 1));
            }
            connection.call("SET", "n", "12345");
            connection.call("SET", "ttl", "t", "EX", "3600");
            connection.call("RPUSH", "list", "a", "b", "c");
            connection.call("SADD", "set", "1", "2", "x");
            connection.call("HSET", "hash", "f", "v", "g", "w");
            connection.call("ZADD", "zset", "1.5", "a", "2", "b");
            for (int i = 0; i < 200; i++) {
                connection.call("HSET", "bighash", "field" + i, "a long value that needs a real hash table " + i);
                connection.call("ZADD", "bigzset", Integer.toString(i), "member" + i);
                connection.call("SADD", "bigset", "member" + i);
                connection.call("RPUSH", "biglist", "element " + i);
            }
            connection.call("SELECT", "3");
            connection.call("SET", "elsewhere", "1");
        }
        ByteArrayOutputStream dump = new ByteArrayOutputStream();
        redis.dump(name, credentials, dump);
        assertEquals(Map.of("keys", 311L), redis.count(name, credentials));
        assertEquals(redis.count(name, credentials), redis.countDump(new ByteArrayInputStream(dump.toByteArray())));

        // a value the count cannot step over: it says it cannot tell rather than guess
        try (RespConnection connection = Fixtures.connect(credentials)) {
            connection.call("XADD", "stream", "*", "f", "v");
            connection.call("SELECT", "3");
            connection.call("SET", "later", "1");
        }
        ByteArrayOutputStream streamed = new ByteArrayOutputStream();
        redis.dump(name, credentials, streamed);
        assertEquals(Map.of(), redis.countDump(new ByteArrayInputStream(streamed.toByteArray())));
        assertThrows(AddonException.class, () -> redis.countDump(new ByteArrayInputStream("nonsense".getBytes(StandardCharsets.UTF_8))));
        redis.destroy(name, credentials);
    }

    @Test
    void destroyStopsTheServerAndDeletesItsDirectory() throws Exception {
        AddonName name = AddonName.of("doomed");
        AddonCredentials credentials = redis.create(name, Map.of());
        long pid = serverPid("doomed");
        redis.destroy(name, credentials);
        assertFalse(Files.exists(directory("doomed")));
        assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false));
        assertFalse(redis.status(name, credentials).reachable());
        redis.destroy(name, credentials); // gone already: not an error
    }

    @Test
    void badInputIsRefusedWithAReason() {
        AddonException unknown = assertThrows(AddonException.class,
                () -> redis.create(AddonName.of("other"), Map.of("size", "big")));
        assertTrue(unknown.getMessage().contains("size") && unknown.getMessage().contains("maxmemory, version"),
                unknown.getMessage());
        AddonException taken = assertThrows(AddonException.class, () -> redis.create(AddonName.of("alpha"), Map.of()));
        assertTrue(taken.getMessage().contains("exists already"), taken.getMessage());
        AddonException memory = assertThrows(AddonException.class,
                () -> redis.create(AddonName.of("other"), Map.of("maxmemory", "lots")));
        assertTrue(memory.getMessage().contains("megabytes"), memory.getMessage());
        AddonException version = assertThrows(AddonException.class,
                () -> redis.create(AddonName.of("other"), Map.of("version", "5")));
        assertTrue(version.getMessage().contains("This machine's Redis is"), version.getMessage());
        assertFalse(Files.exists(directory("other")));
    }
}
