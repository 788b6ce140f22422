package cloud.hop3.addon.mariadb;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import cloud.hop3.api.addon.AddonException;
import cloud.hop3.plugin.support.server.ServerProcesses;

/**
 * The MariaDB programs of the machine's packages: the server and its data directory initialiser
 * (Debian's {@code mariadb-server}), the client and the dump tool ({@code mariadb-client}).
 * Looked up in the system's directories only, not on the platform's search path, so that an
 * app's or a user's directory never supplies the database server. Stateless.
 */
final class MariaDbBinaries {

    static final String PACKAGES = "apt-get install mariadb-server mariadb-client";
    private static final List<Path> DIRECTORIES = List.of(Path.of("/usr/sbin"), Path.of("/usr/bin"),
            Path.of("/usr/local/sbin"), Path.of("/usr/local/bin"), Path.of("/sbin"), Path.of("/bin"));

    private static final Pattern VERSION = Pattern.compile("Ver\\s+(\\d+\\.\\d+\\.\\d+)");
    private static final Duration VERSION_TIMEOUT = Duration.ofSeconds(10);

    private MariaDbBinaries() {
    }

    /** The server, {@code mariadbd}. */
    static Path server() throws AddonException {
        return find("mariadbd");
    }

    /** The data directory initialiser, {@code mariadb-install-db}. */
    static Path installDb() throws AddonException {
        return find("mariadb-install-db");
    }

    /** The command-line client, {@code mariadb}. */
    static Path client() throws AddonException {
        return find("mariadb");
    }

    /** The dump tool, {@code mariadb-dump}. */
    static Path dump() throws AddonException {
        return find("mariadb-dump");
    }

    /** The client's path, or its bare name when it is not installed (for a command line shown to a user). */
    static String clientOrName() {
        try {
            return client().toString();
        } catch (AddonException e) {
            return "mariadb";
        }
    }

    /**
     * The installed server's version ("10.11.19"), from {@code mariadbd --version}; "(not installed)"
     * or "(unknown version)" when it cannot tell.
     */
    static String serverVersion() {
        try {
            String output = ServerProcesses.run(List.of(server().toString(), "--version"), VERSION_TIMEOUT).output();
            Matcher m = VERSION.matcher(output);
            return m.find() ? m.group(1) : "(unknown version)";
        } catch (AddonException e) {
            return "(not installed)";
        } catch (IOException | TimeoutException e) {
            return "(unknown version)";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "(unknown version)";
        }
    }

    private static Path find(String program) throws AddonException {
        return DIRECTORIES.stream().map(d -> d.resolve(program)).filter(Files::isExecutable).findFirst()
                .orElseThrow(() -> new AddonException("MariaDB's " + program + " is not installed on this machine;"
                        + " install it (" + PACKAGES + ")"));
    }
}
