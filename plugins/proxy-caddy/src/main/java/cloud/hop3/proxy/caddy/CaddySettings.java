package cloud.hop3.proxy.caddy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * The Caddy proxy's configuration, checked and resolved.
 *
 * @param binary         the caddy command: a name looked up on the search path, or an absolute path
 * @param directory      the plugin's own directory: configuration, admin socket, pid file, logs, Caddy's storage
 * @param bindAddress    address the HTTP and HTTPS listeners bind to
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

    static final String HTTP_PORT_VARIABLE = "HOP3_HTTP_PORT";
    static final String HTTPS_PORT_VARIABLE = "HOP3_HTTPS_PORT";
    static final String HOME_VARIABLE = "HOP3_HOME";
    private static final long MEGABYTE = 1024L * 1024L;

    /**
     * Reads a configuration.
     *
     * @param config      the component's configuration
     * @param environment the process environment ({@value #HTTP_PORT_VARIABLE}, {@value #HTTPS_PORT_VARIABLE},
     *                    {@value #HOME_VARIABLE})
     * @param karafData   the distribution's data directory, for the default state directory; may be null
     * @throws IllegalArgumentException when a port or number is out of range
     */
    static CaddySettings of(CaddyProxy.Config config, Map<String, String> environment, String karafData) {
        Path directory;
        if (!blank(config.directory())) {
            directory = Path.of(config.directory().strip());
        } else if (!blank(environment.get(HOME_VARIABLE))) {
            directory = Path.of(environment.get(HOME_VARIABLE).strip(), "proxy", CaddyProxy.NAME);
        } else {
            directory = Path.of(karafData == null ? "data" : karafData, "hop3", "proxy", CaddyProxy.NAME);
        }
        return new CaddySettings(
                blank(config.binary()) ? "caddy" : config.binary().strip(),
                directory.toAbsolutePath().normalize(),
                blank(config.bindAddress()) ? "0.0.0.0" : config.bindAddress().strip(),
                port(config.httpPort(), environment.get(HTTP_PORT_VARIABLE), HTTP_PORT_VARIABLE, 8080),
                port(config.httpsPort(), environment.get(HTTPS_PORT_VARIABLE), HTTPS_PORT_VARIABLE, 8443),
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

    private static int port(String configured, String fromEnvironment, String variable, int fallback) {
        if (!blank(configured)) {
            return parsePort(configured.strip(), "the configuration");
        }
        if (!blank(fromEnvironment)) {
            return parsePort(fromEnvironment.strip(), variable);
        }
        return fallback;
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
