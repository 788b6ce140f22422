package cloud.hop3.proxy.nginx;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import cloud.hop3.api.proxy.ProxyException;
import cloud.hop3.api.proxy.Upstream;
import cloud.hop3.plugin.support.files.AtomicFiles;
import cloud.hop3.plugin.support.server.ExternalServer;
import cloud.hop3.plugin.support.server.Handovers;
import cloud.hop3.plugin.support.server.ServerProcesses;
import cloud.hop3.plugin.support.server.SupervisedServer;
import cloud.hop3.plugin.support.server.ServerProcesses.Result;

/**
 * One nginx master process and its configuration file. Checks every new configuration with
 * {@code nginx -t} before it replaces the serving one, reloads with {@code nginx -s reload} (the
 * master starts new workers and lets the old ones finish their requests), starts nginx when none
 * runs, restarts it when it dies, and stops it gracefully.
 * <p>
 * Starting, supervising and stopping the process go through the plugins' shared
 * {@link ServerProcesses} and {@link SupervisedServer}; nginx's own signals stay here.
 * nginx runs in the foreground ({@code daemon off}) as a child of this process, with its pid
 * file, logs and temporary files under the settings' directory; a master left running by an
 * earlier instance (a bundle update) is found by its pid file and taken over.
 */
final class NginxServer implements ExternalServer {

    private static final Logger LOG = LoggerFactory.getLogger(NginxServer.class);
    private static final Duration CHECK_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration START_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration POLL = Duration.ofMillis(20);

    private final NginxSettings settings;
    private final SupervisedServer master = new SupervisedServer("nginx", this::restart,
            died -> LOG.warn("nginx (pid {}) died", died.pid()));
    private Set<Long> retiringWorkers = Set.of();
    /** The workers of the master as last seen: a master killed outright leaves them serving. */
    private Set<Long> knownWorkers = Set.of();

    NginxServer(NginxSettings settings) {
        this.settings = settings;
    }

