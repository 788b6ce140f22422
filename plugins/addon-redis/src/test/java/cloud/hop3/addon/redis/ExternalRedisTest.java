package cloud.hop3.addon.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
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
 * An external Redis: a second redis-server that the test starts itself, with an admin password
 * and an ACL file, as an operator would run one. Each add-on is an ACL user with a key prefix.
 */
class ExternalRedisTest {

    private static final String ADMIN_PASSWORD = "admin-secret";
    @RegisterExtension
    static final PassableHome HOME = new PassableHome("hop3-redis-ext");
    private static Path home;
    private static Path serverDirectory;
    private static int port;
    private static RedisDatabase redis;

    @BeforeAll
    static void start() throws Exception {
        home = HOME.path();
        serverDirectory = Files.createDirectories(home.resolve("external"));
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            port = socket.getLocalPort();
        }
        Path acl = Files.writeString(serverDirectory.resolve("users.acl"),
                "user default on >" + ADMIN_PASSWORD + " ~* &* +@all\n");
        Path config = Files.writeString(serverDirectory.resolve("redis.conf"), "bind 127.0.0.1\nport " + port
                + "\ndir " + serverDirectory + "\naclfile " + acl + "\nsave \"\"\n");
        Process server = new ProcessBuilder("redis-server", config.toString()).redirectErrorStream(true)
                .redirectOutput(serverDirectory.resolve("redis.log").toFile()).start();
        HOME.afterwards(server::destroyForcibly);
        assertTrue(Fixtures.eventually(Duration.ofSeconds(10), () -> {
            try (RespConnection c = RespConnection.open("127.0.0.1", port, "", ADMIN_PASSWORD, Duration.ofSeconds(2))) {
                return "PONG".equals(c.text("PING"));
            } catch (IOException e) {
                return false;
            }
        }), "the external server answers");
        redis = new RedisDatabase(new TestPlatform(home), Fixtures.ACCOUNTS, ComponentConfig.of(RedisDatabase.Config.class,
                "adminUrl", "redis://:" + ADMIN_PASSWORD + "@127.0.0.1:" + port), () -> false);
    }

    @Test
    void anAddonIsAnAclUserConfinedToItsKeyPrefix() throws Exception {
        AddonCredentials shop = redis.create(AddonName.of("shop"), Map.of());
        AddonCredentials blog = redis.create(AddonName.of("blog"), Map.of());
        try (RespConnection connection = Fixtures.connect(shop)) {
            assertEquals("OK", connection.text("SET", "shop:cart", "3 apples"));
            IOException outside = assertThrows(IOException.class, () -> connection.call("SET", "blog:post", "x"));
            assertTrue(outside.getMessage().startsWith("NOPERM"), outside.getMessage());
            IOException flush = assertThrows(IOException.class, () -> connection.call("FLUSHALL"));
            assertTrue(flush.getMessage().startsWith("NOPERM"), flush.getMessage());
        }
        try (RespConnection connection = Fixtures.connect(blog)) {
            IOException read = assertThrows(IOException.class, () -> connection.call("GET", "shop:cart"));
            assertTrue(read.getMessage().startsWith("NOPERM"), read.getMessage());
        }
        assertEquals("shop:", redis.environment(shop, "REDIS").get("REDIS_KEY_PREFIX"));
        assertEquals("redis://shop:" + shop.get("password") + "@127.0.0.1:" + port,
                redis.environment(shop, "REDIS").get("REDIS_URL"));
        assertTrue(Files.readString(serverDirectory.resolve("users.acl")).contains("user shop "), "saved in the ACL file");
        DatabaseStatus status = redis.status(AddonName.of("shop"), shop);
        assertTrue(status.reachable(), status.toString());
        assertEquals("external, 127.0.0.1:" + port, status.server());
        assertTrue(status.detail().contains("key prefix"), status.detail());

        AddonException taken = assertThrows(AddonException.class, () -> redis.create(AddonName.of("shop"), Map.of()));
        assertTrue(taken.getMessage().contains("already"), taken.getMessage());

        redis.destroy(AddonName.of("shop"), shop);
        assertThrows(IOException.class, () -> Fixtures.connect(shop).close());
        try (RespConnection admin = RespConnection.open("127.0.0.1", port, "", ADMIN_PASSWORD, Duration.ofSeconds(5))) {
            assertNull(admin.call("GET", "shop:cart"), "the add-on's keys went with it");
        }
        assertFalse(Files.readString(serverDirectory.resolve("users.acl")).contains("user shop "));
        redis.destroy(AddonName.of("shop"), shop); // gone already: not an error
        redis.destroy(AddonName.of("blog"), blog);
    }

    @Test
    void rotateThenRetire() throws Exception {
        AddonName name = AddonName.of("rotor");
        AddonCredentials old = redis.create(name, Map.of());
        AddonCredentials rotated = Fixtures.rotateAndRetire(redis, name, old);
        redis.destroy(name, rotated);
    }

    @Test
    void aDumpHoldsTheAddonsKeysOnlyAndRestoresThem() throws Exception {
        AddonName name = AddonName.of("saved");
        AddonCredentials saved = redis.create(name, Map.of());
        AddonCredentials other = redis.create(AddonName.of("other"), Map.of());
        try (RespConnection connection = Fixtures.connect(saved)) {
            connection.call("SET", "saved:a", "1");
            connection.call("HSET", "saved:h", "f", "v");
            connection.call("SET", "saved:ttl", "t", "EX", "3600");
        }
        try (RespConnection connection = Fixtures.connect(other)) {
            connection.call("SET", "other:x", "kept");
        }
        ByteArrayOutputStream dump = new ByteArrayOutputStream();
        redis.dump(name, saved, dump);
        assertFalse(dump.toString(StandardCharsets.ISO_8859_1).contains("other:x"));
        assertEquals(Map.of("keys", 3L), redis.countDump(new ByteArrayInputStream(dump.toByteArray())));
        try (RespConnection connection = Fixtures.connect(saved)) {
            connection.call("DEL", "saved:a");
            connection.call("SET", "saved:later", "2");
        }
        redis.restore(name, saved, new ByteArrayInputStream(dump.toByteArray()));
        try (RespConnection connection = Fixtures.connect(saved)) {
            assertEquals("1", connection.text("GET", "saved:a"));
            assertEquals("v", connection.text("HGET", "saved:h", "f"));
            assertTrue((Long) connection.call("TTL", "saved:ttl") > 3000);
            assertNull(connection.call("GET", "saved:later"));
        }
        try (RespConnection connection = Fixtures.connect(other)) {
            assertEquals("kept", connection.text("GET", "other:x"));
        }
        assertEquals(Map.of("keys", 3L), redis.count(name, saved));
        // another add-on's dump (a backup restored into a copy) goes in under this add-on's prefix
        ByteArrayOutputStream otherDump = new ByteArrayOutputStream();
        redis.dump(AddonName.of("other"), other, otherDump);
        redis.restore(name, saved, new ByteArrayInputStream(otherDump.toByteArray()));
        try (RespConnection connection = Fixtures.connect(saved)) {
            assertEquals("kept", connection.text("GET", "saved:x"));
            assertNull(connection.call("GET", "saved:a"), "the restore replaced the add-on's keys");
        }
        assertEquals(Map.of("keys", 1L), redis.count(name, saved));
        assertEquals(Map.of("keys", 1L), redis.count(AddonName.of("other"), other));
        // what is not a dump does not go in
        AddonException foreign = assertThrows(AddonException.class,
                () -> redis.restore(name, saved, new ByteArrayInputStream("*1\r\n$4\r\nPING\r\n".getBytes(StandardCharsets.US_ASCII))));
        assertTrue(foreign.getMessage().contains("unchanged"), foreign.getMessage());
        try (RespConnection connection = Fixtures.connect(saved)) {
            assertEquals("kept", connection.text("GET", "saved:x"));
        }
        redis.destroy(name, saved);
        redis.destroy(AddonName.of("other"), other);
    }

    @Test
    void noServerRunsHereAndMemoryLimitsAreRefused() {
        assertTrue(redis.describe().startsWith("external Redis at 127.0.0.1:" + port), redis.describe());
        AddonException e = assertThrows(AddonException.class,
                () -> redis.create(AddonName.of("big"), Map.of("maxmemory", "64")));
        assertTrue(e.getMessage().contains("embedded"), e.getMessage());
        assertFalse(Files.exists(new TestPlatform(home).home().resolve("databases")));
    }

    @Test
    void aWrongAdminUrlIsAClearError() throws Exception {
        RedisDatabase wrong = new RedisDatabase(new TestPlatform(home), Fixtures.ACCOUNTS, ComponentConfig.of(
                RedisDatabase.Config.class, "adminUrl", "redis://:wrong@127.0.0.1:" + port), () -> false);
        AddonException e = assertThrows(AddonException.class, () -> wrong.create(AddonName.of("nope"), Map.of()));
        assertTrue(e.getMessage().contains("refuses the plugin's adminUrl") && e.getMessage().contains("WRONGPASS"),
                e.getMessage());
        assertFalse(e.getMessage().contains("wrong@"), "no password in the message");
    }
}
