package cloud.hop3.proxy.builtin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import cloud.hop3.api.proxy.Upstream;

/** Protocol upgrades (WebSocket): the handshake goes through, then bytes flow both ways. */
class UpgradeTest extends ProxyFixture {

    @Test
    void anUpgradedConnectionRelaysBytesBothWaysAndHoldsUpNoDrain() throws Exception {
        try (ServerSocket listener = new ServerSocket(0, 10, InetAddress.getByName("127.0.0.1"))) {
            CompletableFuture<String> handshake = CompletableFuture.supplyAsync(() -> upgradeAndShout(listener));
            Upstream upstream = new Upstream("127.0.0.1", listener.getLocalPort());
            BuiltinProxy proxy = serving(route("chat", List.of("chat.example.org"), List.of(upstream)));
            RawClient client = client(proxy);

            client.send("GET", "chat.example.org", "/socket", null, "Connection: keep-alive, Upgrade",
                    "Upgrade: websocket", "Sec-WebSocket-Version: 13");
            RawClient.Response switched = client.read(true);
            assertEquals(101, switched.status());
            assertEquals("websocket", switched.header("upgrade"));
            assertEquals("upgrade", switched.header("connection").toLowerCase(Locale.ROOT));
            String seen = handshake.get(10, TimeUnit.SECONDS).toLowerCase(Locale.ROOT);
            assertTrue(seen.contains("upgrade: websocket"), seen);
            assertTrue(seen.contains("connection: upgrade"), seen);

            assertTrue(proxy.drain(List.of(upstream), java.time.Duration.ofSeconds(2)), "a tunnel is no request in flight");
            for (String word : List.of("hello", "web", "socket")) {
                client.write(word + "\n");
                assertEquals(word.toUpperCase(Locale.ROOT) + "\n", readLine(client.input()));
            }
        }
    }

    /** Accepts one connection, answers its upgrade with 101, then echoes lines in upper case. */
    static String upgradeAndShout(ServerSocket listener) {
        try {
            Socket socket = listener.accept();
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream head = new ByteArrayOutputStream();
            while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
                head.write(in.read());
            }
            OutputStream out = socket.getOutputStream();
            // with Sec-WebSocket-Accept, as real servers send it (without, Netty takes it for the
            // obsolete Hixie-76 handshake, which has a body)
            out.write(("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                    + "Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            Thread shouter = new Thread(() -> {
                try (socket) {
                    for (int c; (c = in.read()) != -1; ) {
                        out.write(Character.toUpperCase(c));
                        if (c == '\n') {
                            out.flush();
                        }
                    }
                } catch (IOException e) {
                    // the test is over
                }
            });
            shouter.setDaemon(true);
            shouter.start();
            return head.toString(StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static String readLine(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        for (int c; (c = in.read()) != -1; ) {
            line.append((char) c);
            if (c == '\n') {
                break;
            }
        }
        return line.toString();
    }
}
