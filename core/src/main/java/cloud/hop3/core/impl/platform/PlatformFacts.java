package cloud.hop3.core.impl.platform;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

import cloud.hop3.api.app.AppName;
import cloud.hop3.api.app.HostName;
import cloud.hop3.api.platform.Platform;
import cloud.hop3.api.platform.StateDirectories;
import cloud.hop3.api.plugin.PluginKind;
import cloud.hop3.api.proxy.Proxy;
import cloud.hop3.api.proxy.Route;

/**
 * The platform facts that plugins read instead of {@code HOP3_*} environment variables, resolved
 * once from core's configuration ({@link PlatformSettings}), so that a setting made in
 * {@code cloud.hop3.core} holds for core and every plugin alike.
 * <p>
 * State directories are laid out under {@code HOME} as {@link StateDirectories} says, and
 * created owner-only.
 * <p>
 * Public addresses come from the proxy that serves the routes: its {@link Proxy#listeners()}
 * combined with the host names its table routes to the app. A proxy that does not report its
 * listeners yet is taken to listen for HTTP on {@link #httpPort()}.
 * <p>
 * The routing is an optional reference, so that plugins which require this service (proxies
 * among them) can start before the routing has a proxy. Thread-safe.
 */
@Component(service = Platform.class, configurationPid = CoreConfig.PID)
public class PlatformFacts implements Platform {

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile ProxyInUse routes;

    private volatile PlatformSettings settings;

    /** For DS. */
    public PlatformFacts() {
    }

    /** For tests: facts from {@code settings}, public addresses from {@code routes} (may be null). */
    public PlatformFacts(PlatformSettings settings, ProxyInUse routes) {
        this.settings = settings;
        this.routes = routes;
    }

    /**
     * The state directory, domain and ports are read at activation and again on a change of
     * core's configuration; the state directory of a running platform does not move (the app
     * catalog warns when it is changed), but the domain and ports given to plugins follow.
     */
    @Activate
    @Modified
    void configure(CoreConfig config) {
        settings = PlatformSettings.resolve(config);
    }

    @Override
    public Path home() {
        return settings.home();
    }

    @Override
    public Path stateDirectory(PluginKind kind, String name) {
        return stateDirectory(settings.home(), kind, name);
    }

    /**
     * The state directory of a plugin of {@code kind} named {@code name} under {@code home},
     * created owner-only when missing: the one rule, also used by {@code TlsSupport}.
     *
     * @throws IllegalArgumentException when {@code name} is not a plain name
     * @throws UncheckedIOException     when it cannot be created
     */
    public static Path stateDirectory(Path home, PluginKind kind, String name) {
        Path dir = StateDirectories.of(home, kind, name);
        try {
            createPrivate(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create the state directory " + dir + ": " + e.getMessage(), e);
        }
        return dir;
    }

    /** Creates {@code dir} and its missing parents; {@code dir} itself readable by its owner only. */
    private static void createPrivate(Path dir) throws IOException {
        if (Files.isDirectory(dir)) {
            return;
        }
        Files.createDirectories(dir);
        try {
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
        } catch (UnsupportedOperationException e) {
            // not a POSIX file system: its own permissions apply
        }
    }

    /**
     * @throws IllegalStateException when the configured domain is a single name such as
     *                               {@code localhost}, which {@link HostName} does not hold
     */
    @Override
    public HostName domain() {
        String domain = settings.domain();
        if (!HostName.isValid(domain)) {
            throw new IllegalStateException("The domain '" + domain + "' configured in " + CoreConfig.PID
                    + " (or HOP3_DOMAIN) is not a valid host name: use lower-case letters, digits, inner hyphens and dots.");
        }
        return HostName.of(domain);
    }

    @Override
    public int httpPort() {
        return settings.httpPort();
    }

    @Override
    public int httpsPort() {
        return settings.httpsPort();
    }

    @Override
    public List<InetAddress> bindAddresses() {
        return settings.bindAddresses();
    }

    @Override
    public Optional<Path> socketHolder() {
        return Optional.ofNullable(settings.socketHolder());
    }

    @Override
    public List<URI> publicAddresses(AppName app) {
        ProxyInUse routing = routes;
        Optional<Proxy> proxy = routing == null ? Optional.empty() : routing.proxy();
        if (proxy.isEmpty()) {
            return List.of();
        }
        Optional<Route> route = proxy.get().serving().routes().stream().filter(r -> r.app().equals(app)).findFirst();
        if (route.isEmpty() || route.get().hosts().isEmpty()) {
            return List.of();
        }
        List<URI> listeners = proxy.get().listeners();
        if (listeners.isEmpty()) {
            listeners = List.of(URI.create("http://:" + httpPort()));
        }
        List<URI> addresses = new ArrayList<>();
        for (String scheme : List.of("http", "https")) {
            if (scheme.equals("https") && route.get().tls().isEmpty()) {
                continue; // no certificate: HTTPS would not answer for the app's names
            }
            for (URI listener : listeners) {
                if (scheme.equalsIgnoreCase(listener.getScheme())) {
                    for (Object host : route.get().hosts()) {
                        addresses.add(address(scheme, String.valueOf(host), port(listener)));
                    }
                }
            }
        }
        return List.copyOf(addresses);
    }

    /**
     * The port of a listener URI. {@code http://:8080} has no host, so {@link URI#getPort()}
     * does not parse its authority and the port is read from it here; -1 when none is given.
     */
    static int port(URI listener) {
        if (listener.getPort() >= 0) {
            return listener.getPort();
        }
        String authority = listener.getRawAuthority();
        int colon = authority == null ? -1 : authority.lastIndexOf(':');
        if (colon < 0 || authority.endsWith("]")) {
            return -1;
        }
        try {
            return Integer.parseInt(authority.substring(colon + 1));
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** {@code http://shop.example.org/}, with the port unless it is the scheme's own. */
    private static URI address(String scheme, String host, int port) {
        boolean standard = port < 0 || scheme.equals("http") && port == 80 || scheme.equals("https") && port == 443;
        return URI.create(scheme + "://" + host + (standard ? "" : ":" + port) + "/");
    }
}
