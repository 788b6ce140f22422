package cloud.hop3.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import cloud.hop3.itests.Command.Result;

/**
 * The platform on a small server: {@code HOP3_JVM_PROFILE=small} starts the JVM with the small
 * profile's heap, collector and compiler, and an app pushed to it is served; an unknown profile is
 * refused by {@code bin/hop3 start} before anything starts; the classes the first run loaded are
 * mapped from its archive by the next ones.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SmallServerIT {

    private static final Pattern HEAP_AFTER_BOOT = Pattern.compile(
            "Heap after the boot: (\\d+) MB committed, of it (\\d+) MB in use \\(was (\\d+) MB committed\\)");

    private static Distribution platform;

    @BeforeAll
    static void unpack() throws Exception {
        platform = new Distribution();
    }

    @AfterAll
    static void cleanUp() throws Exception {
        if (platform != null) {
            platform.close();
        }
    }

    @Test
    @Order(1)
    void anUnknownProfileOrClassSharingValueIsRefusedAndNothingStarts() throws Exception {
        platform.environment().put("HOP3_JVM_PROFILE", "tiny");

        Result start = platform.hop3("start");

        assertNotEquals(0, start.exit(), start.toString());
        assertTrue(start.output().contains("HOP3_JVM_PROFILE is 'tiny': the only profile is 'small'"), start.toString());
        assertTrue(platformJvm().isEmpty(), "no JVM was started");
        assertTrue(!Files.exists(platform.home), "nothing was written to HOP3_HOME");

        platform.environment().put("HOP3_JVM_PROFILE", "small");
        platform.environment().put("HOP3_CDS", "yes");
        Result withBadSharing = platform.hop3("start");
        platform.environment().remove("HOP3_CDS");

        assertNotEquals(0, withBadSharing.exit(), withBadSharing.toString());
        assertTrue(withBadSharing.output().contains("HOP3_CDS is 'yes': 'on' (the default) or 'off'"), withBadSharing.toString());
        assertTrue(platformJvm().isEmpty(), "no JVM was started");
    }

    @Test
    @Order(2)
    void theSmallProfileRunsThePlatformOnASmallJvmThatServesAnApp() throws Exception {
        platform.environment().put("HOP3_JVM_PROFILE", "small");
        platform.hop3Ok("start");

        ProcessHandle jvm = platformJvm().orElseThrow(() -> new AssertionError("no platform JVM"));
        String command = jvm.info().commandLine().orElse("");
        for (String option : List.of("-Xmx256M", "-Xmn8M", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "-XX:-BytecodeVerificationRemote")) {
            assertTrue(command.contains(" " + option + " "), option + " not in " + command);
        }
        assertTrue(!command.contains("-Xmx768M"), "the default heap is not added to the profile's: " + command);
        assertEquals(command.indexOf(" -XX:+UseSerialGC "), command.lastIndexOf(" -XX:+UseSerialGC "), "the profile's options once: " + command);
        Path proc = Path.of("/proc/" + jvm.pid());
        List<String> environment = List.of(Files.readString(proc.resolve("environ")).split("\0"));
        assertTrue(environment.contains("MALLOC_ARENA_MAX=2"), "two malloc arenas: " + environment);
        try (var tasks = Files.list(proc.resolve("task"))) {
            long eventThreads = tasks.filter(task -> threadName(task).startsWith("EventAdmin")).count();
            assertTrue(eventThreads <= 6, eventThreads + " event admin threads: 4 and 2 for asynchronous delivery at most (etc/org.apache.felix.eventadmin.impl.EventAdmin.cfg)");
        }
        // the dead objects the boot left in the old generation are collected once it is over, and
        // the old generation shrinks to what lives
        Path log = platform.directory().resolve("data/log/karaf.log");
        Hop3TestSupport.await("the collection after the boot", Duration.ofMinutes(1),
                () -> HEAP_AFTER_BOOT.matcher(readLog(log)).find());
        Matcher heap = HEAP_AFTER_BOOT.matcher(readLog(log));
        assertTrue(heap.find());
        assertTrue(Integer.parseInt(heap.group(1)) < Integer.parseInt(heap.group(3)), "the heap shrank: " + heap.group());

        AppSource site = new AppSource(platform, "small");
        site.write("public/index.html", "<h1>served on a small JVM</h1>");
        Result push = site.commitAndPush("first");
        assertEquals(0, push.exit(), push.toString());
        Http.Response answer = Http.get(platform.httpPort, "small.localhost", "/");
        assertEquals(200, answer.status());
        assertEquals("<h1>served on a small JVM</h1>", answer.body());
        String status = Files.readString(proc.resolve("status"));
        System.out.println("SmallServerIT: platform JVM " + status.lines().filter(l -> l.startsWith("VmRSS")).findFirst().orElse(""));
    }

    @Test
    @Order(3)
    void aStartAfterACleanStopMapsTheClassesAnEarlierRunRecorded() throws Exception {
        // the JVM that started without an archive writes one as it stops
        platform.hop3Ok("stop");
        Path archive;
        try (var archives = Files.list(platform.directory().resolve("data/cds"))) {
            archive = archives.filter(p -> p.getFileName().toString().endsWith(".jsa")).findFirst()
                    .orElseThrow(() -> new AssertionError("no class archive written by the stop"));
        }
        // bin/hop3 runs bin/status (a JVM too) before and after a stop: the archive is the platform's
        assertTrue(Files.size(archive) > 20_000_000, "the platform's classes, some 50 MB, not a status command's: "
                + Files.size(archive) + " bytes");

        platform.hop3Ok("start");

        ProcessHandle jvm = platformJvm().orElseThrow(() -> new AssertionError("no platform JVM"));
        String command = jvm.info().commandLine().orElse("");
        assertTrue(command.contains(" -XX:SharedArchiveFile=" + archive + " "), "the archive in " + command);
        assertTrue(!command.contains("--patch-module"), "the JVM cannot share classes when java.base is patched: " + command);
        String maps = Files.readString(Path.of("/proc/" + jvm.pid() + "/maps"));
        assertTrue(maps.contains(archive.toString()), "the JVM maps " + archive + " (it would not if it refused the archive)");
        Http.Response answer = Http.get(platform.httpPort, "small.localhost", "/");
        assertEquals("<h1>served on a small JVM</h1>", answer.body());
    }

    private static String threadName(Path task) {
        try {
            return Files.readString(task.resolve("comm")).strip();
        } catch (java.io.IOException gone) {
            return "";
        }
    }

    private static Optional<ProcessHandle> platformJvm() {
        String base = "-Dkaraf.base=" + platform.directory() + " ";
        return ProcessHandle.allProcesses()
                .filter(p -> p.info().commandLine().map(c -> c.contains(base)).orElse(false))
                .findFirst();
    }

    private static String readLog(Path log) {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return "";
        }
    }
}
