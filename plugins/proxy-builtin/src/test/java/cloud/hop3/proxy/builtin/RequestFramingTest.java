package cloud.hop3.proxy.builtin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import cloud.hop3.api.proxy.Upstream;
import cloud.hop3.plugin.testkit.TestUpstream;

/**
 * Requests whose framing or routing is ambiguous are refused with 400 before anything reaches the
 * app: a proxy that reads a request one way while the app reads it another lets a client hide a
 * second request in the body of the first (request smuggling), past the proxy's routing and
 * without the {@code X-Forwarded-*} headers it sets.
 */
class RequestFramingTest extends ProxyFixture {

    /** What a smuggler hides in a body: a request of its own. */
    private static final String SMUGGLED = "GET /headers HTTP/1.1\r\nHost: shop.example.org\r\n\r\n";

    @ParameterizedTest
    @ValueSource(strings = {"content-length", "Content-Length", "transfer-encoding", "host", "Host",
            "x-forwarded-for", "X-Forwarded-Proto", "x-forwarded-host", "x-forwarded-port", "forwarded"})
    void connectionMayNotNameAHeaderThatFramesOrRoutesTheRequest(String name) throws Exception {
        TestUpstream shop = upstream("shop");
        RawClient client = client(serving(shop(shop.upstream())));

        client.write("POST /headers HTTP/1.1\r\nHost: shop.example.org\r\nConnection: keep-alive, " + name
                + "\r\nContent-Length: " + SMUGGLED.length() + "\r\n\r\n" + SMUGGLED);

        assertRefused(client, shop);
    }

    @Test
    void twoHostHeadersAreRefused() throws Exception {
        TestUpstream shop = upstream("shop");
        TestUpstream blog = upstream("blog");
        BuiltinProxy proxy = serving(shop(shop.upstream()),
                route("blog", java.util.List.of("blog.example.org"), java.util.List.of(blog.upstream())));

        RawClient different = client(proxy);
        different.write("GET /headers HTTP/1.1\r\nHost: shop.example.org\r\nHost: blog.example.org\r\n\r\n");
        assertRefused(different, shop);

        RawClient same = client(proxy);
        same.write("GET /headers HTTP/1.1\r\nHost: shop.example.org\r\nHost: shop.example.org\r\n\r\n");
        assertRefused(same, shop);
        assertEquals(0, blog.requests.get());
    }

    @Test
    void contentLengthWithTransferEncodingIsRefused() throws Exception {
        TestUpstream shop = upstream("shop");
        RawClient client = client(serving(shop(shop.upstream())));

        client.write("POST /headers HTTP/1.1\r\nHost: shop.example.org\r\nContent-Length: 5\r\n"
                + "Transfer-Encoding: chunked\r\n\r\n0\r\n\r\n" + SMUGGLED);

        assertRefused(client, shop);
    }

    @Test
    void differingContentLengthsAreRefused() throws Exception {
        TestUpstream shop = upstream("shop");
        BuiltinProxy proxy = serving(shop(shop.upstream()));

        RawClient twoHeaders = client(proxy);
        twoHeaders.write("POST /headers HTTP/1.1\r\nHost: shop.example.org\r\nContent-Length: 0\r\nContent-Length: "
                + SMUGGLED.length() + "\r\n\r\n" + SMUGGLED);
        assertRefused(twoHeaders, shop);

        RawClient oneList = client(proxy);
        oneList.write("POST /headers HTTP/1.1\r\nHost: shop.example.org\r\nContent-Length: 0, " + SMUGGLED.length()
                + "\r\n\r\n" + SMUGGLED);
        assertRefused(oneList, shop);
    }

    @ParameterizedTest
    @ValueSource(strings = {"gzip", "chunked, gzip", "chunked, chunked", "xchunked", "chunked\u000b"})
    void transferEncodingThatDoesNotEndInOneChunkedIsRefused(String encoding) throws Exception {
        TestUpstream shop = upstream("shop");
        RawClient client = client(serving(shop(shop.upstream())));

        client.write("POST /headers HTTP/1.1\r\nHost: shop.example.org\r\nTransfer-Encoding: " + encoding
                + "\r\n\r\n0\r\n\r\n" + SMUGGLED);

        assertRefused(client, shop);
    }

    @Test
    void transferEncodingInAnHttp10RequestIsRefused() throws Exception {
        TestUpstream shop = upstream("shop");
        RawClient client = client(serving(shop(shop.upstream())));

        client.write("POST /headers HTTP/1.0\r\nHost: shop.example.org\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n"
                + SMUGGLED);

        assertRefused(client, shop);
    }

    @ParameterizedTest
    @ValueSource(strings = {"Content-Length : 0", "Content-Length\t: 0", "Transfer-Encoding : chunked",
            "Host : shop.example.org", "X\u0001Y: 1", "X Y: 1", ": empty-name", "Hóst: shop.example.org"})
    void invalidHeaderNamesAreRefused(String header) throws Exception {
        TestUpstream shop = upstream("shop");
        RawClient client = client(serving(shop(shop.upstream())));

        client.write("POST /headers HTTP/1.1\r\nHost: shop.example.org\r\n" + header + "\r\nContent-Length: "
                + SMUGGLED.length() + "\r\n\r\n" + SMUGGLED);

        assertRefused(client, shop);
    }

