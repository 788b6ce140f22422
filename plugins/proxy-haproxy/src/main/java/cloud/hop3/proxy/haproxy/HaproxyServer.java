package cloud.hop3.proxy.haproxy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeoutException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import cloud.hop3.api.proxy.ProxyException;
import cloud.hop3.plugin.support.server.Handovers;
import cloud.hop3.plugin.support.server.ServerProcesses;
import cloud.hop3.plugin.support.server.SupervisedServer;

/**
 * One HAProxy in master-worker mode ({@code -W -S <master socket>}), run as a child of the platform
 * with its pid file, sockets and log under the plugin's directory.
 * <p>
 * A reload is the master's {@code reload} command: the master re-executes itself, reads the
 * configuration again and forks a new worker, which receives the listening sockets of the old one
 * through the admin socket ({@code expose-fd listeners}), so no connection is refused; the old
 * worker finishes its requests and exits. The server is restarted when it dies, stopped with
 * {@link #stop()}, and a master left running by a previous instance of the plugin (its pid file
 * names a live process started with this configuration file) is adopted rather than started twice.
 * Starting, restarting with back-off and stopping go through the plugins' shared
 * {@link ServerProcesses} and {@link SupervisedServer}; the master CLI stays here.
 */
final class HaproxyServer {

    private static final Logger LOG = LoggerFactory.getLogger(HaproxyServer.class);
    private static final long POLL_MILLIS = 25;

    private final HaproxySettings settings;
    private final MasterCli cli;
    private final SupervisedServer master = new SupervisedServer("HAProxy", this::restart,
            died -> LOG.warn("HAProxy master {} exited", died.pid()));

    HaproxyServer(HaproxySettings settings) {
        this.settings = settings;
        this.cli = new MasterCli(settings.masterSocket());
    }

    /** Runs HAProxy's own check ({@code haproxy -c -f}) on a configuration file. */
    void check(Path config) throws ProxyException {
        List<String> output = new ArrayList<>();
        int code = run(List.of(settings.binary(), "-c", "-f", config.toString()), output);
        if (code != 0) {
            List<String> alerts = output.stream().filter(l -> l.contains("ALERT")).map(HaproxyServer::withoutPid).toList();
            throw new ProxyException("HAProxy refused the configuration (" + config + "): "
                    + String.join("\n", alerts.isEmpty() ? output : alerts));
        }
    }

    private static String withoutPid(String line) {
        return line.replaceFirst("^\\[(ALERT|WARNING)\\]\\s*\\(\\d+\\)\\s*:\\s*(config\\s*:\\s*)?", "");
    }

