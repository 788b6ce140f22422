package cloud.hop3.core.impl.process;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

import cloud.hop3.api.app.AppName;
import cloud.hop3.api.process.ProcessLaunch;
import cloud.hop3.api.process.ProcessState;
import cloud.hop3.api.process.ProcessStatus;
import cloud.hop3.core.impl.platform.PlatformSettings;
import cloud.hop3.core.impl.state.DocumentStore;
import cloud.hop3.plugin.support.server.FreePorts;

/**
 * Real processes for driver tests: a state directory, a slug directory, launches marked with an
 * environment variable unique to the test, and a clean-up that kills every marked process (and
 * every foreign one a test started), whatever happened in the test.
 */
abstract class DriverTestSupport {

    static final String PYTHON = "/usr/bin/python3";
    static final String MARK = "HOP3_TEST_RUN";

    @TempDir
    Path tmp;

    Path home;
    Path slug;
    String marker;
    final List<LocalProcessDriver> drivers = new ArrayList<>();
    final List<Process> foreign = new ArrayList<>();

    @BeforeEach
    void prepare() throws IOException {
        home = tmp.resolve("hop3");
        slug = Files.createDirectories(tmp.resolve("slug"));
        marker = UUID.randomUUID().toString();
    }

    @AfterEach
    void killEverything() {
        for (LocalProcessDriver driver : drivers) {
            driver.close();
        }
        for (Process p : foreign) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        }
        List<ProcessHandle> marked = markedProcesses();
        marked.forEach(ProcessHandle::destroyForcibly);
        ProcessTree.awaitGone(marked, Duration.ofSeconds(5));
        for (LocalProcessDriver driver : drivers) {
            removeControlGroups(driver);
        }
    }

    /** Removes the control groups the driver's processes had (deepest first), now that they are gone. */
    private static void removeControlGroups(LocalProcessDriver driver) {
        if (driver.limits() == null) {
            return;
        }
        for (Path installation : new java.util.HashSet<>(driver.limits().cgroups().directories().values())) {
            if (!Files.isDirectory(installation)) {
                continue;
            }
            try (java.util.stream.Stream<Path> tree = Files.walk(installation)) {
                tree.filter(Files::isDirectory).sorted(java.util.Comparator.reverseOrder()).forEach(dir -> {
                    try {
                        Files.deleteIfExists(dir);
                    } catch (IOException e) {
                        // a process is still in it: the next test run on this machine leaves it too
                    }
                });
            } catch (IOException | java.io.UncheckedIOException e) {
                // best effort
            }
        }
    }

    LocalProcessDriver driver() throws IOException {
        return driver(DriverOptions.DEFAULT);
    }

    LocalProcessDriver driver(DriverOptions options) throws IOException {
        LocalProcessDriver driver = new LocalProcessDriver(new PlatformSettings(home, "example.com"), options);
        drivers.add(driver);
        return driver;
    }

    ProcessLaunch launch(String app, String type, int index, String command) {
        return launch(app, type, index, command, 0);
    }

    ProcessLaunch launch(String app, String type, int index, String command, int port) {
        Map<String, String> env = new HashMap<>();
        env.put("PATH", "/usr/bin:/bin");
        env.put(MARK, marker);
        if (port > 0) {
            env.put("PORT", Integer.toString(port));
        }
        return new ProcessLaunch(AppName.of(app), 1, type, index, command, slug, env, port);
    }

    /** A command that serves HTTP on $PORT (a python3 process started by sh, not exec'd). */
    static String httpServer() {
        return PYTHON + " -m http.server \"$PORT\" --bind 127.0.0.1";
    }

    /** Every process that carries this test's marker in its environment. */
    List<ProcessHandle> markedProcesses() {
        String needle = MARK + "=" + marker;
        List<ProcessHandle> found = new ArrayList<>();
        for (ProcStat s : ProcStat.all()) {
            try {
                String environ = new String(Files.readAllBytes(Path.of("/proc", Long.toString(s.pid()), "environ")), StandardCharsets.ISO_8859_1);
                if (!s.zombie() && List.of(environ.split("\0")).contains(needle)) {
                    ProcessHandle.of(s.pid()).ifPresent(found::add);
                }
            } catch (IOException e) {
                // gone, or not ours
            }
        }
        return found;
    }

    /** How many running {@code sleep} processes have {@code argument} as their argument. */
    static long sleeps(String argument) {
        return ProcessHandle.allProcesses()
                .filter(ProcStat::running)
                .filter(h -> h.info().command().map(c -> c.endsWith("/sleep")).orElse(false))
                .filter(h -> h.info().arguments().map(a -> a.length == 1 && a[0].equals(argument)).orElse(false))
                .count();
    }

    static int freePort() throws IOException {
        return FreePorts.any();
    }

    static boolean serves(int port) {
        try {
            HttpURLConnection c = (HttpURLConnection) new URL("http://127.0.0.1:" + port + "/").openConnection();
            c.setConnectTimeout(300);
            c.setReadTimeout(1000);
            try {
                return c.getResponseCode() == 200;
            } finally {
                c.disconnect();
            }
        } catch (IOException e) {
            return false;
        }
    }

    /** Waits until the condition holds, failing with {@code what} after the timeout. */
    static void await(String what, Duration timeout, BooleanSupplier condition) {
        long end = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) {
                fail("Timed out after " + timeout.toMillis() + " ms waiting for: " + what);
            }
            pause(10);
        }
    }

    static <T> T awaitValue(String what, Duration timeout, Supplier<T> value) {
        long end = System.nanoTime() + timeout.toNanos();
        while (true) {
            T v = value.get();
            if (v != null) {
                return v;
            }
            if (System.nanoTime() > end) {
                fail("Timed out after " + timeout.toMillis() + " ms waiting for: " + what);
            }
            pause(10);
        }
    }

    static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The single status of an app, or null when it has none. */
    static ProcessStatus only(LocalProcessDriver driver, String app) {
        List<ProcessStatus> all = driver.status(AppName.of(app));
        return all.size() == 1 ? all.get(0) : null;
    }

    static boolean inState(LocalProcessDriver driver, String app, ProcessState state) {
        ProcessStatus s = only(driver, app);
        return s != null && s.state() == state;
    }

    /** What processes.json of an app records. */
    List<ProcessRecord> ledger(String app) throws IOException {
        return new ProcessLedger(new DocumentStore(home)).read(AppName.of(app));
    }

    ProcessRecord recorded(String app, String id) throws IOException {
        return ledger(app).stream().filter(r -> r.id().equals(id)).findFirst().orElseThrow();
    }

    /** The recorded process of an id, while it runs. */
    ProcessHandle leader(String app, String id) throws IOException {
        return recorded(app, id).identity().find().orElseThrow(() -> new AssertionError(id + " does not run"));
    }

    Path log(String app, String process) {
        return home.resolve("apps").resolve(app).resolve("logs").resolve(process + ".log");
    }

    String logText(String app, String process) {
        try {
            return Files.readString(log(app, process));
        } catch (IOException e) {
            return "";
        }
    }
}
