package cloud.hop3.addon.postgres;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeoutException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import cloud.hop3.api.addon.AddonException;
import cloud.hop3.api.platform.ServiceAccount;
import cloud.hop3.plugin.support.files.AtomicFiles;
import cloud.hop3.plugin.support.server.ServerProcesses;
import cloud.hop3.plugin.support.server.SupervisedServer;
import cloud.hop3.plugin.support.files.Trees;
import cloud.hop3.plugin.support.server.FreePorts;

/**
 * The plugin's own PostgreSQL server: one cluster under the state directory, created once with
 * {@code initdb}, run by {@code postgres} in the foreground as the service account (PostgreSQL
 * refuses root, and its files are then its alone), listening on 127.0.0.1 on a port chosen at
 * the first initialisation and kept in {@code port}, since add-ons' credentials hold it.
 * <p>
 * Authentication is SCRAM over TCP only (no Unix socket): a superuser {@value #SUPERUSER} whose
 * password is in {@code superuser.password} (0600, read by the plugin alone), and a
 * {@code pg_hba.conf} that lets any other role connect only to the database of the role it is a
 * member of ({@code samerole}), so an add-on's credentials open no other add-on.
 * <p>
 * A server left running by an earlier instance of the plugin (a bundle update) is found through
 * {@code postmaster.pid} and its command line, and adopted without a restart; a server that dies
 * is started again ({@link SupervisedServer}). {@link #release()} leaves it running, {@link #stop()} stops it.
 */
final class EmbeddedPostgres {

