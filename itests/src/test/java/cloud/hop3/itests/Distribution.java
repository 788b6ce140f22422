package cloud.hop3.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import cloud.hop3.itests.Command.Result;
import cloud.hop3.plugin.support.server.FreePorts;

/**
 * The unpacked distribution, driven from outside as an operator does: bin/hop3 with its
 * environment on free ports, an admin key, and the real OpenSSH and git clients. Closing it
 * stops the platform and every process started from it, and removes its files.
 */
final class Distribution implements AutoCloseable {

    static final Duration TIMEOUT = Duration.ofMinutes(5);

    /*
     * Locks (@ResourceLock) of the test classes that push apps of the same name, or start the same
     * database servers (whose accounts, hop3_postgres and the others, are the machine's too): such
     * classes do not run at once. See APPS_IN_USE.
     */
    /** Apps shop, bank, blog, cart, notes; the database servers. */
    static final String SHOP_APPS = "apps shop, bank, blog, cart, notes and the database servers";
    /** Apps site, py, counted, steady, hello. */
    static final String SITE_APPS = "apps site, py, counted, steady, hello";
    /** App vault. */
    static final String VAULT_APP = "app vault";

    final Path work;
    final Path home;
    final Path adminKey;
    final int shellPort;
    final int gitPort;
    final int httpPort;
    final int apiPort;
    private Path dist;
    private final Map<String, String> env = new HashMap<>();
    private final List<String> accountsToRemove = new ArrayList<>();
    /** The test class that unpacked this platform, for the messages of {@link #gitUrl}. */
    private final String testClass = StackWalker.getInstance().walk(frames -> frames.map(StackWalker.StackFrame::getClassName)
            .filter(name -> name.endsWith("IT")).findFirst().orElse("?"));

    /**
     * The apps pushed to platforms that are still open, by name. Test classes run two at a time
     * (the failsafe configuration in the pom), and an app's Unix user, {@code hop3-<app>}, is the
     * machine's: two platforms serving apps of one name at once share that user, and destroying
     * one app ends the other's processes. Classes that push apps of the same name take a common
     * {@code @ResourceLock}, so they do not run at once; this map makes a missing lock fail loudly.
     */
    private static final Map<String, Distribution> APPS_IN_USE = new java.util.concurrent.ConcurrentHashMap<>();

    Distribution() throws Exception {
        work = Files.createTempDirectory("hop3-dist");
        home = work.resolve("home");
        ok(Command.run(work, Map.of(), TIMEOUT, "tar", "xzf", System.getProperty("hop3.distribution")));
        try (Stream<Path> entries = Files.list(work)) {
            dist = entries.filter(Files::isDirectory).findFirst().orElseThrow();
        }
        adminKey = work.resolve("admin");
        ok(Command.run(work, Map.of(), TIMEOUT, "ssh-keygen", "-q", "-t", "ecdsa", "-N", "", "-f", adminKey.toString()));
        shellPort = FreePorts.any();
        gitPort = FreePorts.any();
        httpPort = FreePorts.any();
        apiPort = FreePorts.any();
        env.put("HOP3_HOME", home.toString());
        env.put("HOP3_SHELL_SSH_PORT", String.valueOf(shellPort));
        env.put("HOP3_GIT_SSH_PORT", String.valueOf(gitPort));
        env.put("HOP3_HTTP_PORT", String.valueOf(httpPort));
        env.put("HOP3_HTTPS_PORT", String.valueOf(FreePorts.any()));
        env.put("HOP3_API_PORT", String.valueOf(apiPort));
        env.put("HOP3_ADMIN_KEY", adminKey + ".pub");
        // The first clean stop of a distribution writes its class archive (data/cds), which takes
        // some 7 s more than the stop itself; each test class unpacks a new one. The classes that
        // test the archive, and RestartIT, whose restarts map it, remove this.
        env.put("HOP3_CDS", "off");
    }

    Path directory() {
        return dist;
    }

    /**
     * Unpacks the distribution again, beside the first, as an operator unpacks a newer build
     * before an upgrade; same environment (state directory, ports).
     */
    Path unpackAnother(String name) throws IOException, InterruptedException {
        Path target = Files.createDirectories(work.resolve(name));
        ok(Command.run(target, Map.of(), TIMEOUT, "tar", "xzf", System.getProperty("hop3.distribution")));
        try (Stream<Path> entries = Files.list(target)) {
            return entries.filter(Files::isDirectory).findFirst().orElseThrow();
        }
    }

