package cloud.hop3.proxy.builtin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import cloud.hop3.api.proxy.Upstream;
import cloud.hop3.plugin.testkit.TestUpstream;
import cloud.hop3.plugin.support.server.FreePorts;

/** Requests through the proxy to upstreams: routing, errors, balancing, keep-alive, headers, bodies. */
class ForwardingTest extends ProxyFixture {

    @Test
    void routesByHostWithPortCaseAndTrailingDot() throws Exception {
        TestUpstream shop = upstream("shop");
        TestUpstream blog = upstream("blog");
        BuiltinProxy proxy = serving(shop(shop.upstream()),
                route("blog", List.of("Blog.Example.org", "www.example.org"), List.of(blog.upstream())));
        RawClient client = client(proxy);

        assertEquals("hello from shop", client.get("shop.example.org", "/").text());
        assertEquals("hello from shop", client.get("SHOP.Example.ORG:" + proxy.port(), "/").text());
        assertEquals("hello from shop", client.get("shop.example.org.:80", "/").text());
        assertEquals("hello from blog", client.get("blog.example.org", "/").text());
        assertEquals("hello from blog", client.get("WWW.EXAMPLE.ORG.", "/x?y=1").text());
        assertEquals(3, shop.requests.get());
        assertEquals(2, blog.requests.get());
    }

    @Test
    void unknownHostAndMissingHostGet404WithoutInternalDetail() throws Exception {
        TestUpstream shop = upstream("shop");
        BuiltinProxy proxy = serving(shop(shop.upstream()));
        RawClient client = client(proxy);

        RawClient.Response unknown = client.get("nothing.example.org", "/");
        assertEquals(404, unknown.status());
        assertNoInternalDetail(unknown, shop.upstream());
        assertTrue(unknown.header("content-type").startsWith("text/html"));

        // the connection stays usable after a 404
        RawClient.Response noHost = client.get(null, "/");
        assertEquals(404, noHost.status());
        assertNoInternalDetail(noHost, shop.upstream());
        assertEquals(0, shop.requests.get());
    }

    @Test
    void upstreamDownGives502() throws Exception {
        Upstream down = new Upstream("127.0.0.1", freePort());
        BuiltinProxy proxy = serving(shop(down));
        RawClient client = client(proxy);

        RawClient.Response response = client.get("shop.example.org", "/");
        assertEquals(502, response.status());
        assertNoInternalDetail(response, down);
        assertEquals(502, client.get("shop.example.org", "/again").status());
        assertEquals(0, proxy.server().inFlight(List.of(down)));
    }

    @Test
    void refusedUpstreamIsSkipped() throws Exception {
        TestUpstream live = upstream("live");
        Upstream down = new Upstream("127.0.0.1", freePort());
        BuiltinProxy proxy = serving(shop(down, live.upstream()));
        RawClient client = client(proxy);
        for (int i = 0; i < 6; i++) {
            RawClient.Response response = client.get("shop.example.org", "/");
            assertEquals(200, response.status());
            assertEquals("hello from live", response.text());
        }
    }

    @Test
    void roundRobinOverThreeUpstreams() throws Exception {
        TestUpstream a = upstream("a");
        TestUpstream b = upstream("b");
        TestUpstream c = upstream("c");
        BuiltinProxy proxy = serving(shop(a.upstream(), b.upstream(), c.upstream()));
        RawClient client = client(proxy);
        for (int i = 0; i < 30; i++) {
            assertEquals(200, client.get("shop.example.org", "/").status());
        }
        assertEquals(10, a.requests.get());
        assertEquals(10, b.requests.get());
        assertEquals(10, c.requests.get());
    }

    @Test
    void keepAliveReusesUpstreamConnections() throws Exception {
        TestUpstream shop = upstream("shop");
        BuiltinProxy proxy = serving(shop(shop.upstream()));
        RawClient client = client(proxy);
        for (int i = 0; i < 50; i++) {
            assertEquals(200, client.get("shop.example.org", "/").status());
        }
        assertEquals(50, shop.requests.get());
        assertEquals(1, shop.clientPorts.size(), "one client connection, one upstream connection");

        // new client connections land on the event loops' pools: never more connections than loops
        for (int i = 0; i < 10; i++) {
            try (RawClient other = new RawClient(proxy.port())) {
                assertEquals(200, other.get("shop.example.org", "/").status());
            }
        }
        assertTrue(shop.clientPorts.size() <= Runtime.getRuntime().availableProcessors(),
                "upstream connections: " + shop.clientPorts.size());
        assertTrue(proxy.server().idleConnections(shop.upstream()) >= 1);
    }

