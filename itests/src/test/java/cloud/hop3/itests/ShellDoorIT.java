package cloud.hop3.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import cloud.hop3.itests.Command.Result;

/**
 * The shell's SSH port as an attacker with a shell key uses it, and the distribution's files as
 * a local user sees them: no file transfer, no forwarding of any kind, no config value in a log,
 * nothing of etc/ or data/ readable by others; and the Ed25519 keys users have do log in.
 */
class ShellDoorIT {

    private static final Duration TIMEOUT = Distribution.TIMEOUT;
    private static final Set<PosixFilePermission> OTHERS = EnumSet.of(
            PosixFilePermission.GROUP_READ, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_EXECUTE,
            PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_EXECUTE);

    private static Distribution platform;
    private static Path dist;

    @BeforeAll
    static void start() throws Exception {
        platform = new Distribution();
        dist = platform.directory();
        platform.hop3Ok("start");
    }

    @AfterAll
    static void stop() throws Exception {
        if (platform != null) {
            platform.close();
        }
    }

    @Test
    void sftpAndScpAreRefused() throws Exception {
        Path stolen = platform.work.resolve("stolen-host-key");
        Path batch = platform.work.resolve("sftp-batch");
        Files.writeString(batch, "get etc/host.key " + stolen + "\n");
        List<String> sftp = new ArrayList<>(List.of("sftp", "-P", String.valueOf(platform.shellPort), "-b", batch.toString()));
        sftp.addAll(options());
        sftp.add("admin@127.0.0.1");
        Result r = run(sftp);
        assertNotEquals(0, r.exit(), "sftp on the shell port: " + r);
        assertFalse(Files.exists(stolen), "sftp fetched etc/host.key: " + r);

        // scp over SFTP (the default of OpenSSH 9) and over the legacy protocol
        for (String mode : List.of("-s", "-O")) {
            List<String> scp = new ArrayList<>(List.of("scp", mode, "-P", String.valueOf(platform.shellPort)));
            scp.addAll(options());
            scp.addAll(List.of("admin@127.0.0.1:etc/keys.properties", stolen.toString()));
            Result s = run(scp);
            assertNotEquals(0, s.exit(), "scp " + mode + " on the shell port: " + s);
            assertFalse(Files.exists(stolen), "scp " + mode + " fetched etc/keys.properties: " + s);
        }
    }

    @Test
    void stdioForwardingIsRefused() throws Exception {
        List<String> w = ssh(platform.adminKey, "admin");
        w.addAll(List.of("-W", "127.0.0.1:" + platform.httpPort));
        Result r = run(w);
        assertEquals(255, r.exit(), "ssh -W through the shell port: " + r);
    }

    @Test
    void remoteForwardingIsRefused() throws Exception {
        List<String> remote = ssh(platform.adminKey, "admin");
        remote.addAll(List.of("-N", "-o", "ExitOnForwardFailure=yes", "-R", "0.0.0.0:0:127.0.0.1:" + platform.httpPort));
        Process p = new ProcessBuilder(remote).redirectErrorStream(true).start();
        try {
            // refused: ssh gives up at once; accepted: it would hold the forward open
            assertTrue(p.waitFor(30, TimeUnit.SECONDS), "ssh -R is still running: the platform listens for it");
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertEquals(255, p.exitValue(), out);
            assertTrue(out.contains("remote port forwarding failed"), out);
        } finally {
            p.destroyForcibly();
        }
    }

