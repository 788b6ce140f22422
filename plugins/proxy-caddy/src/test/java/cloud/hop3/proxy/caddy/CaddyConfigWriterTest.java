package cloud.hop3.proxy.caddy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import cloud.hop3.api.app.AppName;
import cloud.hop3.api.app.HostName;
import cloud.hop3.api.proxy.ProxyException;
import cloud.hop3.api.proxy.Route;
import cloud.hop3.api.proxy.RouteTable;
import cloud.hop3.api.proxy.TlsCertificate;
import cloud.hop3.api.proxy.Upstream;

/** What the JSON configuration says: hosts, upstreams, statics, TLS, redirects, no automatic HTTPS. */
class CaddyConfigWriterTest {

    private static final CaddySettings SETTINGS = new CaddySettings("caddy", Path.of("/srv/hop3/proxy/caddy"),
            "0.0.0.0", 8080, 8443, Duration.ofSeconds(5), Duration.ofSeconds(60), 16384, 100L << 20,
            Duration.ofSeconds(10), Duration.ofSeconds(30));
    private final CaddyConfigWriter writer = new CaddyConfigWriter(SETTINGS);

    private static Route route(String app, List<String> hosts, List<Upstream> upstreams, Map<String, Path> statics,
                               Optional<TlsCertificate> tls, boolean redirect) {
        return new Route(AppName.of(app), hosts.stream().map(HostName::of).toList(), upstreams, statics, tls, redirect);
    }

    @Test
    void routesEachHostToItsUpstreamsAndEverythingElseTo404() throws Exception {
        JsonNode config = writer.document(new RouteTable(3, List.of(
                route("shop", List.of("Shop.Example.org.", "www.shop.test"),
                        List.of(new Upstream("127.0.0.1", 5000), new Upstream("127.0.0.1", 5001)), Map.of(),
                        Optional.empty(), false))));

        assertEquals("unix//srv/hop3/proxy/caddy/admin.sock", config.at("/admin/listen").asText());
        assertEquals("/srv/hop3/proxy/caddy/data", config.at("/storage/root").asText());
        JsonNode http = config.at("/apps/http/servers/http");
        assertEquals("0.0.0.0:8080", http.at("/listen/0").asText());
        assertTrue(http.at("/automatic_https/disable").asBoolean());
        assertEquals("[\"h1\",\"h2\"]", http.get("protocols").toString(), "no HTTP/3, whose UDP socket a second proxy could not share");
        assertTrue(config.at("/apps/http/servers/https").isMissingNode(), "no HTTPS listener without a certificate");
        assertTrue(config.at("/apps/tls").isMissingNode());
        JsonNode shop = http.at("/routes/0");
        assertEquals(List.of("shop.example.org", "www.shop.test"), texts(shop.at("/match/0/host")));
        JsonNode proxy = shop.at("/handle/0/routes/0/handle/1");
        assertEquals("reverse_proxy", proxy.at("/handler").asText());
        assertEquals(List.of("127.0.0.1:5000", "127.0.0.1:5001"),
                List.of(proxy.at("/upstreams/0/dial").asText(), proxy.at("/upstreams/1/dial").asText()));
        assertEquals("round_robin", proxy.at("/load_balancing/selection_policy/policy").asText());
        assertEquals(100L << 20, shop.at("/handle/0/routes/0/handle/0/max_size").asLong());
        JsonNode fallback = http.at("/routes/1/handle/0");
        assertEquals(404, fallback.at("/status_code").asInt());
        assertFalse(fallback.at("/body").asText().contains("5000"));
    }

    @Test
    void servesStaticDirectoriesWithTheLongestPrefixFirst() throws Exception {
        JsonNode routes = writer.document(new RouteTable(1, List.of(route("shop", List.of("shop.test"),
                List.of(new Upstream("127.0.0.1", 5000)),
                Map.of("/static", Path.of("/apps/shop/static"), "/static/img/", Path.of("/apps/shop/img")),
                Optional.empty(), false)))).at("/apps/http/servers/http/routes/0/handle/0/routes");

        assertEquals(List.of("/static/img", "/static/img/*"), texts(routes.at("/0/match/0/path")));
        JsonNode lookup = routes.at("/0/handle/0/routes/0");
        assertEquals(List.of("GET", "HEAD"), texts(lookup.at("/match/0/method")));
        assertEquals(CaddyConfigWriter.VISIBLE_PATH, lookup.at("/match/0/path_regexp/pattern").asText());
        assertEquals("/static/img", lookup.at("/handle/0/strip_path_prefix").asText());
        assertEquals("/apps/shop/img", lookup.at("/handle/1/routes/0/match/0/file/root").asText());
        assertEquals("file_server", lookup.at("/handle/1/routes/0/handle/0/handler").asText());
        assertEquals("{http.request.orig_uri}", lookup.at("/handle/1/routes/1/handle/0/uri").asText(),
                "a missing file goes on to the app with its own URI");
        assertEquals(1, routes.at("/0/handle/0/routes").size(), "other methods go to the app");
        assertEquals(List.of("/static", "/static/*"), texts(routes.at("/1/match/0/path")));
        assertEquals("reverse_proxy", routes.at("/2/handle/1/handler").asText(), "then the app's processes");
    }

