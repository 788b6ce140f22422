package cloud.hop3.core.impl.platform;

import java.net.InetAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;

import cloud.hop3.api.app.HostName;
import cloud.hop3.plugin.support.server.BindAddresses;

/**
 * The platform's settings as resolved from core's configuration, the {@code HOP3_*} environment
 * variables and the defaults, in that order.
 *
 * @param home       the state directory ({@code HOP3_HOME})
 * @param domain     the domain apps answer on ({@code HOP3_DOMAIN})
 * @param gitSshHost the address the git server listens on
 * @param gitSshPort the port of the git server ({@code HOP3_GIT_SSH_PORT})
 * @param httpPort   the port proxies listen on for HTTP unless their own configuration sets one
 *                   ({@code HOP3_HTTP_PORT})
 * @param httpsPort  the same for HTTPS ({@code HOP3_HTTPS_PORT})
 * @param bindAddresses the addresses proxies listen on unless their own configuration sets them
 *                   ({@code HOP3_BIND_ADDRESSES})
 * @param socketHolder the UNIX socket of the process that holds the proxy's listening sockets
 *                   across restarts ({@code HOP3_SOCKET_HOLDER}, set by {@code bin/hop3}); null
 *                   when the platform runs without one
 */
public record PlatformSettings(Path home, String domain, String gitSshHost, int gitSshPort, int httpPort, int httpsPort,
                               List<InetAddress> bindAddresses, Path socketHolder) {

    /** Where proxies listen when neither the configuration nor the environment says: every IPv4 address. */
    public static final List<InetAddress> DEFAULT_BIND_ADDRESSES = BindAddresses.parse(BindAddresses.DEFAULT, "the default");

    /** The HTTP port when neither the configuration nor the environment sets one. */
    public static final int DEFAULT_HTTP_PORT = 8080;
    /** The HTTPS port when neither the configuration nor the environment sets one. */
    public static final int DEFAULT_HTTPS_PORT = 8443;

    /** Settings with the default git server address and proxy ports. */
    public PlatformSettings(Path home, String domain) {
        this(home, domain, "0.0.0.0", 2222);
    }

    /** Settings with the default proxy ports. */
    public PlatformSettings(Path home, String domain, String gitSshHost, int gitSshPort) {
        this(home, domain, gitSshHost, gitSshPort, DEFAULT_HTTP_PORT, DEFAULT_HTTPS_PORT);
    }

    /** Settings with the default bind addresses. */
    public PlatformSettings(Path home, String domain, String gitSshHost, int gitSshPort, int httpPort, int httpsPort) {
        this(home, domain, gitSshHost, gitSshPort, httpPort, httpsPort, DEFAULT_BIND_ADDRESSES);
    }

    /** Settings without a holder of listening sockets. */
    public PlatformSettings(Path home, String domain, String gitSshHost, int gitSshPort, int httpPort, int httpsPort,
                            List<InetAddress> bindAddresses) {
        this(home, domain, gitSshHost, gitSshPort, httpPort, httpsPort, bindAddresses, null);
    }

    public PlatformSettings {
        bindAddresses = List.copyOf(bindAddresses);
        if (bindAddresses.isEmpty()) {
            throw new IllegalArgumentException("The platform needs at least one bind address.");
        }
    }

    /** Resolves the settings of this JVM. */
    public static PlatformSettings resolve(CoreConfig config) {
        return resolve(config, System::getenv, System.getProperties()::getProperty);
    }

    /** Resolves the settings from explicit sources (used by tests). */
    static PlatformSettings resolve(CoreConfig config, Function<String, String> env,
                                    Function<String, String> systemProperties) {
        String home = firstNonBlank(config.home(), env.apply("HOP3_HOME"));
        if (home == null) {
            String karafData = systemProperties.apply("karaf.data");
            home = Path.of(karafData == null ? "data" : karafData, "hop3").toString();
        }
        String domain = firstNonBlank(config.domain(), env.apply("HOP3_DOMAIN"));
        if (domain == null) {
            domain = "localhost";
        }
        String gitHost = firstNonBlank(config.git_ssh_host());
        int gitPort = port(config.git_ssh_port(), "git_ssh_port", env, "HOP3_GIT_SSH_PORT", 2222);
        int httpPort = port(config.http_port(), "http_port", env, "HOP3_HTTP_PORT", DEFAULT_HTTP_PORT);
        int httpsPort = port(config.https_port(), "https_port", env, "HOP3_HTTPS_PORT", DEFAULT_HTTPS_PORT);
        String bind = firstNonBlank(config.bind_addresses());
        List<InetAddress> bindAddresses = bind != null
                ? BindAddresses.parse(bind, "bind_addresses of " + CoreConfig.PID)
                : firstNonBlank(env.apply("HOP3_BIND_ADDRESSES")) != null
                ? BindAddresses.parse(env.apply("HOP3_BIND_ADDRESSES"), "HOP3_BIND_ADDRESSES")
                : DEFAULT_BIND_ADDRESSES;
        String holder = firstNonBlank(config.socket_holder(), env.apply("HOP3_SOCKET_HOLDER"));
        return new PlatformSettings(Path.of(home).toAbsolutePath().normalize(), domain.toLowerCase(Locale.ROOT),
                gitHost == null ? "0.0.0.0" : gitHost, gitPort, httpPort, httpsPort, bindAddresses,
                holder == null ? null : Path.of(holder).toAbsolutePath().normalize());
    }

    /** The loopback port of the platform's HTTP service when neither the configuration nor the environment sets one. */
    public static final int DEFAULT_API_PORT = 8181;

    /**
     * Where the proxy sends the platform's own host name: the host name ({@code platform_host},
     * else {@code hop3.<domain>}) and the loopback port of the REST API ({@code api_port}, else
     * {@code HOP3_API_PORT}, else {@value #DEFAULT_API_PORT}); empty when {@code platform_host}
     * is {@code -}.
     *
     * @throws IllegalArgumentException when the host name or the port is not valid
     */
    public static Optional<PlatformEndpoint> platformEndpoint(CoreConfig config, String domain,
                                                                       Function<String, String> env) {
        String host = firstNonBlank(config.platform_host());
        if ("-".equals(host)) {
            return Optional.empty();
        }
        String name = (host == null ? "hop3." + domain : host).toLowerCase(Locale.ROOT);
        if (!HostName.isValid(name)) {
            throw new IllegalArgumentException("platform_host in " + CoreConfig.PID + " is not a valid host name: '" + name + "'.");
        }
        int port = port(config.api_port(), "api_port", env, "HOP3_API_PORT", DEFAULT_API_PORT);
        return Optional.of(new PlatformEndpoint(HostName.of(name), port));
    }

    /**
     * The platform's address as a cluster sees it ({@code publicUrl}), without a trailing slash:
     * by default {@code http://<domain>:<API port>}, or {@code http://127.0.0.1:<API port>} when
     * the domain is {@code localhost}.
     *
     * @throws IllegalArgumentException when {@code publicUrl} is not an http or https URL
     */
    public static java.net.URI publicUrl(CoreConfig config, String domain, Function<String, String> env) {
        String given = firstNonBlank(config.publicUrl());
        if (given == null) {
            int port = port(config.api_port(), "api_port", env, "HOP3_API_PORT", DEFAULT_API_PORT);
            String host = domain == null || domain.isBlank() || domain.equals("localhost") ? "127.0.0.1" : domain;
            return java.net.URI.create("http://" + host + ":" + port);
        }
        java.net.URI uri;
        try {
            uri = new java.net.URI(given.strip());
        } catch (java.net.URISyntaxException e) {
            throw new IllegalArgumentException("publicUrl in " + CoreConfig.PID + " is not a URL: " + e.getMessage(), e);
        }
        if (uri.getScheme() == null || !(uri.getScheme().equals("http") || uri.getScheme().equals("https"))
                || uri.getHost() == null || uri.getQuery() != null || uri.getFragment() != null) {
            throw new IllegalArgumentException("publicUrl in " + CoreConfig.PID + " must be an http or https URL with a"
                    + " host, such as https://hop3.example.com, not '" + given + "'.");
        }
        String text = uri.toString();
        while (text.endsWith("/")) {
            text = text.substring(0, text.length() - 1);
        }
        return java.net.URI.create(text);
    }

    /** The platform's own host name and the loopback port that serves it. */
    public record PlatformEndpoint(HostName host, int port) {
    }

    /** A port from the configuration when set (above 0), else from the environment, else the default. */
    private static int port(int configured, String attribute, Function<String, String> env, String variable, int fallback) {
        if (configured > 0) {
            if (configured > 65535) {
                throw new IllegalArgumentException(attribute + " in " + CoreConfig.PID
                        + " must be a port number from 1 to 65535 (0 for the default), not " + configured + ".");
            }
            return configured;
        }
        String fromEnv = firstNonBlank(env.apply(variable));
        return fromEnv == null ? fallback : port(fromEnv, variable);
    }

    private static int port(String value, String name) {
        try {
            int port = Integer.parseInt(value.trim());
            if (port > 0 && port < 65536) {
                return port;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException(name + " must be a port number from 1 to 65535, not '" + value + "'.");
    }

    /** The first value that is not blank, trimmed; null when there is none. */
    static String firstNonBlank(String... values) {
        for (String v : values) {
            if (v != null && !v.isBlank()) {
                return v.trim();
            }
        }
        return null;
    }

    /** The directory of one app's state. */
    public Path appDirectory(String app) {
        return home.resolve("apps").resolve(app);
    }
}
