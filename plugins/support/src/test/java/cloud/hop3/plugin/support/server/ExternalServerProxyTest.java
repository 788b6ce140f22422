package cloud.hop3.plugin.support.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import cloud.hop3.api.app.AppName;
import cloud.hop3.api.app.HostName;
import cloud.hop3.api.proxy.ProxyException;
import cloud.hop3.api.proxy.Route;
import cloud.hop3.api.proxy.RouteTable;
import cloud.hop3.api.proxy.TlsCertificate;
import cloud.hop3.api.proxy.Upstream;
import cloud.hop3.plugin.support.accesslog.LoggedRequest;
import cloud.hop3.plugin.support.accesslog.RequestLog;

class ExternalServerProxyTest {

    @TempDir
    Path dir;

    /** A server that runs once it took a table, refuses the tables it is told to, and stops on retire. */
    private static final class FakeServerProxy extends ExternalServerProxy {
        boolean running;
        boolean refuse;

        FakeServerProxy(Path log) {
            super("fake", 8080, 8443, new RequestLog("fake", log, false, line -> LoggedRequest.ofFields(line, false)));
        }

        @Override
        protected void serve(RouteTable table) throws ProxyException {
            if (refuse) {
                throw new ProxyException("the server refused its configuration");
            }
            running = true;
        }

        @Override
        protected boolean running() {
            return running;
        }

        @Override
        protected void stopServing() {
            running = false;
        }

        @Override
        public boolean drain(Collection<Upstream> upstreams, Duration timeout) {
            return true;
        }
    }

    private static RouteTable table(long generation, boolean tls) {
        Route route = new Route(AppName.of("shop"), List.of(HostName.of("shop.test")), List.of(), Map.of(),
                tls ? Optional.of(new TlsCertificate(Path.of("/c.pem"), Path.of("/k.pem"))) : Optional.empty(), false);
        return new RouteTable(generation, List.of(route));
    }

    @Test
    void aRefusedTableLeavesThePreviousOneServing() throws ProxyException {
        FakeServerProxy proxy = new FakeServerProxy(dir.resolve("requests.log"));
        RouteTable first = table(1, false);
        proxy.apply(first);
        proxy.refuse = true;

        assertThrows(ProxyException.class, () -> proxy.apply(table(2, true)));
        assertEquals(first, proxy.serving());
        assertEquals(List.of(URI.create("http://:8080")), proxy.listeners());
    }

    @Test
    void retiringForgetsTheTableAndListensNowhereUntilTheNextApply() throws ProxyException {
        FakeServerProxy proxy = new FakeServerProxy(dir.resolve("requests.log"));
        proxy.apply(table(1, true));
        assertEquals(List.of(URI.create("http://:8080"), URI.create("https://:8443")), proxy.listeners());

        proxy.retire();
        assertEquals(RouteTable.empty(), proxy.serving());
        assertEquals(List.of(), proxy.listeners());

        proxy.apply(table(2, false));
        assertEquals(2, proxy.serving().generation());
        assertEquals("fake", proxy.name());
        proxy.requestLog().close();
    }

    @Test
    void theRequestsTheServerLogsAreRecordedForTheAppsOfTheTableItServes() throws Exception {
        Path log = dir.resolve("requests.log");
        FakeServerProxy proxy = new FakeServerProxy(log);
        List<String> recorded = new java.util.concurrent.CopyOnWriteArrayList<>();
        proxy.setRequestMetrics((app, type) -> (status, nanos) -> recorded.add(app + " " + status));
        assertEquals(false, java.nio.file.Files.exists(log), "no log before the server serves");
        proxy.apply(table(1, false));
        java.nio.file.Files.writeString(log, "shop.test 200 0.001\nother.test 200 0.001\n",
                java.nio.file.StandardOpenOption.APPEND);
        proxy.retire(); // a last read, then the reading stops
        assertEquals(List.of("shop 200"), recorded);
        proxy.requestLog().close();
    }
}