    @Test
    void aStaticSiteAtTheRootHasNoUpstream() throws Exception {
        JsonNode routes = writer.document(new RouteTable(1, List.of(route("site", List.of("site.test"), List.of(),
                Map.of("/", Path.of("/apps/site/public")), Optional.empty(), false))))
                .at("/apps/http/servers/http/routes/0/handle/0/routes");

        assertEquals(List.of("*"), texts(routes.at("/0/match/0/path")));
        assertEquals("file_server", routes.at("/0/handle/0/routes/0/handle/0/routes/0/handle/0/handler").asText());
        assertEquals(405, routes.at("/0/handle/0/routes/1/handle/0/status_code").asInt());
        assertEquals(404, routes.at("/1/handle/0/status_code").asInt(), "what no file answers is missing");
    }

    @Test
    void servesCertificatesBySniAndRedirectsPlainRequests() throws Exception {
        TlsCertificate tls = new TlsCertificate(Path.of("/certs/shop/chain.pem"), Path.of("/certs/shop/key.pem"));
        JsonNode config = writer.document(new RouteTable(1, List.of(
                route("shop", List.of("shop.test"), List.of(new Upstream("127.0.0.1", 5000)), Map.of(),
                        Optional.of(tls), true),
                route("blog", List.of("blog.test"), List.of(new Upstream("127.0.0.1", 5001)), Map.of(),
                        Optional.empty(), false))));

        JsonNode https = config.at("/apps/http/servers/https");
        assertEquals("0.0.0.0:8443", https.at("/listen/0").asText());
        assertTrue(https.at("/automatic_https/disable").asBoolean());
        assertEquals(2, https.at("/routes").size(), "only the route with a certificate, then the 404");
        assertEquals(List.of("shop.test"), texts(https.at("/routes/0/match/0/host")));
        assertEquals(List.of("shop.test"), texts(https.at("/tls_connection_policies/0/match/sni")));
        assertEquals("hop3-shop", https.at("/tls_connection_policies/0/certificate_selection/any_tag/0").asText());
        JsonNode file = config.at("/apps/tls/certificates/load_files/0");
        assertEquals("/certs/shop/chain.pem", file.at("/certificate").asText());
        assertEquals("/certs/shop/key.pem", file.at("/key").asText());
        assertEquals("hop3-shop", file.at("/tags/0").asText());
        assertTrue(config.at("/apps/tls/automation").isMissingNode(), "no certificate automation at all");

        JsonNode plainShop = config.at("/apps/http/servers/http/routes/1/handle/0/routes"); // sorted: blog, shop
        assertEquals(CaddyConfigWriter.ACME_CHALLENGE, plainShop.at("/0/match/0/path/0").asText());
        JsonNode redirect = plainShop.at("/1/handle/0");
        assertEquals(308, redirect.at("/status_code").asInt());
        assertEquals("https://{http.request.host}:8443{http.request.uri}", redirect.at("/headers/Location/0").asText());
        JsonNode plainBlog = config.at("/apps/http/servers/http/routes/0/handle/0/routes");
        assertEquals("reverse_proxy", plainBlog.at("/0/handle/1/handler").asText());
    }

    @Test
    void refusesWhatCannotBeWrittenSafely() {
        assertRefused(route("shop", List.of("shop.test"), List.of(), Map.of("/{env.HOME}", Path.of("/x")),
                Optional.empty(), false), "static URL prefix");
        assertRefused(route("shop", List.of("shop.test"), List.of(), Map.of("/s", Path.of("/x/{env.HOME}")),
                Optional.empty(), false), "brace");
        assertRefused(route("shop", List.of("shop.test"), List.of(new Upstream("127.0.0.1\"", 80)), Map.of(),
                Optional.empty(), false), "not a valid address");
        assertRefused(route("shop", List.of("shop.test"), List.of(), Map.of("/.git", Path.of("/x")),
                Optional.empty(), false), "static URL prefix");
    }

    @Test
    void acceptsTheAcmeChallengePrefixThatCoreGivesEveryRoute() throws Exception {
        JsonNode config = writer.document(new RouteTable(1, List.of(route("shop", List.of("shop.test"), List.of(),
                Map.of("/.well-known/acme-challenge", Path.of("/srv/challenges")), Optional.empty(), false))));
        assertTrue(config.toString().contains("\"strip_path_prefix\":\"/.well-known/acme-challenge\""), config.toString());
    }

    private void assertRefused(Route route, String words) {
        ProxyException refused = assertThrows(ProxyException.class, () -> writer.write(new RouteTable(1, List.of(route))));
        assertTrue(refused.getMessage().contains(words), refused.getMessage());
    }

    private static List<String> texts(JsonNode array) {
        List<String> texts = new ArrayList<>();
        array.forEach(node -> texts.add(node.asText()));
        return texts;
    }
}