    @Test
    void pipelinedRequestsAreAnsweredInOrder() throws Exception {
        TestUpstream shop = upstream("shop");
        BuiltinProxy proxy = serving(shop(shop.upstream()));
        RawClient client = client(proxy);
        client.write("GET /1 HTTP/1.1\r\nHost: shop.example.org\r\n\r\n"
                + "GET /headers HTTP/1.1\r\nHost: nowhere.example.org\r\n\r\n"
                + "GET /headers HTTP/1.1\r\nHost: shop.example.org\r\nX-Order: 3\r\n\r\n");
        assertEquals("hello from shop", client.read(false).text());
        assertEquals(404, client.read(false).status());
        assertTrue(client.read(false).text().contains("x-order: 3"));
    }

    @Test
    void forwardedHeadersAreAddedAndHopByHopHeadersRemoved() throws Exception {
        TestUpstream shop = upstream("shop");
        BuiltinProxy proxy = serving(shop(shop.upstream()));
        RawClient client = client(proxy);
        String host = "Shop.example.org:" + proxy.port();

        RawClient.Response response = client.get(host, "/headers",
                "X-Forwarded-For: 203.0.113.9",
                "X-Forwarded-Proto: https",
                "Connection: keep-alive, X-Private",
                "X-Private: secret",
                "Keep-Alive: timeout=5",
                "Proxy-Connection: keep-alive",
                "X-Kept: yes");
        String seen = response.text();
        assertTrue(seen.contains("x-forwarded-for: 203.0.113.9, 127.0.0.1\n"), seen);
        assertTrue(seen.contains("x-forwarded-proto: http\n"), seen);
        assertTrue(seen.contains("x-forwarded-host: " + host + "\n"), seen);
        assertTrue(seen.contains("x-forwarded-port: " + proxy.port() + "\n"), seen);
        assertTrue(seen.contains("host: " + host + "\n"), seen);
        assertTrue(seen.contains("x-kept: yes\n"), seen);
        assertFalse(seen.contains("x-private"), seen);
        assertFalse(seen.contains("keep-alive"), seen);
        assertFalse(seen.contains("proxy-connection"), seen);

        RawClient.Response plain = client.get("shop.example.org", "/headers");
        assertTrue(plain.text().contains("x-forwarded-for: 127.0.0.1\n"), plain.text());
        assertNull(plain.header("connection"));
    }

