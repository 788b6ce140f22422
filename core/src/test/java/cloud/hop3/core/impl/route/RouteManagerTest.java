package cloud.hop3.core.impl.route;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import cloud.hop3.api.proxy.Proxy;
import cloud.hop3.api.proxy.RouteTable;
import cloud.hop3.core.impl.app.AppDocument;
import cloud.hop3.api.plugin.PluginKind;
import cloud.hop3.core.impl.platform.CoreConfig;
import cloud.hop3.core.impl.platform.CoreConfigs;
import cloud.hop3.core.impl.plugin.FakeServices;
import cloud.hop3.core.impl.plugin.FakeServices.Registration;
import cloud.hop3.core.impl.plugin.ChoiceAgreement;

/**
 * What can be checked without the app catalog: which proxy is in use and the host names of an
 * app. {@code commit} and {@code refresh} need the catalog, which only SCR can set (a private
 * field), so they are left to the integration tests.
 */
class RouteManagerTest {

    private final RouteManager routes = new RouteManager();

    /** A proxy that records the tables it is given. */
    private static final class RecordingProxy implements Proxy {
        private final String name;
        final List<RouteTable> applied = new ArrayList<>();

        RecordingProxy(String name) {
            this.name = name;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public synchronized void apply(RouteTable table) {
            applied.add(table);
        }

        @Override
        public synchronized RouteTable serving() {
            return applied.isEmpty() ? RouteTable.empty() : applied.get(applied.size() - 1);
        }

        @Override
        public String toString() {
            return name;
        }
    }

    /** Core's configuration as Config Admin would give it, without the platform's own route. */
    static CoreConfig config(String proxy, String domain) {
        return CoreConfigs.with(Map.of("proxy", proxy, "domain", domain, "home", "/srv/hop3", "platform_host", "-"));
    }

    private final RecordingProxy builtin = new RecordingProxy("builtin");
    private final RecordingProxy nginx = new RecordingProxy("nginx");
    private final RecordingProxy caddy = new RecordingProxy("caddy");

    private void bindAll() {
        // SCR binds in any order; ranking decides, not the order.
        routes.addProxy(nginx, Map.of(Proxy.NAME_PROPERTY, "nginx"));
        routes.addProxy(caddy, Map.of(Proxy.NAME_PROPERTY, "caddy", "service.ranking", 10));
        routes.addProxy(builtin, Map.of(Proxy.NAME_PROPERTY, "builtin", "service.ranking", -10));
    }

    private static AppDocument app(String name, List<String> domains) {
        return new AppDocument(1, name, Instant.EPOCH, domains, Map.of(), Map.of(), List.of(), false, List.of());
    }

    @AfterEach
    void stop() {
        routes.deactivate();
    }

    @Test
    void noProxyInstalledMeansNone() {
        assertEquals(Optional.empty(), routes.proxy());
    }

    @Test
    void withoutConfigurationTheHighestRankingProxyIsUsed() {
        bindAll();

        assertEquals(Optional.of(caddy), routes.proxy());
    }

    @Test
    void whenTheProxyInUseGoesTheNextHighestTakesOver() {
        bindAll();

        routes.removeProxy(caddy, Map.of(Proxy.NAME_PROPERTY, "caddy", "service.ranking", 10));
        assertEquals(Optional.of(nginx), routes.proxy());

        routes.removeProxy(nginx, Map.of(Proxy.NAME_PROPERTY, "nginx"));
        assertEquals(Optional.of(builtin), routes.proxy());

        routes.removeProxy(builtin, Map.of(Proxy.NAME_PROPERTY, "builtin", "service.ranking", -10));
        assertEquals(Optional.empty(), routes.proxy());
    }

    @Test
    void theConfiguredProxyIsUsedWhateverItsRanking() {
        routes.activate(config("builtin", "example.com"));
        bindAll();

        assertEquals(Optional.of(builtin), routes.proxy());
    }

    @Test
    void aConfiguredProxyThatIsNotInstalledIsNotReplacedByAnother() {
        routes.activate(config("haproxy", "example.com"));
        bindAll();

        assertEquals(Optional.empty(), routes.proxy());
    }

    @Test
    void anAppAnswersAtItsNameUnderThePlatformDomainThenAtItsDomains() {
        routes.activate(config("", "Example.COM"));

        assertEquals(List.of("shop.example.com", "www.shop.org", "shop.org"),
                routes.hosts(app("shop", List.of("www.shop.org", "shop.org"))));
        assertEquals(List.of("blog.example.com"), routes.hosts(app("blog", List.of())));
    }

    @Test
    void withoutConfigurationAppsAnswerUnderLocalhost() {
        assertEquals(List.of("shop.localhost"), routes.hosts(app("shop", List.of())));
    }

    // ---- one chooser: what runs is what plugin:list shows ----------------------------------

    /** Binds the registrations' proxies in the given order; the proxy in use, checked against plugin:list. */
    private static long usedAndListed(String configured, List<Registration> order) throws Exception {
        RouteManager fresh = new RouteManager();
        try {
            fresh.activate(config(configured, "example.com"));
            return ChoiceAgreement.usedAndListed(PluginKind.PROXY, configured, order, RecordingProxy::new, fresh::addProxy,
                    () -> fresh.proxy().orElseThrow(), fresh);
        } finally {
            fresh.deactivate();
        }
    }

    @Test
    void onEqualRankingsTheSameProxyIsUsedAndListedWhateverTheBindOrder() throws Exception {
        Registration nginx = FakeServices.register(Map.of(Proxy.NAME_PROPERTY, "nginx", "service.ranking", 5));
        Registration caddy = FakeServices.register(Map.of(Proxy.NAME_PROPERTY, "caddy", "service.ranking", 5));
        Registration builtin = FakeServices.register(Map.of(Proxy.NAME_PROPERTY, "builtin"));
        long caddyId = ChoiceAgreement.id(caddy);

        assertEquals(caddyId, usedAndListed("", List.of(nginx, caddy, builtin)));
        assertEquals(caddyId, usedAndListed("", List.of(builtin, caddy, nginx)));
    }

    @Test
    void ofTwoProxiesWithTheConfiguredNameAndEqualRankingsTheSameIsUsedAndListedInEitherOrder() throws Exception {
        Registration older = FakeServices.register(Map.of(Proxy.NAME_PROPERTY, "nginx"));
        Registration newer = FakeServices.register(Map.of(Proxy.NAME_PROPERTY, "nginx"));
        Registration builtin = FakeServices.register(Map.of(Proxy.NAME_PROPERTY, "builtin", "service.ranking", 10));
        long olderId = ChoiceAgreement.id(older);

        assertEquals(olderId, usedAndListed("nginx", List.of(older, builtin, newer)));
        assertEquals(olderId, usedAndListed("nginx", List.of(newer, builtin, older)));
    }
}
