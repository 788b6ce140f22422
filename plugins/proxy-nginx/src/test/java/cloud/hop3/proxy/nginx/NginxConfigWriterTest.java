package cloud.hop3.proxy.nginx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import cloud.hop3.api.app.AppName;
import cloud.hop3.api.app.HostName;
import cloud.hop3.api.proxy.ProxyException;
import cloud.hop3.api.proxy.Route;
import cloud.hop3.api.proxy.RouteTable;
import cloud.hop3.api.proxy.TlsCertificate;
import cloud.hop3.api.proxy.Upstream;

class NginxConfigWriterTest {

    private final NginxSettings settings = NginxSettings.forTest(Path.of("/srv/hop3/proxy/nginx"), 8080, 8443);
    private final NginxConfigWriter writer = new NginxConfigWriter(settings, false);

    private static Route route(String app, List<String> hosts, List<Upstream> upstreams, Map<String, Path> statics,
                               Optional<TlsCertificate> tls, boolean redirect) {
        return new Route(AppName.of(app), hosts.stream().map(HostName::of).toList(), upstreams, statics, tls, redirect);
    }

    private String write(Route... routes) throws ProxyException {
        return writer.write(new RouteTable(7, List.of(routes)));
    }

    @Test
    void keepsEverythingUnderItsDirectory() throws Exception {
        String conf = write();
        assertTrue(conf.contains("pid \"/srv/hop3/proxy/nginx/run/nginx.pid\";"), conf);
        assertTrue(conf.contains("error_log \"/srv/hop3/proxy/nginx/logs/error.log\" warn;"), conf);
        assertTrue(conf.contains("proxy_temp_path \"/srv/hop3/proxy/nginx/temp/proxy\";"), conf);
        assertTrue(conf.contains("daemon off;"), conf);
        assertTrue(conf.contains("log_format hop3_requests '$host $status $request_time';"), conf);
        assertTrue(conf.contains("access_log \"/srv/hop3/proxy/nginx/logs/requests.log\" hop3_requests;"), conf);
        assertFalse(conf.contains("user "), "no user directive unless Hop3 runs as root");
        assertTrue(new NginxConfigWriter(settings, true).write(RouteTable.empty()).contains("user root;"));
        assertTrue(conf.contains("route table generation 7"), conf);
    }

    @Test
    void answersUnknownHostsWithTheDefaultServer() throws Exception {
        String conf = write();
        assertTrue(conf.contains("listen 127.0.0.1:8080 default_server reuseport;"), conf);
        assertTrue(conf.contains("return 404;"), conf);
        assertFalse(conf.contains("8443"), "no HTTPS listener without certificates");
    }

    @Test
    void writesServerNamesInLowerCaseAndTheUpstreamList() throws Exception {
        String conf = write(route("shop", List.of("Shop.Example.ORG.", "www.shop.example.org"),
                List.of(new Upstream("127.0.0.1", 5000), new Upstream("::1", 5001)), Map.of(), Optional.empty(), false));
        assertTrue(conf.contains("server_name shop.example.org www.shop.example.org;"), conf);
        assertTrue(conf.contains("upstream hop3_0_shop {\n        server 127.0.0.1:5000;\n        server [::1]:5001;\n"), conf);
        assertTrue(conf.contains("proxy_pass http://hop3_0_shop;"), conf);
        assertTrue(conf.contains("proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;"), conf);
    }

    @Test
    void refusesAHostGivenToTwoApps() throws Exception {
        ProxyException e = assertThrows(ProxyException.class, () -> write(
                route("one", List.of("a.test"), List.of(new Upstream("127.0.0.1", 1)), Map.of(), Optional.empty(), false),
                route("two", List.of("A.test", "b.test"), List.of(new Upstream("127.0.0.1", 2)), Map.of(), Optional.empty(), false)));
        assertEquals("The host a.test is given to more than one app, 'two' among them", e.getMessage());
        String conf = write(route("one", List.of("a.test", "A.TEST."), List.of(new Upstream("127.0.0.1", 1)), Map.of(),
                Optional.empty(), false));
        assertTrue(conf.contains("server_name a.test;"), conf);
    }

