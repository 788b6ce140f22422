package cloud.hop3.plugin.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import cloud.hop3.api.app.AppName;
import cloud.hop3.api.app.HostName;
import cloud.hop3.api.platform.Platform;
import cloud.hop3.api.platform.StateDirectories;
import cloud.hop3.api.plugin.PluginKind;

/**
 * The platform facts a plugin sees in a unit test: a home directory the test owns (a JUnit
 * {@code @TempDir}), the domain {@code test.localhost}, and given HTTP/HTTPS ports. State
 * directories are laid out by {@link StateDirectories}, as core lays them out
 * ({@code <home>/proxy/nginx}, {@code <home>/tls/selfsigned}), created on first use. No public
 * addresses: there is no active proxy. No holder of listening sockets unless
 * {@link #withSocketHolder} names one.
 */
public final class TestPlatform implements Platform {

    private final Path home;
    private final int httpPort;
    private final int httpsPort;
    private final List<InetAddress> bindAddresses;
    private final Optional<Path> socketHolder;

    public TestPlatform(Path home, int httpPort, int httpsPort) {
        this(home, httpPort, httpsPort, List.of(InetAddress.getLoopbackAddress()));
    }

    /** A platform whose proxies listen on {@code bindAddresses} unless configured otherwise. */
    public TestPlatform(Path home, int httpPort, int httpsPort, List<InetAddress> bindAddresses) {
        this(home, httpPort, httpsPort, bindAddresses, Optional.empty());
    }

    private TestPlatform(Path home, int httpPort, int httpsPort, List<InetAddress> bindAddresses,
                         Optional<Path> socketHolder) {
        this.home = home.toAbsolutePath();
        this.httpPort = httpPort;
        this.httpsPort = httpsPort;
        this.bindAddresses = List.copyOf(bindAddresses);
        this.socketHolder = socketHolder;
    }

    /** The same platform, run with the holder of listening sockets that answers on {@code socket}. */
    public TestPlatform withSocketHolder(Path socket) {
        return new TestPlatform(home, httpPort, httpsPort, bindAddresses, Optional.of(socket));
    }

    /** A platform under {@code home} on the distribution's default ports, 8080 and 8443. */
    public TestPlatform(Path home) {
        this(home, 8080, 8443);
    }

    @Override
    public Path home() {
        return home;
    }

    @Override
    public Path stateDirectory(PluginKind kind, String name) {
        try {
            return Files.createDirectories(StateDirectories.of(home, kind, name));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public HostName domain() {
        return HostName.of("test.localhost");
    }

    @Override
    public int httpPort() {
        return httpPort;
    }

    @Override
    public int httpsPort() {
        return httpsPort;
    }

    /** Loopback unless given: a test's proxy is reached from this machine alone. */
    @Override
    public List<InetAddress> bindAddresses() {
        return bindAddresses;
    }

    @Override
    public Optional<Path> socketHolder() {
        return socketHolder;
    }

    @Override
    public List<URI> publicAddresses(AppName app) {
        return List.of();
    }
}
