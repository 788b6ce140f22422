package cloud.hop3.core.impl.route;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import cloud.hop3.api.app.AppName;
import cloud.hop3.api.plugin.PluginInfo;
import cloud.hop3.api.plugin.PluginKind;
import cloud.hop3.api.proxy.Proxy;
import cloud.hop3.api.proxy.ProxyException;
import cloud.hop3.api.proxy.RouteTable;
import cloud.hop3.core.impl.app.AppCatalog;
import cloud.hop3.core.impl.app.ReleaseDocument;
import cloud.hop3.core.impl.app.RuntimeDocument;
import cloud.hop3.core.impl.platform.PlatformSettings;
import cloud.hop3.core.impl.plugin.FakeServices;
import cloud.hop3.core.impl.plugin.FakeServices.Registration;
import cloud.hop3.core.impl.plugin.PluginTracker;
import cloud.hop3.core.impl.tls.Certificates;

/**
 * Switching the proxy by a change of core's configuration, on a real app catalog: the new proxy
 * is given the whole table before the old one is retired, a refusal keeps the old one serving,
 * and the switch is serialised with the routing changes of deploys.
 */
class ProxySwitchTest {

    @TempDir
    Path home;

    private AppCatalog apps;
    private RouteManager routes;
    /** What every proxy was asked to do, in order, as "name apply n-routes" or "name retire". */
    private final List<String> calls = new ArrayList<>();

    /** A proxy that records its calls; it refuses tables while {@code refusal} is set. */
    private class RecordingProxy implements Proxy {
        private final String name;
        private volatile String refusal;
        private volatile CountDownLatch applying;
        private volatile CountDownLatch release;
        private RouteTable table = RouteTable.empty();

        RecordingProxy(String name) {
            this.name = name;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public void apply(RouteTable next) throws ProxyException {
            if (applying != null) {
                applying.countDown();
                await(release);
            }
            synchronized (calls) {
                if (refusal != null) {
                    calls.add(name + " refused " + next.routes().size());
                    throw new ProxyException(refusal);
                }
                calls.add(name + " apply " + next.routes().size());
            }
            table = next;
        }

        @Override
        public RouteTable serving() {
            return table;
        }

        @Override
        public void retire() {
            synchronized (calls) {
                calls.add(name + " retire");
            }
            table = RouteTable.empty();
        }
    }

    private final RecordingProxy builtin = new RecordingProxy("builtin");
    private final RecordingProxy nginx = new RecordingProxy("nginx");
    private final Registration builtinService = FakeServices.register(Map.of(Proxy.NAME_PROPERTY, "builtin"));
    private final Registration nginxService = FakeServices.register(Map.of(Proxy.NAME_PROPERTY, "nginx"));

    /** The names of the proxies that plugin:list shows in use, configured as {@code configured}. */
    private List<String> listedInUse(String configured) {
        PluginTracker tracker = new PluginTracker(RouteManagerTest.config(configured, "example.com"),
                Map.of(PluginKind.PROXY, List.of(builtinService.reference(), nginxService.reference())), routes);
        return tracker.plugins().stream().filter(PluginInfo::active).map(PluginInfo::name).toList();
    }

    @BeforeEach
    void start() throws Exception {
        apps = new AppCatalog(new PlatformSettings(home, "example.com"), Clock.systemUTC());
        serve("shop", 5001);
        serve("blog", 5002);
        routes = new RouteManager(apps, new Certificates(apps, home, Clock.systemUTC(), ""));
        routes.activate(RouteManagerTest.config("builtin", "example.com"));
        routes.addProxy(builtin, builtinService.properties());
        routes.addProxy(nginx, nginxService.properties());
        routes.awaitRefreshes();
        assertEquals(Optional.of(builtin), routes.proxy());
        calls.clear();
    }

    @AfterEach
    void stop() {
        routes.deactivate();
    }

    /** An app with a current release whose web process listens on {@code port}. */
    private void serve(String name, int port) {
        AppName app = AppName.of(name);
        apps.create(app);
        RuntimeDocument runtime = new RuntimeDocument(Map.of("web", "./web"), Map.of(), List.of(), List.of(), null, null, List.of());
        apps.update(app, d -> d.withRelease(new ReleaseDocument(1, 1, "abc", "generic", "Deploy", Instant.EPOCH, Map.of(),
                Map.of("web", 1), runtime)).withUpstreams(List.of(port)));
    }

    private void switchTo(String proxy) throws InterruptedException {
        routes.modified(RouteManagerTest.config(proxy, "example.com"));
        routes.awaitRefreshes();
    }

    @Test
    void theNewProxyServesTheWholeTableBeforeTheOldOneIsRetired() throws Exception {
        switchTo("nginx");

        assertEquals(List.of("nginx apply 2", "builtin retire"), calls);
        assertEquals(Optional.of(nginx), routes.proxy());
        assertEquals(Optional.of("nginx"), routes.servingName());
        assertEquals(Optional.empty(), routes.problem());
    }

    @Test
    void switchingBackRetiresTheProxyThatServedMeanwhile() throws Exception {
        switchTo("nginx");
        switchTo("builtin");

        assertEquals(List.of("nginx apply 2", "builtin retire", "builtin apply 2", "nginx retire"), calls);
        assertEquals(Optional.of(builtin), routes.proxy());
    }

    @Test
    void anUnchangedOrUnrelatedConfigurationChangeTouchesNoProxy() throws Exception {
        switchTo("builtin");
        routes.modified(RouteManagerTest.config("builtin", "example.com"));
        routes.awaitRefreshes();

        assertEquals(List.of(), calls);
    }

