package cloud.hop3.api.platform;

import java.net.InetAddress;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import org.osgi.annotation.versioning.ProviderType;

import cloud.hop3.api.app.AppName;
import cloud.hop3.api.app.HostName;
import cloud.hop3.api.plugin.PluginKind;

/**
 * Facts about this installation that plugins need: where to keep their state, the domain apps
 * answer on, the addresses and ports a proxy listens on unless its own configuration says
 * otherwise, and the addresses at which apps are reached. Implemented by core from its configuration (PID
 * {@code cloud.hop3.core}); core is the only part of the platform that reads the {@code HOP3_*}
 * environment variables, so that a setting made in core's configuration holds for every plugin.
 * <p>
 * <b>Callers.</b> Plugins, from any thread; answers from memory, except
 * {@link #stateDirectory} which creates the directory.
 */
@ProviderType
public interface Platform {

    /** The platform's state directory ({@code HOP3_HOME}), absolute. */
    Path home();

    /**
     * A directory for the state of one plugin (a proxy's configuration files, an issuer's CA),
     * under {@link #home()}: kept across restarts, updates and removals of the plugin. Created,
     * owner-only, when missing.
     *
     * @param kind the plugin's kind
     * @param name the plugin's name ({@code nginx}, {@code selfsigned})
     * @throws IllegalArgumentException when {@code name} is not a plain name (lower-case letters,
     *                                  digits, '-')
     */
    Path stateDirectory(PluginKind kind, String name);

    /** The domain apps answer on: an app named {@code shop} is reached at {@code shop.<domain>}. */
    HostName domain();

    /** The port the active proxy listens on for HTTP unless its own configuration sets one. */
    int httpPort();

    /** The port the active proxy listens on for HTTPS unless its own configuration sets one. */
    int httpsPort();

    /**
     * The IP addresses the active proxy listens on unless its own configuration sets them, never
     * empty. {@code 0.0.0.0} is every IPv4 address and only those; {@code ::} is every IPv6
     * address and, on a dual-stack system, every IPv4 address too.
     *
     * @since 1.1
     */
    List<InetAddress> bindAddresses();

    /**
     * The UNIX socket of the process that holds the proxy's listening sockets across restarts of
     * the platform ({@code bin/hop3}'s {@code hop3-holder}), when the platform runs with one: a
     * proxy in the platform's JVM asks it for a duplicate of each listening socket instead of
     * binding its own, so that while the platform restarts or is upgraded, connections wait in
     * the kernel's queue instead of being refused. Empty when the platform runs without one
     * (another launcher, tests).
     *
     * @since 1.3
     */
    Optional<Path> socketHolder();

    /**
     * The addresses at which the app is reached, as the active proxy reports its listeners
     * ({@code http://shop.localhost:8080/} first, then HTTPS when the app has a certificate); empty
     * when no proxy is active or the app has no host name.
     */
    List<URI> publicAddresses(AppName app);
}