    @Test
    void largeRequestBodyIsStreamedIntact() throws Exception {
        TestUpstream shop = upstream("shop");
        BuiltinProxy proxy = serving(shop(shop.upstream()));
        RawClient client = client(proxy);
        byte[] body = new byte[8 * 1024 * 1024 + 123];
        new Random(42).nextBytes(body);
        String expected = body.length + " " + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body));

        // first megabyte, then wait until the upstream has bytes: the proxy does not buffer the body
        client.write(("POST /sha HTTP/1.1\r\nHost: shop.example.org\r\nContent-Length: " + body.length + "\r\n\r\n")
                .getBytes(StandardCharsets.ISO_8859_1));
        client.write(java.util.Arrays.copyOfRange(body, 0, 1024 * 1024));
        assertTrue(shop.uploadStarted.await(10, TimeUnit.SECONDS), "the upstream got nothing before the end");
        client.write(java.util.Arrays.copyOfRange(body, 1024 * 1024, body.length));
        assertEquals(expected, client.read(false).text());

        // the same body again, chunked, on the same connection
        StringBuilder unused = new StringBuilder();
        client.write("POST /sha HTTP/1.1\r\nHost: shop.example.org\r\nTransfer-Encoding: chunked\r\n\r\n");
        for (int offset = 0; offset < body.length; offset += 100_000) {
            int n = Math.min(100_000, body.length - offset);
            client.write(Integer.toHexString(n) + "\r\n");
            client.write(java.util.Arrays.copyOfRange(body, offset, offset + n));
            client.write("\r\n");
        }
        client.write("0\r\n\r\n");
        assertEquals(expected, client.read(false).text(), unused.toString());
    }

    @Test
    void largeResponseBodyIsStreamedIntact() throws Exception {
        TestUpstream shop = upstream("shop");
        BuiltinProxy proxy = serving(shop(shop.upstream()));
        RawClient client = client(proxy);
        long bytes = 12L * 1024 * 1024 + 7;
        CountDownLatch gate = new CountDownLatch(1);
        shop.bigGate = gate;
        client.send("GET", "shop.example.org", "/big?bytes=" + bytes, null);

        // the upstream stops after its first megabyte until the client has it: streamed, not buffered
        RawClient.Response head = readHeadOnly(client);
        assertEquals(200, head.status());
        assertEquals("chunked", head.header("transfer-encoding").toLowerCase(Locale.ROOT));
        ChunkReader body = new ChunkReader(client);
        byte[] first = body.read(1024 * 1024);
        gate.countDown();
        MessageDigest received = MessageDigest.getInstance("SHA-256");
        received.update(first);
        long total = first.length;
        for (byte[] part; (part = body.read(256 * 1024)).length > 0; ) {
            received.update(part);
            total += part.length;
        }
        assertEquals(bytes, total);
        MessageDigest expected = MessageDigest.getInstance("SHA-256");
        byte[] buffer = new byte[64 * 1024];
        for (long offset = 0; offset < bytes; offset += buffer.length) {
            int n = (int) Math.min(buffer.length, bytes - offset);
            TestUpstream.fill(buffer, offset, n);
            expected.update(buffer, 0, n);
        }
        assertEquals(HexFormat.of().formatHex(expected.digest()), HexFormat.of().formatHex(received.digest()));
        // and the connection goes on
        assertEquals("hello from shop", client.get("shop.example.org", "/").text());
    }

    @Test
    void http10ClientGetsAClosedDelimitedResponse() throws Exception {
        TestUpstream shop = upstream("shop");
        BuiltinProxy proxy = serving(shop(shop.upstream()));
        RawClient client = client(proxy);
        client.write("GET /big?bytes=100000 HTTP/1.0\r\nHost: shop.example.org\r\n\r\n");
        RawClient.Response response = client.read(false);
        assertEquals(200, response.status());
        assertNull(response.header("transfer-encoding"));
        assertEquals(100000, response.body().length);
    }

    @Test
    void oversizedBodyGets413() throws Exception {
        TestUpstream shop = upstream("shop");
        ProxySettings s = settings();
        BuiltinProxy proxy = serving(proxy(new ProxySettings(0, 0, s.bindAddresses(), s.connectTimeout(), s.idleTimeout(),
                s.maxHeaderBytes(), 1024 * 1024, s.drainTimeout())), shop(shop.upstream()));
        RawClient client = client(proxy);
        client.write("POST /sha HTTP/1.1\r\nHost: shop.example.org\r\nContent-Length: 2000000\r\n\r\n");
        assertEquals(413, client.read(false).status());
        assertEquals(0, shop.requests.get());
    }

    @Test
    void aSilentUpstreamGets504AfterTheIdleTimeoutAndAnIdleClientIsClosed() throws Exception {
        TestUpstream slow = upstream("slow");
        ProxySettings s = settings();
        BuiltinProxy proxy = proxy(new ProxySettings(0, 0, s.bindAddresses(), s.connectTimeout(), Duration.ofMillis(500),
                s.maxHeaderBytes(), s.maxBodyBytes(), s.drainTimeout()));
        proxy.apply(table(1, route("slow", List.of("slow.example.org"), List.of(slow.upstream()))));
        RawClient client = client(proxy);
        long started = System.nanoTime();
        RawClient.Response response = client.get("slow.example.org", "/slow");
        assertEquals(504, response.status());
        assertTrue(System.nanoTime() - started >= TimeUnit.MILLISECONDS.toNanos(500));
        assertTrue(client.closedByServer());
        assertEquals(0, proxy.server().inFlight(List.of(slow.upstream())));

        RawClient idle = client(proxy);
        assertEquals(200, idle.get("slow.example.org", "/").status());
        assertTrue(idle.closedByServer(), "a kept-alive connection that stays silent is closed");
    }

    /** Reads a response's status line and headers, leaving the body in the stream. */
    private static RawClient.Response readHeadOnly(RawClient client) throws IOException {
        return client.read(true);
    }

    /** Reads a chunked body in parts. */
    private static final class ChunkReader {
        private final RawClient client;
        private int leftInChunk;
        private boolean done;

        ChunkReader(RawClient client) {
            this.client = client;
        }

        byte[] read(int max) throws IOException {
            java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
            while (!done && out.size() < max) {
                if (leftInChunk == 0) {
                    String size = line();
                    if (size.isEmpty()) {
                        size = line();
                    }
                    leftInChunk = Integer.parseInt(size.strip(), 16);
                    if (leftInChunk == 0) {
                        line();
                        done = true;
                        break;
                    }
                }
                int n = Math.min(leftInChunk, max - out.size());
                out.write(client.input().readNBytes(n));
                leftInChunk -= n;
            }
            return out.toByteArray();
        }

        private String line() throws IOException {
            StringBuilder line = new StringBuilder();
            for (int c; (c = client.input().read()) != '\n'; ) {
                if (c == -1) {
                    throw new IOException("closed");
                }
                if (c != '\r') {
                    line.append((char) c);
                }
            }
            return line.toString();
        }
    }

    static int freePort() throws IOException {
        return FreePorts.any();
    }

    static void assertNoInternalDetail(RawClient.Response response, Upstream upstream) {
        String text = response.text().toLowerCase(Locale.ROOT);
        for (String secret : List.of("netty", "hop3", "shop", "java", "127.0.0.1", String.valueOf(upstream.port()))) {
            assertFalse(text.contains(secret), "the page names '" + secret + "': " + text);
        }
        assertNull(response.header("server"));
    }

    @SuppressWarnings("unused")
    private static void unused(OutputStream out) {
    }
}
