package cloud.hop3.proxy.haproxy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

import cloud.hop3.api.platform.Platform;
import cloud.hop3.api.plugin.PluginKind;
import cloud.hop3.plugin.support.server.BindAddresses;

/**
 * The plugin's configuration, checked: the component's {@link HaproxyProxy.Config} with ports and
 * directory resolved from the {@link Platform} where the configuration leaves them empty.
 *
 * @param binary         the {@code haproxy} executable (a name looked up in {@code PATH}, or a path)
 * @param directory      where the configuration, sockets, pid file, logs and combined PEM files live
 * @param bindAddress    address HAProxy listens on
 * @param httpPort       HTTP port
 * @param httpsPort      HTTPS port (bound only while some route has a certificate)
 * @param staticPort     loopback port of the plugin's static file server (0 picks a free one)
 * @param connectTimeout longest wait for a connection to an app process
 * @param idleTimeout    longest silence on a client or app connection
 * @param maxBodyBytes   largest request body forwarded; 0 for no limit
 * @param checkTimeout   longest wait for {@code haproxy -c} and for a reload to complete
 */
record HaproxySettings(String binary, Path directory, String bindAddress, int httpPort, int httpsPort, int staticPort,
                       Duration connectTimeout, Duration idleTimeout, long maxBodyBytes, Duration checkTimeout) {

    /** Characters a path may have to be written into HAProxy's configuration and crt-list unquoted. */
    private static final Pattern SAFE_PATH = Pattern.compile("[A-Za-z0-9._/@+,=-]+");

    HaproxySettings {
        BindAddresses.parse(bindAddress, "the bind addresses of HAProxy"); // throws when not a list of IP addresses
        if (!SAFE_PATH.matcher(directory.toString()).matches()) {
            throw new IllegalArgumentException("The HAProxy directory '" + directory + "' may contain only letters,"
                    + " digits and . _ / @ + , = -");
        }
        if (httpPort == httpsPort && httpPort != 0) {
            throw new IllegalArgumentException("The HTTP and HTTPS ports are both " + httpPort + ".");
        }
    }

    /**
     * @param platform the state directory and ports used where the configuration leaves them empty
     * @param path     the {@code PATH} to look the haproxy command up on
     */
    static HaproxySettings of(HaproxyProxy.Config config, Platform platform, String path) {
        return new HaproxySettings(
                binary(blank(config.binary()) ? "haproxy" : config.binary().strip(), path),
                blank(config.directory()) ? platform.stateDirectory(PluginKind.PROXY, HaproxyProxy.NAME)
                        : Path.of(config.directory().strip()).toAbsolutePath().normalize(),
                BindAddresses.text(BindAddresses.of(config.bindAddress(), "bindAddress of " + HaproxyProxy.PID, platform)),
                port(config.httpPort(), platform.httpPort(), "httpPort"),
                port(config.httpsPort(), platform.httpsPort(), "httpsPort"),
                Math.max(0, config.staticPort()),
                Duration.ofMillis(Math.max(1, config.connectTimeoutMillis())),
                Duration.ofSeconds(Math.max(1, config.idleTimeoutSeconds())),
                Math.max(0, config.maxBodyMegabytes()) * 1024L * 1024L,
                Duration.ofSeconds(Math.max(1, config.checkTimeoutSeconds())));
    }

    /**
     * A bare name is looked up in {@code PATH} and then in the sbin directories, where Debian
     * installs HAProxy but which an unprivileged user's {@code PATH} often lacks.
     */
    static String binary(String name, String path) {
        if (name.contains("/")) {
            return name;
        }
        List<String> directories = new ArrayList<>();
        if (path != null) {
            directories.addAll(List.of(path.split(":")));
        }
        directories.addAll(List.of("/usr/sbin", "/usr/local/sbin", "/sbin"));
        for (String directory : directories) {
            if (!directory.isBlank() && Files.isExecutable(Path.of(directory, name))) {
                return Path.of(directory, name).toString();
            }
        }
        return name;
    }

    private static int port(String configured, int platform, String name) {
        if (blank(configured)) {
            return platform;
        }
        String value = configured.strip();
        try {
            int port = Integer.parseInt(value);
            if (port > 0 && port <= 65535) {
                return port;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("The " + name + " '" + value + "' is not a port number (1 to 65535).");
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }

    Path configFile() {
        return directory.resolve("haproxy.cfg");
    }

    Path masterSocket() {
        return directory.resolve("run").resolve("master.sock");
    }

    Path adminSocket() {
        return directory.resolve("run").resolve("admin.sock");
    }

    Path pidFile() {
        return directory.resolve("run").resolve("haproxy.pid");
    }

    Path logFile() {
        return directory.resolve("logs").resolve("haproxy.log");
    }

    /**
     * The named pipe HAProxy's workers write each request to (host, status, {@code %Ta}), which
     * the plugin reads for the apps' metrics: HAProxy cannot append to a file.
     */
    Path requestLog() {
        return directory.resolve("logs").resolve("requests.pipe");
    }

    Path tlsDirectory() {
        return directory.resolve("tls");
    }
}
