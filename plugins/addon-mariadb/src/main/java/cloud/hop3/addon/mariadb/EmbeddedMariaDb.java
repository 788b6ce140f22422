package cloud.hop3.addon.mariadb;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeoutException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import cloud.hop3.api.addon.AddonException;
import cloud.hop3.api.platform.ServiceAccount;
import cloud.hop3.plugin.support.files.AtomicFiles;
import cloud.hop3.plugin.support.server.ServerProcesses;
import cloud.hop3.plugin.support.server.SupervisedServer;
import cloud.hop3.plugin.support.server.FreePorts;

/**
 * The plugin's own MariaDB server: one {@code mariadbd} for every add-on, with its data, socket,
 * pid file and log in the plugin's state directory, run as the plugin's service account and
 * listening on 127.0.0.1 only, on a port chosen at its first start and kept in the file
 * {@code port} (apps' credentials hold it). The data directory is made by
 * {@code mariadb-install-db} with socket authentication: the account's own Unix user is the
 * server's administrator, through the socket, without a password anywhere.
 * <p>
 * Nothing of the machine's MariaDB configuration applies ({@code --no-defaults}): the system
 * service, if any, keeps its port and socket. A server that dies is started again
 * ({@link SupervisedServer}); a server left running by an earlier instance of the plugin (a bundle
 * update) is found through its pid file and command line and taken over without a restart.
 */
