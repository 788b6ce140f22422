package cloud.hop3.proxy.builtin;

import java.net.InetAddress;
import java.time.Duration;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import cloud.hop3.api.platform.Platform;
import cloud.hop3.plugin.support.server.BindAddresses;

/**
 * The proxy's configuration, checked: the component's {@link BuiltinProxy.Config} with the ports
 * resolved (the {@link Platform}'s where the configuration leaves them empty) and every out-of-range number replaced by its default, with a warning in the log.
 *
 * @param port               TCP port of the HTTP listener (0 picks a free one)
 * @param httpsPort          TCP port of the HTTPS listener (0 picks a free one)
 * @param bindAddresses      addresses it listens on, one listener each
 * @param connectTimeout     longest wait for a connection to an upstream
 * @param idleTimeout        longest silence on a client or upstream connection
 * @param maxHeaderBytes     largest request line and header block accepted
 * @param maxBodyBytes       largest request body accepted; 0 for no limit
 * @param drainTimeout       longest wait for requests in flight when the proxy stops
 */
record ProxySettings(int port, int httpsPort, List<InetAddress> bindAddresses, Duration connectTimeout,
                     Duration idleTimeout, int maxHeaderBytes, long maxBodyBytes, Duration drainTimeout) {

    static final int DEFAULT_CONNECT_TIMEOUT_MILLIS = 5_000;
    static final int DEFAULT_IDLE_TIMEOUT_SECONDS = 60;
    static final int DEFAULT_MAX_HEADER_BYTES = 16 * 1024;
    static final int DEFAULT_MAX_BODY_MEGABYTES = 100;
    static final int DEFAULT_DRAIN_TIMEOUT_SECONDS = 10;
    private static final long MEGABYTE = 1024L * 1024L;
    private static final Logger LOG = LoggerFactory.getLogger(ProxySettings.class);

    ProxySettings {
        bindAddresses = List.copyOf(bindAddresses);
        if (bindAddresses.isEmpty()) {
            throw new IllegalArgumentException("The built-in proxy needs at least one address to listen on.");
        }
    }

    /** Settings on the listed bind addresses (tests, benchmarks). */
    ProxySettings(int port, int httpsPort, String bindAddresses, Duration connectTimeout, Duration idleTimeout,
                  int maxHeaderBytes, long maxBodyBytes, Duration drainTimeout) {
        this(port, httpsPort, BindAddresses.parse(bindAddresses, "the test"), connectTimeout, idleTimeout,
                maxHeaderBytes, maxBodyBytes, drainTimeout);
    }

    /** Settings with the HTTPS listener on a free port (tests, benchmarks). */
    ProxySettings(int port, String bindAddresses, Duration connectTimeout, Duration idleTimeout, int maxHeaderBytes,
                  long maxBodyBytes, Duration drainTimeout) {
        this(port, 0, bindAddresses, connectTimeout, idleTimeout, maxHeaderBytes, maxBodyBytes, drainTimeout);
    }

    /**
     * Reads a configuration.
     *
     * @param config   the component's configuration
     * @param platform the ports and addresses used where the configuration leaves them empty
     * @throws IllegalArgumentException when a port is not a port number, or an address not an IP address
     */
    static ProxySettings of(BuiltinProxy.Config config, Platform platform) {
        return new ProxySettings(
                port(config.httpPort(), "httpPort", platform.httpPort(), "HTTP"),
                port(config.httpsPort(), "httpsPort", platform.httpsPort(), "HTTPS"),
                BindAddresses.of(config.bindAddress(), "bindAddress of " + BuiltinProxy.PID, platform),
                Duration.ofMillis(atLeast("connectTimeoutMillis", config.connectTimeoutMillis(), 1,
                        DEFAULT_CONNECT_TIMEOUT_MILLIS)),
                Duration.ofSeconds(atLeast("idleTimeoutSeconds", config.idleTimeoutSeconds(), 1,
                        DEFAULT_IDLE_TIMEOUT_SECONDS)),
                atLeast("maxHeaderBytes", config.maxHeaderBytes(), 1024, DEFAULT_MAX_HEADER_BYTES),
                atLeast("maxBodyMegabytes", config.maxBodyMegabytes(), 0, DEFAULT_MAX_BODY_MEGABYTES) * MEGABYTE,
                Duration.ofSeconds(atLeast("drainTimeoutSeconds", config.drainTimeoutSeconds(), 0,
                        DEFAULT_DRAIN_TIMEOUT_SECONDS)));
    }

    private static int port(String configured, String attribute, int platform, String protocol) {
        if (configured != null && !configured.isBlank()) {
            return parsePort(configured.strip(), attribute, protocol);
        }
        return platform;
    }

    private static int parsePort(String value, String source, String protocol) {
        try {
            int port = Integer.parseInt(value);
            if (port >= 0 && port <= 65535) {
                return port;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("The " + protocol + " port '" + value + "' from " + source
                + " is not a port number (0 to 65535).");
    }

    private static int atLeast(String name, int value, int minimum, int fallback) {
        if (value >= minimum) {
            return value;
        }
        LOG.warn("{}: {} is {}, but must be at least {}; using {}", BuiltinProxy.PID, name, value, minimum, fallback);
        return fallback;
    }
}
