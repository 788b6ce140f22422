package cloud.hop3.core.impl.shell;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import org.apache.sshd.server.SshServer;
import org.apache.sshd.server.forward.AcceptAllForwardingFilter;
import org.apache.sshd.server.forward.RejectAllForwardingFilter;
import org.apache.sshd.server.keyprovider.SimpleGeneratorHostKeyProvider;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The guard on a real SSH server that has a client connected but not yet logged in. */
class ShellForwardingGuardTest {

    @TempDir
    Path dir;

    private SshServer server;

    @BeforeEach
    void start() throws Exception {
        server = SshServer.setUpDefaultServer();
        server.setHost("127.0.0.1");
        server.setPort(0);
        server.setKeyPairProvider(new SimpleGeneratorHostKeyProvider(dir.resolve("host_key")));
        server.setPublickeyAuthenticator((user, key, session) -> false);
        server.setForwardingFilter(AcceptAllForwardingFilter.INSTANCE);
        server.start();
    }

    @AfterEach
    void stop() throws Exception {
        server.stop(true);
    }

    @Test
    void aSessionThatHasNotLoggedInIsLeftOpenAndForwardingIsRefusedFromThenOn() throws Exception {
        try (Socket client = new Socket()) {
            client.connect(new InetSocketAddress("127.0.0.1", server.getPort()));
            OutputStream out = client.getOutputStream();
            out.write("SSH-2.0-probe\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = client.getInputStream();
            byte[] banner = new byte[4];
            assertTrue(in.readNBytes(banner, 0, 4) == 4 && new String(banner, StandardCharsets.US_ASCII).equals("SSH-"),
                    "the server answered the client");
            long deadline = System.nanoTime() + 5_000_000_000L;
            while (server.getActiveSessions().isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertFalse(server.getActiveSessions().isEmpty(), "the server holds the client's session");

            new ShellForwardingGuard().bindShellServer(server);

            assertSame(RejectAllForwardingFilter.INSTANCE, server.getForwardingFilter());
            assertTrue(server.getActiveSessions().stream().allMatch(session -> session.isOpen()),
                    "a session that holds no forward stays open");
        }
    }
}
