package cloud.hop3.proxy.haproxy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.ComponentConstants;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import cloud.hop3.api.platform.Platform;
import cloud.hop3.api.proxy.Proxy;
import cloud.hop3.api.proxy.ProxyException;
import cloud.hop3.api.proxy.Route;
import cloud.hop3.api.proxy.RouteTable;
import cloud.hop3.api.proxy.Upstream;
import cloud.hop3.plugin.support.accesslog.LoggedRequest;
import cloud.hop3.plugin.support.accesslog.RequestLog;
import cloud.hop3.plugin.support.files.StaticSite;
import cloud.hop3.plugin.support.server.ExternalServerProxy;
import cloud.hop3.plugin.support.server.Handovers;

/**
 * Serves the platform's routes with the machine's HAProxy.
 * <p>
 * Every apply writes the whole configuration next to the serving one, has HAProxy check it
 * ({@code haproxy -c}), and only then puts it in place and makes the master reload (no connection
 * dropped); a refused configuration stays aside as {@code haproxy.cfg.rejected} and its errors
 * become the {@link ProxyException}. HAProxy and the loopback static file server start with the
 * first apply, so an installed but inactive plugin binds no port; both stop on deactivation, and
 * HAProxy also when core switches to another proxy. HAProxy binds its ports with
 * {@code SO_REUSEPORT} (its default on Linux), so the proxy taking over or handing over can listen
 * on them at the same time.
 * <p>
 * HAProxy's workers log each request (host, status, {@code %Ta}) to their standard output, a named
 * pipe in the plugin's {@code logs/} that the plugin reads, to count the apps' requests in the
 * platform's metrics when the metrics service is there: HAProxy writes its standard output
 * without append mode, so a file could not be truncated under it.
 */
@Component(service = Proxy.class, immediate = true, property = Proxy.NAME_PROPERTY + "=" + HaproxyProxy.NAME,
        configurationPid = HaproxyProxy.PID, configurationPolicy = ConfigurationPolicy.OPTIONAL)
@Designate(ocd = HaproxyProxy.Config.class)
public class HaproxyProxy extends ExternalServerProxy {

    static final String NAME = "haproxy";
    static final String PID = "cloud.hop3.proxy.haproxy";
    private static final Logger LOG = LoggerFactory.getLogger(HaproxyProxy.class);

    @ObjectClassDefinition(id = PID, name = "Hop3 HAProxy proxy",
            description = "Routes requests to apps through the machine's HAProxy.")
    public @interface Config {

        @AttributeDefinition(name = "HAProxy binary", description = "The haproxy executable: a name looked up in PATH,"
                + " or an absolute path.")
        String binary() default "haproxy";

        @AttributeDefinition(name = "Directory", required = false, description = "Directory for HAProxy's"
                + " configuration, sockets, pid file, log and certificates. Empty means the platform's state"
                + " directory for this proxy (proxy/haproxy under the platform's home).")
        String directory() default "";

        @AttributeDefinition(name = "HTTP port", required = false, description = "TCP port, from 1 to 65535, for"
                + " HTTP. Empty means the platform's HTTP port (httpPort in cloud.hop3.core, 8080 by default).")
        String httpPort() default "";

        @AttributeDefinition(name = "HTTPS port", required = false, description = "TCP port, from 1 to 65535, for"
                + " HTTPS, bound while some app has a certificate. Empty means the platform's HTTPS port (httpsPort in"
                + " cloud.hop3.core, 8443 by default).")
        String httpsPort() default "";

        @AttributeDefinition(name = "Bind addresses", required = false,
                description = "IP addresses on which HAProxy listens, separated by commas: 0.0.0.0 means every IPv4"
                        + " address of the machine, :: every IPv6 address and, on a dual-stack system, every IPv4"
                        + " address too, 127.0.0.1 only this machine. Empty means the platform's (bind_addresses"
                        + " in cloud.hop3.core, HOP3_BIND_ADDRESSES, else 0.0.0.0).")
        String bindAddress() default "";

        @AttributeDefinition(name = "Static file port", min = "0", description = "Loopback TCP port of the plugin's"
                + " static file server, which HAProxy forwards static paths to; 0 picks a free port.")
        int staticPort() default 0;

        @AttributeDefinition(name = "Upstream connect timeout", min = "1", description = "Longest wait, in"
                + " milliseconds, for a connection to an app process before HAProxy tries another one.")
        int connectTimeoutMillis() default 5000;

        @AttributeDefinition(name = "Idle timeout", min = "1", description = "Longest silence, in seconds, on a"
                + " client or app connection.")
        int idleTimeoutSeconds() default 60;

        @AttributeDefinition(name = "Maximum request body size", min = "0", description = "Largest request body,"
                + " in megabytes, that HAProxy forwards (by its Content-Length); larger gets 413. 0 means no limit.")
        int maxBodyMegabytes() default 100;

        @AttributeDefinition(name = "Check timeout", min = "1", description = "Longest wait, in seconds, for"
                + " HAProxy's configuration check, its start and a reload.")
        int checkTimeoutSeconds() default 30;
    }