    /**
     * A folded header line (obs-fold) is joined to the header before it with a space, as RFC 9112
     * allows a proxy to do instead of refusing: it never becomes a header of its own.
     */
    @Test
    void foldedHeaderLinesNeverBecomeHeadersOfTheirOwn() throws Exception {
        TestUpstream shop = upstream("shop");
        BuiltinProxy proxy = serving(shop(shop.upstream()));

        RawClient folded = client(proxy);
        folded.write("POST /headers HTTP/1.1\r\nHost: shop.example.org\r\nX-Folded: a\r\n Content-Length: 0\r\n"
                + "\tTransfer-Encoding: chunked\r\nContent-Length: " + SMUGGLED.length() + "\r\n\r\n" + SMUGGLED);
        RawClient.Response response = folded.read(false);
        assertEquals(200, response.status());
        assertTrue(response.text().contains("x-folded: a Content-Length: 0 Transfer-Encoding: chunked\n"), response.text());
        assertTrue(response.text().contains("content-length: " + SMUGGLED.length() + "\n"), response.text());
        assertEquals(1, shop.requests.get());

        // a folded Host line makes the Host header invalid
        RawClient host = client(proxy);
        host.write("GET /headers HTTP/1.1\r\nHost: shop.example.org\r\n Host: blog.example.org\r\n\r\n");
        assertRefused(host, shop, 1);

        // a fold with nothing to fold onto
        RawClient first = client(proxy);
        first.write("GET /headers HTTP/1.1\r\n Host: shop.example.org\r\nHost: shop.example.org\r\n\r\n");
        assertRefused(first, shop, 1);
    }

    @Test
    void ordinaryConnectionTokensStillWork() throws Exception {
        TestUpstream shop = upstream("shop");
        RawClient client = client(serving(shop(shop.upstream())));

        client.send("POST", "shop.example.org", "/headers", "x".getBytes(StandardCharsets.US_ASCII),
                "Connection: Keep-Alive, X-Private, TE", "X-Private: secret", "TE: trailers");
        RawClient.Response first = client.read(false);
        assertEquals(200, first.status());
        assertTrue(first.text().contains("content-length: 1\n"), first.text());
        assertTrue(!first.text().contains("x-private"), first.text());
        assertEquals(200, client.get("shop.example.org", "/").status());
        assertEquals(2, shop.requests.get());
    }

    /**
     * An app that names Content-Length in its response's Connection header does not get the
     * proxy to frame the response for the client by connection close, or worse, by nothing.
     */
    @Test
    void responseFramingSurvivesTheAppsConnectionHeader() throws Exception {
        try (ServerSocket app = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            CompletableFuture<Void> answering = CompletableFuture.runAsync(() -> answerTwice(app));
            RawClient client = client(serving(shop(new Upstream("127.0.0.1", app.getLocalPort()))));

            RawClient.Response first = client.get("shop.example.org", "/one");
            assertEquals(200, first.status());
            assertEquals("hello", first.text());
            assertEquals("5", first.header("content-length"));
            RawClient.Response second = client.get("shop.example.org", "/two");
            assertEquals(200, second.status());
            assertEquals("hello", second.text());
            answering.get(10, TimeUnit.SECONDS);
        }
    }

    /** A keep-alive app that answers two requests with {@code Connection: content-length}. */
    private static void answerTwice(ServerSocket app) {
        try (Socket socket = app.accept()) {
            socket.setSoTimeout(10_000);
            InputStream in = socket.getInputStream();
            OutputStream out = socket.getOutputStream();
            for (int i = 0; i < 2; i++) {
                readHead(in);
                out.write(("HTTP/1.1 200 OK\r\nContent-Length: 5\r\nConnection: keep-alive, content-length,"
                        + " transfer-encoding\r\n\r\nhello").getBytes(StandardCharsets.US_ASCII));
                out.flush();
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static void readHead(InputStream in) throws java.io.IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
            int c = in.read();
            if (c < 0) {
                throw new java.io.EOFException("request head cut short: " + head);
            }
            head.write(c);
        }
    }

    /** The proxy answered 400, closed the connection, and the app saw nothing. */
    private static void assertRefused(RawClient client, TestUpstream app) throws Exception {
        assertRefused(client, app, 0);
    }

    /** The proxy answered 400, closed the connection, and the app saw only {@code before} requests. */
    private static void assertRefused(RawClient client, TestUpstream app, int before) throws Exception {
        RawClient.Response response = client.read(false);
        assertEquals(400, response.status(), response.text());
        assertTrue(client.closedByServer(), "the connection is closed after a 400 for an unreadable request");
        assertEquals(before, app.requests.get(), "requests that reached the app");
    }
}
