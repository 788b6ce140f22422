package cloud.hop3.core.impl.route;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.annotation.Annotation;
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
import cloud.hop3.core.impl.platform.CoreConfig;

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

    /** Core's configuration as Config Admin would give it. */
    record Config(String proxy, String domain) implements CoreConfig {
        @Override
        public String home() {
            return "/srv/hop3";
        }

        @Override
        public int git_ssh_port() {
            return 2222;
        }

        @Override
        public String git_ssh_host() {
            return "";
        }

        @Override
        public int build_timeout_minutes() {
            return 15;
        }

        @Override
        public String driver() {
            return "";
        }

        @Override
        public String issuer() {
            return "";
        }

        @Override
        public String backup_store() {
            return "";
        }

        @Override
        public Class<? extends Annotation> annotationType() {
            return CoreConfig.class;
        }
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
        routes.activate(new Config("builtin", "example.com"));
        bindAll();

        assertEquals(Optional.of(builtin), routes.proxy());
    }

    @Test
    void aConfiguredProxyThatIsNotInstalledIsNotReplacedByAnother() {
        routes.activate(new Config("haproxy", "example.com"));
        bindAll();

        assertEquals(Optional.empty(), routes.proxy());
    }

    @Test
    void anAppAnswersAtItsNameUnderThePlatformDomainThenAtItsDomains() {
        routes.activate(new Config("", "Example.COM"));

        assertEquals(List.of("shop.example.com", "www.shop.org", "shop.org"),
                routes.hosts(app("shop", List.of("www.shop.org", "shop.org"))));
        assertEquals(List.of("blog.example.com"), routes.hosts(app("blog", List.of())));
    }

    @Test
    void withoutConfigurationAppsAnswerUnderLocalhost() {
        assertEquals(List.of("shop.localhost"), routes.hosts(app("shop", List.of())));
    }
}
