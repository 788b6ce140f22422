package cloud.hop3.addon.redis;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import cloud.hop3.api.addon.AddonException;
import cloud.hop3.plugin.support.server.ServerProcesses;

/**
 * The machine's {@code redis-server} and {@code redis-cli} (Debian: the {@code redis-server} and
 * {@code redis-tools} packages), and the server's version ({@code redis-server --version}), asked
 * once.
 *
 * @param server the redis-server executable: a name on the search path or an absolute path
 * @param cli    the redis-cli executable
 */
record RedisBinaries(String server, String cli, Optional<String> version) {

    private static final Pattern VERSION = Pattern.compile("v=(\\d+\\.\\d+\\.\\d+)");

    /** Asks {@code server} its version; empty when it cannot be run. */
    static RedisBinaries of(String server, String cli) {
        try {
            ServerProcesses.Result result = ServerProcesses.run(List.of(server, "--version"), Duration.ofSeconds(10));
            Matcher m = VERSION.matcher(result.output());
            return new RedisBinaries(server, cli, result.exit() == 0 && m.find() ? Optional.of(m.group(1)) : Optional.empty());
        } catch (IOException | TimeoutException e) {
            return new RedisBinaries(server, cli, Optional.empty());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new RedisBinaries(server, cli, Optional.empty());
        }
    }

    /** An {@link AddonException} naming the package to install, when the server cannot be run. */
    void requireInstalled() throws AddonException {
        if (version.isEmpty()) {
            throw new AddonException("Redis is not installed ('" + server + "' cannot be run): install it (Debian:"
                    + " apt-get install redis-server redis-tools) or set redisServer in cloud.hop3.addon.redis");
        }
    }
}
