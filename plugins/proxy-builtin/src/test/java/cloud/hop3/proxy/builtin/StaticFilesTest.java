package cloud.hop3.proxy.builtin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.netty.handler.codec.DateFormatter;

import cloud.hop3.plugin.testkit.TestFiles;
import cloud.hop3.plugin.testkit.TestUpstream;

/** Static files served by the proxy itself, and the ways out of their directory that it refuses. */
class StaticFilesTest extends ProxyFixture {

    @TempDir
    Path temp;
    private Path site;
    private BuiltinProxy proxy;
    private RawClient client;

    @BeforeEach
    void site() throws Exception {
        site = TestFiles.write(temp.resolve("site"), Map.of("index.html", "<h1>home</h1>", "css/site.css", "body{}",
                "docs/index.html", "<h1>docs</h1>", ".env", "SECRET=1", ".git/config", "[core]",
                ".well-known/security.txt", "Contact: x", "data.bin", "\u0001\u0002"));
        Files.writeString(temp.resolve("secret.txt"), "top secret");
        Files.createSymbolicLink(site.resolve("leak.txt"), temp.resolve("secret.txt"));
        Files.createSymbolicLink(site.resolve("outside"), temp);
        Files.createSymbolicLink(site.resolve("inside.css"), site.resolve("css/site.css"));
        proxy = proxy();
        client = client(proxy);
    }

    private void staticOnly() throws Exception {
        proxy.apply(table(1, route("site", List.of("site.example.org"), List.of(), Map.of("/", site))));
    }

    @Test
    void servesFilesWithTypesAndIndexes() throws Exception {
        staticOnly();
        RawClient.Response index = client.get("site.example.org", "/");
        assertEquals(200, index.status());
        assertEquals("<h1>home</h1>", index.text());
        assertEquals("text/html; charset=utf-8", index.header("content-type"));
        assertNotNull(index.header("last-modified"));

        RawClient.Response css = client.get("site.example.org", "/css/site.css?v=3");
        assertEquals("body{}", css.text());
        assertEquals("text/css; charset=utf-8", css.header("content-type"));
        assertEquals("application/octet-stream", client.get("site.example.org", "/data.bin").header("content-type"));
        assertEquals("body{}", client.get("site.example.org", "/inside.css").text(), "a link inside the site is served");
        assertEquals("body{}", client.get("site.example.org", "/css//site.css").text());
        assertEquals("body{}", client.get("site.example.org", "/c%73s/site.css").text());
        assertEquals("Contact: x", client.get("site.example.org", "/.well-known/security.txt").text());

        RawClient.Response redirect = client.get("site.example.org", "/docs?x=1");
        assertEquals(301, redirect.status());
        assertEquals("/docs/?x=1", redirect.header("location"));
        assertEquals("<h1>docs</h1>", client.get("site.example.org", "/docs/").text());

        client.send("HEAD", "site.example.org", "/css/site.css", null);
        RawClient.Response head = client.read(true);
        assertEquals(200, head.status());
        assertEquals("6", head.header("content-length"));
        assertEquals("body{}", client.get("site.example.org", "/css/site.css").text(), "HEAD left no body behind");

        assertEquals(404, client.get("site.example.org", "/missing.html").status());
        client.send("POST", "site.example.org", "/css/site.css", "x".getBytes(StandardCharsets.UTF_8));
        assertEquals(405, client.read(false).status());
    }

    @Test
    void answersIfModifiedSince() throws Exception {
        Files.setLastModifiedTime(site.resolve("css/site.css"), FileTime.from(Instant.parse("2026-01-02T03:04:05Z")));
        staticOnly();
        String lastModified = client.get("site.example.org", "/css/site.css").header("last-modified");
        assertEquals(DateFormatter.format(Date.from(Instant.parse("2026-01-02T03:04:05Z"))), lastModified);
        assertEquals(304, client.get("site.example.org", "/css/site.css", "If-Modified-Since: " + lastModified).status());
        assertEquals(200, client.get("site.example.org", "/css/site.css",
                "If-Modified-Since: " + DateFormatter.format(Date.from(Instant.parse("2025-01-01T00:00:00Z")))).status());
    }

    @Test
    void refusesEveryWayOutOfTheDirectory() throws Exception {
        staticOnly();
        for (String path : List.of("/../secret.txt", "/css/../../secret.txt", "/%2e%2e/secret.txt",
                "/%2E%2E/secret.txt", "/css/%2e%2e/%2e%2e/secret.txt", "/..%2fsecret.txt", "/%2e%2e%2fsecret.txt",
                "/..%5csecret.txt", "/leak.txt", "/outside/secret.txt", "/.env",
                "/%2eenv", "/.git/config", "/css/.%2e/.%2e/secret.txt", "/%00", "/index.html%00.css", "/%zz",
                "/%c0%ae%c0%ae/secret.txt")) {
            RawClient.Response response = client.get("site.example.org", path);
            assertEquals(404, response.status(), path);
            assertFalse(response.text().contains("secret") || response.text().contains("SECRET"), path);
        }
        // the connection survived every refusal
        assertEquals("<h1>home</h1>", client.get("site.example.org", "/").text());
    }

    @Test
    void staticsComeBeforeTheUpstreamsWhichGetTheRest() throws Exception {
        TestUpstream app = upstream("app");
        proxy.apply(table(1, route("app", List.of("app.example.org"), List.of(app.upstream()),
                Map.of("/static", site.resolve("css")))));
        assertEquals("body{}", client.get("app.example.org", "/static/site.css").text());
        assertEquals("hello from app", client.get("app.example.org", "/static/missing.css").text());
        assertEquals("hello from app", client.get("app.example.org", "/staticky").text());
        assertEquals("hello from app", client.get("app.example.org", "/").text());
        client.send("POST", "app.example.org", "/static/site.css", "x".getBytes(StandardCharsets.UTF_8));
        assertEquals("hello from app", client.read(false).text());
        assertEquals(4, app.requests.get());
    }
}
