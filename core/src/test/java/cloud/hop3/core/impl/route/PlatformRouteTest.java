package cloud.hop3.core.impl.route;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import cloud.hop3.api.app.AppName;
import cloud.hop3.api.app.HostName;
import cloud.hop3.api.proxy.Proxy;
import cloud.hop3.api.proxy.Route;
import cloud.hop3.api.proxy.RouteTable;
import cloud.hop3.api.proxy.Upstream;
import cloud.hop3.core.impl.app.AppCatalog;
import cloud.hop3.core.impl.app.ReleaseDocument;
import cloud.hop3.core.impl.app.RuntimeDocument;
import cloud.hop3.core.impl.platform.CoreConfig;
import cloud.hop3.core.impl.platform.CoreConfigs;
import cloud.hop3.core.impl.platform.PlatformSettings;
import cloud.hop3.core.impl.tls.Certificates;

/**
 * The platform's own host name ({@code hop3.<domain>} unless configured) is routed by the proxy in
 * use to the REST API on loopback, beside the apps; no app can take that name, and an app that
 * claims the host name as a domain keeps it.
 */
class PlatformRouteTest {

    @TempDir
    Path home;

    private AppCatalog apps;
    private RouteManager routes;
    private RouteTable applied = RouteTable.empty();

    private final Proxy proxy = new Proxy() {
        @Override
        public String name() {
            return "builtin";
        }

        @Override
        public void apply(RouteTable table) {
            applied = table;
        }

        @Override
        public RouteTable serving() {
            return applied;
        }
    };

    @BeforeEach
    void start() throws Exception {
        apps = new AppCatalog(new PlatformSettings(home, "example.com"), Clock.systemUTC());
        serve("shop", 5001, List.of());
        routes = new RouteManager(apps, new Certificates(apps, home, Clock.systemUTC(), ""));
    }

    @AfterEach
    void stop() {
        routes.deactivate();
    }

    private static CoreConfig config(Map<String, Object> extra) {
        Map<String, Object> values = new HashMap<>(Map.of("proxy", "builtin", "domain", "example.com", "home", "/srv/hop3"));
        values.putAll(extra);
        return CoreConfigs.with(values);
    }

    private void serve(String name, int port, List<String> domains) {
        AppName app = AppName.of(name);
        apps.create(app);
        RuntimeDocument runtime = new RuntimeDocument(Map.of("web", "./web"), Map.of(), List.of(), List.of(), null, null, List.of());
        apps.update(app, d -> d.withRelease(new ReleaseDocument(1, 1, "abc", "generic", "Deploy", Instant.EPOCH, Map.of(),
                Map.of("web", 1), runtime)).withUpstreams(List.of(port)).withDomains(domains));
    }

    private Map<String, Route> routed(CoreConfig config) throws InterruptedException {
        routes.activate(config);
        routes.addProxy(proxy, Map.of(Proxy.NAME_PROPERTY, "builtin"));
        routes.awaitRefreshes();
        Map<String, Route> byApp = new HashMap<>();
        applied.routes().forEach(r -> byApp.put(r.app().value(), r));
        return byApp;
    }

    @Test
    void thePlatformHostNameUnderTheDomainIsForwardedToTheApiPort() throws Exception {
        Map<String, Route> table = routed(config(Map.of("api_port", 18181)));

        Route platform = table.get("hop3");
        assertEquals(List.of(HostName.of("hop3.example.com")), platform.hosts());
        assertEquals(List.of(new Upstream("127.0.0.1", 18181)), platform.upstreams());
        assertTrue(platform.statics().containsKey(RouteManager.CHALLENGE_PREFIX),
                "the platform's host name answers ACME's challenges, so it can get a certificate");
        assertEquals(List.of(HostName.of("shop.example.com")), table.get("shop").hosts(), "apps are routed as before");
    }

    @Test
    void aConfiguredHostNameReplacesTheDefaultAndADashTurnsTheRouteOff() throws Exception {
        assertEquals(List.of(HostName.of("paas.example.org")),
                routed(config(Map.of("platform_host", "paas.example.org"))).get("hop3").hosts());

        routes.modified(config(Map.of("platform_host", "-")));
        routes.awaitRefreshes();
        assertEquals(List.of("shop"), applied.routes().stream().map(r -> r.app().value()).toList());
    }

    @Test
    void anAppThatClaimsThePlatformHostNameKeepsItAndTheApiIsNotRoutedThere() throws Exception {
        serve("site", 5002, List.of("hop3.example.com"));

        Map<String, Route> table = routed(config(Map.of()));

        assertEquals(Optional.empty(), Optional.ofNullable(table.get("hop3")));
        assertTrue(table.get("site").hosts().contains(HostName.of("hop3.example.com")));
    }

    @Test
    void noAppMayTakeThePlatformsName() {
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class, () -> apps.create(AppName.of("hop3")));
        assertTrue(refused.getMessage().contains("platform's own"), refused.getMessage());
        assertEquals(Optional.empty(), apps.find(AppName.of("hop3")));
    }
}
