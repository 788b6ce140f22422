package cloud.hop3.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import cloud.hop3.itests.Command.Result;

/**
 * The Redis plugin in the distribution: installed at boot, it runs as the system user
 * {@code hop3_redis}; an add-on's server starts with the platform, is not restarted by an update
 * of the plugin's bundle (the new instance adopts it), stops with the platform and finds its data
 * at the next start. The add-on is written into the plugin's state as the plugin writes one (the
 * add-on commands are core's, tested with them).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RedisAddonIT {

    private static final String PASSWORD = "end-to-end-password-1234";
    private static Distribution platform;
    private static boolean accountExisted;
    private static int port;

    @BeforeAll
    static void start() throws Exception {
        platform = new Distribution();
        // the servers' user passes through the test's directory to HOP3_HOME, as through /var/lib
        Files.setPosixFilePermissions(platform.work, PosixFilePermissions.fromString("rwx--x--x"));
        accountExisted = Command.run(Path.of("/"), Map.of(), Distribution.TIMEOUT, "id", "hop3_redis").exit() == 0;
        Path features = platform.directory().resolve("etc/org.apache.karaf.features.cfg");
        String text = Files.readString(features);
        String changed = text.replaceFirst("(?m)^featuresBoot =.*$", "$0, hop3-addon-redis");
        assertTrue(!changed.equals(text));
        Files.writeString(features, changed);
        Distribution.ok(platform.hop3("start"));
    }

    @AfterAll
    static void stop() throws Exception {
        try {
            if (platform != null) {
                platform.close();
            }
        } finally {
            if (!accountExisted) {
                Command.run(Path.of("/"), Map.of(), Distribution.TIMEOUT, "userdel", "hop3_redis");
            }
        }
    }

    private static Path state() {
        return platform.home.resolve("databases/redis");
    }

    @Test
    @Order(1)
    void thePluginRegistersItsTypeAndItsAccount() throws Exception {
        Hop3TestSupport.await("the redis Database service", Duration.ofMinutes(2), () -> {
            try {
                return platform.hop3Ok("service", "list", "cloud.hop3.api.addon.Database").contains("hop3.database = redis");
            } catch (IOException | InterruptedException e) {
                return false;
            }
        });
        assertEquals(0, Command.run(Path.of("/"), Map.of(), Distribution.TIMEOUT, "id", "hop3_redis").exit());
        // core closes the home's entries at every start; the plugin opens its way for passing only
        assertEquals("rwx--x--x", PosixFilePermissions.toString(Files.getPosixFilePermissions(state())));
        assertTrue(Files.getPosixFilePermissions(state().getParent()).contains(PosixFilePermission.OTHERS_EXECUTE));
    }

    @Test
    @Order(2)
    void anAddonsServerStartsWithThePlatformAndOutlivesABundleUpdate() throws Exception {
        platform.hop3Ok("stop");
        port = Hop3TestSupport.freePort();
        writeAddon(state().resolve("kept"), port);
        Distribution.ok(platform.hop3("start"));
        Hop3TestSupport.await("the add-on's server to answer", Duration.ofMinutes(2), () -> "+PONG".equals(call("PING")));
        assertEquals("+OK", call("SET greeting hello"));
        long pid = pid();
        String status = Files.readString(Path.of("/proc", Long.toString(pid), "status"));
        String uid = Command.run(Path.of("/"), Map.of(), Distribution.TIMEOUT, "id", "-u", "hop3_redis").output().strip();
        assertTrue(status.lines().anyMatch(l -> l.matches("Uid:\\s+" + uid + "\\s.*")), status);

        Result update = platform.hop3("bundle", "update", "cloud.hop3.addon-redis");
        assertEquals(0, update.exit(), update.toString());
        Hop3TestSupport.await("the redis Database service again", Duration.ofMinutes(1), () -> {
            try {
                return platform.hop3Ok("service", "list", "cloud.hop3.api.addon.Database").contains("hop3.database = redis");
            } catch (IOException | InterruptedException e) {
                return false;
            }
        });
        assertEquals(pid, pid(), "the same server, adopted");
        assertEquals("$5", call("GET greeting").lines().findFirst().orElse(""));
    }

    @Test
    @Order(3)
    void theServerStopsWithThePlatformAndItsDataIsThereAtTheNextStart() throws Exception {
        long pid = pid();
        platform.hop3Ok("stop");
        Hop3TestSupport.await("the add-on's server to stop", Duration.ofSeconds(30),
                () -> !ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false));
        assertFalse("+PONG".equals(call("PING")));
        Distribution.ok(platform.hop3("start"));
        Hop3TestSupport.await("the add-on's server to answer", Duration.ofMinutes(2), () -> "+PONG".equals(call("PING")));
        assertTrue(call("GET greeting").contains("hello"));
    }

    private static long pid() throws IOException {
        return Long.parseLong(Files.readString(state().resolve("kept/redis.pid")).strip());
    }

    /** An add-on as the plugin writes one: its directory, configuration and ACL file, the servers' user's. */
    private static void writeAddon(Path dir, int port) throws Exception {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("redis.conf"), "bind 127.0.0.1\nport " + port + "\nprotected-mode yes\n"
                + "daemonize no\ndir " + dir + "\npidfile " + dir.resolve("redis.pid") + "\nlogfile "
                + dir.resolve("redis.log") + "\naclfile " + dir.resolve("users.acl") + "\nappendonly yes\n"
                + "proc-title-template \"{title} {listen-addr} {config-file}\"\n");
        String hash = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                .digest(PASSWORD.getBytes(StandardCharsets.UTF_8)));
        Files.writeString(dir.resolve("users.acl"), "user default off resetchannels -@all\nuser kept on #" + hash
                + " ~* &* +@all\n");
        Files.writeString(dir.resolve("redis.log"), "");
        Distribution.ok(Command.run(Path.of("/"), Map.of(), Distribution.TIMEOUT, "chown", "-R", "hop3_redis:hop3_redis",
                dir.toString()));
        Distribution.ok(Command.run(Path.of("/"), Map.of(), Distribution.TIMEOUT, "chmod", "-R", "go-rwx", dir.toString()));
    }

    /** One inline command as the add-on's user; its reply's first line, or the error. */
    private static String call(String command) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 2000);
            socket.setSoTimeout(5000);
            OutputStream out = socket.getOutputStream();
            out.write(("AUTH kept " + PASSWORD + "\r\n" + command + "\r\n").getBytes(StandardCharsets.UTF_8));
            out.flush();
            BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
            String auth = in.readLine();
            if (!"+OK".equals(auth)) {
                return "auth: " + auth;
            }
            String reply = in.readLine();
            return reply != null && reply.startsWith("$") && !reply.equals("$-1") ? reply + "\n" + in.readLine() : reply;
        } catch (IOException e) {
            return e.toString();
        }
    }
}
