package cloud.hop3.proxy.haproxy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import cloud.hop3.api.proxy.ProxyException;

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
 */
final class HaproxyServer {

    private static final Logger LOG = LoggerFactory.getLogger(HaproxyServer.class);
    private static final long POLL_MILLIS = 25;

    private final HaproxySettings settings;
    private final MasterCli cli;
    private ProcessHandle master;
    private volatile boolean stopping;
    private int restarts;

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
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            process.getOutputStream().close();
            byte[] bytes;
            try (InputStream in = process.getInputStream()) {
                bytes = in.readAllBytes();
            }
            if (!process.waitFor(settings.checkTimeout().toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw new ProxyException("HAProxy's configuration check took longer than " + settings.checkTimeout());
            }
            new String(bytes, StandardCharsets.UTF_8).lines().filter(l -> !l.isBlank()).forEach(output::add);
            return process.exitValue();
        } catch (IOException e) {
            throw new ProxyException("Cannot run HAProxy ('" + settings.binary() + "'): " + e.getMessage()
                    + ". Install it (Debian: apt-get install haproxy) or set the plugin's binary path.", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ProxyException("Interrupted while checking HAProxy's configuration", e);
        }
    }

    synchronized boolean running() {
        return master != null && master.isAlive();
    }

    /** Starts HAProxy with the configuration file, or makes the running one reload it. */
    synchronized void startOrReload() throws ProxyException {
        if (master == null || !master.isAlive()) {
            master = adoptable().orElse(null);
            if (master != null) {
                LOG.info("HAProxy master {} from a previous run adopted", master.pid());
                watch(master);
            }
        }
        if (master == null || !master.isAlive()) {
            start();
        } else {
            reload();
        }
    }

    private Optional<ProcessHandle> adoptable() {
        try {
            if (!Files.isRegularFile(settings.pidFile())) {
                return Optional.empty();
            }
            long pid = Long.parseLong(Files.readString(settings.pidFile()).lines().findFirst().orElse("").strip());
            Optional<ProcessHandle> handle = ProcessHandle.of(pid).filter(ProcessHandle::isAlive);
            if (handle.isEmpty()) {
                return Optional.empty();
            }
            String cmdline = Files.readString(Path.of("/proc", Long.toString(pid), "cmdline")).replace('\0', ' ');
            return cmdline.contains(settings.configFile().toString()) && cmdline.contains(settings.masterSocket().toString())
                    ? handle : Optional.empty();
        } catch (IOException | NumberFormatException | SecurityException e) {
            return Optional.empty();
        }
    }

    private void start() throws ProxyException {
        stopping = false;
        long logStart = logSize();
        try {
            Files.createDirectories(settings.masterSocket().getParent());
            Files.createDirectories(settings.logFile().getParent());
            Files.deleteIfExists(settings.masterSocket());
            Process process = new ProcessBuilder(settings.binary(), "-W", "-S", settings.masterSocket() + ",mode,600",
                    "-f", settings.configFile().toString(), "-p", settings.pidFile().toString())
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(settings.logFile().toFile()))
                    .start();
            process.getOutputStream().close();
            master = process.toHandle();
        } catch (IOException e) {
            throw new ProxyException("Cannot start HAProxy ('" + settings.binary() + "'): " + e.getMessage(), e);
        }
        long deadline = System.nanoTime() + settings.checkTimeout().toNanos();
        while (System.nanoTime() < deadline) {
            if (!master.isAlive()) {
                throw new ProxyException("HAProxy stopped at once: " + logSince(logStart));
            }
            try {
                if (!cli.showProc().workers().isEmpty()) {
                    LOG.info("HAProxy started (master {}), listening on {}:{}", master.pid(), settings.bindAddress(),
                            settings.httpPort());
                    watch(master);
                    return;
                }
            } catch (IOException e) {
                // not answering yet
            }
            pause();
        }
        throw new ProxyException("HAProxy did not start within " + settings.checkTimeout() + ": " + logSince(logStart));
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

    private void watch(ProcessHandle handle) {
        handle.onExit().thenRun(() -> {
            synchronized (this) {
                if (stopping || handle != master) {
                    return;
                }
                LOG.warn("HAProxy master {} exited; starting it again", handle.pid());
                if (++restarts > 100) {
                    LOG.error("HAProxy died more than 100 times; not starting it again");
                    return;
                }
                try {
                    Thread.sleep(Math.min(5_000, 200L * restarts));
                    start();
                } catch (ProxyException e) {
                    LOG.error("HAProxy could not be started again: {}", e.getMessage());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        });
    }

    /** Stops HAProxy (its workers close their connections). */
    synchronized void stop() {
        stopping = true;
        ProcessHandle handle = master;
        master = null;
        if (handle == null || !handle.isAlive()) {
            return;
        }
        handle.destroy();
        try {
            handle.onExit().get(5, TimeUnit.SECONDS);
        } catch (Exception e) {
            handle.destroyForcibly();
        }
        LOG.info("HAProxy stopped");
    }

    /**
     * Soft-stops HAProxy, leaving this server usable (the next {@link #startOrReload} starts it
     * again): the master passes {@code SIGUSR1} to its workers, which close their listening
     * sockets at once, finish the requests in flight and exit, then the master exits. Returns once
     * the master has exited, so nothing listens any more; a master still there after
     * {@code timeout} is stopped hard.
     */
    synchronized void softStop(Duration timeout) {
        stopping = true;
        ProcessHandle handle = master;
        master = null;
        if (handle == null || !handle.isAlive()) {
            return;
        }
        try {
            List<String> output = new ArrayList<>();
            if (runQuietly(List.of("kill", "-USR1", Long.toString(handle.pid())), output) != 0) {
                LOG.warn("HAProxy's master {} did not take the soft-stop signal: {}", handle.pid(), output);
            }
            handle.onExit().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            LOG.info("HAProxy stopped gracefully (master {})", handle.pid());
        } catch (java.util.concurrent.TimeoutException e) {
            LOG.warn("HAProxy still had requests in flight {} after its soft stop; stopping it", timeout);
            handle.destroyForcibly();
        } catch (java.util.concurrent.ExecutionException e) {
            handle.destroyForcibly();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            handle.destroyForcibly();
        }
    }

    private static int runQuietly(List<String> command, List<String> output) {
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            process.getOutputStream().close();
            new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines().forEach(output::add);
            return process.waitFor();
        } catch (IOException e) {
            output.add(e.getMessage());
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    synchronized Optional<Long> masterPid() {
        return Optional.ofNullable(master).map(ProcessHandle::pid);
    }

    private long logSize() {
        try {
            return Files.size(settings.logFile());
        } catch (IOException e) {
            return 0;
        }
    }

    private String logSince(long position) {
        try {
            byte[] all = Files.readAllBytes(settings.logFile());
            String text = new String(all, (int) Math.min(position, all.length), (int) Math.max(0, all.length - position),
                    StandardCharsets.UTF_8);
            List<String> lines = text.lines().filter(l -> l.contains("ALERT") || l.contains("WARNING"))
                    .map(HaproxyServer::withoutPid).toList();
            return lines.isEmpty() ? "(nothing in " + settings.logFile() + ")" : String.join("\n", lines);
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    private static void pause() {
        try {
            Thread.sleep(POLL_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