    private int run(List<String> command, List<String> output) throws ProxyException {
        try {
            ServerProcesses.Result result = ServerProcesses.run(command, settings.checkTimeout());
            result.output().lines().filter(l -> !l.isBlank()).forEach(output::add);
            return result.exit();
        } catch (TimeoutException e) {
            throw new ProxyException("HAProxy's configuration check took longer than " + settings.checkTimeout());
        } catch (IOException e) {
            throw new ProxyException("Cannot run HAProxy ('" + settings.binary() + "'): " + e.getMessage()
                    + ". Install it (Debian: apt-get install haproxy) or set the plugin's binary path.", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ProxyException("Interrupted while checking HAProxy's configuration", e);
        }
    }

    boolean running() {
        return master.current().isPresent();
    }

    /** Starts HAProxy with the configuration file, or makes the running one reload it. */
    synchronized void startOrReload() throws ProxyException {
        adoptRunning();
        if (running()) {
            reload();
        } else {
            start();
        }
    }

    /**
     * Takes over the master that a previous instance of the plugin left running (a bundle update,
     * or a change of the plugin's configuration, which hands it over), when none is supervised.
     */
    synchronized void adoptRunning() {
        if (!running() && !master.stopping()) {
            adoptable().ifPresent(adopted -> {
                LOG.info("HAProxy master {} from a previous run adopted", adopted.pid());
                master.adopt(adopted, settings.pidFile().toString());
            });
        }
    }

    private Optional<ProcessHandle> adoptable() {
        return ServerProcesses.fromPidFile(settings.pidFile(), process -> {
            String command = ServerProcesses.commandLine(process);
            return command.contains(settings.configFile().toString()) && command.contains(settings.masterSocket().toString());
        });
    }

    private void start() throws ProxyException {
        master.resume();
        long logStart = logSize();
        ProcessHandle started;
        try {
            Files.createDirectories(settings.masterSocket().getParent());
            Files.createDirectories(settings.logFile().getParent());
            Files.deleteIfExists(settings.masterSocket());
            Process process = ServerProcesses.start(new ProcessBuilder(command()), settings.logFile());
            started = process.toHandle();
        } catch (IOException e) {
            throw new ProxyException("Cannot start HAProxy ('" + settings.binary() + "'): " + e.getMessage(), e);
        }
        long deadline = System.nanoTime() + settings.checkTimeout().toNanos();
        while (System.nanoTime() < deadline) {
            if (!started.isAlive()) {
                throw new ProxyException("HAProxy stopped at once: " + logSince(logStart));
            }
            try {
                if (!cli.showProc().workers().isEmpty()) {
                    LOG.info("HAProxy started (master {}), listening on {}:{}", started.pid(), settings.bindAddress(),
                            settings.httpPort());
                    master.watch(started);
                    return;
                }
            } catch (IOException e) {
                // not answering yet
            }
            pause();
        }
        throw new ProxyException("HAProxy did not start within " + settings.checkTimeout() + ": " + logSince(logStart));
    }

    /**
     * The command that starts HAProxy. When the plugin's request pipe is there, through a shell
     * that gives it to HAProxy as its standard output, opened for reading and writing: opening
     * it never waits for a reader, and while none reads, the pipe fills and HAProxy drops the
     * lines instead of waiting. Its errors go to its log either way.
     */
    private List<String> command() {
        List<String> haproxy = List.of(settings.binary(), "-W", "-S", settings.masterSocket() + ",mode,600",
                "-f", settings.configFile().toString(), "-p", settings.pidFile().toString());
        if (!isPipe(settings.requestLog())) {
            return haproxy;
        }
        List<String> command = new ArrayList<>(List.of("/bin/sh", "-c", "pipe=$1; shift; exec \"$@\" 1<>\"$pipe\"",
                "sh", settings.requestLog().toString()));
        command.addAll(haproxy);
        return command;
    }

    /**
     * Whether HAProxy's workers write their standard output to the request pipe: the master that
     * runs, or that a start would adopt, has it as its standard output (one started by an earlier
     * version of the plugin may not), or none runs and a start gives it. When not, the
     * configuration must not log requests: they would go to the master's log, which nobody reads.
     */
    synchronized boolean writesTo(Path pipe) {
        if (!isPipe(pipe)) {
            return false;
        }
        Optional<ProcessHandle> running = master.current().or(this::adoptable);
        if (running.isEmpty()) {
            return true;
        }
        try {
            Path output = Files.readSymbolicLink(Path.of("/proc", Long.toString(running.get().pid()), "fd", "1"));
            return Files.isSameFile(output, pipe);
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            return false;
        }
    }

    private static boolean isPipe(Path path) {
        try {
            return Files.readAttributes(path, java.nio.file.attribute.BasicFileAttributes.class,
                    java.nio.file.LinkOption.NOFOLLOW_LINKS).isOther();
        } catch (IOException e) {
            return false;
        }
    }

    private void reload() throws ProxyException {
        long logStart = logSize();
        MasterCli.Processes before;
        try {
            before = cli.showProc();
            cli.send("reload");
        } catch (IOException e) {
            throw new ProxyException("HAProxy's master does not answer on " + settings.masterSocket() + ": "
                    + e.getMessage(), e);
        }
        long deadline = System.nanoTime() + settings.checkTimeout().toNanos();
        while (System.nanoTime() < deadline) {
            try {
                MasterCli.Processes now = cli.showProc();
                if (now.reloads() > before.reloads()) {
                    if (now.workers().stream().anyMatch(pid -> !before.workers().contains(pid))) {
                        return;
                    }
                    throw new ProxyException("HAProxy could not load the new configuration; the previous one keeps"
                            + " serving: " + logSince(logStart));
                }
            } catch (IOException e) {
                // the master is re-executing itself
            }
            pause();
        }
        throw new ProxyException("HAProxy did not finish its reload within " + settings.checkTimeout() + ": "
                + logSince(logStart));
    }

    /**
     * Waits until the workers from before the last reload have finished their requests and exited.
     *
     * @return true when they did within {@code timeout}
     */
    boolean awaitOldWorkers(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        do {
            if (!running()) {
                return true;
            }
            try {
                if (cli.showProc().oldWorkers().isEmpty()) {
                    return true;
                }
            } catch (IOException e) {
                // reloading: ask again
            }
            Thread.sleep(POLL_MILLIS);
        } while (System.nanoTime() < deadline);
        return false;
    }

    private synchronized void restart() throws ProxyException {
        if (!master.stopping() && !running()) {
            start();
        }
    }

    /** Stops HAProxy (its workers close their connections). */
    synchronized void stop() {
        ProcessHandle handle = master.pause().orElse(null);
        master.close();
        if (handle == null || !handle.isAlive()) {
            return;
        }
        ServerProcesses.terminate(handle, Duration.ofSeconds(5));
        LOG.info("HAProxy stopped");
    }

    /**
     * Leaves HAProxy serving for the instance that replaces this one (a change of the plugin's
     * configuration), which adopts it from the pid file and reloads it with its own configuration.
     * Stopped when nobody took it over within {@code wait}.
     */
    void handOver(Duration wait) {
        ProcessHandle handle;
        synchronized (this) {
            handle = master.pause().orElse(null);
        }
        master.close();
        if (handle != null && handle.isAlive()) {
            Handovers.offer("HAProxy", settings.pidFile().toString(), handle, wait, h -> {
                ServerProcesses.terminate(h, Duration.ofSeconds(5));
                LOG.info("HAProxy stopped");
            });
        }
    }

    /**
     * Soft-stops HAProxy, leaving this server usable (the next {@link #startOrReload} starts it
     * again): the master passes {@code SIGUSR1} to its workers, which close their listening
     * sockets at once, finish the requests in flight and exit, then the master exits. Returns once
     * the master has exited, so nothing listens any more; a master still there after
     * {@code timeout} is stopped hard.
     */
    synchronized void softStop(Duration timeout) {
        ProcessHandle handle = master.pause().orElse(null);
        if (handle == null || !handle.isAlive()) {
            return;
        }
        try {
            ServerProcesses.Result signal = ServerProcesses.run(List.of("kill", "-USR1", Long.toString(handle.pid())),
                    settings.checkTimeout());
            if (signal.exit() != 0) {
                LOG.warn("HAProxy's master {} did not take the soft-stop signal: {}", handle.pid(), signal.output());
            }
        } catch (IOException | TimeoutException e) {
            LOG.warn("HAProxy's master {} could not be sent the soft-stop signal: {}", handle.pid(), e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (ServerProcesses.awaitExitOrKill(handle, timeout)) {
            LOG.info("HAProxy stopped gracefully (master {})", handle.pid());
        } else {
            LOG.warn("HAProxy still had requests in flight {} after its soft stop; it was stopped", timeout);
        }
    }

    Optional<Long> masterPid() {
        return master.current().map(ProcessHandle::pid);
    }

    private long logSize() {
        return ServerProcesses.logSize(settings.logFile());
    }

    private String logSince(long position) {
        List<String> lines = ServerProcesses.logSince(settings.logFile(), position).lines()
                .filter(l -> l.contains("ALERT") || l.contains("WARNING")).map(HaproxyServer::withoutPid).toList();
        return lines.isEmpty() ? "(nothing in " + settings.logFile() + ")" : String.join("\n", lines);
    }

    private static void pause() {
        try {
            Thread.sleep(POLL_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
