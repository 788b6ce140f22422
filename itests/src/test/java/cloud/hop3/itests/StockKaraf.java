package cloud.hop3.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import cloud.hop3.itests.Command.Result;
import cloud.hop3.plugin.support.server.FreePorts;

/**
 * A stock Apache Karaf, unpacked from the {@code apache-karaf} zip that Apache publishes, with no
 * Hop3 in it. Only what an operator changes in a fresh Karaf is changed: free ports, SSH keys in
 * {@code etc/keys.properties}, and the Maven repository that Karaf reads bundles from (the one of
 * this build, and no remote one). It is started with {@code bin/start}, driven over SSH with the
 * OpenSSH client, and stopped with {@code bin/stop}. Closing it stops Karaf, ends the processes
 * it started (by pid), and removes its files.
 */
final class StockKaraf implements AutoCloseable {

    static final Duration TIMEOUT = Distribution.TIMEOUT;

    final Path work;
    final Path karaf;
    /** HOP3_HOME of the platform in this Karaf. */
    final Path home;
    /** A key of the admin group (etc/keys.properties), for user {@code admin}. */
    final Path adminKey;
    /** A key with the roles viewer and ssh only, for user {@code viewer}. */
    final Path viewerKey;
    final int shellPort;
    final int gitPort;
    final int httpPort;
    final String domain = "hop3.test";
    private final Map<String, String> env = new HashMap<>();
    private ProcessHandle jvm;

    StockKaraf() throws Exception {
        work = Files.createTempDirectory("hop3-stock");
        try {
            ok(Command.run(work, Map.of(), TIMEOUT, "unzip", "-q", System.getProperty("stock.karaf.zip")));
            try (Stream<Path> entries = Files.list(work)) {
                karaf = entries.filter(Files::isDirectory).findFirst().orElseThrow();
            }
            home = work.resolve("home");
            adminKey = newKey("admin");
            viewerKey = newKey("viewer");
            shellPort = FreePorts.any();
            gitPort = FreePorts.any();
            httpPort = FreePorts.any();
            configure();
        } catch (Exception | AssertionError e) {
            removeFiles();
            throw e;
        }
    }

    private Path newKey(String name) throws IOException, InterruptedException {
        Path key = work.resolve(name);
        ok(Command.run(work, Map.of(), TIMEOUT, "ssh-keygen", "-q", "-t", "ecdsa", "-N", "", "-C", name, "-f", key.toString()));
        return key;
    }

    private void configure() throws IOException {
        Path etc = karaf.resolve("etc");
        CfgFile.set(etc.resolve("org.apache.karaf.shell.cfg"), "sshPort", String.valueOf(shellPort));
        CfgFile.set(etc.resolve("org.apache.karaf.shell.cfg"), "sshHost", "127.0.0.1");
        CfgFile.set(etc.resolve("org.apache.karaf.management.cfg"), "rmiRegistryPort", String.valueOf(FreePorts.any()));
        CfgFile.set(etc.resolve("org.apache.karaf.management.cfg"), "rmiServerPort", String.valueOf(FreePorts.any()));
        // the HTTP service that the hop3 feature brings (for the REST API): loopback, on a free port
        Files.writeString(etc.resolve("org.ops4j.pax.web.cfg"), "org.osgi.service.http.port = " + FreePorts.any()
                + "\norg.ops4j.pax.web.listening.addresses = 127.0.0.1\n");
        Path mvn = etc.resolve("org.ops4j.pax.url.mvn.cfg");
        CfgFile.set(mvn, "org.ops4j.pax.url.mvn.localRepository", System.getProperty("maven.repo.local"));
        CfgFile.set(mvn, "org.ops4j.pax.url.mvn.repositories", "");
        Files.writeString(etc.resolve("keys.properties"),
                "admin=" + publicKey(adminKey) + ",_g_:admingroup\n"
                        + "viewer=" + publicKey(viewerKey) + ",viewer,ssh\n",
                java.nio.file.StandardOpenOption.APPEND);
        env.put("JAVA_HOME", System.getProperty("java.home"));
        env.put("EXTRA_JAVA_OPTS", "-Xmx512M");
        env.put("HOP3_HOME", home.toString());
        env.put("HOP3_GIT_SSH_PORT", String.valueOf(gitPort));
        env.put("HOP3_HTTP_PORT", String.valueOf(httpPort));
        env.put("HOP3_DOMAIN", domain);
    }

    /** The base64 part of an OpenSSH public key, as etc/keys.properties wants it. */
    static String publicKey(Path privateKey) throws IOException {
        return Files.readString(Path.of(privateKey + ".pub")).trim().split(" ")[1];
    }

