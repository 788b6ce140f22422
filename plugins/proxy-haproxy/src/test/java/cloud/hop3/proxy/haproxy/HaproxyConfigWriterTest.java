package cloud.hop3.proxy.haproxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import cloud.hop3.api.proxy.ProxyException;
import cloud.hop3.api.proxy.RouteTable;
import cloud.hop3.api.proxy.TlsCertificate;
import cloud.hop3.api.proxy.Upstream;

class HaproxyConfigWriterTest {

    private static final HaproxySettings SETTINGS = new HaproxySettings("haproxy", Path.of("/srv/hop3/proxy/haproxy"),
            "0.0.0.0", 8080, 8443, 0, Duration.ofSeconds(5), Duration.ofSeconds(60), 100L << 20, Duration.ofSeconds(30));

    private static String write(RouteTable table, Path crtList) throws ProxyException {
        return HaproxyConfigWriter.write(table, new HaproxyConfigWriter.Layout(SETTINGS, 4567, crtList, true));
    }

    @Test
    void routesEachAppsHostsToItsBackendWithEveryUpstream() throws Exception {
        String config = write(new RouteTable(7, List.of(
                Fixture.route("shop", List.of("Shop.Example.org.", "www.shop.test"),
                        List.of(new Upstream("127.0.0.1", 5001), new Upstream("127.0.0.1", 5002))),
                Fixture.route("blog", List.of("blog.example.org"), List.of(new Upstream("::1", 5003))))), null);

        assertTrue(config.contains("generation 7"));
        assertTrue(config.contains("bind 0.0.0.0:8080\n"));
        assertTrue(config.contains("acl host_shop var(txn.host) -m str shop.example.org www.shop.test\n"), config);
        assertTrue(config.contains("use_backend app_shop if host_shop\n"));
        assertTrue(config.contains("backend app_shop\n    balance roundrobin\n    server u0 127.0.0.1:5001\n"
                + "    server u1 127.0.0.1:5002\n"), config);
        assertTrue(config.contains("server u0 ipv6@::1:5003\n"), config);
        assertTrue(config.contains("default_backend hop3_unknown\n"));
        assertTrue(config.contains("http-request return status 404"));
        assertFalse(config.contains("hop3_https"), "no HTTPS frontend without certificates");
    }

    @Test
    void theWorkersLogEachRequestsHostStatusAndTimeToTheirOutputOnlyWhenThePluginReadsIt() throws Exception {
        RouteTable table = new RouteTable(1, List.of(Fixture.route("shop", List.of("shop.test"),
                List.of(new Upstream("127.0.0.1", 5001)))));
        String config = write(table, null);
        assertTrue(config.contains("    log stdout format raw local0 info\n"), config);
        assertTrue(config.contains("    log global\n    log-format \"%[var(txn.host)] %ST %Ta\"\n"), config);
        String quiet = HaproxyConfigWriter.write(table, new HaproxyConfigWriter.Layout(SETTINGS, 4567, null, false));
        assertFalse(quiet.contains("log"), quiet);
    }

    @Test
    void sendsStaticPrefixesToTheFileServerWithTheAppNamed() throws Exception {
        String config = write(new RouteTable(1, List.of(Fixture.withStatics(
                Fixture.route("shop", List.of("shop.test"), List.of()), Map.of("/static/", Path.of("/srv/static"))))), null);

        assertTrue(config.contains("http-request del-header X-Hop3-Static-App\n"), "a client cannot choose the app");
        assertTrue(config.contains("acl static_shop path -m str /static\n"));
        assertTrue(config.contains("acl static_shop path_beg /static/\n"));
        assertTrue(config.contains("http-request set-header X-Hop3-Static-App shop if host_shop static_shop\n"));
        assertTrue(config.indexOf("use_backend hop3_static if host_shop static_shop")
                < config.indexOf("use_backend app_shop if host_shop"), "statics win over the app");
        assertTrue(config.contains("server files 127.0.0.1:4567\n"));
    }

    @Test
    void servesTlsRoutesOnTheHttpsPortAndRedirectsTheirHttp() throws Exception {
        TlsCertificate tls = new TlsCertificate(Path.of("/c.pem"), Path.of("/k.pem"));
        String config = write(new RouteTable(1, List.of(
                Fixture.withTls(Fixture.route("shop", List.of("shop.test"), List.of(new Upstream("127.0.0.1", 5001))),
                        tls, true),
                Fixture.route("plain", List.of("plain.test"), List.of(new Upstream("127.0.0.1", 5002))))),
                Path.of("/srv/hop3/proxy/haproxy/tls/1-1/certificates.list"));

        String https = config.substring(config.indexOf("frontend hop3_https"), config.indexOf("\nbackend app_shop"));
        assertTrue(https.contains("bind 0.0.0.0:8443 ssl crt-list /srv/hop3/proxy/haproxy/tls/1-1/certificates.list\n"));
        assertTrue(https.contains("X-Forwarded-Proto https"));
        assertTrue(https.contains("use_backend app_shop if host_shop"));
        assertFalse(https.contains("host_plain"), "a route without a certificate is HTTP only");
        assertTrue(config.contains("http-request redirect code 301 location https://%[var(txn.host)]:8443%[pathq] if host_shop !acme_challenge\n"));
        assertTrue(config.contains("acl acme_challenge path_beg /.well-known/acme-challenge/\n"));
        assertFalse(config.contains("if host_plain\n    http-request redirect"));
    }

    @Test
    void refusesValuesThatWouldWriteConfigurationOfTheirOwn() {
        assertThrows(ProxyException.class, () -> write(new RouteTable(1, List.of(
                Fixture.route("shop", List.of("shop.test"), List.of(new Upstream("10.0.0.1 check", 80))))), null));
        ProxyException prefix = assertThrows(ProxyException.class, () -> write(new RouteTable(1, List.of(
                Fixture.withStatics(Fixture.route("shop", List.of("shop.test"), List.of()),
                        Map.of("/a b", Path.of("/srv"))))), null));
        assertTrue(prefix.getMessage().contains("static URL prefix"), prefix.getMessage());
        ProxyException twice = assertThrows(ProxyException.class, () -> write(new RouteTable(1, List.of(
                Fixture.route("shop", List.of("shop.test"), List.of()),
                Fixture.route("blog", List.of("SHOP.test"), List.of()))), null));
        assertEquals("The host shop.test belongs to two apps: 'shop' and 'blog'.", twice.getMessage());
    }

    @Test
    void readsTheMastersProcessList() {
        MasterCli.Processes processes = MasterCli.parse("""
                #<PID>          <type>          <reloads>       <uptime>        <version>
                15492           master          2 [failed: 0]   0d00h00m02s     2.6.12-1+deb12u3
                # workers
                15759           worker          0               0d00h00m01s     2.6.12-1+deb12u3
                # old workers
                15498           worker          1               0d00h00m03s     2.6.12-1+deb12u3
                # programs
                """);
        assertEquals(2, processes.reloads());
        assertEquals(List.of(15759L), processes.workers());
        assertEquals(List.of(15498L), processes.oldWorkers());
    }
}
