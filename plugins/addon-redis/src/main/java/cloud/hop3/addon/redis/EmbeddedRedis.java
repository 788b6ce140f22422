package cloud.hop3.addon.redis;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import cloud.hop3.api.addon.AddonCredentials;
import cloud.hop3.api.addon.AddonException;
import cloud.hop3.api.addon.AddonName;
import cloud.hop3.api.platform.ServiceAccount;
import cloud.hop3.plugin.support.server.ServerProcesses;
import cloud.hop3.plugin.support.server.FreePorts;

/**
 * Add-ons that are each a redis-server of their own, under the plugin's state directory, one
 * {@link RedisDirectory} and one {@link RedisServer} per add-on: a numbered database on a shared
 * server would let one app's password open every other app's data. At construction (the plugin's
 * activation) every add-on's server is adopted when it runs and started when it does not.
 * Dumps and restores are {@link RdbDumps}.
 */
final class EmbeddedRedis implements RedisBackend {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedRedis.class);
    private static final String HOST = "127.0.0.1";
    private static final Pattern KEYSPACE = Pattern.compile("db\\d+:keys=(\\d+)");

    private final Path state;
    private final ServiceAccount account;
    private final RedisBinaries binaries;
    private final Duration timeout;
    private final Map<String, RedisServer> servers = new ConcurrentHashMap<>();
    private final RdbDumps dumps;

    /**
     * @param home  the platform's home: the directories between it and {@code state} are opened
     *              for passing through (not listing), so that the account reaches its add-ons
     * @param state the plugin's state directory
     */
    EmbeddedRedis(Path home, Path state, ServiceAccount account, RedisBinaries binaries, Duration timeout)
            throws IOException {
        this.state = state.toAbsolutePath().normalize();
        this.account = account;
        this.binaries = binaries;
        this.timeout = timeout;
        this.dumps = new RdbDumps(binaries, account, timeout, this::admin);
        if (account.isolated()) {
            Path top = home.toAbsolutePath().normalize();
            // the account passes through, but lists nothing here
            Files.setPosixFilePermissions(this.state, PosixFilePermissions.fromString("rwx--x--x"));
            for (Path d = this.state.getParent(); d != null && d.startsWith(top) && !d.equals(top); d = d.getParent()) {
                Set<PosixFilePermission> modes = EnumSet.copyOf(Files.getPosixFilePermissions(d));
                if (modes.add(PosixFilePermission.OTHERS_EXECUTE)) {
                    Files.setPosixFilePermissions(d, modes);
                }
            }
            closedAbove().ifPresent(closed -> LOG.error("The Redis add-ons' servers cannot start: {}", closed));
        }
        startAll();
    }

    /** Why the account cannot reach the state directory: the first directory above it closed to others. */
    private Optional<String> closedAbove() {
        for (Path d = state; d != null; d = d.getParent()) {
            try {
                if (!Files.getPosixFilePermissions(d).contains(PosixFilePermission.OTHERS_EXECUTE)) {
                    return Optional.of("the servers' user " + account.user() + " cannot reach " + state + ": " + d
                            + " lets no other user pass (chmod o+x " + d + ")");
                }
            } catch (IOException e) {
                return Optional.of("cannot read the mode of " + d + ": " + e.getMessage());
            }
        }
        return Optional.empty();
    }

    private void startAll() throws IOException {
        try (Stream<Path> children = Files.list(state)) {
            for (Path child : children.sorted().toList()) {
                RedisDirectory directory = new RedisDirectory(child);
                if (!directory.exists()) {
                    continue;
                }
                String name = child.getFileName().toString();
                RedisServer server = server(name, directory);
                try {
                    server.adoptOrStart();
                } catch (AddonException e) {
                    LOG.error("Redis server of add-on {} does not start: {}", name, e.getMessage());
                    server.retryLater();
                }
            }
        }
    }

    private RedisServer server(String name, RedisDirectory directory) {
        return servers.computeIfAbsent(name, n -> new RedisServer(n, directory, binaries.server(), account, timeout));
    }

    @Override
    public String describe() {
        return "embedded Redis " + binaries.version().orElse("(not installed: apt-get install redis-server)")
                + ", a server per add-on";
    }

    @Override
    public AddonCredentials create(AddonName name, int maxMemoryMegabytes) throws AddonException {
        RedisDirectory directory = new RedisDirectory(state.resolve(name.value()));
        if (Files.exists(directory.path())) {
            throw new AddonException("A Redis add-on named '" + name + "' exists already (" + directory.path() + ")");
        }
        binaries.requireInstalled();
        Optional<String> closed = account.isolated() ? closedAbove() : Optional.empty();
        if (closed.isPresent()) {
            throw new AddonException("Redis add-on '" + name + "' cannot be created: " + closed.get());
        }
        String password = RedisDatabase.newPassword();
        int port;
        synchronized (this) { // two add-ons created at once take two ports
            port = freePort();
            try {
                directory.create(account, port, maxMemoryMegabytes, name.value(), password);
            } catch (IOException e) {
                deleteTree(directory.path());
                throw new AddonException("Cannot create the directory of Redis add-on '" + name + "' in " + state
                        + ": " + e.getMessage(), e);
            }
        }
        RedisServer server = server(name.value(), directory);
        AddonCredentials credentials = RedisDatabase.credentials(HOST, port, name.value(), password, "");
        try {
            server.start(List.of());
            awaitPong(credentials);
        } catch (AddonException e) {
            servers.remove(name.value());
            server.close();
            deleteTree(directory.path());
            throw e;
        }
        LOG.info("Redis add-on {} created on 127.0.0.1:{}", name, port);
        return credentials;
    }

    /** Waits until the server answers PING with the add-on's credentials (it may be loading its data). */
    private void awaitPong(AddonCredentials credentials) throws AddonException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            try (RespConnection connection = admin(credentials)) {
                if ("PONG".equals(connection.text("PING"))) {
                    return;
                }
            } catch (IOException e) {
                if (System.nanoTime() > deadline) {
                    throw new AddonException("The Redis server on 127.0.0.1:" + credentials.get("port")
                            + " does not answer PING with the add-on's credentials: " + e.getMessage(), e);
                }
            }
            try {
                Thread.sleep(ServerProcesses.POLL.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AddonException("Interrupted while waiting for Redis", e);
            }
        }
    }

    /** A free loopback port that no other add-on's configuration holds (a stopped server keeps its port). */
    private int freePort() throws AddonException {
        Set<Integer> taken = new HashSet<>();
        try (Stream<Path> children = Files.list(state)) {
            children.forEach(child -> new RedisDirectory(child).port().ifPresent(taken::add));
        } catch (IOException e) {
            throw new AddonException("Cannot read " + state + ": " + e.getMessage(), e);
        }
        for (int attempt = 0; attempt < 50; attempt++) {
            try {
                int port = FreePorts.any();
                if (!taken.contains(port)) {
                    return port;
                }
            } catch (IOException e) {
                throw new AddonException("Cannot find a free port on 127.0.0.1: " + e.getMessage(), e);
            }
        }
        throw new AddonException("Cannot find a free port on 127.0.0.1 that no add-on holds");
    }

    @Override
    public void destroy(AddonName name, AddonCredentials credentials) {
        RedisServer server = servers.remove(name.value());
        RedisDirectory directory = new RedisDirectory(state.resolve(name.value()));
        if (server == null && directory.exists()) {
            server = new RedisServer(name.value(), directory, binaries.server(), account, timeout);
            ServerProcesses.fromPidFile(directory.pidFile(),
                    p -> ServerProcesses.commandLine(p).contains(" " + directory.config()))
                    .ifPresent(p -> ServerProcesses.terminate(p, Duration.ofSeconds(10)));
        }
        if (server != null) {
            server.close();
        }
        deleteTree(directory.path());
        LOG.info("Redis add-on {} destroyed", name);
    }

    @Override
    public RespConnection admin(AddonCredentials credentials) throws IOException {
        return RespConnection.open(HOST, Integer.parseInt(credentials.get("port")), credentials.get("user"),
                credentials.get("password"), Duration.ofSeconds(5));
    }

    @Override
    public void persist(RespConnection connection) throws IOException {
        connection.call("ACL", "SAVE");
    }

    @Override
    public String server(AddonCredentials credentials) {
        return "embedded, " + HOST + ":" + credentials.values().get("port");
    }

    /** The server of an add-on, when it has one here. */
    RedisServer server(AddonName name) throws AddonException {
        RedisServer server = servers.get(name.value());
        if (server == null) {
            throw new AddonException("The Redis add-on '" + name + "' has no server in " + state);
        }
        return server;
    }

    @Override
    public long keys(AddonName name, AddonCredentials credentials) throws AddonException {
        try (RespConnection connection = admin(credentials)) {
            long keys = 0;
            for (String line : connection.text("INFO", "keyspace").split("\r?\n")) {
                Matcher m = KEYSPACE.matcher(line);
                if (m.lookingAt()) {
                    keys += Long.parseLong(m.group(1));
                }
            }
            return keys;
        } catch (IOException e) {
            throw new AddonException("Cannot count the keys of Redis add-on '" + name + "': " + e.getMessage(), e);
        }
    }

    @Override
    public void dump(AddonName name, AddonCredentials credentials, OutputStream out) throws AddonException {
        dumps.dump(server(name), credentials, out);
    }

    @Override
    public void restore(AddonName name, AddonCredentials credentials, InputStream in) throws AddonException {
        dumps.restore(server(name), credentials, in);
    }

    @Override
    public void close(boolean stopServers) {
        for (RedisServer server : servers.values()) {
            if (stopServers) {
                server.close();
            } else {
                server.release();
            }
        }
        servers.clear();
    }

    static void deleteTree(Path path) {
        RdbDumps.deleteTree(path);
    }
}