    /**
     * Makes {@code config} the serving configuration: checks it, then starts nginx with it or
     * reloads the running nginx, and returns when new workers serve it.
     *
     * @throws ProxyException when nginx refuses it (the previous configuration keeps serving; the
     *                        refused one is left in {@code nginx.conf.rejected}) or cannot start
     */
    @Override
    public synchronized void load(String config) throws ProxyException {
        if (master.stopping()) {
            throw new ProxyException("The nginx proxy is stopping");
        }
        running(); // a master handed over by the previous instance is taken over, even if this configuration is refused
        Path next = settings.directory().resolve("nginx.conf.next");
        Path rejected = settings.directory().resolve("nginx.conf.rejected");
        try {
            prepareDirectories();
            AtomicFiles.write(next, config, AtomicFiles.PUBLIC);
        } catch (IOException e) {
            throw new ProxyException("Could not write the nginx configuration in " + settings.directory() + ": " + e.getMessage(), e);
        }
        String failure = check(next);
        try {
            if (failure != null) {
                Files.move(next, rejected, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                throw new ProxyException("nginx refused the new configuration (kept in " + rejected + "):\n" + failure);
            }
            Files.move(next, settings.configFile(), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            Files.deleteIfExists(rejected);
        } catch (IOException e) {
            throw new ProxyException("Could not replace " + settings.configFile() + ": " + e.getMessage(), e);
        }
        Optional<ProcessHandle> running = running();
        if (running.isPresent()) {
            reload(running.get());
        } else {
            start();
        }
    }

    /** The error lines of {@code nginx -t} for {@code file}, or null when it is valid. */
    String check(Path file) throws ProxyException {
        Result result = run(List.of("-t", "-q"), file);
        return result.exit() == 0 ? null : NginxErrors.message(result.output(), "nginx -t failed with exit code " + result.exit());
    }

    /**
     * Waits until the workers that served before the last reload have finished their requests and
     * exited, or until {@code timeout}: nginx drains a whole generation of workers, whichever
     * {@code upstreams} their requests went to.
     */
    @Override
    public boolean drain(Collection<Upstream> upstreams, Duration timeout) throws InterruptedException {
        Set<Long> old;
        synchronized (this) {
            old = retiringWorkers;
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        while (old.stream().anyMatch(pid -> ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false))) {
            if (System.nanoTime() >= deadline) {
                return false;
            }
            Thread.sleep(POLL.toMillis());
        }
        return true;
    }

    /** Stops nginx gracefully (requests in flight finish, up to the drain timeout), then for good. */
    @Override
    public void stop() {
        Optional<ProcessHandle> handle;
        synchronized (this) {
            handle = master.pause(); // a load in progress has finished
        }
        master.close();
        if (handle.isPresent() && handle.get().isAlive()) {
            quit(handle.get());
        }
    }

    /**
     * Stops nginx gracefully, as {@link #stop} does, but leaves this server usable: the next
     * {@link #load} starts nginx again. The master closes its listening sockets at once, the
     * workers finish the requests in flight; returns once the master has exited, so nothing
     * listens any more (at most the drain timeout and 5 s).
     */
    @Override
    public void retire() {
        ProcessHandle handle;
        synchronized (this) {
            handle = running().orElse(null);
            master.forget(); // its exit is not a death to restart from
            knownWorkers = Set.of();
        }
        if (handle != null) {
            quit(handle);
        }
    }

    /**
     * Leaves nginx serving for the instance that replaces this one (a change of the plugin's
     * configuration); that instance adopts it from the pid file and reloads it with its own
     * configuration. Stopped gracefully when nobody took it over within {@code wait}.
     */
    @Override
    public void handOver(Duration wait) {
        Optional<ProcessHandle> handle;
        synchronized (this) {
            handle = master.pause(); // a load in progress has finished
        }
        master.close();
        if (handle.isPresent() && handle.get().isAlive()) {
            Handovers.offer("nginx", settings.pidFile().toString(), handle.get(), wait, this::quit);
        }
    }

    private void quit(ProcessHandle handle) {
        try {
            run(List.of("-s", "quit"), settings.configFile());
            ServerProcesses.awaitExitOrKill(handle, settings.drainTimeout().plusSeconds(5));
        } catch (ProxyException e) {
            LOG.warn("nginx did not take the quit signal: {}", e.getMessage());
            handle.destroyForcibly();
        }
        LOG.info("nginx stopped (pid {})", handle.pid());
    }

    @Override
    public boolean alive() {
        return running().isPresent();
    }

    /**
     * The nginx master serving, if any. A stopped server adopts nothing: the master that its pid
     * file names then belongs to the instance that replaced it (same directory, after a change of
     * the plugin's configuration or a bundle update), which a late {@link #retire} must not stop.
     */
    synchronized Optional<ProcessHandle> running() {
        Optional<ProcessHandle> supervised = master.current();
        if (supervised.isPresent()) {
            return supervised;
        }
        if (master.stopping()) {
            return Optional.empty();
        }
        Optional<ProcessHandle> adopted = fromPidFile();
        adopted.ifPresent(p -> master.adopt(p, settings.pidFile().toString()));
        return adopted;
    }

    /** The worker processes of the running master. */
    Set<Long> workers() {
        return running().map(m -> m.children().map(ProcessHandle::pid).collect(Collectors.toSet())).orElse(Set.of());
    }

    private void reload(ProcessHandle running) throws ProxyException {
        Set<Long> before = running.children().map(ProcessHandle::pid).collect(Collectors.toSet());
        long logMark = errorLogSize();
        run(List.of("-s", "reload"), settings.configFile());
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (running.children().allMatch(c -> before.contains(c.pid()))) {
            if (!running.isAlive() || System.nanoTime() >= deadline) {
                throw new ProxyException("nginx did not take the new configuration; the previous one still serves:\n"
                        + NginxErrors.message(errorLogSince(logMark), "no new worker process started"));
            }
            sleep();
        }
        // The new configuration serves every new connection only once the old workers have
        // stopped accepting: each closes its listening sockets right after it renames itself
        // "worker process is shutting down", which /proc shows.
        while (!before.stream().allMatch(NginxServer::stoppedAccepting)) {
            if (System.nanoTime() >= deadline) {
                LOG.warn("nginx's old workers {} still accept connections {} s after the reload", before,
                        START_TIMEOUT.toSeconds());
                break;
            }
            sleep();
        }
        // workers of an earlier reload that are still finishing keep being waited for
        Set<Long> retiring = new java.util.HashSet<>(before);
        retiringWorkers.stream().filter(pid -> ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false))
                .forEach(retiring::add);
        retiringWorkers = Set.copyOf(retiring);
        knownWorkers = running.children().map(ProcessHandle::pid).collect(Collectors.toSet());
    }

    /** Whether a worker is gone or shutting down; true where /proc cannot tell. */
    static boolean stoppedAccepting(long pid) {
        Path cmdline = Path.of("/proc", String.valueOf(pid), "cmdline");
        if (!Files.isDirectory(Path.of("/proc/self"))) {
            return true;
        }
        try {
            return new String(Files.readAllBytes(cmdline), StandardCharsets.UTF_8).contains("shutting down");
        } catch (IOException e) {
            return true;
        }
    }

    private void start() throws ProxyException {
        long logMark = errorLogSize();
        Process process;
        try {
            process = ServerProcesses.start(new ProcessBuilder(command(List.of(), settings.configFile())),
                    settings.logs().resolve("nginx.out"));
        } catch (IOException e) {
            throw notInstalled("start", e);
        }
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (process.isAlive() && process.children().findAny().isEmpty()) {
            if (System.nanoTime() >= deadline) {
                process.destroyForcibly();
                break;
            }
            sleep();
        }
        if (!process.isAlive()) {
            throw new ProxyException("nginx could not start:\n" + NginxErrors.message(errorLogSince(logMark),
                    "it exited with code " + process.exitValue() + "; see " + settings.logs()));
        }
        LOG.info("nginx started (pid {}) with {}", process.pid(), settings.configFile());
        retiringWorkers = Set.of();
        knownWorkers = process.children().map(ProcessHandle::pid).collect(Collectors.toSet());
        master.watch(process.toHandle());
    }

    /** nginx could not {@code act} ("run", "start"): how to install it, or where it is configured. */
    private ProxyException notInstalled(String act, IOException e) {
        return new ProxyException("Could not " + act + " nginx ('" + settings.binary() + "'): " + e.getMessage()
                + "; install it (apt-get install nginx) or set the binary in " + NginxProxy.PID, e);
    }

    private synchronized void restart() throws ProxyException {
        if (master.stopping() || running().isPresent()) {
            return;
        }
        stopOrphanedWorkers();
        start();
    }

    /**
     * Stops the workers that a master killed outright left behind: they still hold the listening
     * sockets, so a new master could not bind them.
     */
    private void stopOrphanedWorkers() throws ProxyException {
        List<ProcessHandle> orphans = knownWorkers.stream().map(ProcessHandle::of).flatMap(Optional::stream)
                .filter(ProcessHandle::isAlive)
                .filter(p -> p.info().command().map(c -> c.contains("nginx")).orElse(false))
                .toList();
        orphans.forEach(ProcessHandle::destroy);
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (orphans.stream().anyMatch(ProcessHandle::isAlive) && System.nanoTime() < deadline) {
            sleep();
        }
        orphans.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
        knownWorkers = Set.of();
    }

    private Optional<ProcessHandle> fromPidFile() {
        return ServerProcesses.fromPidFile(settings.pidFile(),
                p -> p.info().command().map(c -> c.contains("nginx")).orElse(false));
    }

    private Result run(List<String> arguments, Path config) throws ProxyException {
        try {
            return ServerProcesses.run(command(arguments, config), CHECK_TIMEOUT);
        } catch (TimeoutException e) {
            throw new ProxyException("nginx " + String.join(" ", arguments) + " took longer than " + CHECK_TIMEOUT.toSeconds() + " s");
        } catch (IOException e) {
            throw notInstalled("run", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ProxyException("Interrupted while running nginx", e);
        }
    }

    private List<String> command(List<String> arguments, Path config) {
        List<String> command = new ArrayList<>();
        command.add(settings.binary());
        command.addAll(arguments);
        command.add("-p");
        command.add(settings.directory() + "/");
        command.add("-e");
        command.add(settings.errorLog().toString());
        command.add("-c");
        command.add(config.toString());
        return command;
    }

    private void prepareDirectories() throws IOException {
        Files.createDirectories(settings.directory());
        Files.createDirectories(settings.pidFile().getParent());
        Files.createDirectories(settings.logs());
        Files.createDirectories(settings.temp());
    }

    private long errorLogSize() {
        return ServerProcesses.logSize(settings.errorLog());
    }

    private String errorLogSince(long mark) {
        return ServerProcesses.logSince(settings.errorLog(), mark);
    }

    private static void sleep() throws ProxyException {
        try {
            Thread.sleep(POLL.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ProxyException("Interrupted while waiting for nginx", e);
        }
    }
}