    @Test
    void servesStaticPrefixesWithFallBackToTheApp() throws Exception {
        String conf = write(route("shop", List.of("shop.test"), List.of(new Upstream("127.0.0.1", 5000)),
                Map.of("/static/", Path.of("/srv/app/static")), Optional.empty(), false));
        assertTrue(conf.contains("location ^~ /static/ {\n            alias \"/srv/app/static/\";"), conf);
        assertTrue(conf.contains("location = /static {"), conf);
        assertTrue(conf.contains("error_page 403 404 405 = @hop3_app;"), conf);
        assertTrue(conf.contains("location ~ \"/\\.(?!well-known(/|$))\""), conf);
        assertTrue(conf.contains("disable_symlinks on;"), conf);
    }

    @Test
    void servesAWholeStaticSiteWithoutProcesses() throws Exception {
        String conf = write(route("site", List.of("site.test"), List.of(), Map.of("/", Path.of("/srv/site")),
                Optional.empty(), false));
        assertTrue(conf.contains("location / {\n            root \"/srv/site\";"), conf);
        assertFalse(conf.contains("upstream "), conf);
        assertFalse(conf.contains("@hop3_app"), conf);
    }

    @Test
    void writesTlsServersAndTheRedirect() throws Exception {
        TlsCertificate cert = new TlsCertificate(Path.of("/certs/shop.crt"), Path.of("/certs/shop.key"));
        String conf = write(route("shop", List.of("shop.test"), List.of(new Upstream("127.0.0.1", 5000)), Map.of(),
                Optional.of(cert), true));
        assertTrue(conf.contains("listen 127.0.0.1:8443 ssl default_server reuseport;\n        server_name \"\";\n        ssl_reject_handshake on;"), conf);
        assertTrue(conf.contains("listen 127.0.0.1:8443 ssl;\n        server_name shop.test;\n"
                + "        ssl_certificate \"/certs/shop.crt\";\n        ssl_certificate_key \"/certs/shop.key\";"), conf);
        assertTrue(conf.contains("if ($uri !~ \"^/\\.well-known/acme-challenge/\") {\n"
                + "            return 308 https://$host:8443$request_uri;"), conf);
        String noRedirect = write(route("shop", List.of("shop.test"), List.of(new Upstream("127.0.0.1", 5000)), Map.of(),
                Optional.of(cert), false));
        assertFalse(noRedirect.contains("return 308"), noRedirect);
    }

    @Test
    void refusesValuesThatCouldChangeTheConfiguration() {
        Upstream up = new Upstream("127.0.0.1", 5000);
        assertThrows(ProxyException.class, () -> write(route("shop", List.of("a.test"), List.of(new Upstream("h;x", 1)),
                Map.of(), Optional.empty(), false)));
        assertThrows(ProxyException.class, () -> write(route("shop", List.of("a.test"), List.of(up),
                Map.of("/s", Path.of("/srv/\"; evil")), Optional.empty(), false)));
        assertThrows(ProxyException.class, () -> write(route("shop", List.of("a.test"), List.of(up),
                Map.of("/s", Path.of("/srv/$document_root")), Optional.empty(), false)));
        assertThrows(ProxyException.class, () -> write(route("shop", List.of("a.test"), List.of(up),
                Map.of("/s {", Path.of("/srv/s")), Optional.empty(), false)));
        assertThrows(ProxyException.class, () -> write(route("shop", List.of("a.test"), List.of(up),
                Map.of("/.git", Path.of("/srv/s")), Optional.empty(), false)));
        assertThrows(ProxyException.class, () -> write(route("shop", List.of("a.test"), List.of(up), Map.of(),
                Optional.of(new TlsCertificate(Path.of("relative.crt"), Path.of("/k"))), false)));
    }

    @Test
    void acceptsTheAcmeChallengePrefixThatCoreGivesEveryRoute() throws Exception {
        String conf = write(route("shop", List.of("shop.test"), List.of(new Upstream("127.0.0.1", 5000)),
                Map.of("/.well-known/acme-challenge", Path.of("/srv/challenges")), Optional.empty(), false));
        assertTrue(conf.contains("location ^~ /.well-known/acme-challenge/ {\n            alias \"/srv/challenges/\";"), conf);
    }
}