    @Test
    void localForwardingIsRefused() throws Exception {
        int local = Hop3TestSupport.freePort();
        List<String> forward = ssh(platform.adminKey, "admin");
        forward.addAll(List.of("-N", "-L", "127.0.0.1:" + local + ":127.0.0.1:" + platform.httpPort));
        Process p = new ProcessBuilder(forward).redirectErrorStream(true).start();
        try {
            Socket socket = connectWithin(local, Duration.ofSeconds(30), p);
            try (socket) {
                socket.setSoTimeout(15_000);
                OutputStream out = socket.getOutputStream();
                out.write("GET / HTTP/1.1\r\nHost: x.localhost\r\nConnection: close\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                out.flush();
                InputStream in = socket.getInputStream();
                byte[] answer;
                try {
                    answer = in.readAllBytes();
                } catch (java.net.SocketException reset) {
                    // ssh closes the local end when the platform refuses the channel
                    answer = new byte[0];
                }
                // the proxy answers any request (404 for an unknown host): an answer means a relay
                assertEquals(0, answer.length, "the shell port relayed to the proxy: "
                        + new String(answer, StandardCharsets.ISO_8859_1));
            }
        } finally {
            p.destroyForcibly();
            p.waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void ed25519KeysLogIn() throws Exception {
        Path key = platform.work.resolve("ed25519");
        Distribution.ok(Command.run(platform.work, Map.of(), TIMEOUT, "ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", key.toString()));
        String base64 = Files.readString(Path.of(key + ".pub")).split(" ")[1];
        Files.writeString(dist.resolve("etc/keys.properties"), "alice=" + base64 + ",_g_:admingroup\n",
                StandardOpenOption.APPEND);
        Result r = platform.shell(key, "alice", "app:list --no-format");
        assertEquals(0, r.exit(), "an Ed25519 key of etc/keys.properties logs in to the shell: " + r);

        // a key of another user, or no such user, still does not
        List<String> wrongUser = ssh(key, "admin");
        wrongUser.add("app:list");
        assertEquals(255, run(wrongUser).exit());
    }

    @Test
    void viewerCannotAddFeatureRepositoriesOrRequirementsNorSetLimits() throws Exception {
        Path key = platform.work.resolve("viewer");
        Distribution.ok(Command.run(platform.work, Map.of(), TIMEOUT, "ssh-keygen", "-q", "-t", "ecdsa", "-N", "", "-f", key.toString()));
        String base64 = Files.readString(Path.of(key + ".pub")).split(" ")[1];
        Files.writeString(dist.resolve("etc/keys.properties"), "viewer=" + base64 + ",viewer,ssh\n", StandardOpenOption.APPEND);
        Result list = platform.shell(key, "viewer", "app:list --no-format");
        assertEquals(0, list.exit(), "the viewer logs in: " + list);
        for (String command : List.of("feature:requirement-add bundle:mvn:org.example/evil/1",
                "feature:repo-add mvn:org.example/evil/1/xml/features", "feature:repo-remove standard",
                "app:limits anyapp memory=64G")) {
            List<String> attempt = ssh(key, "viewer");
            attempt.add(command);
            Result r = run(attempt);
            assertNotEquals(0, r.exit(), "a viewer ran " + command + ": " + r);
            assertTrue(r.output().contains("Insufficient credentials") || r.output().contains("Command not found"),
                    "refused for want of the admin role, not for the argument: " + r);
        }
    }

    @Test
    void filesWithSecretsAndLogsArePrivate() throws Exception {
        List<Path> checked = new ArrayList<>();
        try (Stream<Path> etc = Files.walk(dist.resolve("etc"))) {
            etc.forEach(checked::add);
        }
        checked.add(dist.resolve("data"));
        checked.add(dist.resolve("data/port"));
        try (Stream<Path> logs = Files.walk(dist.resolve("data/log"))) {
            logs.forEach(checked::add);
        }
        assertTrue(checked.contains(dist.resolve("etc/config.properties")));
        assertTrue(Files.exists(dist.resolve("data/log/karaf.log")));
        List<String> open = new ArrayList<>();
        for (Path p : checked) {
            Set<PosixFilePermission> perms = Files.getPosixFilePermissions(p);
            perms.retainAll(OTHERS);
            if (p.equals(dist.resolve("data"))) {
                // passed through, never listed: app users reach their own files below it
                perms.removeAll(Set.of(PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.OTHERS_EXECUTE));
            }
            if (!perms.isEmpty()) {
                open.add(dist.relativize(p) + " " + perms);
            }
        }
        assertTrue(open.isEmpty(), "readable by group or others: " + open);
    }

    @Test
    void noConfigValueReachesALog() throws Exception {
        // a deployed app: a config change makes a release, which is logged from the command's thread
        platform.hop3Ok("app", "create", "victim");
        AppSource site = new AppSource(platform, "victim");
        site.write("index.html", "<h1>victim</h1>\n");
        Result push = site.commitAndPush("site");
        assertEquals(0, push.exit(), push.toString());

        platform.hop3Ok("app", "config-set", "victim", "DB_PASSWORD=Hop3CliSecret4711");
        Result r = platform.shell(platform.adminKey, "admin", "app:config-set victim API_TOKEN=SshShellSecret4711");
        assertEquals(0, r.exit(), r.toString());

        List<Path> logs = new ArrayList<>();
        try (Stream<Path> data = Files.walk(dist.resolve("data"))) {
            data.filter(Files::isRegularFile).forEach(logs::add);
        }
        try (Stream<Path> home = Files.walk(platform.home)) {
            home.filter(Files::isRegularFile).filter(p -> p.toString().contains("log")).forEach(logs::add);
        }
        assertTrue(logs.contains(dist.resolve("data/log/karaf.log")), logs.toString());
        for (Path file : logs) {
            String text = new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
            for (String secret : List.of("Hop3CliSecret4711", "SshShellSecret4711")) {
                assertFalse(text.contains(secret), "a config value is in " + file);
            }
        }
    }

    @Test
    void anArgumentEndingInABackslashGetsAClearMessage() throws Exception {
        platform.hop3Ok("app", "create", "slash");
        Result r = platform.hop3("app", "config-set", "slash", "PATTERN=a b\\");
        assertNotEquals(0, r.exit(), r.toString());
        assertTrue(r.output().contains("may not end with a backslash"), r.toString());
        // a backslash inside an argument is passed as it is
        platform.hop3Ok("app", "config-set", "slash", "PATTERN=a\\b");
        assertTrue(platform.hop3Ok("app", "config", "slash").contains("a\\b"));
    }

    private static List<String> options() {
        return new ArrayList<>(List.of("-i", platform.adminKey.toString(), "-o", "IdentitiesOnly=yes", "-o", "BatchMode=yes",
                "-o", "StrictHostKeyChecking=no", "-o", "UserKnownHostsFile=/dev/null", "-o", "LogLevel=ERROR",
                "-o", "ConnectTimeout=10"));
    }

    private static List<String> ssh(Path key, String user) {
        return new ArrayList<>(List.of("ssh", "-p", String.valueOf(platform.shellPort), "-i", key.toString(),
                "-o", "IdentitiesOnly=yes", "-o", "BatchMode=yes", "-o", "StrictHostKeyChecking=no",
                "-o", "UserKnownHostsFile=/dev/null", "-o", "LogLevel=ERROR", "-o", "ConnectTimeout=10",
                user + "@127.0.0.1"));
    }

    private static Result run(List<String> command) throws IOException, InterruptedException {
        return Command.run(platform.work, Map.of(), Duration.ofSeconds(60), command.toArray(String[]::new));
    }

    /** Connects to the local end of {@code ssh -L} once ssh listens there. */
    private static Socket connectWithin(int port, Duration limit, Process ssh) throws Exception {
        long deadline = System.nanoTime() + limit.toNanos();
        while (true) {
            Socket socket = new Socket();
            try {
                socket.connect(new InetSocketAddress("127.0.0.1", port), 1000);
                return socket;
            } catch (IOException e) {
                socket.close();
                if (!ssh.isAlive()) {
                    throw new AssertionError("ssh -L ended: " + new String(ssh.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
                }
                if (System.nanoTime() > deadline) {
                    throw e;
                }
                Thread.sleep(100);
            }
        }
    }
}