    /** bin/hop3 of another unpacked distribution ({@link #unpackAnother}), in this one's environment. */
    Result hop3At(Path distribution, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add("bin/hop3");
        command.addAll(List.of(args));
        return Command.run(distribution, env, TIMEOUT, command.toArray(String[]::new));
    }

    /** From now on, bin/hop3 (and {@link #close}) is that of {@code distribution}: the platform was upgraded to it. */
    void upgradedTo(Path distribution) {
        dist = distribution;
    }

    /** Adds features to those the platform installs at its first start (etc/org.apache.karaf.features.cfg). */
    void bootFeatures(String... features) throws IOException {
        Path cfg = dist.resolve("etc/org.apache.karaf.features.cfg");
        String text = Files.readString(cfg);
        String changed = text.replaceFirst("(?m)^featuresBoot =.*$", "$0, " + String.join(", ", features));
        assertNotEquals(text, changed, "no featuresBoot line in " + cfg);
        Files.writeString(cfg, changed);
    }

    /**
     * Removes at {@link #close} those of these system accounts that do not exist now: the platform
     * makes them for apps and servers, and they outlive it by design.
     */
    void removesAccounts(List<String> names) throws IOException, InterruptedException {
        for (String name : names) {
            if (Command.run(Path.of("/"), Map.of(), TIMEOUT, "id", name).exit() != 0) {
                accountsToRemove.add(name);
            }
        }
    }

    /** Waits until {@code addon:types} lists each of {@code types} (their plugins have started). */
    void awaitAddonTypes(String... types) throws InterruptedException {
        Hop3TestSupport.await("the add-on types " + String.join(", ", types), Duration.ofMinutes(2), () -> {
            try {
                String listed = hop3Ok("addon", "types");
                return java.util.Arrays.stream(types).allMatch(listed::contains);
            } catch (IOException | InterruptedException e) {
                return false;
            }
        });
    }

    Map<String, String> environment() {
        return env;
    }

    Result hop3(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add("bin/hop3");
        command.addAll(List.of(args));
        return Command.run(dist, env, TIMEOUT, command.toArray(String[]::new));
    }

    /** bin/hop3 with the arguments, which must succeed; returns what it printed. */
    String hop3Ok(String... args) throws IOException, InterruptedException {
        Result r = hop3(args);
        assertEquals(0, r.exit(), () -> "bin/hop3 " + String.join(" ", args) + " failed: " + r);
        return r.output();
    }

    /** The value of an app's config var, as {@code app:config --shell} gives it. */
    String configVar(String app, String name) throws IOException, InterruptedException {
        String shell = hop3Ok("app", "config", "--shell", app);
        return shell.lines().filter(l -> l.startsWith("export " + name + "=") || l.startsWith(name + "="))
                .map(l -> l.substring(l.indexOf('=') + 1).replaceAll("^'|'$", ""))
                .findFirst().orElseThrow(() -> new AssertionError(name + " not in " + shell));
    }

    /** A shell command over ssh as {@code user} with {@code key}; see {@link #shell(Path, int, Path, String, String)}. */
    Result shell(Path key, String user, String command) throws IOException, InterruptedException {
        return shell(work, shellPort, key, user, command);
    }

    /**
     * A shell command over ssh to the shell on {@code port}. Karaf's SSH server may close a
     * session before the command's exit status reaches the client (ssh exits 255, more often on a
     * busy machine), so the command is followed by a marker that the shell prints only when the
     * command succeeded, as bin/hop3 does: 255 after the marker is the success it was. A login
     * that is refused prints no marker, and stays 255.
     */
    static Result shell(Path directory, int port, Path key, String user, String command) throws IOException, InterruptedException {
        String marker = "hop3-test-command-done";
        List<String> ssh = new ArrayList<>(List.of("ssh", "-p", String.valueOf(port), "-i", key.toString(),
                "-o", "IdentitiesOnly=yes", "-o", "BatchMode=yes", "-o", "StrictHostKeyChecking=no",
                "-o", "UserKnownHostsFile=/dev/null", "-o", "LogLevel=ERROR", "-o", "ConnectTimeout=10",
                user + "@127.0.0.1", command + " ; echo " + marker));
        Result r = Command.run(directory, Map.of(), TIMEOUT, ssh.toArray(String[]::new));
        boolean done = r.output().lines().anyMatch(l -> l.strip().endsWith(marker));
        String output = r.output().replace(marker, "");
        return new Result(r.exit() == 255 && done ? 0 : r.exit(), output);
    }

