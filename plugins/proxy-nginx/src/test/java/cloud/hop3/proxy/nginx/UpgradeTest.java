package cloud.hop3.proxy.nginx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import cloud.hop3.api.app.AppName;
import cloud.hop3.api.app.HostName;
import cloud.hop3.api.proxy.Route;
import cloud.hop3.api.proxy.RouteTable;
import cloud.hop3.api.proxy.Upstream;

/** A WebSocket-style upgrade through the real nginx becomes a two-way tunnel to the app. */
class UpgradeTest {

    @TempDir
    Path dir;

    @Test
    void upgradedConnectionsAreTunnelled() throws Exception {
        try (ServerSocket app = new ServerSocket(0, 10, InetAddress.getByName("127.0.0.1"))) {
            Thread server = new Thread(() -> serveOneUpgrade(app));
            server.setDaemon(true);
            server.start();
            int port = NginxProxyTest.freePort();
            NginxProxy proxy = new NginxProxy(NginxSettings.forTest(dir.resolve("nginx"), port, NginxProxyTest.freePort()));
            try {
                proxy.apply(new RouteTable(1, List.of(new Route(AppName.of("ws"), List.of(HostName.of("ws.test")),
                        List.of(new Upstream("127.0.0.1", app.getLocalPort())), Map.of(), Optional.empty(), false))));
                try (Socket client = new Socket()) {
                    client.connect(new InetSocketAddress("127.0.0.1", port), 5000);
                    client.setSoTimeout(10_000);
                    OutputStream out = client.getOutputStream();
                    out.write(("GET /socket HTTP/1.1\r\nHost: ws.test\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n")
                            .getBytes(StandardCharsets.ISO_8859_1));
                    out.flush();
                    InputStream in = client.getInputStream();
                    String head = readHead(in);
                    assertTrue(head.startsWith("HTTP/1.1 101"), head);
                    assertTrue(head.toLowerCase().contains("upgrade: websocket"), head);
                    for (String message : List.of("ping", "pong")) {
                        out.write((message + "\n").getBytes(StandardCharsets.UTF_8));
                        out.flush();
                        assertEquals("echo " + message, readLine(in));
                    }
                }
            } finally {
                proxy.deactivate();
            }
        }
    }

    /** Answers one upgrade request with 101, then echoes each line with "echo " in front. */
    private static void serveOneUpgrade(ServerSocket app) {
        try (Socket s = app.accept()) {
            InputStream in = s.getInputStream();
            String head = readHead(in);
            OutputStream out = s.getOutputStream();
            if (!head.toLowerCase().contains("upgrade: websocket") || !head.toLowerCase().contains("connection: upgrade")) {
                out.write("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
                return;
            }
            out.write("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n"
                    .getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            String line;
            while ((line = readLine(in)) != null) {
                out.write(("echo " + line + "\n").getBytes(StandardCharsets.UTF_8));
                out.flush();
            }
        } catch (IOException e) {
            // the test fails on its side
        }
    }

    private static String readHead(InputStream in) throws IOException {
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("closed after: " + head);
            }
            head.append((char) b);
        }
        return head.toString();
    }

    private static String readLine(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        int b;
        while ((b = in.read()) >= 0 && b != '\n') {
            line.append((char) b);
        }
        return b < 0 && line.length() == 0 ? null : line.toString();
    }
}
