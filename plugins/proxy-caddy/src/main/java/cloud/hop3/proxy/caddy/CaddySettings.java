package cloud.hop3.proxy.caddy;

import java.nio.file.Path;
import java.time.Duration;

import cloud.hop3.api.platform.Platform;
import cloud.hop3.api.plugin.PluginKind;
import cloud.hop3.plugin.support.server.BindAddresses;

/**
 * The Caddy proxy's configuration, checked and resolved.
 *
 * @param binary         the caddy command: a name looked up on the search path, or an absolute path
 * @param directory      the plugin's own directory: configuration, admin socket, pid file, logs, Caddy's storage
 * @param bindAddress    addresses the HTTP and HTTPS listeners bind to, comma-separated
 * @param httpPort       port of the HTTP listener
 * @param httpsPort      port of the HTTPS listener (bound only while a route has a certificate)
 * @param connectTimeout longest wait for a connection to an app process
 * @param idleTimeout    longest silence on a client connection, and longest wait for an app's response head
 * @param maxHeaderBytes largest request header block accepted
 * @param maxBodyBytes   largest request body forwarded; 0 for no limit
 * @param drainTimeout   longest wait for requests in flight on the old configuration after a reload, and at stop
 * @param startTimeout   longest wait for a started caddy to answer on its admin socket
 */
record CaddySettings(String binary, Path directory, String bindAddress, int httpPort, int httpsPort,
                     Duration connectTimeout, Duration idleTimeout, int maxHeaderBytes, long maxBodyBytes,
                     Duration drainTimeout, Duration startTimeout) {

    private static final long MEGABYTE = 1024L * 1024L;

    /**
     * Reads a configuration.
     *
     * @param config   the component's configuration
     * @param platform the state directory and ports used where the configuration leaves them empty
     * @throws IllegalArgumentException when a port or number is out of range
     */
    static CaddySettings of(CaddyProxy.Config config, Platform platform) {
        Path directory = blank(config.directory()) ? platform.stateDirectory(PluginKind.PROXY, CaddyProxy.NAME)
                : Path.of(config.directory().strip());
        return new CaddySettings(
                blank(config.binary()) ? "caddy" : config.binary().strip(),
                directory.toAbsolutePath().normalize(),
                BindAddresses.text(BindAddresses.of(config.bindAddress(), "bindAddress of " + CaddyProxy.PID, platform)),
                port(config.httpPort(), platform.httpPort()),
                port(config.httpsPort(), platform.httpsPort()),
                Duration.ofMillis(atLeast("connectTimeoutMillis", config.connectTimeoutMillis(), 1)),
                Duration.ofSeconds(atLeast("idleTimeoutSeconds", config.idleTimeoutSeconds(), 1)),
                atLeast("maxHeaderBytes", config.maxHeaderBytes(), 1024),
                atLeast("maxBodyMegabytes", config.maxBodyMegabytes(), 0) * MEGABYTE,
                Duration.ofSeconds(atLeast("drainTimeoutSeconds", config.drainTimeoutSeconds(), 0)),
                Duration.ofSeconds(atLeast("startTimeoutSeconds", config.startTimeoutSeconds(), 1)));
    }

    private static boolean blank(String value) {
        return value == null || value.isBlank();
    }

    private static int port(String configured, int platform) {
        return blank(configured) ? platform : parsePort(configured.strip(), "the configuration");
    }

    private static int parsePort(String value, String source) {
        try {
            int port = Integer.parseInt(value);
            if (port >= 1 && port <= 65535) {
                return port;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("The port '" + value + "' from " + source
                + " is not a port number (1 to 65535).");
    }

    private static int atLeast(String name, int value, int minimum) {
        if (value < minimum) {
            throw new IllegalArgumentException(CaddyProxy.PID + ": " + name + " is " + value
                    + ", but must be at least " + minimum + ".");
        }
        return value;
    }
}