    /** The ssh command that git uses to reach the platform's git server with the admin key. */
    String gitSsh() {
        return "ssh -i " + adminKey + " -o IdentitiesOnly=yes -o BatchMode=yes -o StrictHostKeyChecking=no"
                + " -o UserKnownHostsFile=/dev/null -o LogLevel=ERROR";
    }

    String gitUrl(String app) {
        Distribution other = APPS_IN_USE.putIfAbsent(app, this);
        if (other != null && other != this) {
            throw new IllegalStateException(testClass + " pushes the app '" + app + "' while " + other.testClass
                    + " serves an app of that name: both would run as the Unix user hop3-" + app
                    + "; give both classes a common @ResourceLock or another app name");
        }
        return "ssh://git@127.0.0.1:" + gitPort + "/" + app;
    }

    @Override
    public void close() throws Exception {
        try {
            Command.run(dist, env, TIMEOUT, "bin/hop3", "stop");
        } finally {
            // keep the platform's log for whoever reads a failed build
            Path logs = Path.of("target", "platform-logs");
            Files.createDirectories(logs);
            Path log = dist.resolve("data/log/karaf.log");
            if (Files.exists(log)) {
                Files.copy(log, logs.resolve(work.getFileName() + ".log"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
            Path threads = dist.resolve("data/log/threads-at-failed-start.txt");
            if (Files.exists(threads)) {
                Files.copy(threads, logs.resolve(work.getFileName() + "-threads.txt"),
                        java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
            // whatever happened, leave no platform or app process running: app processes outlive
            // bin/hop3 stop by design, and are found by their working directory
            killProcesses();
            APPS_IN_USE.values().removeIf(platform -> platform == this);
            removeKernelState(home);
            Command.run(Path.of("/"), Map.of(), TIMEOUT, "rm", "-rf", work.toString());
            for (String account : accountsToRemove) {
                Command.run(Path.of("/"), Map.of(), TIMEOUT, "userdel", account);
            }
        }
    }

    /** Kills the platform, its apps and its servers at once, as the loss of the machine would; its files stay. */
    void killProcesses() {
        List<ProcessHandle> killed = ProcessHandle.allProcesses()
                .filter(p -> p.info().commandLine().map(c -> c.contains(work.toString())).orElse(false)
                        || workingDirectoryIn(p, work))
                .toList();
        killed.forEach(ProcessHandle::destroyForcibly);
        for (ProcessHandle p : killed) {
            try {
                p.onExit().get(10, java.util.concurrent.TimeUnit.SECONDS);
            } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                // gone some other way, or stuck in the kernel: nothing more to do from here
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /**
     * What an installation leaves in the kernel by design, since its apps outlive it: its chain and
     * port set in the nftables table {@code inet hop3} and its control groups, both named by the
     * installation's tag (the first 8 hex digits of the SHA-256 of its state directory).
     */
    static void removeKernelState(Path home) throws IOException, InterruptedException {
        String tag;
        try {
            byte[] hash = java.security.MessageDigest.getInstance("SHA-256")
                    .digest(home.toAbsolutePath().normalize().toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
            tag = java.util.HexFormat.of().formatHex(hash, 0, 4);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        String script = "command -v nft >/dev/null && { nft delete chain inet hop3 input_" + tag + "; nft delete set inet hop3 ports_"
                + tag + "; } 2>/dev/null; for i in 1 2 3 4 5; do"
                + " left=$(find /sys/fs/cgroup -depth -type d -name 'hop3-" + tag + "' 2>/dev/null);"
                + " [ -z \"$left\" ] && break;"
                + " for d in $left; do find \"$d\" -depth -type d -exec rmdir {} + 2>/dev/null; done; sleep 0.2; done; true";
        Command.run(Path.of("/"), Map.of(), TIMEOUT, "sh", "-c", script);
    }

    private static boolean workingDirectoryIn(ProcessHandle process, Path directory) {
        try {
            return Files.readSymbolicLink(Path.of("/proc", String.valueOf(process.pid()), "cwd")).toString()
                    .startsWith(directory.toString());
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            return false;
        }
    }

    static void ok(Result result) {
        assertEquals(0, result.exit(), result.toString());
    }
}
