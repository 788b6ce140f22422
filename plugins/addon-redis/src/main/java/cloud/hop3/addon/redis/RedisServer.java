package cloud.hop3.addon.redis;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import cloud.hop3.api.addon.AddonException;
import cloud.hop3.api.platform.ServiceAccount;
import cloud.hop3.plugin.support.server.ServerProcesses;
import cloud.hop3.plugin.support.server.SupervisedServer;

/**
 * The redis-server process of one embedded add-on, run as the plugin's service account with the
 * configuration of its {@link RedisDirectory}. It is started, or adopted when a server started
 * earlier (by a previous instance of the plugin) still runs: its pid file names a live process
 * whose title ends with this configuration file. Once started or adopted it is watched, and
 * started again when it dies, with back-off ({@link SupervisedServer}, one per server). {@link #release()}
 * stops watching and leaves it running (a bundle update); {@link #stop()} stops it.
 */
final class RedisServer {

    private static final Logger LOG = LoggerFactory.getLogger(RedisServer.class);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(10);

    private final String name;
    private final RedisDirectory directory;
    private final String binary;
    private final ServiceAccount account;
    private final Duration startTimeout;
    private final SupervisedServer process;

    RedisServer(String name, RedisDirectory directory, String binary, ServiceAccount account, Duration startTimeout) {
        this.name = name;
        this.directory = directory;
        this.binary = binary;
        this.account = account;
        this.startTimeout = startTimeout;
        this.process = new SupervisedServer("redis-" + name, this::restart, died -> LOG.warn(
                "Redis server of add-on {} (pid {}) exited; see {}", name, died.pid(), directory.log()));
    }

    String name() {
        return name;
    }

    RedisDirectory directory() {
        return directory;
    }

    int port() throws AddonException {
        return directory.port().orElseThrow(() -> new AddonException("The Redis add-on '" + name
                + "' has no port in " + directory.config()));
    }

    boolean running() {
        return process.current().isPresent();
    }

    Optional<Long> pid() {
        return process.current().map(ProcessHandle::pid);
    }

    /** Adopts the server when it runs already, else starts it; either way it is watched. */
    synchronized void adoptOrStart() throws AddonException {
        if (running()) {
            return;
        }
        Optional<ProcessHandle> running = ServerProcesses.fromPidFile(directory.pidFile(),
                p -> ServerProcesses.commandLine(p).contains(" " + directory.config()));
        if (running.isPresent()) {
            process.resume();
            LOG.info("Redis server of add-on {} adopted (pid {})", name, running.get().pid());
            process.watch(running.get());
        } else {
            start(List.of());
        }
    }

    /**
     * Starts the server (with {@code overrides}, configuration directives given on its command
     * line after the file) and waits until it answers; the end of its log in the exception when
     * it does not.
     */
    synchronized void start(List<String> overrides) throws AddonException {
        process.resume();
        long mark = ServerProcesses.logSize(directory.log());
        List<String> argv = new ArrayList<>(List.of(binary, directory.config().toString()));
        argv.addAll(overrides);
        Process started;
        try {
            started = ServerProcesses.start(new ProcessBuilder(account.wrap(argv)).directory(directory.path().toFile()),
                    directory.log());
        } catch (IOException e) {
            throw new AddonException("Cannot start Redis ('" + binary + "'): " + e.getMessage()
                    + ". Install it (Debian: apt-get install redis-server) or set the plugin's redisServer path.", e);
        }
        ProcessHandle handle = started.toHandle();
        int port = port();
        long deadline = System.nanoTime() + startTimeout.toNanos();
        while (true) {
            if (!handle.isAlive()) {
                throw new AddonException("The Redis server of add-on '" + name + "' stopped at once: " + logSince(mark));
            }
            if (answers(port)) {
                LOG.info("Redis server of add-on {} started (pid {}, 127.0.0.1:{})", name, handle.pid(), port);
                process.watch(handle);
                return;
            }
            if (System.nanoTime() > deadline) {
                ServerProcesses.terminate(handle, STOP_TIMEOUT);
                throw new AddonException("The Redis server of add-on '" + name + "' did not answer within "
                        + startTimeout.toSeconds() + " s: " + logSince(mark));
            }
            pause();
        }
    }

    /** Whether the server answers: a PING refused for want of authentication is an answer, loading is not. */
    private static boolean answers(int port) {
        try (RespConnection connection = RespConnection.open("127.0.0.1", port, Duration.ofSeconds(2))) {
            connection.call("PING");
            return true;
        } catch (RespConnection.RedisError e) {
            return e.getMessage().startsWith("NOAUTH");
        } catch (IOException e) {
            return false;
        }
    }

    /** A start failed where nobody waits for it (the plugin's activation): try again later, with back-off. */
    void retryLater() {
        process.restartLater();
    }

    private synchronized void restart() throws AddonException {
        if (!process.stopping() && !running()) {
            start(List.of());
        }
    }

    /** Stops the server and no longer restarts it; this object can start it again. */
    synchronized void stop() {
        ProcessHandle handle = process.pause().orElse(null);
        if (handle != null && handle.isAlive()) {
            ServerProcesses.terminate(handle, STOP_TIMEOUT);
            LOG.info("Redis server of add-on {} stopped", name);
        }
    }

    /** Stops watching for good and leaves the server running, for the next instance of the plugin to adopt. */
    synchronized void release() {
        process.close();
    }

    /** Stops the server for good. */
    synchronized void close() {
        stop();
        process.close();
    }

    String logSince(long mark) {
        List<String> lines = ServerProcesses.logSince(directory.log(), mark).lines().filter(l -> !l.isBlank()).toList();
        if (lines.isEmpty()) {
            return "(nothing in " + directory.log() + ")";
        }
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 10), lines.size()));
    }

    private static void pause() {
        try {
            Thread.sleep(ServerProcesses.POLL.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