    /** Runs bin/start and waits until the shell answers the admin key. */
    void start() throws Exception {
        ok(Command.run(karaf, env, TIMEOUT, "bin/start"));
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        Result last = null;
        while (System.nanoTime() < deadline) {
            if (jvm == null) {
                jvm = karafJvm().orElse(null);
            }
            last = shell(adminKey, "admin", "feature:list -i --no-format");
            if (last.exit() == 0 && last.output().contains("ssh")) {
                return;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("The stock Karaf's shell did not answer within " + TIMEOUT + "; last answer: " + last);
    }

    /**
     * The running JVM of this Karaf: the pid in karaf.pid (which outlives the JVM), if that
     * process is alive and is the Karaf of this directory.
     */
    private Optional<ProcessHandle> karafJvm() throws IOException {
        Path file = karaf.resolve("karaf.pid");
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        String text = Files.readString(file).trim();
        if (!text.matches("\\d+")) {
            return Optional.empty();
        }
        String base = "-Dkaraf.base=" + karaf;
        return ProcessHandle.of(Long.parseLong(text))
                .filter(p -> p.info().commandLine().map(c -> c.contains(base)).orElse(false));
    }

    /** Runs one shell command over SSH with the key, as user; returns its exit status and output. */
    Result shell(Path key, String user, String command) throws IOException, InterruptedException {
        return Command.run(work, Map.of(), TIMEOUT, "ssh", "-p", String.valueOf(shellPort), "-i", key.toString(),
                "-o", "IdentitiesOnly=yes", "-o", "BatchMode=yes", "-o", "StrictHostKeyChecking=no",
                "-o", "UserKnownHostsFile=/dev/null", "-o", "LogLevel=ERROR", "-o", "ConnectTimeout=10",
                user + "@127.0.0.1", command);
    }

    /** Runs one shell command as admin, which must succeed; returns what it printed. */
    String admin(String command) throws IOException, InterruptedException {
        Result r = shell(adminKey, "admin", command);
        assertEquals(0, r.exit(), () -> command + " failed: " + r);
        return r.output();
    }

    /** The ssh command that git uses to reach the git server with a key. */
    static String gitSsh(Path key) {
        return "ssh -i " + key + " -o IdentitiesOnly=yes -o BatchMode=yes -o StrictHostKeyChecking=no"
                + " -o UserKnownHostsFile=/dev/null -o LogLevel=ERROR";
    }

    String gitUrl(String app) {
        return "ssh://git@127.0.0.1:" + gitPort + "/" + app;
    }

    /**
     * Runs bin/stop and waits for the JVM to end (killing it after the timeout), then ends the
     * processes it had started, which outlive it by design. Returns whether the JVM ended by itself.
     */
    boolean stop() throws Exception {
        if (jvm == null) {
            jvm = karafJvm().orElse(null);
        }
        List<ProcessHandle> started = new ArrayList<>();
        if (jvm != null) {
            jvm.descendants().forEach(started::add);
        }
        Command.run(karaf, env, TIMEOUT, "bin/stop");
        boolean stopped = true;
        if (jvm != null) {
            try {
                jvm.onExit().get(90, TimeUnit.SECONDS);
            } catch (java.util.concurrent.TimeoutException e) {
                stopped = false;
                jvm.destroyForcibly();
                jvm.onExit().get(10, TimeUnit.SECONDS);
            }
        }
        // a handle keeps the start time of its process, so a reused pid is never hit
        started.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
        jvm = null;
        return stopped;
    }

    @Override
    public void close() throws Exception {
        try {
            if ((jvm != null && jvm.isAlive()) || karafJvm().isPresent()) {
                stop();
            }
        } finally {
            Path log = karaf.resolve("data/log/karaf.log");
            if (Files.exists(log)) {
                Path logs = Files.createDirectories(Path.of("target", "platform-logs"));
                Files.copy(log, logs.resolve(work.getFileName() + ".log"), StandardCopyOption.REPLACE_EXISTING);
            }
            Distribution.removeKernelState(home);
            removeFiles();
        }
    }

    private void removeFiles() throws IOException, InterruptedException {
        Command.run(Path.of("/"), Map.of(), TIMEOUT, "rm", "-rf", work.toString());
    }

    static void ok(Result result) {
        assertEquals(0, result.exit(), result.toString());
    }

    /** Sets one property in a Karaf .cfg file, replacing its line (and continuation lines) or adding it. */
    static final class CfgFile {

        private CfgFile() {
        }

        static void set(Path file, String key, String value) throws IOException {
            List<String> out = new ArrayList<>();
            boolean replaced = false;
            boolean skipping = false;
            for (String line : Files.readAllLines(file)) {
                if (skipping) {
                    skipping = line.endsWith("\\");
                    continue;
                }
                String trimmed = line.strip();
                if (!trimmed.startsWith("#") && trimmed.matches(java.util.regex.Pattern.quote(key) + "\\s*[=:].*")) {
                    if (!replaced) {
                        out.add(key + " = " + value);
                        replaced = true;
                    }
                    skipping = line.endsWith("\\");
                    continue;
                }
                out.add(line);
            }
            if (!replaced) {
                out.add(key + " = " + value);
            }
            Files.write(file, out);
        }
    }
}
