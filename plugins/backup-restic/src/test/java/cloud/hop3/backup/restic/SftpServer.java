package cloud.hop3.backup.restic;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assumptions;

import cloud.hop3.plugin.testkit.PassableDirectory;
import cloud.hop3.plugin.testkit.Programs;
import cloud.hop3.plugin.support.server.FreePorts;

/**
 * A second OpenSSH server of the test's own on a free loopback port: its own host key, one
 * client key in its own authorized_keys, and a known_hosts file that the client checks the host
 * key against. It logs in the user that runs the tests and serves SFTP; everything it uses lives
 * in one temporary directory, removed on close.
 */
final class SftpServer implements AutoCloseable {

    private final Path directory;
    private final int port;
    private final Process sshd;

    private SftpServer(Path directory, int port, Process sshd) {
        this.directory = directory;
        this.port = port;
        this.sshd = sshd;
    }

    static SftpServer start() throws Exception {
        Path program = Programs.require("sshd");
        Programs.require("ssh");
        Assumptions.assumeTrue("root".equals(System.getProperty("user.name")), "sshd is started as root");
        Path directory = PassableDirectory.create("hop3-sftp-");
        try {
            keygen(directory.resolve("host_key"));
            keygen(directory.resolve("client_key"));
            Files.copy(directory.resolve("client_key.pub"), directory.resolve("authorized_keys"));
            Files.createDirectories(Path.of("/run/sshd"));
            int port = FreePorts.any();
            Files.writeString(directory.resolve("known_hosts"), "[127.0.0.1]:" + port + " "
                    + Files.readString(directory.resolve("host_key.pub")));
            Files.writeString(directory.resolve("sshd_config"), String.join("\n",
                    "Port " + port, "ListenAddress 127.0.0.1", "HostKey " + directory.resolve("host_key"),
                    "AuthorizedKeysFile " + directory.resolve("authorized_keys"), "PidFile " + directory.resolve("sshd.pid"),
                    "PermitRootLogin prohibit-password", "PasswordAuthentication no", "KbdInteractiveAuthentication no",
                    "UsePAM no", "StrictModes no", "Subsystem sftp internal-sftp", "LogLevel ERROR", ""));
            Process sshd = new ProcessBuilder(program.toString(), "-D", "-e", "-f", directory.resolve("sshd_config").toString())
                    .redirectErrorStream(true).redirectOutput(directory.resolve("sshd.log").toFile()).start();
            SftpServer server = new SftpServer(directory, port, sshd);
            server.awaitListening();
            return server;
        } catch (Exception | Error e) {
            PassableDirectory.delete(directory);
            throw e;
        }
    }

    /** The user the server logs in. */
    String user() {
        return System.getProperty("user.name");
    }

    /** A restic SFTP repository at {@code path} on this server. */
    String repository(Path path) {
        return "sftp:" + user() + "@127.0.0.1:" + path;
    }

    /** The command restic opens the SFTP session with: this port, this key, this host key only. */
    String sftpCommand() {
        return "ssh -p " + port + " -i " + directory.resolve("client_key") + " -o IdentitiesOnly=yes -o BatchMode=yes"
                + " -o StrictHostKeyChecking=yes -o UserKnownHostsFile=" + directory.resolve("known_hosts")
                + " " + user() + "@127.0.0.1 -s sftp";
    }

    private void awaitListening() throws IOException, InterruptedException {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(20));
        while (true) {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 500);
                return;
            } catch (IOException e) {
                if (!sshd.isAlive() || Instant.now().isAfter(deadline)) {
                    close();
                    throw new IOException("sshd did not listen on port " + port + ": "
                            + Files.readString(directory.resolve("sshd.log"), StandardCharsets.UTF_8), e);
                }
                sshd.waitFor(50, TimeUnit.MILLISECONDS);
            }
        }
    }

    private static void keygen(Path key) throws IOException, InterruptedException {
        Process keygen = new ProcessBuilder(List.of("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", key.toString()))
                .redirectErrorStream(true).start();
        String output = new String(keygen.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (keygen.waitFor() != 0) {
            throw new IOException("ssh-keygen failed: " + output);
        }
    }

    @Override
    public void close() throws IOException, InterruptedException {
        sshd.destroy();
        if (!sshd.waitFor(10, TimeUnit.SECONDS)) {
            sshd.destroyForcibly().waitFor();
        }
        PassableDirectory.delete(directory);
    }
}
