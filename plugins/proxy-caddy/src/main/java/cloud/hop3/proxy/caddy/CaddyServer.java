package cloud.hop3.proxy.caddy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeoutException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import cloud.hop3.api.proxy.ProxyException;
import cloud.hop3.api.proxy.Upstream;
import cloud.hop3.plugin.support.server.ExternalServer;
import cloud.hop3.plugin.support.server.Handovers;
import cloud.hop3.plugin.support.server.ServerProcesses;
import cloud.hop3.plugin.support.server.SupervisedServer;

/**
 * The caddy process of the plugin, supervised: configurations are checked with
 * {@code caddy validate} before anything changes, the first one starts {@code caddy run}, the next
 * ones go through the admin API's {@code /load}: Caddy starts the new servers, and the old ones
 * finish the requests they serve in the background. (Caddy 2.6 binds a new listening socket for
 * the new servers and closes the old one, so a connection queued on the old socket at that instant
 * is reset.) A caddy that dies is started again with the last accepted configuration, after a
 * pause that grows with repeated deaths; one found running on the plugin's admin socket (left by a
 * previous instance) is adopted.
 * <p>
 * The process runs with {@code HOME} and the XDG directories set to the plugin's directory, so
 * Caddy keeps nothing of its own elsewhere.
 */
final class CaddyServer implements ExternalServer {

    private static final Logger LOG = LoggerFactory.getLogger(CaddyServer.class);
    private static final Duration VALIDATE_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration POLL = Duration.ofMillis(50);
    private static final int MAX_SOCKET_PATH = 100;

    private final CaddySettings settings;
    private final Path directory;
    private final CaddyAdmin admin;
    private final SupervisedServer process = new SupervisedServer("Caddy", this::restart,
            died -> LOG.warn("Caddy (pid {}) exited unexpectedly; it is started again with {}", died.pid(), CaddyFiles.CONFIG));

    CaddyServer(CaddySettings settings) {
        this.settings = settings;
        this.directory = settings.directory();
        this.admin = new CaddyAdmin(directory.resolve(CaddyFiles.ADMIN_SOCKET));
    }

