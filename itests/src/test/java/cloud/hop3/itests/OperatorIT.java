package cloud.hop3.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import cloud.hop3.itests.Command.Result;

/**
 * Drives the unpacked distribution from outside, as an operator does: bin/hop3 start, the real
 * OpenSSH client with a key, refused logins, bin/hop3 stop.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class OperatorIT {

    private static final Duration TIMEOUT = Distribution.TIMEOUT;

    private static Distribution platform;
    private static Path work;
    private static Path adminKey;
    private static int shellPort;

    @BeforeAll
    static void unpack() throws Exception {
        platform = new Distribution();
        work = platform.work;
        adminKey = platform.adminKey;
        shellPort = platform.shellPort;
    }

    @AfterAll
    static void cleanUp() throws Exception {
        if (platform != null) {
            platform.close();
        }
    }

    @Test
    @Order(1)
    void startReturnsOnceThePlatformAnswers() throws Exception {
        Result start = hop3("start");
        assertEquals(0, start.exit(), start.toString());
        assertTrue(start.output().contains("Hop3 is running"), start.toString());
        assertTrue(start.output().contains("push:"), "start tells how to push an app: " + start);
        Result status = hop3("status");
        assertEquals(0, status.exit(), status.toString());
    }

    @Test
    @Order(2)
    void adminKeyRunsShellCommandsOverOpenSsh() throws Exception {
        Result list = ssh(adminKey, "plugin:list --no-format");
        assertEquals(0, list.exit(), list.toString());
        assertTrue(PluginListing.row(list.output(), "builder", "static").orElseThrow().get(2)
                .startsWith("cloud.hop3.builder-static ["), list.toString());
    }

    @Test
    @Order(3)
    void hop3RunsShellCommandsAndReportsFailures() throws Exception {
        Result plugins = hop3("plugin", "list");
        assertEquals(0, plugins.exit(), plugins.toString());
        assertTrue(plugins.output().contains("static"), plugins.toString());

        assertEquals(0, hop3("app", "create", "demo").exit());
        Result apps = hop3("app", "list", "--no-format");
        assertTrue(apps.output().contains("demo\tnot deployed"), apps.toString());

        Result bad = hop3("app", "create", "Bad_Name");
        assertNotEquals(0, bad.exit(), bad.toString());
        assertTrue(bad.output().contains("Invalid app name"), bad.toString());
        assertTrue(!bad.output().contains("\u001b["), "no colour codes for scripts: " + bad);
        Result again = hop3("app", "create", "demo");
        assertNotEquals(0, again.exit(), again.toString());
        assertTrue(again.output().contains("already exists"), again.toString());
        Result unknown = hop3("nosuch", "command");
        assertNotEquals(0, unknown.exit(), unknown.toString());
    }

    @Test
    @Order(4)
    void loginsWithoutTheKeyAreRefused() throws Exception {
        List<String> noKey = sshBase();
        noKey.addAll(List.of("-o", "PubkeyAuthentication=no", "-o", "PreferredAuthentications=password,keyboard-interactive",
                "admin@127.0.0.1", "plugin:list"));
        Result refused = Command.run(work, Map.of(), TIMEOUT, noKey.toArray(String[]::new));
        assertEquals(255, refused.exit(), refused.toString());
        assertTrue(refused.output().contains("Permission denied"), refused.toString());

        Path stranger = work.resolve("stranger");
        ok(Command.run(work, Map.of(), TIMEOUT, "ssh-keygen", "-q", "-t", "ecdsa", "-N", "", "-f", stranger.toString()));
        Result strangerLogin = ssh(stranger, "plugin:list");
        assertEquals(255, strangerLogin.exit(), strangerLogin.toString());
        // "karaf/karaf" of a stock Karaf does not exist either
        Result karafUser = Command.run(work, Map.of(), TIMEOUT, sshWith(adminKey, "karaf", "plugin:list"));
        assertEquals(255, karafUser.exit(), karafUser.toString());
    }

    @Test
    @Order(5)
    void shellListensOnLoopbackOnly() throws Exception {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), shellPort), 2000);
        }
        assertThrows(ConnectException.class, () -> {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(InetAddress.getByName("127.0.0.2"), shellPort), 2000);
            }
        });
    }

    @Test
    @Order(6)
    void stopEndsThePlatform() throws Exception {
        Result stop = hop3("stop");
        assertEquals(0, stop.exit(), stop.toString());
        Result status = hop3("status");
        assertEquals(3, status.exit(), status.toString());
        assertThrows(ConnectException.class, () -> {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", shellPort), 2000);
            }
        });
    }

    @Test
    @Order(7)
    void startFailsWithTheReasonWhenThePortIsTaken() throws Exception {
        try (ServerSocket squatter = new ServerSocket(shellPort, 1, InetAddress.getByName("127.0.0.1"))) {
            Result start = hop3("start");
            assertNotEquals(0, start.exit(), start.toString());
            assertTrue(start.output().contains("port " + shellPort), start.toString());
        }
        assertEquals(3, hop3("status").exit());
    }

    @Test
    @Order(8)
    void stateSurvivesARestart() throws Exception {
        assertEquals(0, hop3("start").exit());
        Result apps = hop3("app", "list", "--no-format");
        assertTrue(apps.output().contains("demo\tnot deployed"), apps.toString());
        assertEquals(0, hop3("stop").exit());
    }

    @Test
    @Order(9)
    void theShellKeepsItsCommandsWhenTheGitServerCannotListen() throws Exception {
        // Karaf's bin/start, which does not check the ports first as bin/hop3 start does
        try (ServerSocket squatter = new ServerSocket(platform.gitPort, 1, InetAddress.getByName("0.0.0.0"))) {
            ok(Command.run(platform.directory(), platform.environment(), TIMEOUT, "bin/start"));
            Hop3TestSupport.await("plugin:list over the shell", TIMEOUT, () -> {
                try {
                    return ssh(adminKey, "plugin:list --no-format").output().contains("cloud.hop3.builder-static");
                } catch (Exception e) {
                    return false;
                }
            });
            Result apps = ssh(adminKey, "app:list --no-format");
            assertTrue(apps.output().contains("demo\tnot deployed"), apps.toString());
            String log = Files.readString(platform.directory().resolve("data/log/karaf.log"));
            assertTrue(log.contains("The git server cannot listen on 0.0.0.0:" + platform.gitPort), "the log says why");
        } finally {
            assertEquals(0, hop3("stop").exit());
        }
    }

    private static Result hop3(String... args) throws Exception {
        return platform.hop3(args);
    }

    private static Result ssh(Path key, String command) throws Exception {
        return Distribution.shell(work, shellPort, key, "admin", command);
    }

    private static String[] sshWith(Path key, String user, String command) {
        List<String> args = sshBase();
        args.addAll(List.of("-i", key.toString(), "-o", "IdentitiesOnly=yes", user + "@127.0.0.1", command));
        return args.toArray(String[]::new);
    }

    private static List<String> sshBase() {
        return new ArrayList<>(List.of("ssh", "-p", String.valueOf(shellPort), "-o", "BatchMode=yes",
                "-o", "StrictHostKeyChecking=no", "-o", "UserKnownHostsFile=/dev/null", "-o", "LogLevel=ERROR",
                "-o", "ConnectTimeout=10"));
    }

    private static void ok(Result result) {
        Distribution.ok(result);
    }

}
