package cloud.hop3.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import javax.inject.Inject;

import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.ops4j.pax.exam.util.Filter;
import org.osgi.framework.Bundle;
import org.osgi.util.tracker.ServiceTracker;

import cloud.hop3.api.app.AppName;
import cloud.hop3.api.app.HostName;
import cloud.hop3.api.proxy.Proxy;
import cloud.hop3.api.proxy.Route;
import cloud.hop3.api.proxy.RouteTable;
import cloud.hop3.api.proxy.Upstream;

/** The built-in proxy in the distribution: its Netty bundles resolve, and it serves HTTP on its port. */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class BuiltinProxyIT extends Hop3TestSupport {

    @Inject
    @Filter("(hop3.proxy=builtin)")
    private Proxy proxy;

    @Configuration
    public Option[] config() throws Exception {
        // This class drives the proxy directly, so core must not give it the platform's routes
        // meanwhile: core is told to use a proxy that does not exist.
        return org.ops4j.pax.exam.OptionUtils.combine(distribution(),
                org.ops4j.pax.exam.karaf.options.KarafDistributionOption.editConfigurationFilePut(
                        "etc/cloud.hop3.core.cfg", "proxy", "none-in-this-test"));
    }

    @Test
    public void proxyAndNettyBundlesAreActive() throws Exception {
        for (String name : List.of("cloud.hop3.proxy-builtin", "io.netty.common", "io.netty.codec-http",
                "io.netty.transport-classes-epoll")) {
            Bundle bundle = bundle(name);
            assertNotNull(name + " is installed", bundle);
            assertEquals(name + " is active", Bundle.ACTIVE, bundle.getState());
        }
        assertEquals("builtin", proxy.name());
    }

    @Test
    public void epollLoadsOnLinuxX8664() throws Exception {
        if (!System.getProperty("os.name").startsWith("Linux") || !System.getProperty("os.arch").equals("amd64")) {
            return;
        }
        Class<?> epoll = bundle("io.netty.transport-classes-epoll").loadClass("io.netty.channel.epoll.Epoll");
        Object cause = epoll.getMethod("unavailabilityCause").invoke(null);
        assertTrue("epoll is available in Karaf: " + cause, (Boolean) epoll.getMethod("isAvailable").invoke(null));
    }

    @Test
    public void servesARouteAndAnswersUnknownHostsWith404() throws Exception {
        Path site = Files.createTempDirectory("hop3-site");
        Files.writeString(site.resolve("index.html"), "hello from karaf");
        RouteTable table = new RouteTable(1, List.of(
                new Route(AppName.of("site"), List.of(HostName.of("site.example.org")), List.of(), Map.of("/", site),
                        Optional.empty(), false),
                new Route(AppName.of("down"), List.of(HostName.of("down.example.org")),
                        List.of(new Upstream("127.0.0.1", freePort())), Map.of(), Optional.empty(), false)));
        // the instance that serves the port: the one configured from the feature's configuration
        Proxy configured = configuredProxy();
        configured.apply(table);
        assertEquals(table, configured.serving());
        assertTrue(get("site.example.org", "/"), get("site.example.org", "/").startsWith("HTTP/1.1 200"));
        assertTrue(get("site.example.org", "/").endsWith("hello from karaf"));
        assertTrue(get("unknown.example.org", "/").startsWith("HTTP/1.1 404"));
        assertTrue(get("down.example.org", "/").startsWith("HTTP/1.1 502"));
    }

    /**
     * The proxy instance configured from its configuration file. The instance injected at start
     * may be one that DS replaced when the configuration arrived; routes applied to it serve nothing.
     */
    private Proxy configuredProxy() throws Exception {
        String filter = "(&(" + Proxy.NAME_PROPERTY + "=builtin)(service.pid=cloud.hop3.proxy.builtin))";
        ServiceTracker<Proxy, Proxy> tracker = new ServiceTracker<>(
                bundleContext, bundleContext.createFilter("(&(objectClass=" + Proxy.class.getName() + ")" + filter + ")"), null);
        tracker.open();
        try {
            Proxy found = tracker.waitForService(30_000);
            assertNotNull("a configured built-in proxy registers", found);
            return found;
        } finally {
            tracker.close();
        }
    }

    private static String get(String host, String path) throws IOException {
        int port = Integer.parseInt(System.getProperty(PROXY_PORT_PROPERTY));
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(("GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream response = new ByteArrayOutputStream();
            in.transferTo(response);
            return response.toString(StandardCharsets.UTF_8);
        }
    }

    private Bundle bundle(String symbolicName) {
        return Arrays.stream(bundleContext.getBundles())
                .filter(b -> symbolicName.equals(b.getSymbolicName())).findFirst().orElse(null);
    }
}