    /**
     * Makes {@code json} Caddy's configuration: checks it, then starts caddy with it or loads it
     * into the running one. On a refusal the previous configuration keeps serving and the refused
     * one is left in {@value CaddyFiles#REJECTED}.
     */
    @Override
    public synchronized void load(String json) throws ProxyException {
        if (process.stopping()) {
            throw new ProxyException("The Caddy proxy is stopping; the routes were not changed.");
        }
        prepareDirectory();
        running(); // a caddy handed over by the previous instance is taken over, even if this configuration is refused
        Path candidate = directory.resolve(CaddyFiles.CANDIDATE);
        try {
            Files.writeString(candidate, json, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new ProxyException("The Caddy configuration could not be written to " + candidate + ": " + e.getMessage(), e);
        }
        validate(candidate);
        if (running()) {
            loadIntoRunning(candidate, json);
        } else {
            start(candidate);
        }
        move(candidate, directory.resolve(CaddyFiles.CONFIG));
    }

    private void validate(Path candidate) throws ProxyException {
        String output;
        int status;
        try {
            ServerProcesses.Result check = ServerProcesses.run(
                    command("validate", "--config", candidate.toString(), "--adapter", ""), VALIDATE_TIMEOUT);
            status = check.exit();
            output = check.output();
        } catch (TimeoutException e) {
            throw new ProxyException("caddy validate did not finish within " + VALIDATE_TIMEOUT.toSeconds()
                    + " seconds; the routes were not changed.");
        } catch (IOException e) {
            throw notInstalled("run", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ProxyException("Interrupted while Caddy checked its configuration; the routes were not changed.", e);
        }
        if (status != 0) {
            reject(candidate);
            throw new ProxyException("Caddy refused the new configuration (kept in "
                    + directory.resolve(CaddyFiles.REJECTED) + "); the previous one still serves:\n"
                    + CaddyErrors.fromOutput(output));
        }
    }

    private void loadIntoRunning(Path candidate, String json) throws ProxyException {
        CaddyAdmin.Answer answer;
        try {
            answer = admin.post("/load", json, settings.drainTimeout().plusSeconds(60));
        } catch (IOException e) {
            throw new ProxyException("Caddy's admin API (" + directory.resolve(CaddyFiles.ADMIN_SOCKET)
                    + ") did not take the configuration: " + e.getMessage() + "; the routes were not changed.", e);
        }
        if (!answer.ok()) {
            reject(candidate);
            throw new ProxyException("Caddy refused the new configuration (kept in "
                    + directory.resolve(CaddyFiles.REJECTED) + "); the previous one still serves:\n"
                    + CaddyErrors.fromAdmin(answer.body()));
        }
    }

    /** Whether the caddy this plugin started or adopted is alive. */
    @Override
    public boolean alive() {
        return process.current().isPresent();
    }

    private boolean running() {
        if (alive()) {
            return true;
        }
        if (Files.exists(directory.resolve(CaddyFiles.ADMIN_SOCKET)) && admin.answers()) {
            Optional<ProcessHandle> found = pidFromFile().flatMap(ProcessHandle::of);
            if (found.isPresent()) {
                LOG.info("Adopting the caddy process {} already running on {}", found.get().pid(),
                        directory.resolve(CaddyFiles.ADMIN_SOCKET));
                process.adopt(found.get(), directory.resolve(CaddyFiles.PID).toString());
                return true;
            }
            LOG.warn("A caddy answers on {} but its pid file names no live process; it is used without supervision",
                    directory.resolve(CaddyFiles.ADMIN_SOCKET));
            return true;
        }
        return false;
    }

    /** Starts caddy with {@code config} and waits until its admin API answers. */
    private void start(Path config) throws ProxyException {
        Path output = directory.resolve(CaddyFiles.OUTPUT);
        try {
            Files.deleteIfExists(directory.resolve(CaddyFiles.ADMIN_SOCKET)); // left by a caddy that died
            long before = ServerProcesses.logSize(output);
            Process started = ServerProcesses.start(command("run", "--config", config.toString(), "--adapter", "",
                    "--pidfile", directory.resolve(CaddyFiles.PID).toString()), output);
            long deadline = System.nanoTime() + settings.startTimeout().toNanos();
            while (true) {
                if (!started.isAlive()) {
                    throw new ProxyException("Caddy could not start (exit status " + started.exitValue()
                            + "; see " + output + "); the routes were not changed:\n" + CaddyErrors.fromOutput(ServerProcesses.logSince(output, before)));
                }
                if (admin.answers()) {
                    break;
                }
                if (System.nanoTime() > deadline) {
                    started.destroyForcibly();
                    throw new ProxyException("Caddy did not answer on its admin socket within "
                            + settings.startTimeout().toSeconds() + " seconds (see " + output + ").");
                }
                Thread.sleep(POLL.toMillis());
            }
            LOG.info("Caddy started (pid {}) on {}:{} with {}", started.pid(), settings.bindAddress(),
                    settings.httpPort(), config.getFileName());
            process.watch(started.toHandle());
        } catch (IOException e) {
            throw notInstalled("started", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ProxyException("Interrupted while Caddy started.", e);
        }
    }

    /** The program could not be {@code done} ("run", "started"): how to install it, or where it is configured. */
    private ProxyException notInstalled(String done, IOException e) {
        return new ProxyException("Caddy could not be " + done + " ('" + settings.binary() + "'): " + e.getMessage()
                + ". Install it (apt-get install caddy) or set binary in " + CaddyProxy.PID + ".", e);
    }

    private synchronized void restart() throws ProxyException {
        if (process.stopping() || running()) {
            return;
        }
        Path config = directory.resolve(CaddyFiles.CONFIG);
        if (Files.exists(config)) {
            start(config);
        }
    }

    /**
     * Waits until the caddy process has no connection left to any of {@code upstreams} (the
     * requests that a replaced configuration still forwards to them), or {@code timeout}.
     */
    @Override
    public boolean drain(Collection<Upstream> upstreams, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            Optional<Long> pid = pid();
            if (pid.isEmpty() || upstreams.isEmpty() || !ProcessConnections.available(pid.get())) {
                return true;
            }
            try {
                if (ProcessConnections.count(pid.get(), upstreams) == 0) {
                    return true;
                }
            } catch (IOException e) {
                LOG.debug("The connections of caddy could not be read: {}", e.getMessage());
                return true;
            }
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(POLL.toMillis());
        }
    }

    /** Stops caddy: it finishes the requests in flight (up to the drain timeout), then exits. */
    @Override
    public void stop() {
        ProcessHandle handle;
        synchronized (this) {
            handle = process.pause().orElse(null); // a load in progress has finished
        }
        process.close();
        if (handle != null && handle.isAlive()) {
            terminate(handle);
        }
    }

    /**
     * Leaves caddy serving for the instance that replaces this one (a change of the plugin's
     * configuration), which adopts it through its admin socket and pid file and loads its own
     * configuration into it. Stopped gracefully when nobody took it over within {@code wait}.
     */
    @Override
    public void handOver(Duration wait) {
        ProcessHandle handle;
        synchronized (this) {
            handle = process.pause().orElse(null); // a load in progress has finished
        }
        process.close();
        if (handle != null && handle.isAlive()) {
            Handovers.offer("Caddy", directory.resolve(CaddyFiles.PID).toString(), handle, wait, this::terminate);
        }
    }

    private void terminate(ProcessHandle handle) {
        // SIGTERM: Caddy stops gracefully
        if (ServerProcesses.terminate(handle, settings.drainTimeout().plusSeconds(10))) {
            LOG.info("Caddy (pid {}) stopped", handle.pid());
        } else {
            LOG.warn("Caddy (pid {}) did not stop in time; it was killed", handle.pid());
        }
    }

    /**
     * Stops caddy as {@code caddy stop} does (the admin API's {@code /stop}), leaving this server
     * usable: the next {@link #load} starts caddy again. Caddy closes its listeners, finishes the
     * requests in flight (up to the drain timeout) and exits; returns once it has exited, so
     * nothing listens any more.
     */
    @Override
    public void retire() {
        ProcessHandle handle;
        synchronized (this) {
            handle = process.forget().orElse(null); // its exit is not a death to restart from
        }
        if (handle == null || !handle.isAlive()) {
            return;
        }
        try {
            admin.post("/stop", "", settings.drainTimeout().plusSeconds(10));
        } catch (IOException e) {
            // caddy closes the admin socket while it stops; SIGTERM stops it gracefully as well
            LOG.debug("Caddy's /stop answered {}", e.toString());
            handle.destroy();
        }
        if (ServerProcesses.awaitExitOrKill(handle, settings.drainTimeout().plusSeconds(10))) {
            LOG.info("Caddy (pid {}) stopped gracefully", handle.pid());
        } else {
            LOG.warn("Caddy (pid {}) did not stop in time; it was killed", handle.pid());
        }
    }

    /** The pid of the supervised caddy, if one runs. */
    Optional<Long> pid() {
        return process.current().map(ProcessHandle::pid);
    }

    private ProcessBuilder command(String... arguments) {
        List<String> command = new ArrayList<>();
        command.add(settings.binary());
        command.addAll(List.of(arguments));
        ProcessBuilder builder = new ProcessBuilder(command).directory(directory.toFile());
        Map<String, String> env = builder.environment();
        env.put("HOME", directory.toString());
        env.put("XDG_DATA_HOME", directory.resolve("data").toString());
        env.put("XDG_CONFIG_HOME", directory.resolve("config").toString());
        return builder;
    }

    private void prepareDirectory() throws ProxyException {
        try {
            Files.createDirectories(directory);
            try {
                Files.setPosixFilePermissions(directory, PosixFilePermissions.fromString("rwx------"));
            } catch (UnsupportedOperationException e) {
                // not a POSIX file system: the admin socket is as private as the directory is
            }
        } catch (IOException e) {
            throw new ProxyException("The Caddy proxy's directory " + directory + " could not be created: " + e.getMessage(), e);
        }
        if (directory.resolve(CaddyFiles.ADMIN_SOCKET).toString().length() > MAX_SOCKET_PATH) {
            throw new ProxyException("The Caddy proxy's directory " + directory + " is too long a path for its admin"
                    + " socket (at most " + (MAX_SOCKET_PATH - CaddyFiles.ADMIN_SOCKET.length() - 1)
                    + " characters); set directory in " + CaddyProxy.PID + ".");
        }
    }

    private void reject(Path candidate) {
        try {
            move(candidate, directory.resolve(CaddyFiles.REJECTED));
        } catch (ProxyException e) {
            LOG.warn("The refused Caddy configuration could not be kept: {}", e.getMessage());
        }
    }

    private static void move(Path from, Path to) throws ProxyException {
        try {
            try {
                Files.move(from, to, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new ProxyException("Could not move " + from + " to " + to + ": " + e.getMessage(), e);
        }
    }

    private Optional<Long> pidFromFile() {
        try {
            return Optional.of(Long.parseLong(Files.readString(directory.resolve(CaddyFiles.PID)).strip()));
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }
}
