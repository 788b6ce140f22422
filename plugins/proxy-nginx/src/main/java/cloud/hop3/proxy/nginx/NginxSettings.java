package cloud.hop3.proxy.nginx;

import java.nio.file.Path;
import java.time.Duration;

import cloud.hop3.api.platform.Platform;
import cloud.hop3.api.plugin.PluginKind;
import cloud.hop3.plugin.support.server.BindAddresses;

/**
 * The nginx proxy's configuration, resolved: empty values replaced by the platform's
 * ({@link Platform#stateDirectory}, {@link Platform#httpPort()}, {@link Platform#httpsPort()}).
 *
 * @param directory         where the configuration, pid file, logs and temporary files live
 * @param binary            the nginx command (a name on the PATH or an absolute path)
 * @param bindAddress       the addresses nginx listens on, comma-separated
 * @param httpPort          the HTTP port
 * @param httpsPort         the HTTPS port (used only when a route has a certificate)
 * @param workerProcesses   nginx worker processes ("auto" or a number)
 * @param connectTimeout    longest wait for a connection to an app process
 * @param idleTimeout       longest silence on a client or app connection
 * @param maxBodyMegabytes  largest request body in megabytes, 0 for no limit
 * @param drainTimeout      longest time old workers may take to finish their requests after a reload
 * @param accessLog         whether requests are logged to logs/access.log
 */
record NginxSettings(Path directory, String binary, String bindAddress, int httpPort, int httpsPort,
                     String workerProcesses, Duration connectTimeout, Duration idleTimeout,
                     int maxBodyMegabytes, Duration drainTimeout, boolean accessLog) {

    NginxSettings {
        if (!directory.isAbsolute()) {
            throw new IllegalArgumentException("The nginx directory must be an absolute path, not '" + directory + "'");
        }
        checkPort("HTTP port", httpPort);
        checkPort("HTTPS port", httpsPort);
        if (httpPort == httpsPort) {
            throw new IllegalArgumentException("The HTTP and HTTPS ports of nginx must differ (both are " + httpPort + ")");
        }
        BindAddresses.parse(bindAddress, "the bind addresses of nginx"); // throws when not a list of IP addresses
        if (!workerProcesses.matches("auto|[1-9][0-9]{0,2}")) {
            throw new IllegalArgumentException("nginx worker processes must be 'auto' or a number, not '" + workerProcesses + "'");
        }
        if (binary.isBlank() || binary.chars().anyMatch(Character::isWhitespace)) {
            throw new IllegalArgumentException("The nginx binary must be a command name or path without spaces, not '" + binary + "'");
        }
    }

    /**
     * @param path the {@code PATH} to look the nginx command up on
     */
    static NginxSettings of(NginxProxy.Config config, Platform platform, String path) {
        String dir = config.directory().isBlank() ? null : config.directory().strip();
        Path directory;
        if (dir != null) {
            directory = Path.of(dir);
            if (!directory.isAbsolute()) {
                throw new IllegalArgumentException("The nginx directory must be an absolute path, not '" + dir + "'");
            }
        } else {
            directory = platform.stateDirectory(PluginKind.PROXY, NginxProxy.NAME);
        }
        return new NginxSettings(directory.toAbsolutePath().normalize(), binary(config.binary().strip(), path),
                BindAddresses.text(BindAddresses.of(config.bindAddress(), "bindAddress of " + NginxProxy.PID, platform)),
                port(config.httpPort(), platform.httpPort(), "HTTP"),
                port(config.httpsPort(), platform.httpsPort(), "HTTPS"),
                config.workerProcesses().strip(),
                Duration.ofMillis(config.connectTimeoutMillis()), Duration.ofSeconds(config.idleTimeoutSeconds()),
                config.maxBodyMegabytes(), Duration.ofSeconds(config.drainTimeoutSeconds()), config.accessLog());
    }

    /** Settings for tests: everything under {@code directory}, on the given ports, loopback only. */
    static NginxSettings forTest(Path directory, int httpPort, int httpsPort) {
        return new NginxSettings(directory, "nginx", "127.0.0.1", httpPort, httpsPort, "2",
                Duration.ofSeconds(5), Duration.ofSeconds(60), 100, Duration.ofSeconds(10), true);
    }

    Path configFile() {
        return directory.resolve("nginx.conf");
    }

    Path pidFile() {
        return directory.resolve("run").resolve("nginx.pid");
    }

    Path logs() {
        return directory.resolve("logs");
    }

    /** The log of every request that the plugin reads for the apps' metrics (host, status, time), owner-only. */
    Path requestLog() {
        return logs().resolve("requests.log");
    }

    Path errorLog() {
        return logs().resolve("error.log");
    }

    Path temp() {
        return directory.resolve("temp");
    }

    Path pages() {
        return directory.resolve("pages");
    }

    /**
     * A command name found on {@code path}, else in /usr/sbin and /usr/local/sbin (where Debian puts
     * nginx, and which an unprivileged user's PATH often lacks); a path or an unknown name as given.
     */
    static String binary(String binary, String path) {
        if (binary.contains("/")) {
            return binary;
        }
        String dirs = (path == null ? "" : path) + ":/usr/sbin:/usr/local/sbin";
        for (String dir : dirs.split(":")) {
            if (!dir.isBlank() && java.nio.file.Files.isExecutable(Path.of(dir, binary))) {
                return Path.of(dir, binary).toString();
            }
        }
        return binary;
    }

    private static int port(String configured, int platform, String what) {
        String text = blankToNull(configured);
        if (text == null) {
            return platform;
        }
        try {
            return Integer.parseInt(text.strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("The configured " + what + " port of nginx is not a number: '" + text + "'");
        }
    }

    private static void checkPort(String what, int port) {
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("The nginx " + what + " must be from 1 to 65535, not " + port);
        }
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