final class EmbeddedMariaDb implements MariaDbServer {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedMariaDb.class);
    private static final Duration INSTALL_TIMEOUT = Duration.ofMinutes(3);
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(60);

    private final Path directory;
    private final ServiceAccount account;
    private final int bufferPoolMegabytes;
    private final SupervisedServer server = new SupervisedServer("mariadb", this::restart,
            died -> LOG.warn("MariaDB server (pid {}) died; see {}", died.pid(), log()));

    /**
     * @param directory           the plugin's state directory
     * @param account             the account the server runs as
     * @param bufferPoolMegabytes InnoDB's buffer pool, in megabytes
     */
    EmbeddedMariaDb(Path directory, ServiceAccount account, int bufferPoolMegabytes) {
        this.directory = directory.toAbsolutePath();
        this.account = account;
        this.bufferPoolMegabytes = bufferPoolMegabytes;
    }

    Path data() {
        return directory.resolve("data");
    }

    Path socket() {
        return directory.resolve("mysqld.sock");
    }

    Path pidFile() {
        return directory.resolve("mariadbd.pid");
    }

    /** The server's own log: its start-up, errors and shutdown. */
    Path log() {
        return directory.resolve("mariadb.log");
    }

    /** Whether the data directory has been made (the server has data to serve). */
    boolean initialised() {
        return Files.isDirectory(data().resolve("mysql"));
    }

    /** The kept port; chosen (a free one on 127.0.0.1) and stored the first time. */
    @Override
    public synchronized int port() throws AddonException {
        Path file = directory.resolve("port");
        try {
            if (Files.exists(file)) {
                return Integer.parseInt(Files.readString(file).strip());
            }
            int port = FreePorts.any();
            AtomicFiles.write(file, port + "\n", AtomicFiles.PRIVATE);
            return port;
        } catch (IOException | NumberFormatException e) {
            throw new AddonException("Could not read or choose the MariaDB server's port in " + file + ": " + e.getMessage(), e);
        }
    }

    /** The administrator's connection, the server started first: the account's own user over the socket. */
    @Override
    public MariaDbConnection admin() throws AddonException {
        ensureRunning();
        return MariaDbConnection.socket(account, socket(), adminUser());
    }

    @Override
    public String host() {
        return "127.0.0.1";
    }

    /** The server listens on 127.0.0.1 only; {@code localhost} is for the client over the socket. */
    @Override
    public List<String> userHosts() {
        return List.of("127.0.0.1", "localhost");
    }

    @Override
    public String where() {
        return "embedded, 127.0.0.1:" + describePort();
    }

    private String adminUser() {
        return account.isolated() ? account.user() : System.getProperty("user.name");
    }

    /** The running server, started (and its data directory made) when none runs. */
    synchronized ProcessHandle ensureRunning() throws AddonException {
        if (server.stopping()) {
            throw new AddonException("The MariaDB plugin is stopping");
        }
        Optional<ProcessHandle> running = running();
        if (running.isPresent()) {
            return running.get();
        }
        if (!initialised()) {
            install();
        }
        return start();
    }

    /** The server running now, adopted from its pid file when another instance of the plugin started it. */
    synchronized Optional<ProcessHandle> running() {
        Optional<ProcessHandle> supervised = server.current();
        if (supervised.isPresent()) {
            return supervised;
        }
        String datadir = "--datadir=" + data();
        Optional<ProcessHandle> adopted = ServerProcesses.fromPidFile(pidFile(),
                p -> ServerProcesses.commandLine(p).contains(datadir) && ServerProcesses.commandLine(p).contains("mariadbd"));
        adopted.ifPresent(p -> {
            LOG.info("MariaDB server (pid {}) on port {} taken over", p.pid(), describePort());
            server.watch(p);
        });
        return adopted;
    }

    private String describePort() {
        try {
            return String.valueOf(port());
        } catch (AddonException e) {
            return "?";
        }
    }

    private void install() throws AddonException {
        try {
            prepare();
            Files.createDirectories(data());
            own(data());
            Files.setPosixFilePermissions(data(), PosixFilePermissions.fromString("rwx------"));
        } catch (IOException e) {
            throw new AddonException("Could not prepare the MariaDB data directory " + data() + ": " + e.getMessage(), e);
        }
        List<String> command = account.wrap(List.of(MariaDbBinaries.installDb().toString(), "--no-defaults",
                "--datadir=" + data(), "--auth-root-authentication-method=socket", "--user=" + adminUser(),
                "--skip-test-db"));
        try {
            ServerProcesses.Result result = ServerProcesses.run(new ProcessBuilder(command).directory(directory.toFile()),
                    INSTALL_TIMEOUT);
            if (result.exit() != 0) {
                throw new AddonException("mariadb-install-db failed (exit code " + result.exit() + "):\n"
                        + tail(result.output()));
            }
        } catch (IOException | TimeoutException e) {
            throw new AddonException("mariadb-install-db failed: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AddonException("Interrupted while making the MariaDB data directory", e);
        }
        LOG.info("MariaDB data directory made in {}", data());
    }

    /** The state directory belongs to the account (socket, pid file and log are written by the server). */
    private void prepare() throws IOException {
        Files.createDirectories(directory);
        own(directory);
        Files.setPosixFilePermissions(directory, PosixFilePermissions.fromString("rwx------"));
        if (!Files.exists(log())) {
            Files.createFile(log());
        }
        own(log());
        Files.setPosixFilePermissions(log(), PosixFilePermissions.fromString("rw-------"));
    }

    private void own(Path path) throws IOException {
        if (account.isolated()) {
            Files.setAttribute(path, "unix:uid", account.uid());
            Files.setAttribute(path, "unix:gid", account.gid());
        }
    }

    private ProcessHandle start() throws AddonException {
        int port = port();
        long mark;
        Process process;
        try {
            prepare();
            mark = ServerProcesses.logSize(log());
            Files.deleteIfExists(pidFile());
            process = ServerProcesses.start(new ProcessBuilder(account.wrap(command(port))).directory(directory.toFile()),
                    log());
        } catch (IOException e) {
            throw new AddonException("Could not start the MariaDB server: " + e.getMessage(), e);
        }
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (!(Files.exists(socket()) && accepts(port))) {
            if (!process.isAlive() || System.nanoTime() >= deadline) {
                process.destroyForcibly();
                throw new AddonException("The MariaDB server did not start"
                        + (process.isAlive() ? " within " + START_TIMEOUT.toSeconds() + " s" : "") + "; its log ("
                        + log() + ") says:\n" + tail(ServerProcesses.logSince(log(), mark)));
            }
            try {
                Thread.sleep(ServerProcesses.POLL.toMillis());
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
                throw new AddonException("Interrupted while starting the MariaDB server", e);
            }
        }
        LOG.info("MariaDB server started (pid {}) on 127.0.0.1:{} with data in {}", process.pid(), port, data());
        server.watch(process.toHandle());
        return process.toHandle();
    }

    private List<String> command(int port) throws AddonException {
        List<String> command = new ArrayList<>(List.of(MariaDbBinaries.server().toString(), "--no-defaults",
                "--datadir=" + data(), "--socket=" + socket(), "--port=" + port, "--bind-address=127.0.0.1",
                "--pid-file=" + pidFile(), "--log-error=" + log(), "--skip-name-resolve",
                "--innodb-buffer-pool-size=" + bufferPoolMegabytes + "M"));
        // Caches sized for a server of small apps: MyISAM's index cache (add-ons' tables are
        // InnoDB), Aria's page cache (the system tables) and InnoDB's log buffer are 128, 128
        // and 16 MB by default, which an idle server holds resident (97 MiB against 58 MiB).
        command.addAll(List.of("--key-buffer-size=8M", "--aria-pagecache-buffer-size=8M", "--innodb-log-buffer-size=4M"));
        if (account.isolated()) {
            command.add("--user=" + account.user());
        }
        return command;
    }

    private static boolean accepts(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private synchronized void restart() throws AddonException {
        if (!server.stopping() && running().isEmpty()) {
            start();
        }
    }

    /**
     * Stops supervising and leaves the server running, for the next instance of the plugin to
     * take over (a bundle update or uninstall must not cut the apps' connections).
     */
    synchronized void release() {
        server.close();
    }

    /** Stops the server cleanly (SIGTERM: it flushes and closes its tables), then for good. */
    void stop() {
        ProcessHandle handle;
        synchronized (this) {
            handle = running().orElse(null);
            release();
        }
        if (handle != null) {
            boolean clean = ServerProcesses.terminate(handle, STOP_TIMEOUT);
            LOG.info("MariaDB server (pid {}) stopped{}", handle.pid(), clean ? "" : " by force");
        }
    }

    /**
     * The lines that say what went wrong: mariadb-install-db ends its output with the same advice
     * whatever the failure, so its error lines come first, then its last lines.
     */
    static String tail(String text) {
        List<String> lines = text.strip().lines().toList();
        List<String> errors = lines.stream()
                .filter(l -> l.matches("(?i).*\\b(error|fatal|can't|cannot|denied|not found|no such)\\b.*"))
                .limit(10).toList();
        List<String> last = lines.subList(Math.max(0, lines.size() - 20), lines.size());
        if (errors.isEmpty() || last.containsAll(errors)) {
            return String.join("\n", last);
        }
        return String.join("\n", errors) + "\n...\n" + String.join("\n", last);
    }
}