    @Test
    void aProxyThatRefusesTheTableLeavesTheOldOneServing() throws Exception {
        nginx.refusal = "nginx -t: unknown directive \"bogus\"";

        switchTo("nginx");

        assertEquals(List.of("nginx refused 2", "builtin apply 2"), calls);
        assertEquals(Optional.of(builtin), routes.proxy());
        assertEquals(List.of("builtin"), listedInUse("nginx"), "plugin:list shows the proxy that serves");
        String problem = routes.problem().orElseThrow();
        assertTrue(problem.contains("'nginx'") && problem.contains("refused") && problem.contains("'builtin' still serves")
                && problem.contains("unknown directive"), problem);

        // deploys go on through the proxy that serves
        routes.commit(AppName.of("shop"), d -> d.withUpstreams(List.of(5003)));
        assertEquals("builtin apply 2", calls.get(calls.size() - 1));

        // fixed, the next refresh switches
        nginx.refusal = null;
        calls.clear();
        routes.refresh();
        assertEquals(List.of("nginx apply 2", "builtin retire"), calls);
        assertEquals(Optional.empty(), routes.problem());
        assertEquals(List.of("nginx"), listedInUse("nginx"));
    }

    @Test
    void aProxyThatIsNotInstalledLeavesTheOldOneServingUntilItIsInstalled() throws Exception {
        switchTo("haproxy");

        assertEquals(List.of("builtin apply 2"), calls);
        assertEquals(Optional.of(builtin), routes.proxy());
        String problem = routes.problem().orElseThrow();
        assertTrue(problem.contains("'haproxy'") && problem.contains("not installed") && problem.contains("'builtin' still serves"),
                problem);

        calls.clear();
        RecordingProxy haproxy = new RecordingProxy("haproxy");
        routes.addProxy(haproxy, Map.of(Proxy.NAME_PROPERTY, "haproxy"));
        routes.awaitRefreshes();

        assertEquals(List.of("haproxy apply 2", "builtin retire"), calls);
        assertEquals(Optional.of(haproxy), routes.proxy());
        assertEquals(Optional.empty(), routes.problem());
    }

    @Test
    void aProxyReplacedWhileItTakesTheTableLeavesTheOldOneServingUntilItsReplacementDoes() throws Exception {
        // SCR replaces the nginx component whose configuration changed while the switch gives it the table
        switchToNginxHeldInItsApply();
        routes.removeProxy(nginx, nginxService.properties());
        nginx.release.countDown();
        routes.awaitRefreshes();

        assertEquals(List.of("nginx apply 2", "builtin apply 2"), calls, "the old proxy is not retired");
        assertEquals(Optional.of("builtin"), routes.servingName());
        String problem = routes.problem().orElseThrow();
        assertTrue(problem.contains("'nginx'") && problem.contains("went away") && problem.contains("'builtin' still serves"),
                problem);

        calls.clear();
        RecordingProxy replacement = new RecordingProxy("nginx");
        routes.addProxy(replacement, nginxService.properties());
        routes.awaitRefreshes();

        assertEquals(List.of("nginx apply 2", "builtin retire"), calls, "the replacement takes over from the old proxy");
        assertEquals(Optional.of(replacement), routes.proxy());
        assertEquals(Optional.empty(), routes.problem());
    }

    @Test
    void aReplacementThatTookOverARunningServerButRefusesTheTableIsShownServingWithItsRefusal() throws Exception {
        switchTo("nginx");
        calls.clear();
        // SCR replaces the serving nginx: the new configuration makes nginx -t fail, the old server keeps running
        RecordingProxy replacement = new RecordingProxy("nginx") {
            @Override
            public List<java.net.URI> listeners() {
                return List.of(java.net.URI.create("http://:8080"));
            }
        };
        replacement.refusal = "nginx -t: cannot assign requested address";
        routes.removeProxy(nginx, nginxService.properties());
        routes.awaitRefreshes();
        routes.addProxy(replacement, nginxService.properties());
        routes.awaitRefreshes();

        assertEquals(List.of("nginx refused 2"), calls);
        assertEquals(Optional.of(replacement), routes.proxy(), "the server it took over serves");
        String problem = routes.problem().orElseThrow();
        assertTrue(problem.contains("refused") && problem.contains("cannot assign"), problem);

        // fixed
        replacement.refusal = null;
        routes.refresh();
        assertEquals(Optional.empty(), routes.problem());
    }

    @Test
    void aDeployDuringASwitchWaitsAndGoesToTheNewProxy() throws Exception {
        switchToNginxHeldInItsApply();

        CompletableFuture<Void> deployed = new CompletableFuture<>();
        Thread deploy = new Thread(() -> {
            try {
                routes.commit(AppName.of("blog"), d -> d.withStopped(true));
                deployed.complete(null);
            } catch (ProxyException | RuntimeException e) {
                deployed.completeExceptionally(e);
            }
        });
        deploy.start();
        // the deploy waits for the lock that the switch holds
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (deploy.getState() != Thread.State.BLOCKED && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        assertEquals(Thread.State.BLOCKED, deploy.getState());
        assertEquals(List.of(), calls);
        nginx.release.countDown();
        deployed.get(10, TimeUnit.SECONDS);
        routes.awaitRefreshes();

        assertEquals(List.of("nginx apply 2", "builtin retire", "nginx apply 1"), calls);
        assertTrue(apps.document(AppName.of("blog")).stopped());
    }

    /** Starts a switch to nginx and holds it in nginx's apply until {@code nginx.release} counts down. */
    private void switchToNginxHeldInItsApply() throws InterruptedException {
        nginx.applying = new CountDownLatch(1);
        nginx.release = new CountDownLatch(1);
        routes.modified(RouteManagerTest.config("nginx", "example.com"));
        assertTrue(nginx.applying.await(10, TimeUnit.SECONDS), "the switch started");
        nginx.applying = null;
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
