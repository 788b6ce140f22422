package cloud.hop3.plugin.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

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
 * addresses: there is no active proxy.
 */
public final class TestPlatform implements Platform {

    private final Path home;
    private final int httpPort;
    private final int httpsPort;

    public TestPlatform(Path home, int httpPort, int httpsPort) {
        this.home = home.toAbsolutePath();
        this.httpPort = httpPort;
        this.httpsPort = httpsPort;
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

    @Override
    public List<URI> publicAddresses(AppName app) {
        return List.of();
    }
}