    /** The superuser the plugin creates roles and databases as. */
    static final String SUPERUSER = "hop3_admin";
    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedPostgres.class);
    private static final Duration INITDB_TIMEOUT = Duration.ofMinutes(5);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(90);
    private static final int LOG_LINES = 20;

    private final Path directory;
    private final Path data;
    private final PostgresBinaries binaries;
    private final ServiceAccount account;
    private final Duration startTimeout;
    private final SupervisedServer server = new SupervisedServer("postgres", this::restart,
            died -> LOG.warn("PostgreSQL (pid {}) died; see {}", died.pid(), logFile()));

    /**
     * @param directory    the plugin's state directory
     * @param binaries     PostgreSQL's programs
     * @param account      the account the server runs as
     * @param startTimeout longest wait for the server to accept connections
     */
    EmbeddedPostgres(Path directory, PostgresBinaries binaries, ServiceAccount account, Duration startTimeout) {
        this.directory = directory;
        this.data = directory.resolve("data");
        this.binaries = binaries;
        this.account = account;
        this.startTimeout = startTimeout;
    }

    /** Whether the cluster exists (a first {@link #ensureRunning()} made it). */
    boolean initialised() {
        return initialised(directory);
    }

    /** Whether the state directory {@code directory} holds a cluster. */
    static boolean initialised(Path directory) {
        return Files.exists(directory.resolve("data").resolve("PG_VERSION"));
    }

    /** The kept port; -1 before the first initialisation. */
    int port() {
        try {
            return Integer.parseInt(Files.readString(portFile()).strip());
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
    }

    /**
     * The superuser's connection to the running server: creates the cluster on first use, adopts
     * a server that runs already, or starts it.
     *
     * @throws AddonException when it cannot start, with the last lines of its log
     */
    synchronized PostgresConnection ensureRunning() throws AddonException {
        if (server.stopping()) {
            throw new AddonException("The PostgreSQL plugin is stopping");
        }
        openForTraversal();
        if (!initialised()) {
            initialise();
        }
        if (running().isEmpty()) {
            start();
        }
        return superuser();
    }

    /** The superuser's connection (the server may not run). */
    PostgresConnection superuser() throws AddonException {
        try {
            return new PostgresConnection("127.0.0.1", port(), SUPERUSER, Files.readString(passwordFile()).strip(), "postgres");
        } catch (IOException e) {
            throw new AddonException("Cannot read the PostgreSQL superuser's password in " + passwordFile() + ": " + e.getMessage(), e);
        }
    }

    /** The server process, if it runs (its own or adopted). */
    synchronized Optional<ProcessHandle> running() {
        Optional<ProcessHandle> supervised = server.current();
        if (supervised.isPresent()) {
            return supervised;
        }
        Optional<ProcessHandle> adopted = ServerProcesses.fromPidFile(data.resolve("postmaster.pid"), this::isOurs);
        if (adopted.isPresent() && !server.stopping()) {
            LOG.info("PostgreSQL (pid {}) on 127.0.0.1:{} taken over", adopted.get().pid(), port());
            server.watch(adopted.get());
        }
        return adopted;
    }

    private boolean isOurs(ProcessHandle process) {
        String commandLine = ServerProcesses.commandLine(process);
        return commandLine.contains("postgres") && commandLine.contains(" -D " + data + " ");
    }

    /** No more supervision; the server keeps running for the plugin's next instance. */
    synchronized void release() {
        server.close();
    }

    /** Stops the server (fast shutdown: sessions are ended, the data is consistent). */
    void stop() {
        Optional<ProcessHandle> handle = running();
        release();
        handle.ifPresent(h -> {
            List<ProcessHandle> children = h.children().toList();
            try {
                ServerProcesses.run(List.of("kill", "-INT", Long.toString(h.pid())), STOP_TIMEOUT);
            } catch (IOException | TimeoutException e) {
                h.destroy();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            ServerProcesses.awaitExitOrKill(h, STOP_TIMEOUT);
            // a postmaster that had to be killed leaves its children; they hold its shared memory
            children.forEach(c -> ServerProcesses.awaitExitOrKill(c, Duration.ofSeconds(5)));
            LOG.info("PostgreSQL (pid {}) stopped", h.pid());
        });
    }

    /**
     * Lets the service account pass through the state directory and its parent
     * ({@code <home>/databases}), which the platform creates owner-only: search permission
     * only, so nothing in them can be listed; what is secret in them is owner-only itself.
     */
    private void openForTraversal() throws AddonException {
        if (!account.isolated()) {
            return;
        }
        for (Path dir : List.of(directory.getParent(), directory)) {
            try {
                Files.createDirectories(dir);
                Set<PosixFilePermission> modes = Files.getPosixFilePermissions(dir);
                if (!modes.contains(PosixFilePermission.OTHERS_EXECUTE)) {
                    Set<PosixFilePermission> open = EnumSet.copyOf(modes);
                    open.add(PosixFilePermission.GROUP_EXECUTE);
                    open.add(PosixFilePermission.OTHERS_EXECUTE);
                    Files.setPosixFilePermissions(dir, open);
                    LOG.info("{} may now be passed through by {}, to reach PostgreSQL's data", dir, account.user());
                }
            } catch (IOException | UnsupportedOperationException e) {
                throw new AddonException("Cannot let " + account.user() + " pass through " + dir + ": " + e.getMessage(), e);
            }
        }
    }

    private void initialise() throws AddonException {
        try {
            Files.createDirectories(directory);
            if (!Files.exists(portFile())) {
                AtomicFiles.write(portFile(), FreePorts.any() + "\n", AtomicFiles.PUBLIC);
            }
            if (!Files.exists(passwordFile())) {
                AtomicFiles.write(passwordFile(), password() + "\n", AtomicFiles.PRIVATE);
            }
            Trees.delete(data); // what a failed initdb left: there is no PG_VERSION, hence no cluster
            Files.createDirectories(data);
            ownByAccount(data);
            Files.setPosixFilePermissions(data, PosixFilePermissions.fromString("rwx------"));
        } catch (IOException e) {
            throw new AddonException("Cannot prepare PostgreSQL's directory " + directory + ": " + e.getMessage(), e);
        }
        Path pwfile = directory.resolve("initdb.pwfile");
        try {
            AtomicFiles.write(pwfile, superuser().password() + "\n", AtomicFiles.PRIVATE);
            ownByAccount(pwfile);
            ServerProcesses.Result result = ServerProcesses.run(builder(List.of(binaries.program("initdb").toString(),
                    "-D", data.toString(), "--auth=scram-sha-256", "--username=" + SUPERUSER, "--pwfile=" + pwfile,
                    "--encoding=UTF8", "--no-locale", "--no-instructions")), INITDB_TIMEOUT);
            if (result.exit() != 0) {
                throw new AddonException("initdb could not create PostgreSQL's cluster in " + data + ":\n"
                        + lastLines(result.output()));
            }
            Files.delete(pwfile);
            Path hba = data.resolve("pg_hba.conf");
            Files.writeString(hba, hba(), StandardCharsets.UTF_8);
            ownByAccount(hba);
            LOG.info("PostgreSQL {} cluster created in {} as {}", binaries.version(), data, account.describe());
        } catch (IOException | TimeoutException e) {
            throw new AddonException("initdb could not create PostgreSQL's cluster in " + data + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AddonException("Interrupted while creating PostgreSQL's cluster", e);
        } finally {
            if (!Files.exists(data.resolve("PG_VERSION")) || Files.exists(pwfile)) {
                try {
                    Files.deleteIfExists(pwfile);
                    Trees.delete(data);
                } catch (IOException e) {
                    LOG.warn("Cannot clean {} after a failed initdb: {}", data, e.getMessage());
                }
            }
        }
    }

    /** Who may connect to what: the superuser anywhere, every other role to its own role's database. */
    static String hba() {
        return "# Written by Hop3 at the cluster's creation. TCP on loopback only, SCRAM passwords.\n"
                + "# The superuser reaches every database; another role only the database named after a role it\n"
                + "# is a member of (an add-on's owner role and its rotated login roles).\n"
                + "host  all       " + SUPERUSER + "  127.0.0.1/32  scram-sha-256\n"
                + "host  samerole  all         127.0.0.1/32  scram-sha-256\n";
    }

    private void start() throws AddonException {
        Path log = logFile();
        long mark = ServerProcesses.logSize(log);
        List<String> argv = List.of(binaries.program("postgres").toString(), "-D", data.toString(),
                "-c", "listen_addresses=127.0.0.1", "-c", "port=" + port(), "-c", "unix_socket_directories=",
                "-c", "logging_collector=off");
        Process process;
        try {
            // a failed statement is logged with its text, which may hold a password
            if (!Files.exists(log)) {
                Files.createFile(log, PosixFilePermissions.asFileAttribute(AtomicFiles.PRIVATE));
            }
            Files.setPosixFilePermissions(log, AtomicFiles.PRIVATE);
            process = ServerProcesses.start(builder(argv), log);
        } catch (IOException e) {
            throw new AddonException("Could not start PostgreSQL (" + argv.get(0) + "): " + e.getMessage(), e);
        }
        long deadline = System.nanoTime() + startTimeout.toNanos();
        while (!ready(process.pid())) {
            if (!process.isAlive() || System.nanoTime() >= deadline) {
                process.destroyForcibly();
                throw new AddonException("PostgreSQL could not start on 127.0.0.1:" + port() + " ("
                        + (process.isAlive() ? "not ready within " + startTimeout.toSeconds() + " s" : "it exited") + "); "
                        + log + " ends with:\n" + lastLines(ServerProcesses.logSince(log, mark)));
            }
            try {
                Thread.sleep(ServerProcesses.POLL.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AddonException("Interrupted while PostgreSQL starts", e);
            }
        }
        LOG.info("PostgreSQL {} started (pid {}) on 127.0.0.1:{} as {}", binaries.version(), process.pid(), port(),
                account.describe());
        server.watch(process.toHandle());
    }

    /** Whether the postmaster {@code pid} says, in its pid file, that it accepts connections. */
    private boolean ready(long pid) {
        try {
            List<String> lines = Files.readAllLines(data.resolve("postmaster.pid"));
            return lines.size() >= 8 && lines.get(0).strip().equals(Long.toString(pid)) && lines.get(7).strip().equals("ready");
        } catch (IOException e) {
            return false;
        }
    }

    private synchronized void restart() throws AddonException {
        if (!server.stopping() && running().isEmpty()) {
            openForTraversal(); // the platform closes its top directories again when it restarts
            start();
        }
    }

    private ProcessBuilder builder(List<String> argv) {
        ProcessBuilder builder = new ProcessBuilder(account.wrap(argv)).directory(directory.toFile());
        builder.environment().keySet().removeIf(k -> k.startsWith("PG") || k.startsWith("LC_"));
        builder.environment().put("LANG", "C.UTF-8");
        return builder;
    }

    private void ownByAccount(Path path) throws IOException {
        if (account.isolated()) {
            Files.setAttribute(path, "unix:uid", account.uid());
            Files.setAttribute(path, "unix:gid", account.gid());
        }
    }

    Path logFile() {
        return directory.resolve("postgres.log");
    }

    private Path portFile() {
        return directory.resolve("port");
    }

    private Path passwordFile() {
        return directory.resolve("superuser.password");
    }

    /** A new random password: 32 URL-safe characters from 24 random bytes. */
    static String password() {
        byte[] bytes = new byte[24];
        new SecureRandom().nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    static String lastLines(String text) {
        List<String> lines = text.strip().lines().toList();
        return String.join("\n", new ArrayList<>(lines.subList(Math.max(0, lines.size() - LOG_LINES), lines.size())));
    }
}