    private final HaproxySettings settings;
    private final HaproxyServer server;
    private final AtomicLong applies = new AtomicLong();
    private StaticFileServer files;
    private Map<String, StaticSite> currentSites = Map.of();

    @Activate
    public HaproxyProxy(@Reference Platform platform, Config config) {
        this(HaproxySettings.of(config, platform, System.getenv("PATH")));
    }

    HaproxyProxy(HaproxySettings settings) {
        super(NAME, settings.httpPort(), settings.httpsPort(),
                new RequestLog(NAME, settings.requestLog(), true, line -> LoggedRequest.ofFields(line, true)));
        this.settings = settings;
        this.server = new HaproxyServer(settings);
    }

    /**
     * The component goes. When SCR replaces it because its configuration changed or was deleted,
     * HAProxy keeps serving for the new instance to take over (the static files it hands to this
     * instance's file server are not answered until then); otherwise it stops for good.
     */
    @Deactivate
    synchronized void deactivate(int reason) {
        requestLog().close();
        if (Handovers.replaced(reason)) {
            server.handOver(Handovers.WAIT);
        } else {
            server.stop();
        }
        if (files != null) {
            files.close();
            files = null;
        }
    }

    /** The component goes for good (as when its bundle stops): HAProxy stops. */
    void deactivate() {
        deactivate(ComponentConstants.DEACTIVATION_REASON_DISPOSED);
    }

    @Override
    protected void serve(RouteTable table) throws ProxyException {
        server.adoptRunning(); // a master handed over is taken over, even if this table is refused
        Map<String, StaticSite> sites = new HashMap<>();
        for (Route route : table.routes()) {
            if (!route.statics().isEmpty()) {
                sites.put(route.app().toString(), StaticSite.of(route.statics()));
            }
        }
        Path directory = settings.directory();
        Path tls = settings.tlsDirectory().resolve(table.generation() + "-" + applies.incrementAndGet());
        Path candidate = directory.resolve("haproxy.cfg.new");
        Path config = settings.configFile();
        try {
            Files.createDirectories(directory);
            if (files == null) {
                files = new StaticFileServer(settings.staticPort());
            }
            Path crtList = TlsFiles.write(table.routes(), tls);
            String text = HaproxyConfigWriter.write(table,
                    new HaproxyConfigWriter.Layout(settings, files.port(), crtList,
                            requestLog().isOpen() && server.writesTo(settings.requestLog())));
            Files.writeString(candidate, text, StandardCharsets.UTF_8);
        } catch (IOException e) {
            TlsFiles.delete(tls);
            throw new ProxyException("Cannot write HAProxy's configuration into " + directory + ": " + e.getMessage(), e);
        } catch (ProxyException e) {
            TlsFiles.delete(tls);
            throw e;
        }
        try {
            server.check(candidate);
        } catch (ProxyException e) {
            TlsFiles.delete(tls);
            moveQuietly(candidate, directory.resolve("haproxy.cfg.rejected"));
            LOG.warn("Route table {} not applied, the previous one keeps serving: {}", table.generation(), e.getMessage());
            throw e;
        }
        String previous = null;
        try {
            previous = Files.exists(config) ? Files.readString(config) : null;
            Files.move(candidate, config, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            TlsFiles.delete(tls);
            throw new ProxyException("Cannot put HAProxy's configuration in place (" + config + "): " + e.getMessage(), e);
        }
        // while old and new workers both serve, the file server knows the statics of both tables
        Map<String, StaticSite> both = new HashMap<>(currentSites);
        both.putAll(sites);
        files.sites(both);
        try {
            server.startOrReload();
        } catch (ProxyException e) {
            restore(config, previous);
            files.sites(currentSites);
            TlsFiles.delete(tls);
            throw e;
        }
        files.sites(sites);
        currentSites = sites;
        TlsFiles.deleteAllBut(settings.tlsDirectory(), Files.exists(tls) ? tls : null);
    }

    private static void restore(Path config, String previous) {
        try {
            if (previous == null) {
                Files.deleteIfExists(config);
            } else {
                Files.writeString(config, previous, StandardCharsets.UTF_8);
            }
        } catch (IOException e) {
            LOG.error("Cannot restore HAProxy's previous configuration {}: {}", config, e.getMessage());
        }
    }

    private static void moveQuietly(Path from, Path to) {
        try {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            LOG.warn("Cannot keep the refused configuration as {}: {}", to, e.getMessage());
        }
    }

    @Override
    protected boolean running() {
        return server.running();
    }

    /** Waits for the HAProxy workers from before the last reload (the ones that may still talk to these upstreams) to finish. */
    @Override
    public boolean drain(Collection<Upstream> upstreams, Duration timeout) throws InterruptedException {
        return server.awaitOldWorkers(timeout);
    }

    /**
     * HAProxy soft-stops: its listening sockets close at once, the requests in flight are
     * answered, for at most the idle timeout. The static file server stays, on loopback.
     */
    @Override
    protected void stopServing() {
        server.softStop(settings.idleTimeout().plusSeconds(5));
    }

    int staticPort() {
        return files == null ? -1 : files.port();
    }

    HaproxyServer server() {
        return server;
    }
}
